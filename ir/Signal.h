//===- Signal.h - DFT and STFT geometry from constant operands --*- C++ -*-===//
//
// The output shapes of DFT and STFT depend on constant scalar operands and on
// defaults that differ by mode (irfft's length is 2 * (n - 1)). The shape
// rules and onnxc-decompose-signal both read them from here, so they cannot
// disagree. The rules follow onnx/reference/ops/op_dft.py and op_stft.py.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_IR_SIGNAL_H
#define ONNXC_IR_SIGNAL_H

#include "ir/ONNXDialect.h"

namespace onnxc::onnx {

struct DFTParams {
  int64_t axis = 0;         // normalised, never the last (real/imaginary) dim
  int64_t inputLength = 0;  // the input's extent along axis
  int64_t length = 0;       // dft_length: the input is cut or zero-padded to it
  int64_t outputLength = 0; // length, or length / 2 + 1 for a forward one-sided DFT
  bool inverse = false, onesided = false;
  bool complexInput = false, complexOutput = true; // irfft's output is real
};
/// Emits an error on `op` when the input or the scalars are malformed.
mlir::FailureOr<DFTParams> resolveDFT(DFTOp op);

struct STFTParams {
  int64_t step = 0, frameLength = 0, frames = 0, bins = 0;
};
mlir::FailureOr<STFTParams> resolveSTFT(STFTOp op);

} // namespace onnxc::onnx

#endif // ONNXC_IR_SIGNAL_H
