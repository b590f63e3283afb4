// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// CumProd is CumSum's masked reduction with a product seeded by 1;
// exclusive+reverse takes only the positions strictly after i.
// CHECK-LABEL: func.func @cumprod_reverse_exclusive
// CHECK: arith.constant 1.000000e+00 : f32
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.cmpi sgt
// CHECK: arith.mulf
func.func @cumprod_reverse_exclusive(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %axis = onnx.Constant dense<1> : tensor<i64>
  %0 = onnx.CumProd %x, %axis {exclusive = 1 : i64, reverse = 1 : i64} : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// OneHot compares the (wrapped) index with the position along the new axis
// and picks on/off from `values` through constant-index maps.
// CHECK-LABEL: func.func @one_hot_axis0
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}, #{{.*}}]
// CHECK: arith.fptosi
// CHECK: linalg.index 0
// CHECK: arith.select
func.func @one_hot_axis0(%i: tensor<3xf32>, %v: tensor<2xf32>) -> tensor<4x3xf32> {
  %d = onnx.Constant dense<4.0> : tensor<f32>
  %0 = onnx.OneHot %i, %d, %v {axis = 0 : i64} : (tensor<3xf32>, tensor<f32>, tensor<2xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// EyeLike writes ones where column - row == k.
// CHECK-LABEL: func.func @eye_like_k1
// CHECK: linalg.generic
// CHECK: arith.subi
// CHECK: arith.cmpi eq
func.func @eye_like_k1(%x: tensor<3x4xf32>) -> tensor<3x4xi32> {
  %0 = onnx.EyeLike %x {k = 1 : i64} : (tensor<3x4xf32>) -> tensor<3x4xi32>
  return %0 : tensor<3x4xi32>
}
