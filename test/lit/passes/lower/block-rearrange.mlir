// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// DepthToSpace is one copy generic whose input map finds the source channel.
// CHECK-DAG: #[[D2S:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, (d2 mod 2) * 4 + (d3 mod 2) * 2 + d1, d2 floordiv 2, d3 floordiv 2)>
// CHECK-LABEL: func.func @depth_to_space_dcr
// CHECK: linalg.generic {indexing_maps = [#[[D2S]], {{.*}}]
func.func @depth_to_space_dcr(%x: tensor<1x8x2x2xf32>) -> tensor<1x2x4x4xf32> {
  %0 = onnx.DepthToSpace %x {blocksize = 2 : i64} : (tensor<1x8x2x2xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// CHECK-LABEL: func.func @space_to_depth_crd
// CHECK: linalg.generic
// CHECK-NOT: tensor.expand_shape
func.func @space_to_depth_crd(%x: tensor<1x2x4x4xf32>) -> tensor<1x8x2x2xf32> {
  %0 = onnx.SpaceToDepth %x {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x2x4x4xf32>) -> tensor<1x8x2x2xf32>
  return %0 : tensor<1x8x2x2xf32>
}
