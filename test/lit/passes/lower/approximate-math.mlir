// RUN: onnxc-opt %s --onnxc-approximate-math | FileCheck %s

// Transcendentals become arithmetic (no libm call); sqrt stays one instruction.
// CHECK-LABEL: func.func @math
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK: math.sqrt
func.func @math(%x: f32) -> (f32, f32, f32) {
  %0 = math.exp %x : f32
  %1 = math.tanh %x : f32
  %2 = math.sqrt %x : f32
  return %0, %1, %2 : f32, f32, f32
}
