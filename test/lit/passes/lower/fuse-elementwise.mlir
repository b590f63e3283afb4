// RUN: onnxc-opt %s --pass-pipeline='builtin.module(convert-onnx-to-linalg,func.func(onnxc-fuse-elementwise))' | FileCheck %s

// An elementwise chain becomes one loop nest.
// CHECK-LABEL: func.func @chain
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK-NOT: linalg.generic
func.func @chain(%a: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<8xf32> {
  %0 = onnx.Add %a, %b : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %1 = onnx.Relu %0 : (tensor<8xf32>) -> tensor<8xf32>
  return %1 : tensor<8xf32>
}

// A Relu feeding a MatMul stays its own loop: fused, it would be recomputed
// in every step of the reduction.
// CHECK-LABEL: func.func @relu_then_matmul
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}}"reduction"
// CHECK-NOT: arith.maximumf
func.func @relu_then_matmul(%a: tensor<4x8xf32>, %w: tensor<8x2xf32>) -> tensor<4x2xf32> {
  %0 = onnx.Relu %a : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = onnx.MatMul %0, %w : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  return %1 : tensor<4x2xf32>
}

// A per-row value broadcast along the row stays its own (small) loop: fused, its
// sqrt would run once per element instead of once per row.
// CHECK-LABEL: func.func @row_statistic
// CHECK: linalg.generic {{.*}}ins(%arg1
// CHECK: math.sqrt
// CHECK: linalg.generic {{.*}}ins(%arg0
// CHECK-NOT: math.sqrt
// CHECK: return
func.func @row_statistic(%x: tensor<4x8xf32>, %v: tensor<4x1xf32>) -> tensor<4x8xf32> {
  %0 = onnx.Sqrt %v : (tensor<4x1xf32>) -> tensor<4x1xf32>
  %1 = onnx.Div %x, %0 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// Softmax: the exps feed both the sum and the normalisation; they are computed
// once, and the normalisation multiplies by one reciprocal per row.
// CHECK-LABEL: func.func @softmax
// CHECK-COUNT-1: math.exp
// CHECK-NOT: math.exp
// CHECK: arith.divf
// CHECK: arith.mulf
// CHECK-NOT: arith.divf
// CHECK: return
func.func @softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = onnx.Softmax %x {axis = 1 : i64} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Chained residual blocks: the first add+Relu also feeds a MatMul, which keeps
// it alive, so the second add reads its result instead of re-running it.
// CHECK-LABEL: func.func @kept_by_contraction
// CHECK: linalg.generic {{.*}}ins(%arg0, %arg1
// CHECK: linalg.generic {{.*}}"reduction"
// CHECK: linalg.generic
// CHECK-COUNT-1: arith.addf
// CHECK-NOT: arith.addf
// CHECK: return
func.func @kept_by_contraction(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %w: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = onnx.Add %a, %b : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %1 = onnx.Relu %0 : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %2 = onnx.MatMul %1, %w : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %3 = onnx.Add %2, %1 : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return %3 : tensor<4x4xf32>
}

// A producer every user of which is elementwise is copied into each, and its
// own loop goes.
// CHECK-LABEL: func.func @shared_by_elementwise
// CHECK-COUNT-2: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @shared_by_elementwise(%a: tensor<8xf32>, %b: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = onnx.Add %a, %b : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %1 = onnx.Relu %0 : (tensor<8xf32>) -> tensor<8xf32>
  %2 = onnx.Neg %0 : (tensor<8xf32>) -> tensor<8xf32>
  return %1, %2 : tensor<8xf32>, tensor<8xf32>
}

// A transposed weight read by several MatMuls (an LSTM's steps) folds into each
// one's map: nothing is transposed at run time, and each contraction reads the
// constant itself, which the microkernel pass packs at compile time.
// CHECK-LABEL: func.func @transposed_weight_two_users
// CHECK-COUNT-2: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<1x8xf32>, tensor<4x8xf32>)
// CHECK-NOT: linalg.generic
func.func @transposed_weight_two_users(%a: tensor<1x8xf32>, %b: tensor<1x8xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %w = onnx.Constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 9.0]]> : tensor<4x8xf32>
  %t = onnx.Transpose %w {perm = [1, 0]} : (tensor<4x8xf32>) -> tensor<8x4xf32>
  %0 = onnx.MatMul %a, %t : (tensor<1x8xf32>, tensor<8x4xf32>) -> tensor<1x4xf32>
  %1 = onnx.MatMul %b, %t : (tensor<1x8xf32>, tensor<8x4xf32>) -> tensor<1x4xf32>
  return %0, %1 : tensor<1x4xf32>, tensor<1x4xf32>
}
