//===- ShapeInferenceData.cpp - shapes of the data-indexing ops -----------===//
#include "ir/Einsum.h"
#include "ir/ShapeInferenceUtils.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace mlir;
using namespace onnxc::onnx;
using namespace onnxc::onnx::shapes;

LogicalResult ScatterNDOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto data = getStaticType(getData()), indices = getStaticType(getIndices()),
       updates = getStaticType(getUpdates());
  if (indices.getRank() < 1 || !isa<IntegerType>(indices.getElementType()))
    return emitError() << "indices must be an integer tensor of rank >= 1";
  int64_t q = indices.getRank(), k = indices.getShape().back(), r = data.getRank();
  if (k > r)
    return emitError() << "indices' last dimension (" << k << ") exceeds data's rank (" << r << ")";
  SmallVector<int64_t> expected(indices.getShape().drop_back());
  expected.append(data.getShape().begin() + k, data.getShape().end());
  if (updates.getShape() != ArrayRef<int64_t>(expected) || updates.getRank() != q - 1 + r - k)
    return emitError() << "updates must have shape indices.shape[:-1] + data.shape[k:]";
  if (updates.getElementType() != data.getElementType())
    return emitError() << "updates must have the element type of data";
  return setShape(getOutput(), data.getShape(), data.getElementType());
}

LogicalResult GatherNDOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto data = getStaticType(getData()), indices = getStaticType(getIndices());
  if (indices.getRank() < 1 || !isa<IntegerType>(indices.getElementType()))
    return emitError() << "indices must be an integer tensor of rank >= 1";
  int64_t b = static_cast<int64_t>(getBatchDims()), k = indices.getShape().back();
  if (b < 0 || b >= std::min(data.getRank(), indices.getRank()))
    return emitError() << "batch_dims " << b << " must be less than both ranks";
  if (data.getShape().take_front(b) != indices.getShape().take_front(b))
    return emitError() << "the batch dims of data and indices differ";
  if (b + k > data.getRank())
    return emitError() << "indices' last dimension plus batch_dims exceeds data's rank";
  SmallVector<int64_t> shape(indices.getShape().drop_back());
  shape.append(data.getShape().begin() + b + k, data.getShape().end());
  return setShape(getOutput(), shape, data.getElementType());
}

LogicalResult TensorScatterOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto cache = getStaticType(getPastCache()), update = getStaticType(getUpdate());
  if (getMode() != "linear" && getMode() != "circular")
    return emitError() << "mode '" << getMode() << "' is not linear or circular";
  auto axis = checkedAxis(*this, static_cast<int64_t>(getAxis()), cache.getRank());
  if (failed(axis))
    return failure();
  if (*axis == 0)
    return emitError() << "axis must not be the batch axis 0";
  if (update.getRank() != cache.getRank() || update.getElementType() != cache.getElementType())
    return emitError() << "update must have past_cache's rank and element type";
  for (int64_t i = 0; i < cache.getRank(); ++i)
    if (i == *axis ? update.getDimSize(i) > cache.getDimSize(i) : update.getDimSize(i) != cache.getDimSize(i))
      return emitError() << "update's dimension " << i << " does not fit past_cache's";
  if (Value w = getWriteIndices()) {
    auto wt = getStaticType(w);
    if (wt.getRank() != 1 || wt.getDimSize(0) != cache.getDimSize(0))
      return emitError() << "write_indices must have one entry per batch";
  }
  return setShape(getPresentCache(), cache.getShape(), cache.getElementType());
}

LogicalResult ReverseSequenceOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto input = getStaticType(getInput()), lens = getStaticType(getSequenceLens());
  if (input.getRank() < 2)
    return emitError() << "input must have rank >= 2";
  int64_t batch = static_cast<int64_t>(getBatchAxis()), time = static_cast<int64_t>(getTimeAxis());
  if (!((batch == 0 && time == 1) || (batch == 1 && time == 0)))
    return emitError() << "batch_axis and time_axis must be 0 and 1 in some order";
  if (lens.getRank() != 1 || lens.getDimSize(0) != input.getDimSize(batch))
    return emitError() << "sequence_lens must have one entry per batch";
  return setShape(getY(), input.getShape(), input.getElementType());
}

