// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// Per-channel operands are read through the channel dim only.
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batchnorm
// CHECK: linalg.generic {indexing_maps = [{{.*}}, #[[CH]], #[[CH]], #[[CH]], #[[CH]], {{.*}}]
// CHECK: math.sqrt
func.func @batchnorm(%x: tensor<1x3x2x2xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<1x3x2x2xf32> {
  %0 = onnx.BatchNormalization %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f32} : (tensor<1x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x2x2xf32>
  return %0 : tensor<1x3x2x2xf32>
}

// Opset-13 Softmax reduces one axis; the max shift comes first.
// CHECK-LABEL: func.func @softmax_axis1
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
func.func @softmax_axis1(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = onnx.Softmax %x {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// Opsets 1-12 reduce every dim from axis on.
// CHECK-LABEL: func.func @softmax_v1
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "reduction"]
func.func @softmax_v1(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = onnx.SoftmaxV1 %x {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}
