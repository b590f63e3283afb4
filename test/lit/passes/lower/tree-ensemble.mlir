// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// Each sample walks each tree over constant tables until a leaf code (< 0).
// CHECK-LABEL: func.func @stump
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.while
// CHECK: arith.cmpi sge
// CHECK: scf.condition
// CHECK: arith.cmpf ole
// CHECK: arith.select
// CHECK: arith.addf
func.func @stump(%x: tensor<3x2xf32>) -> tensor<3x1xf32> {
  %0 = onnx.TreeEnsemble %x {aggregate_function = 1 : i64, leaf_targetids = array<i64: 0, 0>, leaf_weights = array<f64: 1.0, 2.0>, membership_values = array<f64>, n_targets = 1 : i64, nodes_falseleafs = array<i64: 1>, nodes_falsenodeids = array<i64: 1>, nodes_featureids = array<i64: 1>, nodes_missing_value_tracks_true = array<i64: 0>, nodes_modes = array<i64: 0>, nodes_splits = array<f64: 0.5>, nodes_trueleafs = array<i64: 1>, nodes_truenodeids = array<i64: 0>, tree_roots = array<i64: 0>} : (tensor<3x2xf32>) -> tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}
