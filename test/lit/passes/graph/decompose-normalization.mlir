// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference,onnxc-decompose-normalization))' | FileCheck %s

// LRN's channel window sum is an AveragePool over C seen as a spatial dim,
// padded floor((size-1)/2) before and the rest after.
// CHECK-LABEL: func.func @lrn
// CHECK-NOT: onnx.LRN
// CHECK: onnx.Reshape {{.*}} -> tensor<1x1x5x2x2xf32>
// CHECK: onnx.AveragePool {{.*}}count_include_pad = 1 : i64{{.*}}kernel_shape = [4, 1, 1]{{.*}}pads = [1, 0, 0, 2, 0, 0]
// CHECK: onnx.Pow
// CHECK: onnx.Div
func.func @lrn(%x: tensor<1x5x2x2xf32>) -> tensor<*xf32> {
  %y = onnx.LRN %x {size = 4 : i64} : (tensor<1x5x2x2xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// CHECK-LABEL: func.func @l1
// CHECK: onnx.ReduceL1 {{.*}} -> tensor<3x1xf32>
// CHECK: onnx.Equal
// CHECK: onnx.Where
func.func @l1(%x: tensor<3x4xf32>) -> tensor<*xf32> {
  %y = onnx.LpNormalization %x {p = 1 : i64} : (tensor<3x4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// CHECK-LABEL: func.func @mvn
// CHECK-COUNT-2: onnx.ReduceMean {{.*}} -> tensor<1x3x1x1xf32>
// CHECK: onnx.Sqrt
func.func @mvn(%x: tensor<2x3x4x4xf32>) -> tensor<*xf32> {
  %y = onnx.MeanVarianceNormalization %x : (tensor<2x3x4x4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// Statistics over [N, G, C/G * spatial]; per-channel scale on the original shape.
// CHECK-LABEL: func.func @group_norm
// CHECK: onnx.Reshape {{.*}} -> tensor<2x2x6xf32>
// CHECK: onnx.ReduceMean {{.*}} -> tensor<2x2x1xf32>
// CHECK: onnx.Reshape {{.*}} -> tensor<4x1xf32>
func.func @group_norm(%x: tensor<2x4x3xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<*xf32> {
  %y = onnx.GroupNormalization %x, %s, %b {num_groups = 2 : i64} : (tensor<2x4x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}
