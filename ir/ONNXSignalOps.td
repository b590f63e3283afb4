//===- ONNXSignalOps.td - DFT, STFT, windows, mel filter bank -------------===//
#ifndef ONNXC_IR_ONNXSIGNALOPS_TD
#define ONNXC_IR_ONNXSIGNALOPS_TD

include "ir/ONNXBase.td"

// Opset-20 form: the importer turns opset 17's axis attribute (default 1) into
// a constant input, and gives opset 20's absent axis its default -2. The
// transform length and the axis set the output shape, so both must be
// constant. No lowering of its own: onnxc-decompose-signal rewrites it into a
// MatMul with a compile-time twiddle matrix.
def ONNX_DFTOp : ONNX_Op<"DFT"> {
  let summary = "Discrete Fourier transform of a real [..., 1] or complex [..., 2] signal along one axis";
  let arguments = (ins ONNX_Tensor:$input, Optional<ONNX_Tensor>:$dft_length, ONNX_Tensor:$axis,
                       DefaultValuedAttr<I64Attr, "0">:$inverse,
                       DefaultValuedAttr<I64Attr, "0">:$onesided);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = [{
    $input (`length` $dft_length^)? `axis` $axis attr-dict `:` functional-type(operands, results)
  }];
}

def ONNX_STFTOp : ONNX_Op<"STFT", [AttrSizedOperandSegments]> {
  let summary = "Short-time Fourier transform of [batch, length, 1 or 2] into [batch, frames, bins, 2]";
  let arguments = (ins ONNX_Tensor:$signal, ONNX_Tensor:$frame_step, Optional<ONNX_Tensor>:$window,
                       Optional<ONNX_Tensor>:$frame_length,
                       DefaultValuedAttr<I64Attr, "1">:$onesided);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = [{
    $signal `,` $frame_step (`window` $window^)? (`length` $frame_length^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

// Windows of a constant size: onnxc-decompose-signal replaces them by their
// values, computed in double as the reference does.
foreach name = ["HannWindow", "HammingWindow", "BlackmanWindow"] in {
  def ONNX_#name#Op : ONNX_Op<name> {
    let arguments = (ins ONNX_Tensor:$size, DefaultValuedAttr<I64Attr, "1">:$output_datatype,
                         DefaultValuedAttr<I64Attr, "1">:$periodic);
    let results = (outs ONNX_Tensor:$output);
    let assemblyFormat = "$size attr-dict `:` functional-type(operands, results)";
  }
}

def ONNX_MelWeightMatrixOp : ONNX_Op<"MelWeightMatrix"> {
  let summary = "Triangular mel filter bank [dft_length / 2 + 1, num_mel_bins], from constant inputs";
  let arguments = (ins ONNX_Tensor:$num_mel_bins, ONNX_Tensor:$dft_length, ONNX_Tensor:$sample_rate,
                       ONNX_Tensor:$lower_edge_hertz, ONNX_Tensor:$upper_edge_hertz,
                       DefaultValuedAttr<I64Attr, "1">:$output_datatype);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif // ONNXC_IR_ONNXSIGNALOPS_TD
