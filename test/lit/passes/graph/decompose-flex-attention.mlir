// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference,onnxc-decompose-flex-attention))' | FileCheck %s

// f16 GQA: the two KV heads are repeated to four, Q and K scaled in f16, and
// the softmax and P x V computed in f32 before rounding back.
// CHECK-LABEL: func.func @gqa_f16
// CHECK-NOT: onnx.FlexAttention
// CHECK: onnx.Expand {{.*}} -> tensor<1x2x2x5x8xf16>
// CHECK: onnx.MatMul {{.*}} -> tensor<1x4x3x5xf16>
// CHECK: onnx.Cast {{.*}} -> tensor<1x4x3x5xf32>
// CHECK: onnx.Softmax {{.*}} -> tensor<1x4x3x5xf32>
// CHECK: onnx.MatMul {{.*}} -> tensor<1x4x3x6xf32>
// CHECK: onnx.Cast {{.*}} -> tensor<1x4x3x6xf16>
func.func @gqa_f16(%q: tensor<1x4x3x8xf16>, %k: tensor<1x2x5x8xf16>, %v: tensor<1x2x5x6xf16>) -> tensor<*xf16> {
  %y = onnx.FlexAttention %q, %k, %v : (tensor<1x4x3x8xf16>, tensor<1x2x5x8xf16>, tensor<1x2x5x6xf16>) -> tensor<*xf16>
  return %y : tensor<*xf16>
}
