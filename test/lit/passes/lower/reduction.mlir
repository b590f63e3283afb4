// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// keepdims=1 reduces into the kept dims, then a free expand restores rank.
// CHECK-LABEL: func.func @reduce_mean_keepdims
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK: tensor.expand_shape {{.*}} into tensor<2x1x4xf32>
func.func @reduce_mean_keepdims(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %axes = onnx.Constant dense<[1]> : tensor<1xi64>
  %0 = onnx.ReduceMean %x axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// ArgMax carries value and index through one reduction with two outputs.
// CHECK-LABEL: func.func @argmax
// CHECK: linalg.generic {{.*}}outs({{.*}} : tensor<2xf32>, tensor<2xi64>)
// CHECK: linalg.index 1
// CHECK: arith.cmpf ogt
func.func @argmax(%x: tensor<2x5xf32>) -> tensor<2xi64> {
  %0 = onnx.ArgMax %x {axis = 1 : i64, keepdims = 0 : i64} : (tensor<2x5xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// Unsigned data compares unsigned; the signature becomes signless.
// CHECK-LABEL: func.func @reduce_max_unsigned(%arg0: tensor<4xi8>{{.*}}) -> tensor<i8>
// CHECK: arith.maxui
func.func @reduce_max_unsigned(%x: tensor<4xui8>) -> tensor<ui8> {
  %0 = onnx.ReduceMax %x {keepdims = 0 : i64} : (tensor<4xui8>) -> tensor<ui8>
  return %0 : tensor<ui8>
}

// TopK ranks every element against the others along the axis (ties: lower
// index first), then picks the elements of rank 0..k-1 with their indices.
// CHECK-LABEL: func.func @top_k_smallest
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.cmpf olt
// CHECK: arith.addi
// CHECK: linalg.generic {{.*}}outs({{.*}} : tensor<2x3xf32>, tensor<2x3xi64>)
// CHECK: arith.cmpi eq
func.func @top_k_smallest(%x: tensor<2x5xf32>) -> (tensor<2x3xf32>, tensor<2x3xi64>) {
  %k = onnx.Constant dense<[3]> : tensor<1xi64>
  %v, %i = onnx.TopK %x, %k {largest = 0 : i64} : (tensor<2x5xf32>, tensor<1xi64>) -> (tensor<2x3xf32>, tensor<2x3xi64>)
  return %v, %i : tensor<2x3xf32>, tensor<2x3xi64>
}
