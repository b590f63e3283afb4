// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// transB is absorbed into the rhs map: B is read as (n, k), never transposed.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (0, d1, d3)>
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[BT:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @gemm_transb_bias
// CHECK: linalg.generic {{.*}}ins(%arg2 : tensor<5xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[BT]], {{.*}}], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-NOT: linalg.transpose
func.func @gemm_transb_bias(%a: tensor<2x3xf32>, %b: tensor<5x3xf32>, %c: tensor<5xf32>) -> tensor<2x5xf32> {
  %0 = onnx.Gemm %a, %b, %c {transB = 1 : i64} : (tensor<2x3xf32>, tensor<5x3xf32>, tensor<5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// Batch broadcasting in MatMul: lhs batch dim 1 reads index 0.
// CHECK-LABEL: func.func @matmul_batch_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
func.func @matmul_batch_broadcast(%a: tensor<1x3x4xf32>, %b: tensor<6x4x5xf32>) -> tensor<6x3x5xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<1x3x4xf32>, tensor<6x4x5xf32>) -> tensor<6x3x5xf32>
  return %0 : tensor<6x3x5xf32>
}

// A constant transB weight is transposed at compile time, so B is read (k, n).
// CHECK-LABEL: func.func @gemm_constant_weight
// CHECK: arith.constant dense_resource<transposed_weight{{.*}}> : tensor<3x2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[A]], #{{.*}}, #{{.*}}]
func.func @gemm_constant_weight(%a: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = onnx.Constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %0 = onnx.Gemm %a, %w {transB = 1 : i64} : (tensor<4x3xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// f16 products are accumulated in f32 and rounded once, as numpy does.
// CHECK-LABEL: func.func @matmul_f16
// CHECK: linalg.generic
// CHECK: arith.extf {{.*}} : f16 to f32
// CHECK: arith.addf {{.*}} : f32
// CHECK: arith.truncf {{.*}} : f32 to f16
func.func @matmul_f16(%a: tensor<2x3xf16>, %b: tensor<3x4xf16>) -> tensor<2x4xf16> {
  %y = onnx.MatMul %a, %b : (tensor<2x3xf16>, tensor<3x4xf16>) -> tensor<2x4xf16>
  return %y : tensor<2x4xf16>
}
