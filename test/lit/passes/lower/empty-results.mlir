// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// An op whose result has no element lowers to tensor.empty, whatever it is.
// CHECK-LABEL: func.func @relu_empty
// CHECK-NEXT: %[[E:.*]] = tensor.empty() : tensor<0x4xf32>
// CHECK-NEXT: return %[[E]]
func.func @relu_empty(%x: tensor<0x4xf32>) -> tensor<0x4xf32> {
  %0 = onnx.Relu %x : (tensor<0x4xf32>) -> tensor<0x4xf32>
  return %0 : tensor<0x4xf32>
}

// Reducing over an empty set still writes the identity: 0 for a sum.
// CHECK-LABEL: func.func @reduce_sum_empty_set
// CHECK: arith.constant 0.000000e+00 : f32
// CHECK: linalg.fill
// CHECK-SAME: tensor<2x4xf32>
func.func @reduce_sum_empty_set(%x: tensor<2x0x4xf32>) -> tensor<2x1x4xf32> {
  %axes = onnx.Constant dense<[1]> : tensor<1xi64>
  %0 = onnx.ReduceSum %x axes %axes : (tensor<2x0x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}
