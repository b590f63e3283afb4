// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference,onnxc-decompose-attention))' | FileCheck %s
// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference))' | FileCheck %s --check-prefix=SHAPES

// GQA with a KV cache and a bool mask: the cache is concatenated, the two KV
// heads repeated to four, the mask turned into a 0/-inf bias plus the causal
// bias (offset by the past length), and fully masked rows zeroed.
// SHAPES-LABEL: func.func @gqa
// SHAPES: onnx.Attention {{.*}} -> (tensor<2x4x3x6xf32>, tensor<2x2x5x8xf32>, tensor<2x2x5x6xf32>, tensor<2x4x3x5xf32>)
// CHECK-LABEL: func.func @gqa
// CHECK-NOT: onnx.Attention
// CHECK: onnx.Concat %arg4, %arg1 {axis = 2 : i64} {{.*}} -> tensor<2x2x5x8xf32>
// CHECK: onnx.Expand {{.*}} -> tensor<2x2x2x5x8xf32>
// CHECK: onnx.MatMul {{.*}} -> tensor<2x4x3x5xf32>
// CHECK: onnx.Where %arg3
// CHECK: onnx.Softmax
// CHECK: onnx.ReduceMax
// CHECK: onnx.IsInf {{.*}}detect_positive = 0
// CHECK: onnx.MatMul {{.*}} -> tensor<2x4x3x6xf32>
func.func @gqa(%q: tensor<2x4x3x8xf32>, %k: tensor<2x2x3x8xf32>, %v: tensor<2x2x3x6xf32>, %m: tensor<3x5xi1>,
               %pk: tensor<2x2x2x8xf32>, %pv: tensor<2x2x2x6xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %y, %pk2, %pv2, %qk = onnx.Attention %q, %k, %v mask %m past_key %pk past_value %pv {is_causal = 1 : i64}
      : (tensor<2x4x3x8xf32>, tensor<2x2x3x8xf32>, tensor<2x2x3x6xf32>, tensor<3x5xi1>, tensor<2x2x2x8xf32>, tensor<2x2x2x6xf32>)
      -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y, %pk2 : tensor<*xf32>, tensor<*xf32>
}

// 3-D inputs are split into heads and Y merged back to [B, S, H * Dv].
// CHECK-LABEL: func.func @three_d
// CHECK: onnx.Transpose {{.*}} -> tensor<2x2x3x4xf32>
// CHECK: onnx.Tanh
// CHECK: onnx.Reshape {{.*}} -> tensor<2x3x10xf32>
func.func @three_d(%q: tensor<2x3x8xf32>, %k: tensor<2x4x8xf32>, %v: tensor<2x4x10xf32>) -> tensor<*xf32> {
  %y, %a, %b, %c = onnx.Attention %q, %k, %v {q_num_heads = 2 : i64, kv_num_heads = 2 : i64, softcap = 2.0 : f32}
      : (tensor<2x3x8xf32>, tensor<2x4x8xf32>, tensor<2x4x10xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}
