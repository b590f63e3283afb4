// RUN: not onnxc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(onnx-shape-inference,onnxc-decompose-recurrent))' 2>&1 | FileCheck %s

// Malformed recurrent nodes are reported by name, never asserted on.

// CHECK: R must have shape [1, 9, 3]
func.func @bad_r(%x: tensor<2x1x3xf32>, %w: tensor<1x9x3xf32>, %r: tensor<1x9x4xf32>) -> tensor<*xf32> {
  %y, %h = onnx.GRU %x, %w, %r {hidden_size = 3 : i64}
      : (tensor<2x1x3xf32>, tensor<1x9x3xf32>, tensor<1x9x4xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %h : tensor<*xf32>
}

// -----

// CHECK: sequence_lens must be a compile-time constant
func.func @runtime_lens(%x: tensor<2x1x3xf32>, %w: tensor<1x4x3xf32>, %r: tensor<1x4x4xf32>, %l: tensor<1xi32>)
    -> tensor<*xf32> {
  %y, %h = onnx.RNN %x, %w, %r seq_lens %l : (tensor<2x1x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>, tensor<1xi32>)
      -> (tensor<*xf32>, tensor<*xf32>)
  return %h : tensor<*xf32>
}
