// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnx-shape-inference))' | FileCheck %s

// An exporter's dynamic-reshape chain folds to a constant once shapes are
// static, so the Reshape gets a constant shape.
// CHECK-LABEL: func.func @shape_chain
// CHECK-NOT: onnx.Shape
// CHECK-NOT: onnx.Gather
// CHECK-NOT: onnx.Concat
// CHECK: %[[S:.*]] = onnx.Constant dense<[2, -1]> : tensor<2xi64>
// CHECK: onnx.Reshape %arg0, %[[S]] {{.*}} -> tensor<2x12xf32>
func.func @shape_chain(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  %shape = onnx.Shape %x : (tensor<2x3x4xf32>) -> tensor<*xi64>
  %zero = onnx.Constant dense<0> : tensor<i64>
  %batch = onnx.Gather %shape, %zero : (tensor<*xi64>, tensor<i64>) -> tensor<*xi64>
  %axes = onnx.Constant dense<[0]> : tensor<1xi64>
  %b1 = onnx.Unsqueeze %batch axes %axes : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %rest = onnx.Constant dense<[-1]> : tensor<1xi64>
  %target = onnx.Concat %b1, %rest {axis = 0 : i64} : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %y = onnx.Reshape %x, %target : (tensor<2x3x4xf32>, tensor<*xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// Slice with negative indices and steps, on constants.
// CHECK-LABEL: func.func @slice_fold
// CHECK: onnx.Constant dense<[4, 2]> : tensor<2xi64>
func.func @slice_fold() -> tensor<*xi64> {
  %v = onnx.Constant dense<[0, 1, 2, 3, 4, 5]> : tensor<6xi64>
  %s = onnx.Constant dense<[-2]> : tensor<1xi64>
  %e = onnx.Constant dense<[0]> : tensor<1xi64>
  %a = onnx.Constant dense<[0]> : tensor<1xi64>
  %st = onnx.Constant dense<[-2]> : tensor<1xi64>
  %r = onnx.Slice %v, %s, %e axes %a steps %st : (tensor<6xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xi64>
  return %r : tensor<*xi64>
}

// Runtime values are not folded.
// CHECK-LABEL: func.func @no_fold
// CHECK: onnx.Add
func.func @no_fold(%x: tensor<3xf32>) -> tensor<*xf32> {
  %c = onnx.Constant dense<1.0> : tensor<3xf32>
  %y = onnx.Add %x, %c : (tensor<3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// Mod follows the divisor's sign (fmod=0) or the dividend's (fmod=1); a zero
// divisor is left to run time. And/Or/Xor and Sum fold (GQA checks in
// Attention's function body compute head ratios this way).
// CHECK-LABEL: func.func @mod_logic_fold
// CHECK-DAG: onnx.Constant dense<[1, -1, 0]> : tensor<3xi64>
// CHECK-DAG: onnx.Constant dense<[-2, 2, 0]> : tensor<3xi64>
// CHECK-DAG: onnx.Constant dense<[false, true, false]> : tensor<3xi1>
// CHECK-DAG: onnx.Constant dense<[true, true, false]> : tensor<3xi1>
// CHECK-DAG: onnx.Constant dense<[true, false, false]> : tensor<3xi1>
// CHECK-DAG: onnx.Constant dense<[9, 10, 11]> : tensor<3xi64>
// CHECK: onnx.Mod
// CHECK-SAME: tensor<1xi64>
func.func @mod_logic_fold() -> (tensor<*xi64>, tensor<*xi64>, tensor<*xi1>, tensor<*xi1>, tensor<*xi1>, tensor<*xi64>, tensor<*xi64>) {
  %a = onnx.Constant dense<[-5, 5, 6]> : tensor<3xi64>
  %b = onnx.Constant dense<[3, -3, 3]> : tensor<3xi64>
  %m0 = onnx.Mod %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<*xi64>
  %m1 = onnx.Mod %a, %b {fmod = 1 : i64} : (tensor<3xi64>, tensor<3xi64>) -> tensor<*xi64>
  %p = onnx.Constant dense<[true, true, false]> : tensor<3xi1>
  %q = onnx.Constant dense<[false, true, false]> : tensor<3xi1>
  %and = onnx.And %p, %q : (tensor<3xi1>, tensor<3xi1>) -> tensor<*xi1>
  %or = onnx.Or %p, %q : (tensor<3xi1>, tensor<3xi1>) -> tensor<*xi1>
  %xor = onnx.Xor %p, %q : (tensor<3xi1>, tensor<3xi1>) -> tensor<*xi1>
  %one = onnx.Constant dense<[1, 2, 3]> : tensor<3xi64>
  %eight = onnx.Constant dense<8> : tensor<i64>
  %sum = onnx.Sum %one, %eight : (tensor<3xi64>, tensor<i64>) -> tensor<*xi64>
  %x = onnx.Constant dense<[7]> : tensor<1xi64>
  %z = onnx.Constant dense<[0]> : tensor<1xi64>
  %mz = onnx.Mod %x, %z : (tensor<1xi64>, tensor<1xi64>) -> tensor<*xi64>
  return %m0, %m1, %and, %or, %xor, %sum, %mz : tensor<*xi64>, tensor<*xi64>, tensor<*xi1>, tensor<*xi1>, tensor<*xi1>, tensor<*xi64>, tensor<*xi64>
}

// Split of a constant gives one constant per piece (a size vector taken
// apart into N, C, H, W), and Relu folds.
// CHECK-LABEL: func.func @split_relu_fold
// CHECK-NOT: onnx.Split
// CHECK-NOT: onnx.Relu
// CHECK-DAG: onnx.Constant dense<0> : tensor<1xi64>
// CHECK-DAG: onnx.Constant dense<[3, 4]> : tensor<2xi64>
func.func @split_relu_fold() -> (tensor<*xi64>, tensor<*xi64>) {
  %size = onnx.Constant dense<[-2, 3, 4]> : tensor<3xi64>
  %parts = onnx.Constant dense<[1, 2]> : tensor<2xi64>
  %n, %hw = onnx.Split %size split %parts {axis = 0 : i64} : (tensor<3xi64>, tensor<2xi64>) -> (tensor<*xi64>, tensor<*xi64>)
  %r = onnx.Relu %n : (tensor<*xi64>) -> tensor<*xi64>
  return %r, %hw : tensor<*xi64>, tensor<*xi64>
}
