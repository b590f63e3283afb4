// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// CenterCropPad: one gather generic; padded axes select 0 outside the input.
// CHECK-LABEL: func.func @center_crop_pad
// CHECK: linalg.generic
// CHECK: tensor.extract
// CHECK: arith.select
func.func @center_crop_pad(%x: tensor<20x8x3xf32>) -> tensor<10x10x3xf32> {
  %s = onnx.Constant dense<[10, 10]> : tensor<2xi64>
  %0 = onnx.CenterCropPad %x, %s {axes = [0, 1]} : (tensor<20x8x3xf32>, tensor<2xi64>) -> tensor<10x10x3xf32>
  return %0 : tensor<10x10x3xf32>
}

// Col2Im: a reduction over the block positions gathering the matching column.
// CHECK-LABEL: func.func @col2im
// CHECK: tensor.empty() : tensor<2x2xf32>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.remsi
func.func @col2im(%x: tensor<1x4x9xf32>) -> tensor<1x1x5x5xf32> {
  %img = onnx.Constant dense<[5, 5]> : tensor<2xi64>
  %blk = onnx.Constant dense<[2, 2]> : tensor<2xi64>
  %0 = onnx.Col2Im %x, %img, %blk {strides = [2, 2]} : (tensor<1x4x9xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// MaxUnpool scatters into the unpooled shape with a loop nest, then pads to output_shape.
// CHECK-LABEL: func.func @max_unpool
// CHECK: scf.for
// CHECK: tensor.insert
// CHECK: tensor.pad
func.func @max_unpool(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>) -> tensor<1x1x5x5xf32> {
  %s = onnx.Constant dense<[1, 1, 5, 5]> : tensor<4xi64>
  %0 = onnx.MaxUnpool %x, %i, %s {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, tensor<4xi64>) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}
