// RUN: onnxc-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(func.func(onnx-shape-inference))' | FileCheck %s

// Broadcasting, Gemm with transB, and the signature follows the results.
// CHECK-LABEL: func.func @gemm_add
// CHECK-SAME: -> tensor<2x5xf32>
// CHECK: onnx.Gemm {{.*}} -> tensor<2x5xf32>
// CHECK: onnx.Add {{.*}} -> tensor<2x5xf32>
func.func @gemm_add(%x: tensor<2x3xf32>, %w: tensor<5x3xf32>, %b: tensor<1x5xf32>) -> tensor<*xf32> {
  %0 = onnx.Gemm %x, %w {transB = 1 : i64} : (tensor<2x3xf32>, tensor<5x3xf32>) -> tensor<*xf32>
  %1 = onnx.Add %0, %b : (tensor<*xf32>, tensor<1x5xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}

// -----

// auto_pad SAME_UPPER is resolved into explicit pads.
// CHECK-LABEL: func.func @conv_same
// CHECK-NOT: auto_pad
// CHECK: onnx.Conv {{.*}}pads = [0, 0, 1, 1]{{.*}} -> tensor<1x8x4x4xf32>
func.func @conv_same(%x: tensor<1x4x8x8xf32>, %w: tensor<8x2x3x3xf32>) -> tensor<*xf32> {
  %0 = onnx.Conv %x, %w {auto_pad = "SAME_UPPER", group = 2 : i64, strides = [2, 2]} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// ceil_mode rounds the output size up: a partial last window.
// CHECK-LABEL: func.func @maxpool_ceil
// CHECK: onnx.MaxPool {{.*}} -> tensor<1x1x3x3xf32>
func.func @maxpool_ceil(%x: tensor<1x1x5x5xf32>) -> tensor<*xf32> {
  %0 = onnx.MaxPool %x {ceil_mode = 1 : i64, kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x1x5x5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Reshape reads its constant shape: 0 copies, -1 infers.
// CHECK-LABEL: func.func @reshape
// CHECK: onnx.Reshape {{.*}} -> tensor<2x12xf32>
func.func @reshape(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  %s = onnx.Constant dense<[0, -1]> : tensor<2xi64>
  %0 = onnx.Reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Batched MatMul broadcasts batch dims; a 1-D rhs drops the n dim.
// CHECK-LABEL: func.func @matmul
// CHECK: onnx.MatMul {{.*}} -> tensor<4x2x3x5xf32>
// CHECK: onnx.MatMul {{.*}} -> tensor<2x3xf32>
func.func @matmul(%a: tensor<2x3x4xf32>, %b: tensor<4x1x4x5xf32>, %v: tensor<4xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.MatMul %a, %b : (tensor<2x3x4xf32>, tensor<4x1x4x5xf32>) -> tensor<*xf32>
  %1 = onnx.MatMul %a, %v : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @bad_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{do not broadcast}}
  %0 = onnx.Add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @bad_group(%x: tensor<1x16x8x8xf32>, %w: tensor<4x5x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{group=3 does not divide 16 input channels}}
  %0 = onnx.Conv %x, %w {group = 3 : i64} : (tensor<1x16x8x8xf32>, tensor<4x5x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// ConvTranspose's output_shape sets the pads as ONNX (and onnxruntime) do: of a
// total of 1, the start gets the larger half unless auto_pad is SAME_UPPER.
// CHECK-LABEL: func.func @conv_transpose_output_shape
// CHECK: onnx.ConvTranspose {{.*}}pads = [1, 1, 0, 0]{{.*}} -> tensor<1x3x9x9xf32>
// CHECK: onnx.ConvTranspose {{.*}}pads = [0, 0, 1, 1]{{.*}} -> tensor<1x3x9x9xf32>
func.func @conv_transpose_output_shape(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x4x4xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.ConvTranspose %x, %w {strides = [2, 2], output_shape = [9, 9]} : (tensor<1x2x4x4xf32>, tensor<2x3x4x4xf32>) -> tensor<*xf32>
  %1 = onnx.ConvTranspose %x, %w {strides = [2, 2], output_shape = [9, 9], auto_pad = "SAME_UPPER"} : (tensor<1x2x4x4xf32>, tensor<2x3x4x4xf32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}
