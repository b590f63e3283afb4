// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// Nearest: one gather generic per resampled axis, reading an index table.
// CHECK-LABEL: func.func @resize_nearest
// CHECK: arith.constant dense<[0, 0, 1, 1]> : tensor<4xi64>
// CHECK: linalg.generic
// CHECK: tensor.extract %arg0
// CHECK: linalg.generic
// CHECK-NOT: linalg.generic
func.func @resize_nearest(%x: tensor<1x1x2x3xf32>) -> tensor<1x1x4x6xf32> {
  %s = onnx.Constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %0 = onnx.Resize %x scales %s {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor"} : (tensor<1x1x2x3xf32>, tensor<4xf32>) -> tensor<1x1x4x6xf32>
  return %0 : tensor<1x1x4x6xf32>
}

// Linear: a reduction over two taps with compile-time weights; the unchanged
// axes are skipped.
// CHECK-LABEL: func.func @resize_linear
// CHECK: arith.constant dense<{{.*}}> : tensor<4x2xi64>
// CHECK: arith.constant dense<{{.*}}> : tensor<4x2xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
// CHECK-NOT: linalg.generic {{.*}}reduction
func.func @resize_linear(%x: tensor<1x1x2x3xf32>) -> tensor<1x1x4x3xf32> {
  %s = onnx.Constant dense<[1, 1, 4, 3]> : tensor<4xi64>
  %0 = onnx.Resize %x sizes %s {mode = "linear"} : (tensor<1x1x2x3xf32>, tensor<4xi64>) -> tensor<1x1x4x3xf32>
  return %0 : tensor<1x1x4x3xf32>
}
