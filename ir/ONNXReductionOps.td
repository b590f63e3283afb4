//===- ONNXReductionOps.td - Reduce*, ArgMax/Min, TopK -------------------===//
#ifndef ONNXC_IR_ONNXREDUCTIONOPS_TD
#define ONNXC_IR_ONNXREDUCTIONOPS_TD

include "ir/ONNXBase.td"

// Opset-18 form: axes is an optional int64 input; the importer turns the older
// attribute form into a constant input.
foreach name = ["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
                "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"] in {
  def ONNX_#name#Op : ONNX_Op<name> {
    let arguments = (ins ONNX_Tensor:$data, Optional<ONNX_Tensor>:$axes,
                         DefaultValuedAttr<I64Attr, "1">:$keepdims,
                         DefaultValuedAttr<I64Attr, "0">:$noop_with_empty_axes);
    let results = (outs ONNX_Tensor:$reduced);
    let assemblyFormat = "$data (`axes` $axes^)? attr-dict `:` functional-type(operands, results)";
  }
}

foreach name = ["ArgMax", "ArgMin"] in {
  def ONNX_#name#Op : ONNX_Op<name> {
    let arguments = (ins ONNX_Tensor:$data, DefaultValuedAttr<I64Attr, "0">:$axis,
                         DefaultValuedAttr<I64Attr, "1">:$keepdims,
                         DefaultValuedAttr<I64Attr, "0">:$select_last_index);
    let results = (outs ONNX_Tensor:$reduced);
    let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  }
}

// Opsets 10/11 (opset 1's k attribute becomes a constant input). Indices are
// int64; ties keep the lower index first, as the reference's stable sort.
def ONNX_TopKOp : ONNX_Op<"TopK"> {
  let arguments = (ins ONNX_Tensor:$X, ONNX_Tensor:$K, DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<I64Attr, "1">:$largest, DefaultValuedAttr<I64Attr, "1">:$sorted);
  let results = (outs ONNX_Tensor:$Values, ONNX_Tensor:$Indices);
  let assemblyFormat = "$X `,` $K attr-dict `:` functional-type(operands, results)";
}

#endif // ONNXC_IR_ONNXREDUCTIONOPS_TD
