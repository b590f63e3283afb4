// RUN: onnxc-opt %s --split-input-file --convert-onnx-to-linalg | FileCheck %s

// ScatterND loops over the updates, reads each index tuple and combines.
// CHECK-LABEL: func.func @scatternd_mul
// CHECK: scf.for
// CHECK: scf.for {{.*}} iter_args
// CHECK: tensor.extract %arg1
// CHECK: arith.mulf
// CHECK: tensor.insert
func.func @scatternd_mul(%x: tensor<4x3xf32>, %i: tensor<2x1xi64>, %u: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %0 = onnx.ScatterND %x, %i, %u {reduction = "mul"} : (tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// TensorScatter writes at write_indices[b] + s, wrapped when circular.
// CHECK-LABEL: func.func @tensorscatter_circular
// CHECK: scf.for
// CHECK: arith.remsi
// CHECK: tensor.insert
func.func @tensorscatter_circular(%c: tensor<2x4x3xf32>, %u: tensor<2x2x3xf32>, %w: tensor<2xi64>) -> tensor<2x4x3xf32> {
  %0 = onnx.TensorScatter %c, %u indices %w {axis = 1 : i64, mode = "circular"} : (tensor<2x4x3xf32>, tensor<2x2x3xf32>, tensor<2xi64>) -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// -----

// GatherND reads data at the index tuple.
// CHECK-LABEL: func.func @gathernd
// CHECK: linalg.generic
// CHECK: tensor.extract %arg1
// CHECK: tensor.extract %arg0
func.func @gathernd(%x: tensor<2x3xf32>, %i: tensor<4x2xi64>) -> tensor<4xf32> {
  %0 = onnx.GatherND %x, %i : (tensor<2x3xf32>, tensor<4x2xi64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// ReverseSequence reads len - 1 - t inside the sequence.
// CHECK-LABEL: func.func @reversesequence
// CHECK: linalg.generic
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: tensor.extract %arg0
func.func @reversesequence(%x: tensor<4x2xf32>, %l: tensor<2xi64>) -> tensor<4x2xf32> {
  %0 = onnx.ReverseSequence %x, %l {batch_axis = 1 : i64, time_axis = 0 : i64} : (tensor<4x2xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// Compress: the kept positions are a constant table.
// CHECK-LABEL: func.func @compress
// CHECK: arith.constant dense<[0, 2]> : tensor<2xi64>
// CHECK: linalg.generic
func.func @compress(%x: tensor<2x5xf32>) -> tensor<2x2xf32> {
  %c = onnx.Constant dense<[true, false, true]> : tensor<3xi1>
  %0 = onnx.Compress %x, %c {axis = 1 : i64} : (tensor<2x5xf32>, tensor<3xi1>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// ArrayFeatureExtractor reads the last axis at Y's (wrapped, clamped) indices;
// a 1-D X is one row.
// CHECK-LABEL: func.func @array_feature_extractor
// CHECK: tensor.expand_shape %arg0
// CHECK: linalg.generic
// CHECK: tensor.extract %arg1
// CHECK: arith.minsi
// CHECK: tensor.extract
func.func @array_feature_extractor(%x: tensor<5xf32>, %y: tensor<2xi64>) -> tensor<1x2xf32> {
  %0 = onnx.ArrayFeatureExtractor %x, %y : (tensor<5xf32>, tensor<2xi64>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}
