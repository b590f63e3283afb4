// RUN: onnxc-opt %s --split-input-file --onnxc-parallelize-loops="max-threads=2 min-work=4096" | FileCheck %s
// RUN: onnxc-opt %s --split-input-file --onnxc-parallelize-loops="max-threads=1 min-work=4096" | FileCheck %s --check-prefix=SERIAL

// A softmax-like row nest on a planned workspace, under a one-iteration batch
// loop: the row loop is split, the body recomputes the view, and the executor
// argument goes before the workspace.
// CHECK-LABEL: func.func @rows
// CHECK-SAME: (%[[IN:.*]]: memref<1x64x128xf32>, %[[OUT:.*]]: memref<1x64x128xf32>, %[[EXEC:.*]]: !llvm.ptr {onnxc.executor}, %[[WS:.*]]: memref<512xi8>)
// CHECK: call @rows_loop0_launch(%[[EXEC]], %[[IN]], %[[OUT]], %[[WS]])
// CHECK-NOT: affine.for
// CHECK: return
// CHECK: func.func private @rows_loop0(%[[B:.*]]: index, %[[E:.*]]: index, %{{.*}}: memref<1x64x128xf32> {llvm.noalias}, %{{.*}}: memref<1x64x128xf32> {llvm.noalias}, %[[W:.*]]: memref<512xi8> {llvm.noalias})
// CHECK: memref.view %[[W]]
// CHECK: affine.for %{{.*}} = 0 to 1 {
// CHECK-NEXT: affine.for %{{.*}} = %[[B]] to %[[E]] {
// CHECK: func.func private @rows_loop0_launch(!llvm.ptr, memref<1x64x128xf32>, memref<1x64x128xf32>, memref<512xi8>) attributes {onnxc.loop_launch = {body = @rows_loop0, iterations = 64 : i64, max_tasks = 2 : i64}}
// SERIAL-LABEL: func.func @rows
// SERIAL-NOT: call
// SERIAL: affine.for
func.func @rows(%in: memref<1x64x128xf32>, %out: memref<1x64x128xf32>, %ws: memref<512xi8>) attributes {onnxc.workspace_size = 512 : i64} {
  %c0 = arith.constant 0 : index
  %max = memref.view %ws[%c0][] : memref<512xi8> to memref<1x64xf32>
  %ninf = arith.constant 0xFF800000 : f32
  affine.for %b = 0 to 1 {
    affine.for %i = 0 to 64 {
      %m = affine.for %j = 0 to 128 iter_args(%acc = %ninf) -> f32 {
        %v = affine.load %in[%b, %i, %j] : memref<1x64x128xf32>
        %n = arith.maximumf %acc, %v : f32
        affine.yield %n : f32
      }
      affine.store %m, %max[%b, %i] : memref<1x64xf32>
      affine.for %j = 0 to 128 {
        %v = affine.load %in[%b, %i, %j] : memref<1x64x128xf32>
        %mm = affine.load %max[%b, %i] : memref<1x64xf32>
        %d = arith.subf %v, %mm : f32
        affine.store %d, %out[%b, %i, %j] : memref<1x64x128xf32>
      }
    }
  }
  return
}

// -----

// A scalar computed before the nest is passed; the lower bound keeps its offset.
// CHECK-LABEL: func.func @scaled
// CHECK: %[[S:.*]] = affine.load
// CHECK: call @scaled_loop0_launch(%{{.*}}, %{{.*}}, %{{.*}}, %[[S]]) : (!llvm.ptr, memref<64x128xf32>, memref<64x128xf32>, f32) -> ()
// CHECK: func.func private @scaled_loop0(%[[B:.*]]: index, %[[E:.*]]: index, {{.*}}, %[[SC:.*]]: f32)
// CHECK: affine.for %{{.*}} = #{{.*}}()[%[[B]]] to #{{.*}}()[%[[E]]] {
// CHECK: arith.mulf %{{.*}}, %[[SC]]
// CHECK: iterations = 60 : i64
func.func @scaled(%in: memref<64x128xf32>, %out: memref<64x128xf32>, %s: memref<1xf32>) {
  %scale = affine.load %s[0] : memref<1xf32>
  affine.for %i = 4 to 64 {
    affine.for %j = 0 to 128 {
      %v = affine.load %in[%i, %j] : memref<64x128xf32>
      %p = arith.mulf %v, %scale : f32
      affine.store %p, %out[%i, %j] : memref<64x128xf32>
    }
  }
  return
}

// -----

// Left alone: too little work; a dependence carried by the outer loop; a
// buffer written and also read through a reshape of it.
// CHECK-LABEL: func.func @kept
// CHECK-NOT: call
// CHECK-COUNT-3: affine.for %{{.*}} = {{[01]}} to 64 {
func.func @kept(%in: memref<64x128xf32>, %out: memref<64x128xf32>, %small: memref<64x4xf32>) {
  affine.for %i = 0 to 64 {
    affine.for %j = 0 to 4 {
      %v = affine.load %small[%i, %j] : memref<64x4xf32>
      %d = arith.addf %v, %v : f32
      affine.store %d, %small[%i, %j] : memref<64x4xf32>
    }
  }
  affine.for %i = 1 to 64 {
    affine.for %j = 0 to 128 {
      %p = affine.load %out[%i - 1, %j] : memref<64x128xf32>
      %v = affine.load %in[%i, %j] : memref<64x128xf32>
      %d = arith.addf %p, %v : f32
      affine.store %d, %out[%i, %j] : memref<64x128xf32>
    }
  }
  %flat = memref.collapse_shape %out [[0, 1]] : memref<64x128xf32> into memref<8192xf32>
  affine.for %i = 0 to 64 {
    affine.for %j = 0 to 128 {
      %v = affine.load %flat[%j * 64 + %i] : memref<8192xf32>
      affine.store %v, %out[%i, %j] : memref<64x128xf32>
    }
  }
  return
}
