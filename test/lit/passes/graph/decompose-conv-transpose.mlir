// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference,onnxc-decompose-conv-transpose))' | FileCheck %s

// Stride 2, 3x3 kernel, pads 1: one stride-1 Conv with 2x2 phases of 2 filters
// (2x2 sub-kernels, padded by 1), the phases interleaved, the pads cropped.
// (The values are checked end to end: test/e2e/cases_image.py.)
// CHECK-LABEL: func.func @stride2
// CHECK-NOT: onnx.ConvTranspose
// CHECK: %[[Z:.*]] = onnx.Conv %arg0, %{{.*}}, %{{.*}} {{.*}}kernel_shape = [2, 2], pads = [1, 1, 1, 1]{{.*}} -> tensor<1x8x4x4xf32>
// CHECK: onnx.Reshape %[[Z]], {{.*}} -> tensor<1x2x2x2x4x4xf32>
// CHECK: onnx.Transpose {{.*}}perm = [0, 3, 4, 1, 5, 2]{{.*}} -> tensor<1x2x4x2x4x2xf32>
// CHECK: onnx.Reshape {{.*}} -> tensor<1x2x8x8xf32>
// CHECK: onnx.Slice {{.*}} -> tensor<1x2x5x5xf32>
func.func @stride2(%x: tensor<1x1x3x3xf32>) -> tensor<*xf32> {
  %w = onnx.Constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]]]> : tensor<1x2x3x3xf32>
  %b = onnx.Constant dense<[0.5, -0.5]> : tensor<2xf32>
  %0 = onnx.ConvTranspose %x, %w, %b {strides = [2, 2], pads = [1, 1, 1, 1]} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, tensor<2xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// Run-time weights and groups keep the lowering's path.
// CHECK-LABEL: func.func @kept
// CHECK: onnx.ConvTranspose %arg0, %arg1
// CHECK: onnx.ConvTranspose {{.*}}group = 2
func.func @kept(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x3x3xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.ConvTranspose %x, %w {strides = [2, 2]} : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<*xf32>
  %c = onnx.Constant dense<1.0> : tensor<2x1x3x3xf32>
  %1 = onnx.ConvTranspose %x, %c {group = 2 : i64, strides = [2, 2]} : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}
