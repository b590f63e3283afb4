//===- ONNXDataOps.td - data-dependent indexing, Einsum, Det, TfIdf -------===//
//
// Ops that read or write positions given by data (ScatterND, GatherND,
// TensorScatter, ReverseSequence, Compress), Einsum, Det, TfIdfVectorizer,
// and the ai.onnx.ml ops scikit-learn exports use.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_IR_ONNXDATAOPS_TD
#define ONNXC_IR_ONNXDATAOPS_TD

def ONNX_ScatterNDOp : ONNX_Op<"ScatterND"> {
  let arguments = (ins ONNX_Tensor:$data, ONNX_Tensor:$indices, ONNX_Tensor:$updates,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)";
}
def ONNX_GatherNDOp : ONNX_Op<"GatherND"> {
  let arguments = (ins ONNX_Tensor:$data, ONNX_Tensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}
// Writes `update` into a KV cache along `axis` at each batch's write index.
def ONNX_TensorScatterOp : ONNX_Op<"TensorScatter"> {
  let arguments = (ins ONNX_Tensor:$past_cache, ONNX_Tensor:$update,
                       Optional<ONNX_Tensor>:$write_indices,
                       DefaultValuedAttr<I64Attr, "-2">:$axis,
                       DefaultValuedStrAttr<StrAttr, "linear">:$mode);
  let results = (outs ONNX_Tensor:$present_cache);
  let assemblyFormat = "$past_cache `,` $update (`indices` $write_indices^)? attr-dict `:` functional-type(operands, results)";
}
def ONNX_ReverseSequenceOp : ONNX_Op<"ReverseSequence"> {
  let arguments = (ins ONNX_Tensor:$input, ONNX_Tensor:$sequence_lens,
                       DefaultValuedAttr<I64Attr, "1">:$batch_axis,
                       DefaultValuedAttr<I64Attr, "0">:$time_axis);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$input `,` $sequence_lens attr-dict `:` functional-type(operands, results)";
}
// The output length depends on `condition`, which must be a compile-time
// constant. Without `axis` the input is flattened first.
def ONNX_CompressOp : ONNX_Op<"Compress"> {
  let arguments = (ins ONNX_Tensor:$input, ONNX_Tensor:$condition, OptionalAttr<I64Attr>:$axis);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input `,` $condition attr-dict `:` functional-type(operands, results)";
}
def ONNX_EinsumOp : ONNX_Op<"Einsum"> {
  let arguments = (ins Variadic<ONNX_Tensor>:$Inputs, StrAttr:$equation);
  let results = (outs ONNX_Tensor:$Output);
  let assemblyFormat = "$Inputs attr-dict `:` functional-type(operands, results)";
}
def ONNX_DetOp : ONNX_Op<"Det"> {
  let arguments = (ins ONNX_Tensor:$X);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}
// Integer n-gram counts (pool_int64s; string pools have no tensor type here).
def ONNX_TfIdfVectorizerOp : ONNX_Op<"TfIdfVectorizer"> {
  let arguments = (ins ONNX_Tensor:$X, I64Attr:$max_gram_length, I64Attr:$max_skip_count,
                       I64Attr:$min_gram_length, StrAttr:$mode, I64ArrayAttr:$ngram_counts,
                       I64ArrayAttr:$ngram_indexes, I64ArrayAttr:$pool_int64s,
                       OptionalAttr<F32ArrayAttr>:$weights);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// ai.onnx.ml
//===----------------------------------------------------------------------===//

def ONNX_BinarizerOp : ONNX_Op<"Binarizer"> {
  let arguments = (ins ONNX_Tensor:$X, DefaultValuedAttr<F32Attr, "0.0">:$threshold);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}
// Gathers along the last axis; a 1-D X gives a [1, k] result (as onnxruntime).
def ONNX_ArrayFeatureExtractorOp : ONNX_Op<"ArrayFeatureExtractor"> {
  let arguments = (ins ONNX_Tensor:$X, ONNX_Tensor:$Y);
  let results = (outs ONNX_Tensor:$Z);
  let assemblyFormat = "$X `,` $Y attr-dict `:` functional-type(operands, results)";
}
// TreeEnsemble (ai.onnx.ml opset 5): node and leaf tables as compile-time
// arrays; `nodes_modes` is 0 LEQ, 1 LT, 2 GTE, 3 GT, 4 EQ, 5 NEQ, 6 MEMBER;
// `membership_values` lists each MEMBER node's set, in node order, each set
// ended by NaN. aggregate_function: 0 AVERAGE, 1 SUM, 2 MIN, 3 MAX.
def ONNX_TreeEnsembleOp : ONNX_Op<"TreeEnsemble"> {
  let arguments = (ins ONNX_Tensor:$X,
                       DenseI64ArrayAttr:$nodes_featureids, DenseI64ArrayAttr:$nodes_modes,
                       DenseF64ArrayAttr:$nodes_splits, DenseI64ArrayAttr:$nodes_truenodeids,
                       DenseI64ArrayAttr:$nodes_falsenodeids, DenseI64ArrayAttr:$nodes_trueleafs,
                       DenseI64ArrayAttr:$nodes_falseleafs,
                       DenseI64ArrayAttr:$nodes_missing_value_tracks_true,
                       DenseI64ArrayAttr:$leaf_targetids, DenseF64ArrayAttr:$leaf_weights,
                       DenseI64ArrayAttr:$tree_roots, DenseF64ArrayAttr:$membership_values,
                       I64Attr:$n_targets, I64Attr:$aggregate_function);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}

#endif // ONNXC_IR_ONNXDATAOPS_TD
