//===- ONNXShapeOps.td - shape computation and indexing -------------------===//
#ifndef ONNXC_IR_ONNXSHAPEOPS_TD
#define ONNXC_IR_ONNXSHAPEOPS_TD

include "ir/ONNXBase.td"

def ONNX_ShapeOp : ONNX_Op<"Shape"> {
  let arguments = (ins ONNX_Tensor:$data, OptionalAttr<I64Attr>:$start, OptionalAttr<I64Attr>:$end);
  let results = (outs ONNX_Tensor:$shape);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
}
def ONNX_SizeOp : ONNX_Op<"Size"> {
  let arguments = (ins ONNX_Tensor:$data);
  let results = (outs ONNX_Tensor:$size);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
}

// Axes as an optional int64 input (opset 13 form).
foreach name = ["Squeeze", "Unsqueeze"] in {
  def ONNX_#name#Op : ONNX_Op<name> {
    let arguments = (ins ONNX_Tensor:$data, Optional<ONNX_Tensor>:$axes);
    let results = (outs ONNX_Tensor:$output);
    let assemblyFormat = "$data (`axes` $axes^)? attr-dict `:` functional-type(operands, results)";
  }
}

def ONNX_ExpandOp : ONNX_Op<"Expand"> {
  let arguments = (ins ONNX_Tensor:$input, ONNX_Tensor:$shape);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input `,` $shape attr-dict `:` functional-type(operands, results)";
}
def ONNX_TileOp : ONNX_Op<"Tile"> {
  let arguments = (ins ONNX_Tensor:$input, ONNX_Tensor:$repeats);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input `,` $repeats attr-dict `:` functional-type(operands, results)";
}
def ONNX_SliceOp : ONNX_Op<"Slice", [AttrSizedOperandSegments]> {
  let arguments = (ins ONNX_Tensor:$data, ONNX_Tensor:$starts, ONNX_Tensor:$ends,
                       Optional<ONNX_Tensor>:$axes, Optional<ONNX_Tensor>:$steps);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$data `,` $starts `,` $ends (`axes` $axes^)? (`steps` $steps^)? attr-dict `:` functional-type(operands, results)";
}
def ONNX_GatherOp : ONNX_Op<"Gather"> {
  let arguments = (ins ONNX_Tensor:$data, ONNX_Tensor:$indices, DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}
def ONNX_GatherElementsOp : ONNX_Op<"GatherElements"> {
  let arguments = (ins ONNX_Tensor:$data, ONNX_Tensor:$indices, DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}
// Scatter (opsets 9-10) imports as ScatterElements with reduction "none".
def ONNX_ScatterElementsOp : ONNX_Op<"ScatterElements"> {
  let arguments = (ins ONNX_Tensor:$data, ONNX_Tensor:$indices, ONNX_Tensor:$updates,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)";
}
def ONNX_PadOp : ONNX_Op<"Pad", [AttrSizedOperandSegments]> {
  let arguments = (ins ONNX_Tensor:$data, ONNX_Tensor:$pads, Optional<ONNX_Tensor>:$constant_value,
                       Optional<ONNX_Tensor>:$axes, DefaultValuedStrAttr<StrAttr, "constant">:$mode);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$data `,` $pads (`value` $constant_value^)? (`axes` $axes^)? attr-dict `:` functional-type(operands, results)";
}
def ONNX_ConstantOfShapeOp : ONNX_Op<"ConstantOfShape"> {
  let arguments = (ins ONNX_Tensor:$input, OptionalAttr<ElementsAttr>:$value);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}
// The result's element type is EyeLike's dtype (or the input's), set by the importer.
def ONNX_EyeLikeOp : ONNX_Op<"EyeLike"> {
  let arguments = (ins ONNX_Tensor:$input, DefaultValuedAttr<I64Attr, "0">:$k);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}
def ONNX_OneHotOp : ONNX_Op<"OneHot"> {
  let arguments = (ins ONNX_Tensor:$indices, ONNX_Tensor:$depth, ONNX_Tensor:$values,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}
def ONNX_RangeOp : ONNX_Op<"Range"> {
  let arguments = (ins ONNX_Tensor:$start, ONNX_Tensor:$limit, ONNX_Tensor:$delta);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}
def ONNX_SplitOp : ONNX_Op<"Split"> {
  let arguments = (ins ONNX_Tensor:$input, Optional<ONNX_Tensor>:$split,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Variadic<ONNX_Tensor>:$outputs);
  let assemblyFormat = "$input (`split` $split^)? attr-dict `:` functional-type(operands, results)";
}

#endif // ONNXC_IR_ONNXSHAPEOPS_TD
