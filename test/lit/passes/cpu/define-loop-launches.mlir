// RUN: onnxc-opt %s --split-input-file --verify-diagnostics --onnxc-define-loop-launches | FileCheck %s

// The launch packs its captures into a stack struct and hands the task to the
// runtime; the task unpacks them and calls the body. All three become internal.
// CHECK-LABEL: llvm.func internal @f_loop0(
// CHECK-LABEL: llvm.func internal @f_loop0_launch(
// CHECK-SAME: %[[EXEC:.*]]: !llvm.ptr, %[[P:.*]]: !llvm.ptr, %[[S:.*]]: f32)
// CHECK-DAG: %[[N:.*]] = llvm.mlir.constant(60 : i64) : i64
// CHECK-DAG: %[[T:.*]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-DAG: %[[CTX:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(ptr, f32)>
// CHECK-DAG: llvm.store %[[P]], %{{.*}} : !llvm.ptr, !llvm.ptr
// CHECK-DAG: llvm.store %[[S]], %{{.*}} : f32, !llvm.ptr
// CHECK-DAG: %[[FN:.*]] = llvm.mlir.addressof @f_loop0_launch_task
// CHECK: llvm.call @onnxc_uk_parallel_loop(%[[EXEC]], %[[N]], %[[T]], %[[FN]], %[[CTX]])
// CHECK-LABEL: llvm.func internal @f_loop0_launch_task(
// CHECK-SAME: %[[C:.*]]: !llvm.ptr, %[[B:.*]]: i64, %[[E:.*]]: i64)
// CHECK: %[[P0:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK: %[[S0:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK: llvm.call @f_loop0(%[[B]], %[[E]], %[[P0]], %[[S0]])
// CHECK: llvm.func @onnxc_uk_parallel_loop(!llvm.ptr, i64, i64, !llvm.ptr, !llvm.ptr)
llvm.func @f_loop0(%b: i64, %e: i64, %p: !llvm.ptr {llvm.noalias}, %s: f32) {
  llvm.return
}
llvm.func @f_loop0_launch(!llvm.ptr, !llvm.ptr, f32) attributes {onnxc.loop_launch = {body = @f_loop0, iterations = 60 : i64, max_tasks = 2 : i64}}

// -----

llvm.func @g_loop0(%b: i64, %e: i64, %p: !llvm.ptr) {
  llvm.return
}
// expected-error @+1 {{launch and body signatures disagree}}
llvm.func @g_loop0_launch(!llvm.ptr, f32) attributes {onnxc.loop_launch = {body = @g_loop0, iterations = 60 : i64, max_tasks = 2 : i64}}
