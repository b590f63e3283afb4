// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference,onnxc-decompose-loss))' | FileCheck %s

// Weighted NLL with ignore_index over [N, C, d]: ignored targets gather class 0
// and get weight 0; "mean" divides by the sum of the applied weights.
// CHECK-LABEL: func.func @nll_weight_ignore
// CHECK-NOT: onnx.NegativeLogLikelihoodLoss
// CHECK: onnx.Equal {{.*}} -> tensor<2x3xi1>
// CHECK: onnx.Where {{.*}} -> tensor<2x3xi64>
// CHECK: onnx.GatherElements {{.*}}axis = 1 : i64{{.*}} -> tensor<2x1x3xf32>
// CHECK: onnx.Neg
// CHECK: onnx.Gather {{.*}} -> tensor<2x3xf32>
// CHECK: onnx.Mul
// CHECK: onnx.ReduceSum {{.*}} -> tensor<f32>
// CHECK: onnx.Div {{.*}} -> tensor<f32>
func.func @nll_weight_ignore(%x: tensor<2x5x3xf32>, %t: tensor<2x3xi64>, %w: tensor<5xf32>) -> tensor<*xf32> {
  %l = onnx.NegativeLogLikelihoodLoss %x, %t weight %w {ignore_index = -1 : i64}
      : (tensor<2x5x3xf32>, tensor<2x3xi64>, tensor<5xf32>) -> tensor<*xf32>
  return %l : tensor<*xf32>
}

// Cross-entropy is NLL of LogSoftmax over axis 1, which is also log_prob.
// CHECK-LABEL: func.func @sce_none
// CHECK: %[[LP:.*]] = onnx.LogSoftmax %arg0 {axis = 1 : i64} {{.*}} -> tensor<3x4xf32>
// CHECK: onnx.GatherElements %[[LP]]
// CHECK: %[[L:.*]] = onnx.Neg {{.*}} -> tensor<3xf32>
// CHECK: return %[[L]], %[[LP]]
func.func @sce_none(%x: tensor<3x4xf32>, %t: tensor<3xi32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %l, %lp = onnx.SoftmaxCrossEntropyLoss %x, %t {reduction = "none"}
      : (tensor<3x4xf32>, tensor<3xi32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %l, %lp : tensor<*xf32>, tensor<*xf32>
}
