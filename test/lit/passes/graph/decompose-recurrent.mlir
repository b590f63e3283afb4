// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference,onnxc-decompose-recurrent))' | FileCheck %s
// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference))' | FileCheck %s --check-prefix=SHAPES

// LSTM over two steps: one input projection for all steps, then per step a
// recurrent MatMul and the gates; Y_h and Y_c are the last states.
// SHAPES-LABEL: func.func @lstm
// SHAPES: onnx.LSTM {{.*}} -> (tensor<2x1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>)
// CHECK-LABEL: func.func @lstm
// CHECK-NOT: onnx.LSTM
// CHECK: onnx.MatMul {{.*}} -> tensor<2x3x16xf32>
// CHECK: onnx.MatMul {{.*}} -> tensor<3x16xf32>
// CHECK: onnx.Sigmoid
// CHECK: onnx.Tanh
// CHECK: onnx.MatMul {{.*}} -> tensor<3x16xf32>
// CHECK: onnx.Concat {{.*}} -> tensor<2x1x3x4xf32>
func.func @lstm(%x: tensor<2x3x5xf32>, %w: tensor<1x16x5xf32>, %r: tensor<1x16x4xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %y, %h, %c = onnx.LSTM %x, %w, %r {hidden_size = 4 : i64}
      : (tensor<2x3x5xf32>, tensor<1x16x5xf32>, tensor<1x16x4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y, %h, %c : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// A constant sequence_lens masks the steps past a sequence's end: the
// state is held (Where) and the Y rows are 0.
// CHECK-LABEL: func.func @rnn_seq_lens
// CHECK: onnx.Constant dense<{{\[\[}}true], [false]]> : tensor<2x1xi1>
// CHECK: onnx.Where
func.func @rnn_seq_lens(%x: tensor<2x2x3xf32>, %w: tensor<1x4x3xf32>, %r: tensor<1x4x4xf32>)
    -> (tensor<*xf32>, tensor<*xf32>) {
  %l = onnx.Constant dense<[2, 1]> : tensor<2xi32>
  %y, %h = onnx.RNN %x, %w, %r seq_lens %l {hidden_size = 4 : i64}
      : (tensor<2x2x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>, tensor<2xi32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %y, %h : tensor<*xf32>, tensor<*xf32>
}

// GRU with linear_before_reset keeps Rbh inside r * (H*Rh^T + Rbh).
// CHECK-LABEL: func.func @gru_lbr
// CHECK-NOT: onnx.GRU
// CHECK: onnx.MatMul {{.*}} -> tensor<1x2x9xf32>
// CHECK: onnx.MatMul {{.*}} -> tensor<2x6xf32>
// CHECK: onnx.MatMul {{.*}} -> tensor<2x3xf32>
func.func @gru_lbr(%x: tensor<1x2x3xf32>, %w: tensor<1x9x3xf32>, %r: tensor<1x9x3xf32>, %b: tensor<1x18xf32>)
    -> tensor<*xf32> {
  %y, %h = onnx.GRU %x, %w, %r bias %b {linear_before_reset = 1 : i64}
      : (tensor<1x2x3xf32>, tensor<1x9x3xf32>, tensor<1x9x3xf32>, tensor<1x18xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %h : tensor<*xf32>
}
