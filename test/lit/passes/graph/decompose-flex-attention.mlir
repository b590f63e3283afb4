// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference,onnxc-decompose-flex-attention))' | FileCheck %s

// f16 GQA: the two KV heads are repeated to four, Q and K scaled in f16, and
// the softmax and P x V computed in f32 before rounding back.
// CHECK-LABEL: func.func @gqa_f16
// CHECK-NOT: onnx.FlexAttention
// CHECK: onnx.Expand {{.*}} -> tensor<1x2x2x5x8xf16>
// CHECK: onnx.MatMul {{.*}} -> tensor<1x4x3x5xf16>
// CHECK: onnx.Cast {{.*}} -> tensor<1x4x3x5xf32>
// CHECK: onnx.Softmax {{.*}} -> tensor<1x4x3x5xf32>
// CHECK: onnx.MatMul {{.*}} -> tensor<1x4x3x6xf32>
// CHECK: onnx.Cast {{.*}} -> tensor<1x4x3x6xf16>
func.func @gqa_f16(%q: tensor<1x4x3x8xf16>, %k: tensor<1x2x5x8xf16>, %v: tensor<1x2x5x6xf16>) -> tensor<*xf16> {
  %y = onnx.FlexAttention %q, %k, %v : (tensor<1x4x3x8xf16>, tensor<1x2x5x8xf16>, tensor<1x2x5x6xf16>) -> tensor<*xf16>
  return %y : tensor<*xf16>
}

// score_mod is inlined on the f32 scores before the Softmax and prob_mod on
// the probabilities after it, each copy refined to static types; the Shape
// the causal mask is built from folds to a constant.
// CHECK-LABEL: func.func @mods
// CHECK-NOT: onnx.FlexAttention
// CHECK: %[[S:.*]] = onnx.MatMul {{.*}} -> tensor<1x2x3x4xf32>
// CHECK: %[[MASKED:.*]] = onnx.Where %{{.*}}, %[[S]], %{{.*}} -> tensor<1x2x3x4xf32>
// CHECK: %[[P:.*]] = onnx.Softmax %[[MASKED]]
// CHECK: %[[SQ:.*]] = onnx.Mul %[[P]], %[[P]] : (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
// CHECK: onnx.MatMul %[[SQ]], %arg2
func.func @mods(%q: tensor<1x2x3x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x6xf32>, %keep: tensor<3x4xi1>) -> tensor<*xf32> {
  %y = onnx.FlexAttention %q, %k, %v : (tensor<1x2x3x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x6xf32>) -> tensor<*xf32>
  score_mod {
  ^bb0(%s: tensor<*xf32>):
    %shape = onnx.Shape %s : (tensor<*xf32>) -> tensor<*xi64>
    %ninf = onnx.Constant dense<0xFF800000> : tensor<f32>
    %fill = onnx.Expand %ninf, %shape : (tensor<f32>, tensor<*xi64>) -> tensor<*xf32>
    %masked = onnx.Where %keep, %s, %fill : (tensor<3x4xi1>, tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
    onnx.Yield %masked : tensor<*xf32>
  } prob_mod {
  ^bb0(%p: tensor<*xf32>):
    %sq = onnx.Mul %p, %p : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
    onnx.Yield %sq : tensor<*xf32>
  }
  return %y : tensor<*xf32>
}
