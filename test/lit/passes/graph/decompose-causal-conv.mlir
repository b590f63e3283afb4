// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference,onnxc-decompose-causal-conv))' | FileCheck %s

// The past state is prepended, a depthwise Conv (group = channels) applied,
// SiLU taken in f32 for f16, and the last k - 1 padded positions kept.
// CHECK-LABEL: func.func @silu_past
// CHECK-NOT: onnx.CausalConvWithState
// CHECK: %[[P:.*]] = onnx.Concat %arg3, %arg0 {axis = 2 : i64} {{.*}} -> tensor<2x3x8xf16>
// CHECK: onnx.Gather %[[P]]{{.*}} -> tensor<2x3x3xf16>
// CHECK: onnx.Conv %[[P]], %arg1, %arg2 {{.*}}group = 3 : i64{{.*}} -> tensor<2x3x5xf16>
// CHECK: onnx.Cast {{.*}} -> tensor<2x3x5xf32>
// CHECK: onnx.Sigmoid
// CHECK: onnx.Cast {{.*}} -> tensor<2x3x5xf16>
func.func @silu_past(%x: tensor<2x3x5xf16>, %w: tensor<3x1x4xf16>, %b: tensor<3xf16>, %p: tensor<2x3x3xf16>)
    -> (tensor<*xf16>, tensor<*xf16>) {
  %y, %s = onnx.CausalConvWithState %x, %w bias %b past %p {activation = "silu"}
      : (tensor<2x3x5xf16>, tensor<3x1x4xf16>, tensor<3xf16>, tensor<2x3x3xf16>) -> (tensor<*xf16>, tensor<*xf16>)
  return %y, %s : tensor<*xf16>, tensor<*xf16>
}

// Without a state, zeros are prepended; kernel size 1 keeps an empty state.
// CHECK-LABEL: func.func @no_state
// CHECK: onnx.Expand {{.*}} -> tensor<1x2x1xf32>
// CHECK-LABEL: func.func @kernel_one
// CHECK: onnx.Constant {{.*}} tensor<1x2x0xf32>
// CHECK: onnx.Conv %arg0, %arg1
func.func @no_state(%x: tensor<1x2x4xf32>, %w: tensor<2x1x2xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %y, %s = onnx.CausalConvWithState %x, %w : (tensor<1x2x4xf32>, tensor<2x1x2xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %y, %s : tensor<*xf32>, tensor<*xf32>
}
func.func @kernel_one(%x: tensor<1x2x4xf32>, %w: tensor<2x1x1xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %y, %s = onnx.CausalConvWithState %x, %w : (tensor<1x2x4xf32>, tensor<2x1x1xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %y, %s : tensor<*xf32>, tensor<*xf32>
}
