// RUN: onnxc-opt %s --onnxc-flatten-empty-arguments | FileCheck %s

// An argument with a zero dimension becomes memref<0xT> (one bare pointer)
// and its uses read a local empty buffer; non-empty arguments are untouched.
// CHECK-LABEL: func.func @graph(%arg0: memref<0xf32>, %arg1: memref<2x4xf32>)
// CHECK: %[[EMPTY:.*]] = memref.alloca() : memref<2x0x4xf32>
// CHECK: memref.copy %[[EMPTY]], %[[EMPTY]]
func.func @graph(%a: memref<2x0x4xf32>, %b: memref<2x4xf32>) {
  memref.copy %a, %a : memref<2x0x4xf32> to memref<2x0x4xf32>
  return
}

// A function something calls keeps its signature.
// CHECK-LABEL: func.func private @callee(%arg0: memref<3x0xf32>)
func.func private @callee(%a: memref<3x0xf32>) {
  return
}
func.func @caller(%a: memref<0xf32>) {
  %e = memref.alloca() : memref<3x0xf32>
  func.call @callee(%e) : (memref<3x0xf32>) -> ()
  return
}
