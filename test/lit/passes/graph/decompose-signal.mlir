// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference,onnxc-decompose-signal))' | FileCheck %s

// A one-sided real DFT over a middle axis: the axis moves next to the
// real/imaginary dim, one MatMul with the [n, (n/2+1)*2] twiddle matrix, and back.
// CHECK-LABEL: func.func @rfft_axis1
// CHECK-NOT: onnx.DFT
// CHECK: onnx.Transpose {{.*}} -> tensor<2x3x8x1xf32>
// CHECK: onnx.Reshape {{.*}} -> tensor<6x8xf32>
// CHECK: %[[W:.*]] = onnx.Constant {{.*}} : tensor<8x10xf32>
// CHECK: onnx.MatMul {{.*}}, %[[W]] {{.*}} -> tensor<6x10xf32>
// CHECK: onnx.Transpose {{.*}} -> tensor<2x5x3x2xf32>
func.func @rfft_axis1(%x: tensor<2x8x3x1xf32>) -> tensor<*xf32> {
  %axis = onnx.Constant dense<1> : tensor<i64>
  %y = onnx.DFT %x axis %axis {onesided = 1 : i64} : (tensor<2x8x3x1xf32>, tensor<i64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// irfft: the default length is 2 * (n - 1) and the output is real.
// CHECK-LABEL: func.func @irfft
// CHECK: onnx.MatMul {{.*}} -> tensor<1x6xf32>
// CHECK: onnx.Reshape {{.*}} -> tensor<1x6x1xf32>
func.func @irfft(%x: tensor<1x4x2xf32>) -> tensor<*xf32> {
  %axis = onnx.Constant dense<-2> : tensor<i64>
  %y = onnx.DFT %x axis %axis {inverse = 1 : i64, onesided = 1 : i64} : (tensor<1x4x2xf32>, tensor<i64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// STFT: frames by one Gather of constant indices, windowed, then the DFT.
// CHECK-LABEL: func.func @stft
// CHECK: onnx.Gather {{.*}} -> tensor<1x3x4x1xf32>
// CHECK: onnx.Mul
// CHECK: onnx.MatMul {{.*}} -> tensor<3x6xf32>
// CHECK: onnx.Reshape {{.*}} -> tensor<1x3x3x2xf32>
func.func @stft(%x: tensor<1x10x1xf32>, %w: tensor<4xf32>) -> tensor<*xf32> {
  %step = onnx.Constant dense<3> : tensor<i64>
  %y = onnx.STFT %x, %step window %w : (tensor<1x10x1xf32>, tensor<i64>, tensor<4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// A window of constant size is a constant.
// CHECK-LABEL: func.func @hann
// CHECK: onnx.Constant dense<[0.000000e+00, 5.000000e-01, 1.000000e+00, 5.000000e-01]> : tensor<4xf32>
// CHECK-NOT: onnx.HannWindow
func.func @hann() -> tensor<*xf32> {
  %n = onnx.Constant dense<4> : tensor<i64>
  %y = onnx.HannWindow %n : (tensor<i64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}
