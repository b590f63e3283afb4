// RUN: onnxc-opt %s --onnxc-plan-workspace --onnxc-verify-workspace-plan | FileCheck %s

// A chain of three 1 KiB buffers: the third reuses the first's bytes because
// the first is dead by then, so the plan is 2 KiB, equal to the lower bound.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: %[[WS:arg2]]: memref<2048xi8>
// CHECK-SAME: onnxc.workspace_lower_bound = 2048 : i64, onnxc.workspace_size = 2048 : i64
// CHECK: arith.constant 0 : index
// CHECK: memref.view %[[WS]]
// CHECK: arith.constant 1024 : index
// CHECK: memref.view %[[WS]]
// CHECK: arith.constant 0 : index
// CHECK: memref.view %[[WS]]
// CHECK-NOT: memref.alloc
func.func @chain(%in: memref<256xf32>, %out: memref<256xf32>) {
  %a = memref.alloc() : memref<256xf32>
  %b = memref.alloc() : memref<256xf32>
  %c = memref.alloc() : memref<256xf32>
  linalg.copy ins(%in : memref<256xf32>) outs(%a : memref<256xf32>)
  linalg.copy ins(%a : memref<256xf32>) outs(%b : memref<256xf32>)
  linalg.copy ins(%b : memref<256xf32>) outs(%c : memref<256xf32>)
  linalg.copy ins(%c : memref<256xf32>) outs(%out : memref<256xf32>)
  return
}

// A view of a buffer keeps the buffer alive until the view's last use.
// CHECK-LABEL: func.func @view_extends_life
// CHECK-SAME: memref<3072xi8>
func.func @view_extends_life(%in: memref<256xf32>, %out: memref<16x16xf32>) {
  %a = memref.alloc() : memref<256xf32>
  %b = memref.alloc() : memref<256xf32>
  %c = memref.alloc() : memref<256xf32>
  linalg.copy ins(%in : memref<256xf32>) outs(%a : memref<256xf32>)
  %v = memref.expand_shape %a [[0, 1]] output_shape [16, 16] : memref<256xf32> into memref<16x16xf32>
  linalg.copy ins(%a : memref<256xf32>) outs(%b : memref<256xf32>)
  linalg.copy ins(%b : memref<256xf32>) outs(%c : memref<256xf32>)
  linalg.copy ins(%v : memref<16x16xf32>) outs(%out : memref<16x16xf32>)
  return
}

// Private functions are not entry points and are left alone.
// CHECK-LABEL: func.func private @helper
// CHECK: memref.alloc
func.func private @helper() {
  %a = memref.alloc() : memref<4xf32>
  return
}
