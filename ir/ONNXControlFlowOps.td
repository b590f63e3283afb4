//===- ONNXControlFlowOps.td - If, Loop, Scan and their terminator --------===//
//
// ONNX control flow carries subgraphs. Each subgraph is one block in a region;
// its nodes may use values of the enclosing graphs directly (the regions are
// not isolated from above), as ONNX's outer-scope references do. Nothing lowers
// these ops: onnx-shape-inference expands them into straight-line ops once
// their controlling operands are known (passes/graph/ExpandControlFlow.cpp),
// so the ops inside a region keep unranked types until they are copied out.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_IR_ONNXCONTROLFLOWOPS_TD
#define ONNXC_IR_ONNXCONTROLFLOWOPS_TD

include "ir/ONNXBase.td"

// No ShapeInferenceOpInterface: expansion replaces these ops instead.
class ONNX_RegionOp<string mnemonic, list<Trait> traits = []>
    : Op<ONNX_Dialect, mnemonic, !listconcat(traits, [RecursiveMemoryEffects])>;

def ONNX_IfOp : ONNX_RegionOp<"If"> {
  let summary = "Runs then_branch when cond is true, else_branch otherwise";
  let arguments = (ins ONNX_Tensor:$cond);
  let results = (outs Variadic<ONNX_Tensor>:$outputs);
  let regions = (region SizedRegion<1>:$then_branch, SizedRegion<1>:$else_branch);
  let assemblyFormat = [{
    $cond attr-dict `:` type($cond) (`->` type($outputs)^)? `then` $then_branch `else` $else_branch
  }];
}

// The body takes (iteration number, condition, carried values...) and yields
// (condition, carried values..., scan output elements...).
def ONNX_LoopOp : ONNX_RegionOp<"Loop", [AttrSizedOperandSegments]> {
  let summary = "Runs body while the trip count and the condition allow";
  let arguments = (ins Optional<ONNX_Tensor>:$max_trip_count, Optional<ONNX_Tensor>:$cond,
                       Variadic<ONNX_Tensor>:$initial);
  let results = (outs Variadic<ONNX_Tensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`max` $max_trip_count^)? (`cond` $cond^)? (`init` `(` $initial^ `)`)? attr-dict
    `:` functional-type(operands, results) $body
  }];
}

// Opset 9+ semantics; Scan-8's leading batch axis is `batched` (every state and
// scan input then has it, and the axes below count after it). The body takes
// (states..., one slice of each scan input...) and yields (states..., scan
// output elements...).
def ONNX_ScanOp : ONNX_RegionOp<"Scan", [AttrSizedOperandSegments]> {
  let summary = "Runs body once per slice of the scan inputs, carrying states";
  let arguments = (ins Optional<ONNX_Tensor>:$sequence_lens, Variadic<ONNX_Tensor>:$initial,
                       Variadic<ONNX_Tensor>:$scan_inputs,
                       I64ArrayAttr:$scan_input_axes, I64ArrayAttr:$scan_input_directions,
                       I64ArrayAttr:$scan_output_axes, I64ArrayAttr:$scan_output_directions,
                       UnitAttr:$batched);
  let results = (outs Variadic<ONNX_Tensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`seq_lens` $sequence_lens^)? `init` `(` $initial `)` `scan` `(` $scan_inputs `)` attr-dict
    `:` functional-type(operands, results) $body
  }];
}

def ONNX_YieldOp : Op<ONNX_Dialect, "Yield",
                      [Pure, Terminator, ParentOneOf<["IfOp", "LoopOp", "ScanOp", "FlexAttentionOp"]>]> {
  let summary = "The outputs of a subgraph";
  let arguments = (ins Variadic<ONNX_Tensor>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

#endif // ONNXC_IR_ONNXCONTROLFLOWOPS_TD
