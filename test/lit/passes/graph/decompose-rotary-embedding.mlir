// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference,onnxc-decompose-rotary-embedding))' | FileCheck %s

// 4-D, interleaved, rotating 4 of 6 features: the caches are gathered by
// position, the even/odd features rotated, re-interleaved, and the tail kept.
// CHECK-LABEL: func.func @interleaved_partial
// CHECK-NOT: onnx.RotaryEmbedding
// CHECK: onnx.Transpose %arg0 {{.*}} -> tensor<1x3x2x6xf32>
// CHECK: onnx.Gather %arg1, %arg3 {{.*}} -> tensor<1x3x2xf32>
// CHECK: onnx.Gather {{.*}} -> tensor<1x3x2x2xf32>
// CHECK: onnx.Sub
// CHECK: onnx.Concat {{.*}}axis = 4 : i64{{.*}} -> tensor<1x3x2x2x2xf32>
// CHECK: onnx.Concat {{.*}}axis = 3 : i64{{.*}} -> tensor<1x3x2x6xf32>
// CHECK: onnx.Transpose {{.*}} -> tensor<1x2x3x6xf32>
func.func @interleaved_partial(%x: tensor<1x2x3x6xf32>, %c: tensor<8x2xf32>, %s: tensor<8x2xf32>, %p: tensor<1x3xi64>)
    -> tensor<*xf32> {
  %y = onnx.RotaryEmbedding %x, %c, %s positions %p {interleaved = 1 : i64, rotary_embedding_dim = 4 : i64}
      : (tensor<1x2x3x6xf32>, tensor<8x2xf32>, tensor<8x2xf32>, tensor<1x3xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// 3-D with num_heads and per-batch caches: halves, reshaped back to [B, S, H * D].
// CHECK-LABEL: func.func @three_d
// CHECK: onnx.Reshape %arg0, {{.*}} -> tensor<1x3x2x4xf32>
// CHECK: onnx.Concat {{.*}}axis = 3 : i64{{.*}} -> tensor<1x3x2x4xf32>
// CHECK: onnx.Reshape {{.*}} -> tensor<1x3x8xf32>
func.func @three_d(%x: tensor<1x3x8xf32>, %c: tensor<1x3x2xf32>, %s: tensor<1x3x2xf32>) -> tensor<*xf32> {
  %y = onnx.RotaryEmbedding %x, %c, %s {num_heads = 2 : i64}
      : (tensor<1x3x8xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}
