// RUN: not onnxc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(onnx-shape-inference))' 2>&1 | FileCheck %s

// Malformed LinearAttention, CausalConvWithState, RotaryEmbedding and
// FlexAttention nodes are reported by their shape rules, naming the problem.

// CHECK: update_rule 'gated_delta' requires decay
func.func @no_decay(%q: tensor<1x2x8xf32>) -> tensor<*xf32> {
  %y, %s = onnx.LinearAttention %q, %q, %q {q_num_heads = 2 : i64, kv_num_heads = 2 : i64}
      : (tensor<1x2x8xf32>, tensor<1x2x8xf32>, tensor<1x2x8xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}

// -----

// CHECK: q_num_heads (3) must be a positive multiple of kv_num_heads (2)
func.func @bad_heads(%q: tensor<1x2x12xf32>) -> tensor<*xf32> {
  %y, %s = onnx.LinearAttention %q, %q, %q {q_num_heads = 3 : i64, kv_num_heads = 2 : i64, update_rule = "linear"}
      : (tensor<1x2x12xf32>, tensor<1x2x12xf32>, tensor<1x2x12xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}

// -----

// CHECK: past_state must be [1, 2, 2] of input's element type
func.func @bad_state(%x: tensor<1x2x4xf32>, %w: tensor<2x1x3xf32>, %p: tensor<1x2x3xf32>) -> tensor<*xf32> {
  %y, %s = onnx.CausalConvWithState %x, %w past %p
      : (tensor<1x2x4xf32>, tensor<2x1x3xf32>, tensor<1x2x3xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}

// -----

// CHECK: the caches' last dim must be rotary_embedding_dim / 2 = 3
func.func @bad_cache(%x: tensor<1x2x3x6xf32>, %c: tensor<1x3x2xf32>) -> tensor<*xf32> {
  %y = onnx.RotaryEmbedding %x, %c, %c : (tensor<1x2x3x6xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// CHECK: Q's heads (3) must be a multiple of K's (2)
func.func @bad_groups(%q: tensor<1x3x2x4xf32>, %k: tensor<1x2x2x4xf32>) -> tensor<*xf32> {
  %y = onnx.FlexAttention %q, %k, %k : (tensor<1x3x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}
