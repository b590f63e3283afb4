// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// GridSample: one generic over the output that reads the grid and gathers the
// four bilinear taps of its position.
// CHECK-LABEL: func.func @grid_sample_linear
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK-COUNT-2: tensor.extract %arg1
// CHECK-COUNT-4: tensor.extract %arg0
// CHECK-NOT: tensor.extract
// CHECK: linalg.yield
func.func @grid_sample_linear(%x: tensor<1x2x4x5xf32>, %g: tensor<1x3x6x2xf32>) -> tensor<1x2x3x6xf32> {
  %0 = onnx.GridSample %x, %g {padding_mode = "border"} : (tensor<1x2x4x5xf32>, tensor<1x3x6x2xf32>) -> tensor<1x2x3x6xf32>
  return %0 : tensor<1x2x3x6xf32>
}

// Nearest rounds half to even and reads one tap.
// CHECK-LABEL: func.func @grid_sample_nearest_3d
// CHECK: math.roundeven
// CHECK-COUNT-1: tensor.extract %arg0
// CHECK-NOT: tensor.extract %arg0
func.func @grid_sample_nearest_3d(%x: tensor<1x1x3x2x2xf32>, %g: tensor<1x2x4x2x3xf32>) -> tensor<1x1x2x4x2xf32> {
  %0 = onnx.GridSample %x, %g {mode = "nearest"} : (tensor<1x1x3x2x2xf32>, tensor<1x2x4x2x3xf32>) -> tensor<1x1x2x4x2xf32>
  return %0 : tensor<1x1x2x4x2xf32>
}

// AffineGrid computes the base grid from the loop indices: no table of positions.
// CHECK-LABEL: func.func @affine_grid
// CHECK: linalg.generic
// CHECK: linalg.index 1
// CHECK: linalg.index 2
func.func @affine_grid(%theta: tensor<2x2x3xf32>) -> tensor<2x4x5x2xf32> {
  %size = onnx.Constant dense<[2, 3, 4, 5]> : tensor<4xi64>
  %0 = onnx.AffineGrid %theta, %size : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<2x4x5x2xf32>
  return %0 : tensor<2x4x5x2xf32>
}

// DeformConv reduces over (channel in group, kernel) with W as the only
// mapped input; X, offset and mask are gathered.
// CHECK-LABEL: func.func @deform_conv
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK-SAME: ins(%arg1 : tensor<1x2x2x2xf32>)
func.func @deform_conv(%x: tensor<1x2x3x3xf32>, %w: tensor<1x2x2x2xf32>, %off: tensor<1x16x2x2xf32>, %m: tensor<1x8x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %0 = onnx.DeformConv %x, %w, %off mask %m {offset_group = 2 : i64} : (tensor<1x2x3x3xf32>, tensor<1x2x2x2xf32>, tensor<1x16x2x2xf32>, tensor<1x8x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// RoiAlign reduces over the sampling_ratio x sampling_ratio samples of a bin.
// CHECK-LABEL: func.func @roi_align_max
// CHECK: tensor.empty() : tensor<2x2xf32>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.maximumf
func.func @roi_align_max(%x: tensor<1x1x10x10xf32>, %rois: tensor<3x4xf32>, %bi: tensor<3xi64>) -> tensor<3x1x5x5xf32> {
  %0 = onnx.RoiAlign %x, %rois, %bi {mode = "max", output_height = 5 : i64, output_width = 5 : i64, sampling_ratio = 2 : i64} : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x5x5xf32>
  return %0 : tensor<3x1x5x5xf32>
}
