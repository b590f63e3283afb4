// RUN: not onnxc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(onnx-shape-inference))' 2>&1 | FileCheck %s

// CHECK: condition must be a compile-time constant
func.func @runtime_condition(%x: tensor<4xf32>, %c: tensor<4xi1>) -> tensor<*xf32> {
  %0 = onnx.Compress %x, %c : (tensor<4xf32>, tensor<4xi1>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// CHECK: label 'j' has sizes 4 and 5
func.func @einsum_mismatch(%a: tensor<3x4xf32>, %b: tensor<5x2xf32>) -> tensor<*xf32> {
  %0 = onnx.Einsum %a, %b {equation = "ij,jk->ik"} : (tensor<3x4xf32>, tensor<5x2xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
