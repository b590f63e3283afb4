//===- ConstantData.cpp - reading and making f32 constant data ------------===//
#include "ir/ConstantData.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

using namespace mlir;

namespace onnxc {

std::optional<std::vector<float>> readF32Constant(Value value) {
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  return readF32Elements(attr);
}

std::optional<std::vector<float>> readF32Elements(Attribute attr) {
  auto shaped = dyn_cast_or_null<TypedAttr>(attr);
  auto type = shaped ? dyn_cast<ShapedType>(shaped.getType()) : ShapedType();
  if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
    return std::nullopt;
  size_t count = type.getNumElements();
  std::vector<float> data(count);
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (dense.isSplat()) {
      std::fill(data.begin(), data.end(), dense.getSplatValue<float>());
      return data;
    }
    ArrayRef<char> raw = dense.getRawData();
    if (raw.size() != count * sizeof(float))
      return std::nullopt;
    std::memcpy(data.data(), raw.data(), raw.size());
    return data;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != count * sizeof(float))
      return std::nullopt;
    std::memcpy(data.data(), blob->getData().data(), count * sizeof(float));
    return data;
  }
  return std::nullopt;
}

DenseResourceElementsAttr makeF32Resource(ShapedType type, const std::vector<float> &values,
                                          StringRef blobName) {
  ArrayRef<char> bytes(reinterpret_cast<const char *>(values.data()),
                       values.size() * sizeof(float));
  auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(uint64_t));
  return DenseResourceElementsAttr::get(type, blobName, std::move(blob));
}

} // namespace onnxc
