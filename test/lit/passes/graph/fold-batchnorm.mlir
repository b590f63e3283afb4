// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-fold-batchnorm))' | FileCheck %s

// s = scale / sqrt(var + eps) = 2 / sqrt(3 + 1) = 1: W' = W, b' = (b - mean) * s + beta
// = (1 - 3) + 0.5 = -1.5. The BatchNormalization is gone and the Conv takes the new bias.
// CHECK-LABEL: func.func @conv_bn
// CHECK: %[[W:.*]] = onnx.Constant dense_resource<bn_folded_w> : tensor<2x1x1x1xf32>
// CHECK: %[[B:.*]] = onnx.Constant dense_resource<bn_folded_b> : tensor<2xf32>
// CHECK: onnx.Conv %arg0, %[[W]], %[[B]]
// CHECK-NOT: onnx.BatchNormalization
func.func @conv_bn(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = onnx.Constant dense<1.0> : tensor<2x1x1x1xf32>
  %b = onnx.Constant dense<1.0> : tensor<2xf32>
  %scale = onnx.Constant dense<2.0> : tensor<2xf32>
  %beta = onnx.Constant dense<0.5> : tensor<2xf32>
  %mean = onnx.Constant dense<3.0> : tensor<2xf32>
  %var = onnx.Constant dense<3.0> : tensor<2xf32>
  %c = onnx.Conv %x, %w, %b : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %y = onnx.BatchNormalization %c, %scale, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// A Conv whose result has another user keeps its BatchNormalization.
// CHECK-LABEL: func.func @shared_conv
// CHECK: onnx.BatchNormalization
func.func @shared_conv(%x: tensor<1x1x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = onnx.Constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = onnx.Constant dense<1.0> : tensor<2xf32>
  %c = onnx.Conv %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = onnx.BatchNormalization %c, %p, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %c, %y : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// The folded bias, -1.5 twice (the blob starts with its alignment, 8).
// CHECK: bn_folded_b: "0x080000000000C0BF0000C0BF"
