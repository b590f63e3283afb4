// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// One counting loop per pool n-gram and skip distance; IDF selects weights.
// CHECK-LABEL: func.func @tfidf
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.cmpi eq
// CHECK: arith.cmpi eq
// CHECK: arith.andi
// CHECK: linalg.generic
// CHECK: arith.cmpf ogt
// CHECK: arith.select
func.func @tfidf(%x: tensor<2x5xi64>) -> tensor<2x2xf32> {
  %0 = onnx.TfIdfVectorizer %x {max_gram_length = 2 : i64, max_skip_count = 1 : i64, min_gram_length = 2 : i64, mode = "IDF", ngram_counts = [0, 0], ngram_indexes = [1, 0], pool_int64s = [1, 2, 3, 4], weights = [2.0 : f32, 3.0 : f32]} : (tensor<2x5xi64>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
