// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// Grouped, strided, dilated, padded conv: one generic over (n, g, f, oh, ow, c, kh, kw).
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6 * 2, d4 * 2 + d7 * 2)>
// CHECK-LABEL: func.func @conv_grouped
// CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.expand_shape {{.*}} into tensor<1x2x2x10x10xf32>
// CHECK: linalg.generic {indexing_maps = [#[[X]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x6x3x3xf32>
func.func @conv_grouped(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x3x3xf32> {
  %0 = onnx.Conv %x, %w, %b {auto_pad = "NOTSET", group = 2 : i64, dilations = [2, 2], kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x3x3xf32>
  return %0 : tensor<1x6x3x3xf32>
}

// Integer convolutions (ConvInteger, QLinearConv) accumulate with integer ops.
// CHECK-LABEL: func.func @conv_i32
// CHECK: arith.muli
// CHECK: arith.addi
func.func @conv_i32(%x: tensor<1x1x4x4xi32>, %w: tensor<2x1x3x3xi32>) -> tensor<1x2x2x2xi32> {
  %0 = onnx.Conv %x, %w {kernel_shape = [3, 3]} : (tensor<1x1x4x4xi32>, tensor<2x1x3x3xi32>) -> tensor<1x2x2x2xi32>
  return %0 : tensor<1x2x2x2xi32>
}

// ConvTranspose: X spread by the stride into zeros, then a stride-1 generic whose
// weight map flips the kernel and swaps W's channel dims.
// CHECK-LABEL: func.func @conv_transpose
// CHECK: tensor.insert_slice {{.*}}[0, 0, 1, 1] [1, 2, 3, 3] [1, 1, 2, 2]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x3x5x5xf32>
func.func @conv_transpose(%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x3x5x5xf32> {
  %0 = onnx.ConvTranspose %x, %w {pads = [1, 1, 1, 1], strides = [2, 2], dilations = [1, 1], group = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x5x5xf32>
  return %0 : tensor<1x3x5x5xf32>
}

// f16 convolutions sum in f32 (the bias widened into the accumulator) and
// round once, as MatMul does.
// CHECK-LABEL: func.func @conv_f16
// CHECK: arith.extf {{.*}} : f16 to f32
// CHECK: linalg.generic
// CHECK: arith.extf
// CHECK: arith.extf
// CHECK: arith.mulf {{.*}} : f32
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x2x1x4xf32>
// CHECK: arith.truncf {{.*}} : f32 to f16
func.func @conv_f16(%x: tensor<1x2x6xf16>, %w: tensor<2x1x3xf16>, %b: tensor<2xf16>) -> tensor<1x2x4xf16> {
  %0 = onnx.Conv %x, %w, %b {group = 2 : i64} : (tensor<1x2x6xf16>, tensor<2x1x3xf16>, tensor<2xf16>) -> tensor<1x2x4xf16>
  return %0 : tensor<1x2x4xf16>
}

// A 1-D convolution is the 2-D one of height 1, on expand_shape views, so the
// microkernel pass takes it like any 2-D convolution.
// CHECK-LABEL: func.func @conv_1d
// CHECK-DAG: tensor.expand_shape %arg0 {{\[\[}}0], [1], [2, 3]] output_shape [1, 4, 1, 16]
// CHECK-DAG: tensor.expand_shape %arg1 {{\[\[}}0], [1], [2, 3]] output_shape [6, 4, 1, 3]
// CHECK: tensor.pad {{.*}} low[0, 0, 0, 2] high[0, 0, 0, 1]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x6x1x9xf32>
// CHECK: tensor.collapse_shape {{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<1x6x1x9xf32> into tensor<1x6x9xf32>
func.func @conv_1d(%x: tensor<1x4x16xf32>, %w: tensor<6x4x3xf32>) -> tensor<1x6x9xf32> {
  %0 = onnx.Conv %x, %w {kernel_shape = [3], pads = [2, 1], strides = [2], dilations = [1], group = 1 : i64} : (tensor<1x4x16xf32>, tensor<6x4x3xf32>) -> tensor<1x6x9xf32>
  return %0 : tensor<1x6x9xf32>
}
