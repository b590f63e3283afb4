// RUN: onnxc-opt %s --pass-pipeline='builtin.module(func.func(onnxc-copies-to-linalg))' | FileCheck %s

// A copy out of a strided view becomes linalg.copy (loops), not a call into
// MLIR's runtime library; a contiguous copy stays memref.copy (memcpy).
// CHECK-LABEL: func.func @copies
// CHECK: linalg.copy ins(%{{.*}} : memref<2x2xf32, strided<[4, 1], offset: 1>>)
// CHECK: memref.copy %arg1, %arg2 : memref<4xf32> to memref<4xf32>
func.func @copies(%src: memref<4x4xf32>, %a: memref<4xf32>, %b: memref<4xf32>, %out: memref<2x2xf32>) {
  %view = memref.subview %src[0, 1] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: 1>>
  memref.copy %view, %out : memref<2x2xf32, strided<[4, 1], offset: 1>> to memref<2x2xf32>
  memref.copy %a, %b : memref<4xf32> to memref<4xf32>
  return
}
