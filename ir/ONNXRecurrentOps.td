//===- ONNXRecurrentOps.td - RNN, GRU, LSTM -------------------------------===//
#ifndef ONNXC_IR_ONNXRECURRENTOPS_TD
#define ONNXC_IR_ONNXRECURRENTOPS_TD

include "ir/ONNXBase.td"

// The attributes every recurrent op shares (opsets 7-22; layout since 14).
// No lowering of their own: onnxc-decompose-recurrent unrolls them over the
// static sequence length into MatMul and elementwise onnx ops.
defvar ONNX_RecurrentAttrs = (ins OptionalAttr<F32ArrayAttr>:$activation_alpha,
                                  OptionalAttr<F32ArrayAttr>:$activation_beta,
                                  OptionalAttr<StrArrayAttr>:$activations,
                                  OptionalAttr<F32Attr>:$clip,
                                  DefaultValuedStrAttr<StrAttr, "forward">:$direction,
                                  OptionalAttr<I64Attr>:$hidden_size,
                                  DefaultValuedAttr<I64Attr, "0">:$layout);

def ONNX_RNNOp : ONNX_Op<"RNN", [AttrSizedOperandSegments]> {
  let summary = "Simple recurrent network: Ht = f(Xt*W^T + Ht-1*R^T + Wb + Rb)";
  let arguments = !con((ins ONNX_Tensor:$X, ONNX_Tensor:$W, ONNX_Tensor:$R, Optional<ONNX_Tensor>:$B,
                            Optional<ONNX_Tensor>:$sequence_lens, Optional<ONNX_Tensor>:$initial_h),
                       ONNX_RecurrentAttrs);
  let results = (outs ONNX_Tensor:$Y, ONNX_Tensor:$Y_h);
  let assemblyFormat = [{
    $X `,` $W `,` $R (`bias` $B^)? (`seq_lens` $sequence_lens^)? (`initial_h` $initial_h^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def ONNX_GRUOp : ONNX_Op<"GRU", [AttrSizedOperandSegments]> {
  let summary = "Gated recurrent unit (gates z, r, h)";
  let arguments = !con((ins ONNX_Tensor:$X, ONNX_Tensor:$W, ONNX_Tensor:$R, Optional<ONNX_Tensor>:$B,
                            Optional<ONNX_Tensor>:$sequence_lens, Optional<ONNX_Tensor>:$initial_h),
                       ONNX_RecurrentAttrs,
                       (ins DefaultValuedAttr<I64Attr, "0">:$linear_before_reset));
  let results = (outs ONNX_Tensor:$Y, ONNX_Tensor:$Y_h);
  let assemblyFormat = [{
    $X `,` $W `,` $R (`bias` $B^)? (`seq_lens` $sequence_lens^)? (`initial_h` $initial_h^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def ONNX_LSTMOp : ONNX_Op<"LSTM", [AttrSizedOperandSegments]> {
  let summary = "Long short-term memory (gates i, o, f, c; optional peepholes)";
  let arguments = !con((ins ONNX_Tensor:$X, ONNX_Tensor:$W, ONNX_Tensor:$R, Optional<ONNX_Tensor>:$B,
                            Optional<ONNX_Tensor>:$sequence_lens, Optional<ONNX_Tensor>:$initial_h,
                            Optional<ONNX_Tensor>:$initial_c, Optional<ONNX_Tensor>:$P),
                       ONNX_RecurrentAttrs,
                       (ins DefaultValuedAttr<I64Attr, "0">:$input_forget));
  let results = (outs ONNX_Tensor:$Y, ONNX_Tensor:$Y_h, ONNX_Tensor:$Y_c);
  let assemblyFormat = [{
    $X `,` $W `,` $R (`bias` $B^)? (`seq_lens` $sequence_lens^)? (`initial_h` $initial_h^)?
    (`initial_c` $initial_c^)? (`peepholes` $P^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // ONNXC_IR_ONNXRECURRENTOPS_TD
