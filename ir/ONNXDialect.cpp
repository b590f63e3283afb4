//===- ONNXDialect.cpp - the onnx dialect ---------------------------------===//
#include "ir/ONNXDialect.h"
#include "ir/ONNXControlFlowOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace onnxc::onnx;

#include "ir/ONNXDialect.cpp.inc"
#include "ir/ONNXInterfaces.cpp.inc"

void ONNXDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ir/ONNXOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ir/ONNXControlFlowOps.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "ir/ONNXOps.cpp.inc"
#define GET_OP_CLASSES
#include "ir/ONNXControlFlowOps.cpp.inc"

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

void ConstantOp::print(OpAsmPrinter &p) {
  p << " ";
  p.printAttribute(getValue());
  p.printOptionalAttrDict((*this)->getAttrs(), /*elidedAttrs=*/{"value"});
}

ParseResult ConstantOp::parse(OpAsmParser &parser, OperationState &result) {
  ElementsAttr value;
  if (parser.parseAttribute(value, "value", result.attributes) ||
      parser.parseOptionalAttrDict(result.attributes))
    return failure();
  result.addTypes(value.getType());
  return success();
}

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  // Only fold once types agree, so shape inference never sees a type change.
  if (getX().getType() == getY().getType())
    return getX();
  return {};
}

namespace onnxc::onnx {

std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::optional<SmallVector<int64_t>> getConstantInts(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  auto elements = dyn_cast<DenseIntElementsAttr>(attr);
  if (!elements)
    return std::nullopt;
  SmallVector<int64_t> result;
  for (const APInt &v : elements.getValues<APInt>())
    result.push_back(v.getSExtValue());
  return result;
}

SmallVector<int64_t> getI64s(ArrayAttr attr) {
  SmallVector<int64_t> result;
  for (Attribute a : attr)
    result.push_back(cast<IntegerAttr>(a).getInt());
  return result;
}

SmallVector<int64_t> getI64s(std::optional<ArrayAttr> attr, size_t count, int64_t dflt) {
  if (attr && *attr)
    return getI64s(*attr);
  return SmallVector<int64_t>(count, dflt);
}

// ONNX TensorProto.DataType codes; unsigned types map to unsigned MLIR integers.
Type elementTypeForCode(MLIRContext *ctx, int64_t onnxType) {
  Builder b(ctx);
  switch (onnxType) {
  case 1: return b.getF32Type();
  case 11: return b.getF64Type();
  case 10: return b.getF16Type();
  case 16: return b.getBF16Type();
  case 3: return b.getIntegerType(8);
  case 5: return b.getIntegerType(16);
  case 6: return b.getIntegerType(32);
  case 7: return b.getIntegerType(64);
  case 2: return b.getIntegerType(8, /*isSigned=*/false);
  case 4: return b.getIntegerType(16, false);
  case 12: return b.getIntegerType(32, false);
  case 13: return b.getIntegerType(64, false);
  case 9: return b.getI1Type();
  // Narrow types. Sub-byte ones are unpacked, one element per byte, in the ABI and in
  // constants (see docs/architecture.md, "Element types").
  case 17: return b.getType<Float8E4M3FNType>();
  case 18: return b.getType<Float8E4M3FNUZType>();
  case 19: return b.getType<Float8E5M2Type>();
  case 20: return b.getType<Float8E5M2FNUZType>();
  case 21: return b.getIntegerType(4, /*isSigned=*/false);
  case 22: return b.getIntegerType(4);
  case 23: return b.getType<Float4E2M1FNType>();
  case 24: return b.getType<Float8E8M0FNUType>();
  case 25: return b.getIntegerType(2, /*isSigned=*/false);
  case 26: return b.getIntegerType(2);
  default: return nullptr;
  }
}

int32_t codeForElementType(Type type) {
  if (type.isF32()) return 1;
  if (type.isF64()) return 11;
  if (type.isF16()) return 10;
  if (type.isBF16()) return 16;
  if (type.isInteger(1)) return 9;
  if (isa<Float8E4M3FNType>(type)) return 17;
  if (isa<Float8E4M3FNUZType>(type)) return 18;
  if (isa<Float8E5M2Type>(type)) return 19;
  if (isa<Float8E5M2FNUZType>(type)) return 20;
  if (isa<Float4E2M1FNType>(type)) return 23;
  if (isa<Float8E8M0FNUType>(type)) return 24;
  if (auto it = dyn_cast<IntegerType>(type)) {
    bool u = it.isUnsigned();
    switch (it.getWidth()) {
    case 2: return u ? 25 : 26;
    case 4: return u ? 21 : 22;
    case 8: return u ? 2 : 3;
    case 16: return u ? 4 : 5;
    case 32: return u ? 12 : 6;
    case 64: return u ? 13 : 7;
    }
  }
  return 0;
}

RankedTensorType getStaticType(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return nullptr;
  return type;
}

} // namespace onnxc::onnx
