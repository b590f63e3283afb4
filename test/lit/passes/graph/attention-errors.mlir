// RUN: not onnxc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(onnx-shape-inference))' 2>&1 | FileCheck %s

// Malformed Attention nodes are reported by the shape rule, naming the problem.

// CHECK: 3-D inputs need the q_num_heads and kv_num_heads attributes
func.func @no_heads(%q: tensor<2x3x8xf32>) -> tensor<*xf32> {
  %y, %a, %b, %c = onnx.Attention %q, %q, %q : (tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>)
      -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}

// -----

// CHECK: q_num_heads (3) must be a multiple of kv_num_heads (2)
func.func @bad_gqa(%q: tensor<1x3x2x4xf32>, %k: tensor<1x2x2x4xf32>) -> tensor<*xf32> {
  %y, %a, %b, %c = onnx.Attention %q, %k, %k : (tensor<1x3x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>)
      -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}
