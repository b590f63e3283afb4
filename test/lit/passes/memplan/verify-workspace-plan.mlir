// RUN: onnxc-opt %s --split-input-file --verify-diagnostics --onnxc-verify-workspace-plan

// Two buffers alive at once may not share bytes.
func.func @overlap(%in: memref<4xf32>, %out: memref<4xf32>, %ws: memref<64xi8>) attributes {onnxc.workspace_size = 64 : i64} {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %a = memref.view %ws[%c0][] : memref<64xi8> to memref<4xf32>
  // expected-error @+1 {{workspace bytes [8, 24) overlap a buffer live at the same time at [0, 16)}}
  %b = memref.view %ws[%c8][] : memref<64xi8> to memref<4xf32>
  linalg.copy ins(%in : memref<4xf32>) outs(%a : memref<4xf32>)
  linalg.copy ins(%a : memref<4xf32>) outs(%b : memref<4xf32>)
  linalg.copy ins(%b : memref<4xf32>) outs(%out : memref<4xf32>)
  return
}

// -----

func.func @out_of_bounds(%in: memref<4xf32>, %ws: memref<64xi8>) attributes {onnxc.workspace_size = 64 : i64} {
  %c56 = arith.constant 56 : index
  // expected-error @+1 {{view [56, 72) lies outside the 64-byte workspace}}
  %a = memref.view %ws[%c56][] : memref<64xi8> to memref<4xf32>
  linalg.copy ins(%in : memref<4xf32>) outs(%a : memref<4xf32>)
  return
}

// -----

func.func @leftover_alloc(%ws: memref<64xi8>) attributes {onnxc.workspace_size = 64 : i64} {
  // expected-error @+1 {{allocation left after workspace planning}}
  %a = memref.alloc() : memref<4xf32>
  return
}
