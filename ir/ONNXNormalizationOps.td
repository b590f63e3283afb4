//===- ONNXNormalizationOps.td - LogSoftmax, Hardmax, norms, scans -------===//
#ifndef ONNXC_IR_ONNXNORMALIZATIONOPS_TD
#define ONNXC_IR_ONNXNORMALIZATIONOPS_TD

include "ir/ONNXBase.td"

// Opset-13 semantics (one axis) and opsets 1-12 ("V1": every dim from axis on).
foreach name = ["LogSoftmax", "Hardmax"] in {
  def ONNX_#name#Op : ONNX_Op<name> {
    let arguments = (ins ONNX_Tensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
    let results = (outs ONNX_Tensor:$output);
    let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  }
  def ONNX_#name#V1Op : ONNX_Op<name#"V1"> {
    let arguments = (ins ONNX_Tensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis);
    let results = (outs ONNX_Tensor:$output);
    let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  }
}

def ONNX_LayerNormalizationOp : ONNX_Op<"LayerNormalization"> {
  let summary = "Normalise over dims [axis, rank); Mean and InvStdDev keep the reduced dims as 1";
  let arguments = (ins ONNX_Tensor:$X, ONNX_Tensor:$Scale, Optional<ONNX_Tensor>:$B,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1e-5">:$epsilon);
  let results = (outs ONNX_Tensor:$Y, ONNX_Tensor:$Mean, ONNX_Tensor:$InvStdDev);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_RMSNormalizationOp : ONNX_Op<"RMSNormalization"> {
  let arguments = (ins ONNX_Tensor:$X, ONNX_Tensor:$scale,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1e-5">:$epsilon);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_InstanceNormalizationOp : ONNX_Op<"InstanceNormalization"> {
  let arguments = (ins ONNX_Tensor:$input, ONNX_Tensor:$scale, ONNX_Tensor:$B,
                       DefaultValuedAttr<F32Attr, "1e-5">:$epsilon);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_TriluOp : ONNX_Op<"Trilu"> {
  let arguments = (ins ONNX_Tensor:$input, Optional<ONNX_Tensor>:$k,
                       DefaultValuedAttr<I64Attr, "1">:$upper);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input (`k` $k^)? attr-dict `:` functional-type(operands, results)";
}

// CumProd (opset 26) is CumSum with a product: one lowering covers both.
foreach name = ["CumSum", "CumProd"] in {
  def ONNX_#name#Op : ONNX_Op<name> {
    let arguments = (ins ONNX_Tensor:$x, ONNX_Tensor:$axis,
                         DefaultValuedAttr<I64Attr, "0">:$exclusive,
                         DefaultValuedAttr<I64Attr, "0">:$reverse);
    let results = (outs ONNX_Tensor:$y);
    let assemblyFormat = "$x `,` $axis attr-dict `:` functional-type(operands, results)";
  }
}

// Opsets 23-25 (25 adds the sliding window). No lowering of its own: onnxc-decompose-attention rewrites it
// into MatMul/Softmax/Where... once shapes are static, so every piece reuses an
// existing lowering and the mask rules are stated once, in terms of onnx ops.
def ONNX_AttentionOp : ONNX_Op<"Attention", [AttrSizedOperandSegments]> {
  let summary = "Scaled dot-product attention with masks, KV cache and grouped-query heads";
  let arguments = (ins ONNX_Tensor:$Q, ONNX_Tensor:$K, ONNX_Tensor:$V,
                       Optional<ONNX_Tensor>:$attn_mask, Optional<ONNX_Tensor>:$past_key,
                       Optional<ONNX_Tensor>:$past_value, Optional<ONNX_Tensor>:$nonpad_kv_seqlen,
                       DefaultValuedAttr<I64Attr, "0">:$is_causal,
                       OptionalAttr<I64Attr>:$kv_num_heads, OptionalAttr<I64Attr>:$q_num_heads,
                       DefaultValuedAttr<I64Attr, "0">:$qk_matmul_output_mode,
                       OptionalAttr<F32Attr>:$scale, DefaultValuedAttr<F32Attr, "0.0">:$softcap,
                       OptionalAttr<I64Attr>:$softmax_precision,
                       DefaultValuedAttr<I64Attr, "-1">:$left_window_size,
                       DefaultValuedAttr<I64Attr, "-1">:$right_window_size);
  let results = (outs ONNX_Tensor:$Y, ONNX_Tensor:$present_key, ONNX_Tensor:$present_value,
                      ONNX_Tensor:$qk_matmul_output);
  let assemblyFormat = [{
    $Q `,` $K `,` $V (`mask` $attn_mask^)? (`past_key` $past_key^)? (`past_value` $past_value^)?
    (`nonpad` $nonpad_kv_seqlen^)? attr-dict `:` functional-type(operands, results)
  }];
}

// Composite normalisations: onnxc-decompose-normalization rewrites each into
// Reduce*/AveragePool/elementwise ops once shapes are static, so they share
// those lowerings with their `_expanded` function bodies.
def ONNX_LRNOp : ONNX_Op<"LRN"> {
  let summary = "Local response normalisation across channels";
  let arguments = (ins ONNX_Tensor:$X, DefaultValuedAttr<F32Attr, "0.0001">:$alpha,
                       DefaultValuedAttr<F32Attr, "0.75">:$beta, DefaultValuedAttr<F32Attr, "1.0">:$bias,
                       I64Attr:$size);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}

def ONNX_LpNormalizationOp : ONNX_Op<"LpNormalization"> {
  let summary = "x / ||x||_p along one axis (p = 1 or 2), 0 where the norm is 0";
  let arguments = (ins ONNX_Tensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<I64Attr, "2">:$p);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def ONNX_MeanVarianceNormalizationOp : ONNX_Op<"MeanVarianceNormalization"> {
  let summary = "(x - mean) / std over `axes` (default [0, 2, 3])";
  let arguments = (ins ONNX_Tensor:$X, OptionalAttr<I64ArrayAttr>:$axes);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}

// Opset-21 semantics: scale and bias per channel. Opset 18 gave them per group;
// the importer marks that with `per_group_affine`.
def ONNX_GroupNormalizationOp : ONNX_Op<"GroupNormalization"> {
  let summary = "Normalise [N, C, ...] over each group of C / num_groups channels";
  let arguments = (ins ONNX_Tensor:$X, ONNX_Tensor:$scale, ONNX_Tensor:$bias,
                       DefaultValuedAttr<F32Attr, "1e-5">:$epsilon, I64Attr:$num_groups,
                       DefaultValuedAttr<I64Attr, "0">:$per_group_affine);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif // ONNXC_IR_ONNXNORMALIZATIONOPS_TD
