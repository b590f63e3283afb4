//===- ONNXLossOps.td - NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss ===//
#ifndef ONNXC_IR_ONNXLOSSOPS_TD
#define ONNXC_IR_ONNXLOSSOPS_TD

include "ir/ONNXBase.td"

// Opsets 12/13/22. No lowering of their own: onnxc-decompose-loss rewrites them
// into GatherElements/Where/ReduceSum... once shapes are static, as ONNX's
// function bodies do, so the expanded and native forms share every lowering.
def ONNX_NegativeLogLikelihoodLossOp : ONNX_Op<"NegativeLogLikelihoodLoss"> {
  let summary = "Weighted negative log-likelihood of the target classes";
  let arguments = (ins ONNX_Tensor:$input, ONNX_Tensor:$target, Optional<ONNX_Tensor>:$weight,
                       OptionalAttr<I64Attr>:$ignore_index,
                       DefaultValuedStrAttr<StrAttr, "mean">:$reduction);
  let results = (outs ONNX_Tensor:$loss);
  let assemblyFormat = [{
    $input `,` $target (`weight` $weight^)? attr-dict `:` functional-type(operands, results)
  }];
}

// log_prob (the LogSoftmax of the scores over axis 1) is the optional second
// result; it is computed either way, since the loss is built from it.
def ONNX_SoftmaxCrossEntropyLossOp : ONNX_Op<"SoftmaxCrossEntropyLoss"> {
  let summary = "NegativeLogLikelihoodLoss of LogSoftmax(scores, axis=1)";
  let arguments = (ins ONNX_Tensor:$scores, ONNX_Tensor:$labels, Optional<ONNX_Tensor>:$weights,
                       OptionalAttr<I64Attr>:$ignore_index,
                       DefaultValuedStrAttr<StrAttr, "mean">:$reduction);
  let results = (outs ONNX_Tensor:$output, ONNX_Tensor:$log_prob);
  let assemblyFormat = [{
    $scores `,` $labels (`weights` $weights^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // ONNXC_IR_ONNXLOSSOPS_TD
