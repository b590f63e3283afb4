// RUN: onnxc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(onnx-shape-inference))' | FileCheck %s

// GatherND: indices.shape[:-1] + data.shape[batch_dims + k:].
// CHECK-LABEL: func.func @gathernd_batch
// CHECK: onnx.GatherND {{.*}} -> tensor<2x3x4xf32>
func.func @gathernd_batch(%x: tensor<2x5x4xf32>, %i: tensor<2x3x1xi64>) -> tensor<*xf32> {
  %0 = onnx.GatherND %x, %i {batch_dims = 1 : i64} : (tensor<2x5x4xf32>, tensor<2x3x1xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Compress: the constant condition counts the kept positions.
// CHECK-LABEL: func.func @compress_axis
// CHECK: onnx.Compress {{.*}} -> tensor<2x2xf32>
func.func @compress_axis(%x: tensor<2x5xf32>) -> tensor<*xf32> {
  %c = onnx.Constant dense<[true, false, true]> : tensor<3xi1>
  %0 = onnx.Compress %x, %c {axis = 1 : i64} : (tensor<2x5xf32>, tensor<3xi1>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Einsum: the output term orders the result; implicit output sums repeated labels.
// CHECK-LABEL: func.func @einsum
// CHECK: onnx.Einsum {{.*}} -> tensor<2x5x3xf32>
// CHECK: onnx.Einsum {{.*}} -> tensor<f32>
func.func @einsum(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %m: tensor<4x4xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.Einsum %a, %b {equation = "bij, bjk -> bki"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<*xf32>
  %1 = onnx.Einsum %m {equation = "ii"} : (tensor<4x4xf32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @det_tfidf
// CHECK: onnx.Det {{.*}} -> tensor<3xf32>
// CHECK: onnx.TfIdfVectorizer {{.*}} -> tensor<2x3xf32>
func.func @det_tfidf(%x: tensor<3x2x2xf32>, %t: tensor<2x6xi32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.Det %x : (tensor<3x2x2xf32>) -> tensor<*xf32>
  %1 = onnx.TfIdfVectorizer %t {max_gram_length = 1 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "TF", ngram_counts = [0], ngram_indexes = [0, 2], pool_int64s = [4, 5]} : (tensor<2x6xi32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}
