// RUN: not onnxc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(onnx-shape-inference))' 2>&1 | FileCheck %s

// Resize's output shape must be known at compile time.

// CHECK: the scales input must be a compile-time constant
func.func @runtime_scales(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>) -> tensor<*xf32> {
  %0 = onnx.Resize %x scales %s : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// CHECK: exactly one of scales and sizes must be given
func.func @neither(%x: tensor<1x1x2x2xf32>) -> tensor<*xf32> {
  %0 = onnx.Resize %x : (tensor<1x1x2x2xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// CHECK: mode 'linear' needs a floating-point input
func.func @linear_int(%x: tensor<1x1x2x2xi32>) -> tensor<*xi32> {
  %s = onnx.Constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %0 = onnx.Resize %x scales %s {mode = "linear"} : (tensor<1x1x2x2xi32>, tensor<4xf32>) -> tensor<*xi32>
  return %0 : tensor<*xi32>
}
