// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// ScatterElements threads the output through a loop nest over the updates:
// each step reads an index (wrapping negatives), combines and inserts.
// CHECK-LABEL: func.func @scatter_elements_add
// CHECK: scf.for
// CHECK: scf.for {{.*}} iter_args
// CHECK: tensor.extract %arg1
// CHECK: arith.select
// CHECK: arith.addf
// CHECK: tensor.insert
func.func @scatter_elements_add(%x: tensor<3x3xf32>, %i: tensor<2x3xi64>, %u: tensor<2x3xf32>) -> tensor<3x3xf32> {
  %0 = onnx.ScatterElements %x, %i, %u {axis = 0 : i64, reduction = "add"} : (tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}