LogicalResult CompressOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto input = getStaticType(getInput());
  auto condition = getConstantInts(getCondition());
  if (!condition)
    return emitError() << "condition must be a compile-time constant (its values set the output's shape)";
  int64_t count = 0, extent = input.getNumElements();
  SmallVector<int64_t> shape{0};
  if (auto axisAttr = getAxis()) {
    auto axis = checkedAxis(*this, static_cast<int64_t>(*axisAttr), input.getRank());
    if (failed(axis))
      return failure();
    extent = input.getDimSize(*axis);
    shape.assign(input.getShape().begin(), input.getShape().end());
    shape[*axis] = 0;
    for (int64_t i = 0; i < std::min<int64_t>(extent, condition->size()); ++i)
      count += (*condition)[i] != 0;
    shape[*axis] = count;
  } else {
    for (int64_t i = 0; i < std::min<int64_t>(extent, condition->size()); ++i)
      count += (*condition)[i] != 0;
    shape[0] = count;
  }
  if (static_cast<int64_t>(condition->size()) > extent)
    return emitError() << "condition is longer than the compressed axis";
  return setShape(getOutput(), shape, input.getElementType());
}

LogicalResult EinsumOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  SmallVector<ArrayRef<int64_t>> shapes;
  Type element;
  for (Value v : getInputs()) {
    auto t = getStaticType(v);
    if (element && t.getElementType() != element)
      return emitError() << "all inputs must have one element type";
    element = t.getElementType();
    shapes.push_back(t.getShape());
  }
  std::string error;
  auto plan = planEinsum(getEquation(), shapes, error);
  if (!plan)
    return emitError() << "equation '" << getEquation() << "': " << error;
  return setShape(getOutput(), plan->outputShape(), element);
}

LogicalResult DetOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto t = getStaticType(getX());
  if (!isa<FloatType>(t.getElementType()))
    return emitError() << "X must be a float tensor";
  if (t.getRank() < 2 || t.getDimSize(t.getRank() - 1) != t.getDimSize(t.getRank() - 2))
    return emitError() << "X must be square matrices [*, M, M]";
  return setShape(getY(), t.getShape().drop_back(2), t.getElementType());
}

LogicalResult TfIdfVectorizerOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto t = getStaticType(getX());
  if (t.getRank() < 1 || t.getRank() > 2 || !isa<IntegerType>(t.getElementType()))
    return emitError() << "X must be an integer tensor [C] or [N, C]";
  auto indexes = getI64s(getNgramIndexes());
  if (indexes.empty())
    return emitError() << "ngram_indexes is empty";
  int64_t outSize = *llvm::max_element(indexes) + 1;
  if (auto w = getWeights(); w && static_cast<int64_t>(w->size()) != outSize)
    return emitError() << "weights must have " << outSize << " entries, one per output column";
  Type f32 = Float32Type::get(getContext());
  if (t.getRank() == 1)
    return setShape(getY(), {outSize}, f32);
  return setShape(getY(), {t.getDimSize(0), outSize}, f32);
}

LogicalResult BinarizerOp::inferShapes() { return inferSameAsInput(*this); }

LogicalResult ArrayFeatureExtractorOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getX()), y = getStaticType(getY());
  if (!isa<IntegerType>(y.getElementType()))
    return emitError() << "Y must hold integer indices";
  SmallVector<int64_t> shape;
  if (x.getRank() <= 1)
    shape.push_back(1);
  else
    shape.append(x.getShape().begin(), x.getShape().end() - 1);
  shape.push_back(y.getNumElements());
  return setShape(getZ(), shape, x.getElementType());
}

LogicalResult TreeEnsembleOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getX());
  if (x.getRank() != 2 || !isa<FloatType>(x.getElementType()))
    return emitError() << "X must be a float tensor [N, F]";
  int64_t nodes = static_cast<int64_t>(getNodesModes().size()), leaves = static_cast<int64_t>(getLeafWeights().size());
  int64_t features = x.getDimSize(1), targets = static_cast<int64_t>(getNTargets());
  for (size_t i = 0; i < getNodesModes().size(); ++i) {
    if (getNodesModes()[i] < 0 || getNodesModes()[i] > 6)
      return emitError() << "node " << i << " has an unknown mode " << getNodesModes()[i];
    if (getNodesFeatureids()[i] < 0 || getNodesFeatureids()[i] >= features)
      return emitError() << "node " << i << " reads feature " << getNodesFeatureids()[i] << " of " << features;
    for (auto [next, leaf] : {std::pair(getNodesTruenodeids()[i], getNodesTrueleafs()[i]),
                              std::pair(getNodesFalsenodeids()[i], getNodesFalseleafs()[i])})
      if (next < 0 || next >= (leaf ? leaves : nodes))
        return emitError() << "node " << i << " branches to a missing " << (leaf ? "leaf " : "node ") << next;
  }
  for (int64_t t : getLeafTargetids())
    if (t < 0 || t >= targets)
      return emitError() << "leaf target " << t << " is not below n_targets " << targets;
  return setShape(getY(), {x.getDimSize(0), targets}, x.getElementType());
}
