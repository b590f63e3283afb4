// RUN: not onnxc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(onnx-shape-inference))' 2>&1 | FileCheck %s

// Malformed loss nodes are reported by the shape rule, naming the problem.

// CHECK: the target must be the input's shape without dim 1
func.func @bad_target(%x: tensor<2x5xf32>, %t: tensor<5xi64>) -> tensor<*xf32> {
  %l = onnx.NegativeLogLikelihoodLoss %x, %t : (tensor<2x5xf32>, tensor<5xi64>) -> tensor<*xf32>
  return %l : tensor<*xf32>
}

// -----

// CHECK: the weight must be [C] of the input's element type
func.func @bad_weight(%x: tensor<2x5xf32>, %t: tensor<2xi64>, %w: tensor<4xf32>) -> tensor<*xf32> {
  %l, %lp = onnx.SoftmaxCrossEntropyLoss %x, %t weights %w
      : (tensor<2x5xf32>, tensor<2xi64>, tensor<4xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %l : tensor<*xf32>
}
