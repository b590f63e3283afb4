// RUN: not onnxc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(onnx-shape-inference,onnxc-decompose-flex-attention))' 2>&1 | FileCheck %s

// A modifier must keep the scores' shape.
// CHECK: score_mod must yield a float tensor of its input's shape 'tensor<1x1x2x2xf32>', got 'tensor<4xf32>'
func.func @shape_changed(%q: tensor<1x1x2x4xf32>, %k: tensor<1x1x2x4xf32>, %v: tensor<1x1x2x4xf32>) -> tensor<*xf32> {
  %y = onnx.FlexAttention %q, %k, %v : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<*xf32>
  score_mod {
  ^bb0(%s: tensor<*xf32>):
    %flat = onnx.Constant dense<[4]> : tensor<1xi64>
    %r = onnx.Reshape %s, %flat : (tensor<*xf32>, tensor<1xi64>) -> tensor<*xf32>
    onnx.Yield %r : tensor<*xf32>
  }
  return %y : tensor<*xf32>
}

// -----

// An invalid op in a modifier is reported by its own shape rule.
// CHECK: error: cannot reshape 'tensor<1x1x2x2xf32>' (4 elements) into 5 elements
func.func @bad_op(%q: tensor<1x1x2x4xf32>, %k: tensor<1x1x2x4xf32>, %v: tensor<1x1x2x4xf32>) -> tensor<*xf32> {
  %y = onnx.FlexAttention %q, %k, %v : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<*xf32>
  prob_mod {
  ^bb0(%p: tensor<*xf32>):
    %five = onnx.Constant dense<[5]> : tensor<1xi64>
    %r = onnx.Reshape %p, %five : (tensor<*xf32>, tensor<1xi64>) -> tensor<*xf32>
    onnx.Yield %r : tensor<*xf32>
  }
  return %y : tensor<*xf32>
}
