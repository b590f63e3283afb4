// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnxc-split-empty-tensors))' | FileCheck %s

// One empty shared by two fills (as CSE leaves the inits of two convolutions) becomes one
// per fill, each right before its user.
// CHECK-LABEL: func.func @shared
// CHECK: %[[E0:.*]] = tensor.empty() : tensor<8xf32>
// CHECK-NEXT: %[[E1:.*]] = tensor.empty() : tensor<8xf32>
// CHECK-NEXT: linalg.fill {{.*}} outs(%[[E1]]
// CHECK-NEXT: linalg.fill {{.*}} outs(%[[E0]]
func.func @shared(%a: f32, %b: f32) -> (tensor<8xf32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<8xf32>
  %0 = linalg.fill ins(%a : f32) outs(%e : tensor<8xf32>) -> tensor<8xf32>
  %1 = linalg.fill ins(%b : f32) outs(%e : tensor<8xf32>) -> tensor<8xf32>
  return %0, %1 : tensor<8xf32>, tensor<8xf32>
}
