// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnxc-promote-reduction-accumulators))' | FileCheck %s

// A row sum: the accumulator is loaded once, carried in an iter_arg and stored once; the add
// may reassociate, so LLVM vectorizes it.
// CHECK-LABEL: func.func @row_sum
// CHECK: affine.for %[[I:.*]] = 0 to 4 {
// CHECK:   %[[INIT:.*]] = affine.load %[[ACC:.*]][%[[I]]]
// CHECK:   %[[SUM:.*]] = affine.for {{.*}} iter_args(%[[A:.*]] = %[[INIT]]) -> (f32) {
// CHECK:     %[[X:.*]] = affine.load
// CHECK:     %[[N:.*]] = arith.addf %[[A]], %[[X]] fastmath<reassoc> : f32
// CHECK:     affine.yield %[[N]] : f32
// CHECK:   affine.store %[[SUM]], %[[ACC]][%[[I]]]
func.func @row_sum(%x: memref<4x64xf32>) -> memref<4xf32> {
  %acc = memref.alloc() : memref<4xf32>
  affine.for %i = 0 to 4 {
    affine.for %k = 0 to 64 {
      %v = affine.load %x[%i, %k] : memref<4x64xf32>
      %a = affine.load %acc[%i] : memref<4xf32>
      %n = arith.addf %a, %v : f32
      affine.store %n, %acc[%i] : memref<4xf32>
    }
  }
  return %acc : memref<4xf32>
}

// Two reduction dims: both loops carry the accumulator, innermost first.
// CHECK-LABEL: func.func @plane_max
// CHECK: affine.load %[[ACC:.*]][%{{.*}}]
// CHECK: affine.for {{.*}} iter_args
// CHECK: affine.for {{.*}} iter_args
// CHECK: arith.maximumf {{.*}} fastmath<reassoc>
// CHECK-NOT: affine.store {{.*}}%[[ACC]]
// CHECK: affine.yield
// CHECK: affine.yield
// CHECK: affine.store {{.*}}, %[[ACC]]
func.func @plane_max(%x: memref<2x8x8xf32>) -> memref<2xf32> {
  %acc = memref.alloc() : memref<2xf32>
  affine.for %c = 0 to 2 {
    affine.for %h = 0 to 8 {
      affine.for %w = 0 to 8 {
        %v = affine.load %x[%c, %h, %w] : memref<2x8x8xf32>
        %a = affine.load %acc[%c] : memref<2xf32>
        %n = arith.maximumf %a, %v : f32
        affine.store %n, %acc[%c] : memref<2xf32>
      }
    }
  }
  return %acc : memref<2xf32>
}

// The accumulator lives in an argument another argument may alias: left alone.
// CHECK-LABEL: func.func @argument_accumulator
// CHECK-NOT: iter_args
func.func @argument_accumulator(%x: memref<4x64xf32>, %acc: memref<4xf32>) {
  affine.for %i = 0 to 4 {
    affine.for %k = 0 to 64 {
      %v = affine.load %x[%i, %k] : memref<4x64xf32>
      %a = affine.load %acc[%i] : memref<4xf32>
      %n = arith.addf %a, %v : f32
      affine.store %n, %acc[%i] : memref<4xf32>
    }
  }
  return
}

// The loop also reads the accumulator's buffer elsewhere: left alone.
// CHECK-LABEL: func.func @other_access
// CHECK-NOT: iter_args
func.func @other_access(%x: memref<4x64xf32>) -> memref<4xf32> {
  %acc = memref.alloc() : memref<4xf32>
  affine.for %i = 0 to 4 {
    affine.for %k = 0 to 64 {
      %v = affine.load %x[%i, %k] : memref<4x64xf32>
      %a = affine.load %acc[%i] : memref<4xf32>
      %b = affine.load %acc[0] : memref<4xf32>
      %s = arith.addf %a, %b : f32
      %n = arith.addf %s, %v : f32
      affine.store %n, %acc[%i] : memref<4xf32>
    }
  }
  return %acc : memref<4xf32>
}
