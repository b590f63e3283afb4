//===- TensorImport.cpp - ONNX tensors and element types to MLIR ----------===//
#include "compiler/TensorImport.h"

#include "ir/ONNXDialect.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <fmt/format.h>

#include <cstring>

using namespace mlir;
using ::onnx::TensorProto;

namespace onnxc {

Type elementTypeFor(MLIRContext *ctx, int32_t onnxType) {
  return onnx::elementTypeForCode(ctx, onnxType);
}

int32_t onnxTypeOf(Type type) { return onnx::codeForElementType(type); }

std::string onnxTypeName(int32_t onnxType) {
  if (TensorProto::DataType_IsValid(onnxType))
    return TensorProto::DataType_Name(static_cast<TensorProto::DataType>(onnxType));
  return fmt::format("type {}", onnxType);
}

namespace {

/// Tensors at least this large become dense_resource blobs: uniquing a dense
/// attribute hashes all its bytes, which costs seconds on large models.
constexpr size_t kResourceThresholdBytes = 1024;

size_t storageBytes(Type type) {
  return type.isInteger(1) ? 1 : (type.getIntOrFloatBitWidth() + 7) / 8;
}

/// Copies the typed repeated field of `tensor` that holds `type`'s values into
/// little-endian bytes of `width` per element.
bool typedFieldBytes(const TensorProto &tensor, Type type, int64_t count, std::string &bytes,
                     std::string &error) {
  size_t width = storageBytes(type);
  auto copyFrom = [&](const auto &field) {
    // Check before allocating: the dims may claim far more than the data holds.
    if (static_cast<int64_t>(field.size()) != count) {
      error = fmt::format("holds {} values for {} elements", field.size(), count);
      return false;
    }
    bytes.assign(count * width, '\0');
    for (int64_t i = 0; i < count; ++i) {
      auto v = field.Get(i);
      if (type.isF32()) {
        float f = static_cast<float>(v);
        std::memcpy(&bytes[i * width], &f, width);
      } else if (type.isF64()) {
        double d = static_cast<double>(v);
        std::memcpy(&bytes[i * width], &d, width);
      } else {
        // Integers, bool and 16-bit floats (stored as bit patterns): take the
        // low `width` bytes, little-endian.
        uint64_t bits = static_cast<uint64_t>(v);
        std::memcpy(&bytes[i * width], &bits, width);
      }
    }
    return true;
  };
  switch (tensor.data_type()) {
  case TensorProto::FLOAT: return copyFrom(tensor.float_data());
  case TensorProto::DOUBLE: return copyFrom(tensor.double_data());
  case TensorProto::INT64: return copyFrom(tensor.int64_data());
  case TensorProto::UINT32:
  case TensorProto::UINT64: return copyFrom(tensor.uint64_data());
  default: return copyFrom(tensor.int32_data());
  }
}

/// Bits per element of ONNX's packed sub-byte types (int4, uint4, float4e2m1: 4; int2,
/// uint2: 2); 0 for the others.
unsigned packedBits(Type type) {
  unsigned width = type.getIntOrFloatBitWidth();
  return width < 8 && !type.isInteger(1) ? width : 0;
}

/// ONNX packs sub-byte elements, the first in the low bits of a byte, in raw_data and
/// int32_data (one packed byte per int32) alike; onnxc keeps one element per byte.
bool unpackSubByte(const TensorProto &tensor, StringRef raw, unsigned bits, int64_t count,
                   std::string &bytes, std::string &error) {
  int64_t perByte = 8 / bits;
  int64_t packedBytes = (count + perByte - 1) / perByte;
  std::string packed;
  if (raw.data()) {
    packed = raw.str();
  } else {
    for (int32_t v : tensor.int32_data())
      packed.push_back(static_cast<char>(v & 0xff));
  }
  if (static_cast<int64_t>(packed.size()) != packedBytes) {
    error = fmt::format("holds {} bytes of packed data, its shape needs {}", packed.size(),
                        packedBytes);
    return false;
  }
  unsigned mask = (1u << bits) - 1;
  bytes.assign(count, '\0');
  for (int64_t i = 0; i < count; ++i) {
    auto byte = static_cast<uint8_t>(packed[i / perByte]);
    bytes[i] = static_cast<char>((byte >> ((i % perByte) * bits)) & mask);
  }
  return true;
}

} // namespace

ElementsAttr importTensor(MLIRContext *ctx, const TensorProto &tensor, ModelFile &file,
                          std::string &error) {
  Type elem = elementTypeFor(ctx, tensor.data_type());
  if (!elem) {
    error = fmt::format("element type {} is not supported", onnxTypeName(tensor.data_type()));
    return nullptr;
  }
  SmallVector<int64_t> shape;
  int64_t count = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0) {
      error = fmt::format("has a negative dimension {}", d);
      return nullptr;
    }
    if (d != 0 && count > (int64_t(1) << 40) / d) {
      error = "has dimensions whose product overflows";
      return nullptr;
    }
    count *= d;
    shape.push_back(d);
  }
  auto type = RankedTensorType::get(shape, elem);
  size_t width = storageBytes(elem);
  size_t expected = count * width;

  StringRef raw;
  std::string converted;
  if (tensor.data_location() == TensorProto::EXTERNAL) {
    if (!file.externalData(tensor, raw, error))
      return nullptr;
  } else if (tensor.has_raw_data()) {
    raw = tensor.raw_data();
  }
  if (unsigned bits = packedBits(elem)) {
    if (!unpackSubByte(tensor, raw, bits, count, converted, error))
      return nullptr;
    raw = converted;
  } else if (!raw.data()) {
    if (!typedFieldBytes(tensor, elem, count, converted, error))
      return nullptr;
    raw = converted;
  }
  if (raw.size() != expected) {
    error = fmt::format("holds {} bytes of data, its shape needs {}", raw.size(), expected);
    return nullptr;
  }
  if (elem.isInteger(1)) {
    SmallVector<bool> values;
    for (char c : raw)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, values);
  }
  if (expected >= kResourceThresholdBytes) {
    std::string blobName = tensor.name().empty() ? "tensor" : tensor.name();
    auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        ArrayRef<char>(raw.data(), raw.size()), alignof(uint64_t));
    return DenseResourceElementsAttr::get(type, blobName, std::move(blob));
  }
  bool detectedSplat = false;
  if (!DenseElementsAttr::isValidRawBuffer(type, ArrayRef<char>(raw.data(), raw.size()),
                                           detectedSplat)) {
    error = "has data that does not form a valid buffer";
    return nullptr;
  }
  return DenseElementsAttr::getFromRawBuffer(type, ArrayRef<char>(raw.data(), raw.size()));
}

} // namespace onnxc
