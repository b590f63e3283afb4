// RUN: not onnxc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(onnx-shape-inference))' 2>&1 | FileCheck %s

// CHECK: the trip count M must be a compile-time constant
func.func @runtime_trip_count(%m: tensor<i64>, %x: tensor<1xf32>) -> tensor<*xf32> {
  %y = onnx.Loop max %m init(%x) : (tensor<i64>, tensor<1xf32>) -> tensor<*xf32> {
  ^bb0(%i: tensor<*xi64>, %c: tensor<*xi1>, %v: tensor<*xf32>):
    onnx.Yield %c, %v : tensor<*xi1>, tensor<*xf32>
  }
  return %y : tensor<*xf32>
}

// -----

// CHECK: output 0 is 'tensor<4xf32>' in then_branch and 'tensor<2x2xf32>' in else_branch
func.func @runtime_if_shapes_differ(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<*xf32> {
  %r = onnx.If %c : tensor<i1> -> tensor<*xf32> then {
    onnx.Yield %x : tensor<4xf32>
  } else {
    %s = onnx.Constant dense<[2, 2]> : tensor<2xi64>
    %b = onnx.Reshape %x, %s : (tensor<4xf32>, tensor<2xi64>) -> tensor<*xf32>
    onnx.Yield %b : tensor<*xf32>
  }
  return %r : tensor<*xf32>
}

// -----

// CHECK: with a run-time condition the 1 scan outputs would have a run-time length
func.func @runtime_cond_scan_output(%c: tensor<i1>, %x: tensor<1xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %m = onnx.Constant dense<3> : tensor<i64>
  %y, %s = onnx.Loop max %m cond %c init(%x) : (tensor<i64>, tensor<i1>, tensor<1xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  ^bb0(%i: tensor<*xi64>, %ci: tensor<*xi1>, %v: tensor<*xf32>):
    onnx.Yield %ci, %v, %v : tensor<*xi1>, tensor<*xf32>, tensor<*xf32>
  }
  return %y, %s : tensor<*xf32>, tensor<*xf32>
}
