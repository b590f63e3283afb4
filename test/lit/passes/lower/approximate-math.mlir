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

// The polynomials' fma steps (and any fma) become a contractable multiply and
// add: an FMA instruction where the target has one, never a call to fmaf.
// CHECK-LABEL: func.func @fused
// CHECK-NOT: math.fma
// CHECK: %[[P:.*]] = arith.mulf %{{.*}}, %{{.*}} fastmath<contract> : vector<16xf32>
// CHECK: arith.addf %[[P]], %{{.*}} fastmath<contract> : vector<16xf32>
// CHECK: arith.mulf {{.*}} fastmath<contract>
func.func @fused(%x: vector<16xf32>, %y: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %0 = math.fma %x, %y, %x : vector<16xf32>
  %1 = math.exp %x : vector<16xf32>
  return %0, %1 : vector<16xf32>, vector<16xf32>
}
