// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// MaxPool pads with -inf and reduces the window with maximumf.
// CHECK-LABEL: func.func @maxpool
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.maximumf
func.func @maxpool(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %0 = onnx.MaxPool %x {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// count_include_pad=0 divides border windows by their in-bounds count: the
// reciprocals are a compile-time constant over output positions.
// CHECK-LABEL: func.func @avgpool_exclude_pad
// CHECK: arith.constant dense<{{\[\[}}2.500000e-01, 0.166666672, 2.500000e-01], [0.166666672, 0.111111112, 0.166666672], [2.500000e-01, 0.166666672, 2.500000e-01]]> : tensor<3x3xf32>
func.func @avgpool_exclude_pad(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %0 = onnx.AveragePool %x {kernel_shape = [3, 3], pads = [1, 1, 1, 1]} : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// With count_include_pad=1 every window counts 9: a scalar, not a table.
// CHECK-LABEL: func.func @avgpool_include_pad
// CHECK: arith.constant dense<0.111111112> : tensor<f32>
func.func @avgpool_include_pad(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %0 = onnx.AveragePool %x {count_include_pad = 1 : i64, kernel_shape = [3, 3], pads = [1, 1, 1, 1]} : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// CHECK-LABEL: func.func @global_average
// CHECK: arith.constant 6.250000e-02 : f32
// CHECK: tensor.expand_shape {{.*}} into tensor<1x3x1x1xf32>
func.func @global_average(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32> {
  %0 = onnx.GlobalAveragePool %x : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>
  return %0 : tensor<1x3x1x1xf32>
}

// CHECK-LABEL: func.func @global_max
// CHECK: arith.maximumf
// CHECK: tensor.expand_shape {{.*}} into tensor<1x3x1x1xf32>
func.func @global_max(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32> {
  %0 = onnx.GlobalMaxPool %x : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>
  return %0 : tensor<1x3x1x1xf32>
}

// Max and its index come out of one generic with two results; storage_order=1
// re-linearises the indices column-major in a second generic.
// CHECK-LABEL: func.func @maxpool_indices
// CHECK: %[[POOL:.*]]:2 = linalg.generic
// CHECK-SAME: outs({{.*}}tensor<1x1x2x2xf32>, {{.*}}tensor<1x1x2x2xi64>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[POOL]]#1
func.func @maxpool_indices(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
  %0:2 = onnx.MaxPoolWithIndices %x {kernel_shape = [2, 2], storage_order = 1 : i64, strides = [2, 2]} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  return %0#0, %0#1 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
}

// LpPool sums |x|^p over MaxPool's zero-padded window walk; p = 2 squares and
// takes one sqrt per output.
// CHECK-LABEL: func.func @lppool_p2
// CHECK: tensor.pad
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: math.sqrt
func.func @lppool_p2(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %0 = onnx.LpPool %x {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}
