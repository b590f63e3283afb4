// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference,onnxc-decompose-linear-attention))' | FileCheck %s

// gated_delta with GQA (4 query heads over 2 KV heads), two steps, f16: the
// state is f32 throughout; each step decays it, applies the delta correction
// and the k v^T update, and is read by the query heads grouped per KV head.
// CHECK-LABEL: func.func @gated_delta_gqa
// CHECK-NOT: onnx.LinearAttention
// CHECK: onnx.Cast %arg0 {{.*}} -> tensor<1x2x8xf32>
// CHECK: onnx.Exp {{.*}} -> tensor<1x2x2x1xf32>
// CHECK: onnx.Expand {{.*}} -> tensor<1x2x2x3xf32>
// CHECK: onnx.Mul {{.*}} -> tensor<1x2x2x3xf32>
// CHECK: onnx.MatMul {{.*}} -> tensor<1x2x1x3xf32>
// CHECK: onnx.Sub
// CHECK: onnx.Add {{.*}} -> tensor<1x2x2x3xf32>
// CHECK: onnx.MatMul {{.*}} : (tensor<1x2x2x2xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
// CHECK: onnx.Concat {{.*}} -> tensor<1x4x2x3xf32>
// CHECK: onnx.Cast {{.*}} -> tensor<1x2x12xf16>
// CHECK: onnx.Cast {{.*}} -> tensor<1x2x2x3xf16>
func.func @gated_delta_gqa(%q: tensor<1x2x8xf16>, %k: tensor<1x2x4xf16>, %v: tensor<1x2x6xf16>,
                           %d: tensor<1x2x2xf16>, %b: tensor<1x2x2xf16>) -> (tensor<*xf16>, tensor<*xf16>) {
  %y, %s = onnx.LinearAttention %q, %k, %v decay %d beta %b {q_num_heads = 4 : i64, kv_num_heads = 2 : i64}
      : (tensor<1x2x8xf16>, tensor<1x2x4xf16>, tensor<1x2x6xf16>, tensor<1x2x2xf16>, tensor<1x2x2xf16>)
      -> (tensor<*xf16>, tensor<*xf16>)
  return %y, %s : tensor<*xf16>, tensor<*xf16>
}

// The linear rule with a past state: no decay, no correction, the explicit scale.
// CHECK-LABEL: func.func @linear_past
// CHECK-NOT: onnx.Exp
// CHECK-NOT: onnx.Sub
// CHECK: onnx.Add %arg3
// CHECK: onnx.Mul {{.*}} -> tensor<1x1x1x2xf32>
func.func @linear_past(%q: tensor<1x1x2xf32>, %k: tensor<1x1x2xf32>, %v: tensor<1x1x2xf32>,
                       %p: tensor<1x1x2x2xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %y, %s = onnx.LinearAttention %q, %k, %v past %p {q_num_heads = 1 : i64, kv_num_heads = 1 : i64, scale = 0.5 : f32, update_rule = "linear"}
      : (tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<1x1x2x2xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %y, %s : tensor<*xf32>, tensor<*xf32>
}
