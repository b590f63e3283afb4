// RUN: onnxc-opt %s --pass-pipeline='builtin.module(convert-onnx-to-linalg,func.func(onnxc-interchange-loops))' | FileCheck %s

// MatMul (m, n, k) becomes (m, k, n): the inner loop walks B and C rows.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @matmul
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "reduction", "parallel"]}
func.func @matmul(%a: tensor<8x16xf32>, %b: tensor<16x32xf32>) -> tensor<8x32xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<8x16xf32>, tensor<16x32xf32>) -> tensor<8x32xf32>
  return %0 : tensor<8x32xf32>
}

// A row reduction keeps its order: its input is contiguous along the reduction.
// CHECK-LABEL: func.func @row_sum
// CHECK: iterator_types = ["parallel", "reduction"]
func.func @row_sum(%x: tensor<8x16xf32>) -> tensor<8xf32> {
  %axes = onnx.Constant dense<[1]> : tensor<1xi64>
  %0 = onnx.ReduceSum %x axes %axes {keepdims = 0 : i64} : (tensor<8x16xf32>, tensor<1xi64>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
