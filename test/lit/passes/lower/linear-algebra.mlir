// RUN: onnxc-opt %s --split-input-file --convert-onnx-to-linalg | FileCheck %s

// Det: per matrix, a pivot search, a row swap, and elimination loops.
// CHECK-LABEL: func.func @det
// CHECK: scf.for
// CHECK: tensor.extract_slice
// CHECK: scf.for
// CHECK: math.absf
// CHECK: arith.negf
// CHECK: arith.divf
func.func @det(%x: tensor<2x3x3xf32>) -> tensor<2xf32> {
  %0 = onnx.Det %x : (tensor<2x3x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
