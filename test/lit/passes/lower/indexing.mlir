// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// CHECK-DAG: #[[TILE:.*]] = affine_map<(d0, d1) -> (d0, d1 mod 3)>

// Gather reads data through a clamped, sign-normalised index.
// CHECK-LABEL: func.func @gather
// CHECK: linalg.generic
// CHECK: arith.index_cast
// CHECK: arith.select
// CHECK: arith.minsi
// CHECK: tensor.extract %arg0
func.func @gather(%data: tensor<5x3xf32>, %idx: tensor<2xi64>) -> tensor<2x3xf32> {
  %0 = onnx.Gather %data, %idx {axis = 0 : i64} : (tensor<5x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// A positive-step Slice is a strided view.
// CHECK-LABEL: func.func @slice
// CHECK: tensor.extract_slice %arg0[1, 0] [2, 2] [2, 2]
func.func @slice(%x: tensor<5x4xf32>) -> tensor<2x2xf32> {
  %s = onnx.Constant dense<[1, 0]> : tensor<2xi64>
  %e = onnx.Constant dense<[5, 4]> : tensor<2xi64>
  %st = onnx.Constant dense<[2, 2]> : tensor<2xi64>
  %0 = onnx.Slice %x, %s, %e steps %st : (tensor<5x4xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// Tile repeats through modulo indexing, without copies of the input.
// CHECK-LABEL: func.func @tile
// CHECK: linalg.generic {indexing_maps = [#[[TILE]],
func.func @tile(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  %r = onnx.Constant dense<[1, 2]> : tensor<2xi64>
  %0 = onnx.Tile %x, %r : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// Reflect padding computes a mirrored source index per element.
// CHECK-LABEL: func.func @pad_reflect
// CHECK: arith.remsi
// CHECK: tensor.extract %arg0
func.func @pad_reflect(%x: tensor<4xf32>) -> tensor<8xf32> {
  %p = onnx.Constant dense<[2, 2]> : tensor<2xi64>
  %0 = onnx.Pad %x, %p {mode = "reflect"} : (tensor<4xf32>, tensor<2xi64>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// An empty Split part at the end of the axis is a fresh empty tensor, not a
// slice whose offset equals the dim size.
// CHECK-LABEL: func.func @split_empty_tail
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [2, 8] [1, 1]
// CHECK: tensor.empty() : tensor<2x0xf32>
func.func @split_empty_tail(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x0xf32>) {
  %s = onnx.Constant dense<[8, 0]> : tensor<2xi64>
  %a, %b = onnx.Split %x split %s {axis = 1 : i64} : (tensor<2x8xf32>, tensor<2xi64>) -> (tensor<2x8xf32>, tensor<2x0xf32>)
  return %a, %b : tensor<2x8xf32>, tensor<2x0xf32>
}
