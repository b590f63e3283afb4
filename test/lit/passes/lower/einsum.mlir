// RUN: onnxc-opt %s --split-input-file --convert-onnx-to-linalg | FileCheck %s

// A batched matmul: one generic, output loops first, the summed label last.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @batch_matmul
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @batch_matmul(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = onnx.Einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// A repeated label reads the diagonal.
// CHECK-DAG: #[[D:.*]] = affine_map<(d0, d1) -> (d0, d1, d1)>
// CHECK-LABEL: func.func @batch_diagonal
// CHECK: linalg.generic {indexing_maps = [#[[D]], {{.*}}], iterator_types = ["parallel", "parallel"]}
func.func @batch_diagonal(%a: tensor<3x4x4xf32>) -> tensor<3x4xf32> {
  %0 = onnx.Einsum %a {equation = "...ii->...i"} : (tensor<3x4x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// bf16 sums in f32 and rounds once.
// CHECK-LABEL: func.func @sum_bf16
// CHECK: arith.extf
// CHECK: arith.truncf
func.func @sum_bf16(%a: tensor<3x4xbf16>) -> tensor<3xbf16> {
  %0 = onnx.Einsum %a {equation = "ij->i"} : (tensor<3x4xbf16>) -> tensor<3xbf16>
  return %0 : tensor<3xbf16>
}
