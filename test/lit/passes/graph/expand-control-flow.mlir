// RUN: onnxc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(onnx-shape-inference))' | FileCheck %s

// A constant condition inlines the taken branch; the other (an invalid
// Reshape for this shape) is never refined.
// CHECK-LABEL: func.func @if_constant
// CHECK-NOT: onnx.If
// CHECK: %[[R:.*]] = onnx.Neg %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return %[[R]] : tensor<2x3xf32>
func.func @if_constant(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %c = onnx.Constant dense<true> : tensor<i1>
  %r = onnx.If %c : tensor<i1> -> tensor<*xf32> then {
    %n = onnx.Neg %x : (tensor<2x3xf32>) -> tensor<*xf32>
    onnx.Yield %n : tensor<*xf32>
  } else {
    %s = onnx.Constant dense<[5]> : tensor<1xi64>
    %bad = onnx.Reshape %x, %s : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<*xf32>
    onnx.Yield %bad : tensor<*xf32>
  }
  return %r : tensor<*xf32>
}

// -----

// A run-time condition computes both branches and selects.
// CHECK-LABEL: func.func @if_runtime
// CHECK-DAG: %[[T:.*]] = onnx.Neg %arg1
// CHECK-DAG: %[[E:.*]] = onnx.Abs %arg1
// CHECK: onnx.Where %arg0, %[[T]], %[[E]] : (tensor<i1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
func.func @if_runtime(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<*xf32> {
  %r = onnx.If %c : tensor<i1> -> tensor<*xf32> then {
    %n = onnx.Neg %x : (tensor<4xf32>) -> tensor<*xf32>
    onnx.Yield %n : tensor<*xf32>
  } else {
    %a = onnx.Abs %x : (tensor<4xf32>) -> tensor<*xf32>
    onnx.Yield %a : tensor<*xf32>
  }
  return %r : tensor<*xf32>
}

// -----

// Loop unrolls over its trip count; the carried value grows each iteration
// and the scan output stacks every iteration's element.
// CHECK-LABEL: func.func @loop_unrolled
// CHECK-NOT: onnx.Loop
// CHECK: onnx.Concat {{.*}} -> tensor<2xf32>
// CHECK: onnx.Concat {{.*}} -> tensor<3xf32>
// CHECK: onnx.Concat {{.*}} {axis = 0 : i64} : (tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<2x1xf32>
// CHECK: return {{.*}} : tensor<3xf32>, tensor<2x1xf32>
func.func @loop_unrolled(%x: tensor<1xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %m = onnx.Constant dense<2> : tensor<i64>
  %y, %s = onnx.Loop max %m init(%x) : (tensor<i64>, tensor<1xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  ^bb0(%i: tensor<*xi64>, %c: tensor<*xi1>, %v: tensor<*xf32>):
    %grown = onnx.Concat %v, %x {axis = 0 : i64} : (tensor<*xf32>, tensor<1xf32>) -> tensor<*xf32>
    onnx.Yield %c, %grown, %x : tensor<*xi1>, tensor<*xf32>, tensor<1xf32>
  }
  return %y, %s : tensor<*xf32>, tensor<*xf32>
}

// -----

// Scan slices its input along the scan axis and carries the state.
// CHECK-LABEL: func.func @scan_sum
// CHECK-NOT: onnx.Scan
// CHECK-COUNT-3: onnx.Gather %arg1
// CHECK: onnx.Concat {{.*}} -> tensor<3x2xf32>
func.func @scan_sum(%init: tensor<2xf32>, %x: tensor<3x2xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %y, %z = onnx.Scan init(%init) scan(%x) {scan_input_axes = [0], scan_input_directions = [0],
      scan_output_axes = [0], scan_output_directions = [0]}
      : (tensor<2xf32>, tensor<3x2xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  ^bb0(%s: tensor<*xf32>, %e: tensor<*xf32>):
    %n = onnx.Add %s, %e : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
    onnx.Yield %n, %n : tensor<*xf32>, tensor<*xf32>
  }
  return %y, %z : tensor<*xf32>, tensor<*xf32>
}
