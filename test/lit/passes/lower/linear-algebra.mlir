// RUN: onnxc-opt %s --split-input-file --convert-onnx-to-linalg | FileCheck %s

// Det: per matrix, a pivot search, a row swap, and elimination loops, in a
// working copy of all matrices threaded through the batch loop.
// CHECK-LABEL: func.func @det
// CHECK: scf.for {{.*}} iter_args({{.*}}, %{{.*}} = %arg0)
// CHECK: scf.for
// CHECK: math.absf
// CHECK: arith.negf
// CHECK: arith.divf
func.func @det(%x: tensor<2x3x3xf32>) -> tensor<2xf32> {
  %0 = onnx.Det %x : (tensor<2x3x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
