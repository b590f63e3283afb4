// RUN: onnxc-opt %s --convert-onnx-to-linalg | FileCheck %s

// Broadcasting becomes constant-0 indices in the operand's map, no copies.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<4x3xf32>, %b: tensor<1x3xf32>) -> tensor<4x3xf32> {
  %0 = onnx.Add %a, %b : (tensor<4x3xf32>, tensor<1x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @activations
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: math.tanh
func.func @activations(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = onnx.Relu %x : (tensor<8xf32>) -> tensor<8xf32>
  %1 = onnx.Sigmoid %0 : (tensor<8xf32>) -> tensor<8xf32>
  %2 = onnx.Tanh %1 : (tensor<8xf32>) -> tensor<8xf32>
  return %2 : tensor<8xf32>
}

// Clip bounds are scalars read at index 0 whatever their rank.
// CHECK-LABEL: func.func @clip
// CHECK: arith.maximumf
// CHECK: arith.minimumf
func.func @clip(%x: tensor<8xf32>, %lo: tensor<f32>, %hi: tensor<1xf32>) -> tensor<8xf32> {
  %0 = onnx.Clip %x min %lo max %hi : (tensor<8xf32>, tensor<f32>, tensor<1xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// Comparisons produce i1; unsigned operands compare unsigned.
// CHECK-LABEL: func.func @less_unsigned
// CHECK: arith.cmpi ult
func.func @less_unsigned(%a: tensor<4xui32>, %b: tensor<4xui32>) -> tensor<4xi1> {
  %0 = onnx.Less %a, %b : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// Cast float -> int32 truncates toward zero.
// CHECK-LABEL: func.func @cast
// CHECK: arith.fptosi {{.*}} : f32 to i32
func.func @cast(%a: tensor<4xf32>) -> tensor<4xi32> {
  %0 = onnx.Cast %a {to = 6 : i64} : (tensor<4xf32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// Float Mod is fmod, computed without libm; an infinite divisor keeps x and a
// zero result takes x's sign.
// CHECK-LABEL: func.func @fmod
// CHECK: math.trunc
// CHECK: arith.cmpf oeq
// CHECK: math.copysign
// CHECK-NOT: arith.remf
func.func @fmod(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Mod %a, %b {fmod = 1 : i64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Shifting by a negative amount or >= the width saturates (LLVM's shift is
// poison there): one unsigned compare selects the sign fill.
// CHECK-LABEL: func.func @shift_right
// CHECK: arith.cmpi uge
// CHECK: arith.shrsi
// CHECK: arith.select
func.func @shift_right(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = onnx.BitShift %a, %b {direction = "RIGHT"} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// float8 has no LLVM arithmetic: Cast goes through the f32 bits, saturating by default.
// CHECK-LABEL: func.func @cast_to_f8
// CHECK: arith.bitcast {{.*}} : f32 to i32
// CHECK: math.roundeven
// CHECK: arith.bitcast {{.*}} : i8 to f8E4M3FN
func.func @cast_to_f8(%a: tensor<4xf32>) -> tensor<4xf8E4M3FN> {
  %0 = onnx.Cast %a {to = 17 : i64} : (tensor<4xf32>) -> tensor<4xf8E4M3FN>
  return %0 : tensor<4xf8E4M3FN>
}

// CHECK-LABEL: func.func @cast_from_f8
// CHECK: arith.bitcast {{.*}} : f8E5M2 to i8
// CHECK-NOT: arith.extf
func.func @cast_from_f8(%a: tensor<4xf8E5M2>) -> tensor<4xf32> {
  %0 = onnx.Cast %a {to = 1 : i64} : (tensor<4xf8E5M2>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// ai.onnx.ml Binarizer on integers compares with floor(threshold).
// CHECK-LABEL: func.func @binarizer_int
// CHECK: arith.constant -1 : i64
// CHECK: arith.cmpi sgt
// CHECK: arith.select
func.func @binarizer_int(%a: tensor<4xi64>) -> tensor<4xi64> {
  %0 = onnx.Binarizer %a {threshold = -0.5 : f32} : (tensor<4xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}
