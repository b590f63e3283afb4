//===- ONNXSequenceMixingOps.td - linear attention, causal conv, RoPE -----===//
//
// The newer transformer / state-space building blocks (opsets 23-27 and
// ai.onnx.preview). None has a lowering of its own: a pass per op in
// passes/graph/ rewrites it into existing onnx ops once shapes are static,
// following ONNX's reference implementation, as onnx.Attention does.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_IR_ONNXSEQUENCEMIXINGOPS_TD
#define ONNXC_IR_ONNXSEQUENCEMIXINGOPS_TD

include "ir/ONNXBase.td"

// Opset 27. update_rule is one of linear, gated, delta, gated_delta;
// chunk_size is a tuning hint with no effect on the result, so it is not kept.
def ONNX_LinearAttentionOp : ONNX_Op<"LinearAttention", [AttrSizedOperandSegments]> {
  let summary = "Recurrent linear attention with optional decay gating and delta-rule updates";
  let arguments = (ins ONNX_Tensor:$query, ONNX_Tensor:$key, ONNX_Tensor:$value,
                       Optional<ONNX_Tensor>:$past_state, Optional<ONNX_Tensor>:$decay,
                       Optional<ONNX_Tensor>:$beta,
                       I64Attr:$q_num_heads, I64Attr:$kv_num_heads, OptionalAttr<F32Attr>:$scale,
                       DefaultValuedStrAttr<StrAttr, "gated_delta">:$update_rule);
  let results = (outs ONNX_Tensor:$output, ONNX_Tensor:$present_state);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`past` $past_state^)? (`decay` $decay^)? (`beta` $beta^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

// Opset 27: depthwise causal Conv1D over [past_state | input] with an
// optional fused SiLU; present_state is the last kernel_size - 1 positions.
def ONNX_CausalConvWithStateOp : ONNX_Op<"CausalConvWithState", [AttrSizedOperandSegments]> {
  let summary = "Depthwise causal 1-D convolution carrying its left context as state";
  let arguments = (ins ONNX_Tensor:$input, ONNX_Tensor:$weight, Optional<ONNX_Tensor>:$bias,
                       Optional<ONNX_Tensor>:$past_state,
                       DefaultValuedStrAttr<StrAttr, "none">:$activation);
  let results = (outs ONNX_Tensor:$output, ONNX_Tensor:$present_state);
  let assemblyFormat = [{
    $input `,` $weight (`bias` $bias^)? (`past` $past_state^)? attr-dict `:` functional-type(operands, results)
  }];
}

// Opset 23. 4-D input is [B, H, S, D]; 3-D input is [B, S, H * D] with num_heads.
def ONNX_RotaryEmbeddingOp : ONNX_Op<"RotaryEmbedding"> {
  let summary = "Rotary position embedding of the first rotary_embedding_dim features of each head";
  let arguments = (ins ONNX_Tensor:$input, ONNX_Tensor:$cos_cache, ONNX_Tensor:$sin_cache,
                       Optional<ONNX_Tensor>:$position_ids,
                       DefaultValuedAttr<I64Attr, "0">:$interleaved,
                       DefaultValuedAttr<I64Attr, "0">:$rotary_embedding_dim,
                       DefaultValuedAttr<I64Attr, "0">:$num_heads);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $cos_cache `,` $sin_cache (`positions` $position_ids^)? attr-dict `:` functional-type(operands, results)
  }];
}

// ai.onnx.preview FlexAttention-1. score_mod and prob_mod are the optional
// modifier subgraphs, each an empty region or one block taking the scores
// (probabilities) in the softmax type and yielding them modified with the same
// shape; their ops keep unranked types until the decomposition copies them out
// (see ir/ONNXControlFlowOps.td for how subgraphs are represented).
def ONNX_FlexAttentionOp : ONNX_Op<"FlexAttention"> {
  let summary = "Rank-4 scaled dot-product attention with grouped KV heads and modifier subgraphs";
  let arguments = (ins ONNX_Tensor:$Q, ONNX_Tensor:$K, ONNX_Tensor:$V,
                       OptionalAttr<F32Attr>:$scale, OptionalAttr<I64Attr>:$softmax_precision);
  let results = (outs ONNX_Tensor:$Y);
  let regions = (region MaxSizedRegion<1>:$score_mod, MaxSizedRegion<1>:$prob_mod);
  let assemblyFormat = [{
    $Q `,` $K `,` $V attr-dict `:` functional-type(operands, results)
    (`score_mod` $score_mod^)? (`prob_mod` $prob_mod^)?
  }];
  let extraClassDeclaration = [{
    /// The type the scores, the softmax and P x V are computed in, which the
    /// modifier subgraphs take and yield: softmax_precision, else f32 for
    /// inputs narrower than f32, else the input type.
    ::mlir::Type getSoftmaxType();
  }];
}

#endif // ONNXC_IR_ONNXSEQUENCEMIXINGOPS_TD
