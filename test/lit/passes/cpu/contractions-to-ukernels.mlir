// RUN: onnxc-opt %s --onnxc-contractions-to-ukernels=isa=avx512 --canonicalize --symbol-dce | FileCheck %s
// RUN: onnxc-opt %s --onnxc-contractions-to-ukernels="isa=avx512 max-threads=2" | FileCheck %s --check-prefix=THREADS

#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>

// A constant B read transposed (Gemm transB=1) is packed at compile time into
// 32-column panels: 48 columns pad to 64, times K = 96 floats; the unpacked
// global is gone, A needs 14-row x 96 scratch (M = 20 rounds to 28).
// CHECK-DAG: memref.global "private" constant @[[P:.*]] : memref<6144xf32> = dense_resource<packed_weight> {alignment = 64 : i64}
// CHECK-NOT: memref.global "private" constant @w
// The function gets the executor argument the calls split their work over;
// with --threads 2 the scratch holds two slices.
// CHECK-LABEL: func.func @gemm_packed_b
// CHECK-SAME: %[[EXEC:arg[0-9]+]]: !llvm.ptr {onnxc.executor}
// CHECK: memref.get_global @[[P]]
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<2688xf32>
// THREADS-LABEL: func.func @gemm_packed_b
// THREADS: memref.alloc() {alignment = 64 : i64} : memref<5376xf32>
// CHECK: call @onnxc_uk_sgemm_mt_avx512({{.*}}, %[[EXEC]], %{{.*}}, %{{.*}}) : (i64, i64, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, f32, f32, i64, !llvm.ptr, !llvm.ptr, i64, i64) -> ()
// CHECK-NOT: linalg.generic
memref.global "private" constant @w : memref<48x96xf32> = dense<1.0>
func.func @gemm_packed_b(%a: memref<20x96xf32>, %c: memref<20x48xf32>) {
  %w = memref.get_global @w : memref<48x96xf32>
  linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<20x96xf32>, memref<48x96xf32>) outs(%c : memref<20x48xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// Both operands at run time, with a batch dim: a loop of calls.
// CHECK-LABEL: func.func @batched
// CHECK: scf.for
// CHECK: call @onnxc_uk_sgemm_mt_avx512
func.func @batched(%a: memref<4x32x64xf32>, %b: memref<4x64x32xf32>, %c: memref<4x32x32xf32>) {
  linalg.generic {indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>,
                                   affine_map<(b, m, n, k) -> (b, m, n)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x32x64xf32>, memref<4x64x32xf32>) outs(%c : memref<4x32x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// Output columns that are not contiguous: the loops stay.
// CHECK-LABEL: func.func @strided_output
// CHECK-NOT: call
// CHECK: linalg.generic
func.func @strided_output(%a: memref<32x64xf32>, %b: memref<64x32xf32>, %c: memref<32x32xf32, strided<[1, 32]>>) {
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<32x64xf32>, memref<64x32xf32>) outs(%c : memref<32x32xf32, strided<[1, 32]>>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// The Conv lowering's grouped 2-D convolution (stride 2, dilation 1) with
// constant weights: packed per group, a call to the conv kernel.
// CHECK-LABEL: func.func @conv
// CHECK: call @onnxc_uk_sconv2d_mt_avx512
// CHECK-NOT: linalg.generic
memref.global "private" constant @cw : memref<1x16x8x3x3xf32> = dense<0.5>
func.func @conv(%x: memref<1x1x8x10x10xf32>, %out: memref<1x1x16x4x4xf32>) {
  %w = memref.get_global @cw : memref<1x16x8x3x3xf32>
  linalg.generic {indexing_maps = [affine_map<(n, g, f, oh, ow, c, kh, kw) -> (n, g, c, oh * 2 + kh, ow * 2 + kw)>,
                                   affine_map<(n, g, f, oh, ow, c, kh, kw) -> (g, f, c, kh, kw)>,
                                   affine_map<(n, g, f, oh, ow, c, kh, kw) -> (n, g, f, oh, ow)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x1x8x10x10xf32>, memref<1x16x8x3x3xf32>) outs(%out : memref<1x1x16x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// Depthwise (groups = channels, one filter each): weights read in place.
// CHECK-LABEL: func.func @depthwise
// CHECK: call @onnxc_uk_sdwconv2d_mt_avx512
func.func @depthwise(%x: memref<1x8x1x6x6xf32>, %w: memref<8x1x1x3x3xf32>, %out: memref<1x8x1x4x4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(n, g, f, oh, ow, c, kh, kw) -> (n, g, c, oh + kh, ow + kw)>,
                                   affine_map<(n, g, f, oh, ow, c, kh, kw) -> (g, f, c, kh, kw)>,
                                   affine_map<(n, g, f, oh, ow, c, kh, kw) -> (n, g, f, oh, ow)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x8x1x6x6xf32>, memref<8x1x1x3x3xf32>) outs(%out : memref<1x8x1x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A zero fill that initialises C is dropped: the kernel overwrites C instead
// of accumulating onto it (accumulate = 0, the i64 after the clamp bounds).
// CHECK-LABEL: func.func @zero_init
// CHECK-NOT: linalg.fill
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-NOT: linalg.fill
// CHECK: call @onnxc_uk_sgemm_mt_avx512({{.*}}, %{{.*}}, %{{.*}}, %[[ZERO]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) :
func.func @zero_init(%a: memref<32x64xf32>, %b: memref<64x32xf32>, %c: memref<32x32xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<32x32xf32>)
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<32x64xf32>, memref<64x32xf32>) outs(%c : memref<32x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A residual init (the skip plus the bias, onnxc-fold-residual-add) with an
// unrelated kernel between it and the convolution, on its own view of the
// buffer: it still folds into the call as bias + accumulate (the i64 after the
// clamp bounds is 1), so the skip is not read and written an extra time.
// CHECK-LABEL: func.func @residual_init_apart
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-NOT: linalg.generic
// CHECK: call @onnxc_uk_sgemm_mt_avx512
// CHECK-NOT: linalg.generic
// CHECK: call @onnxc_uk_sconv2d_mt_avx512({{.*}}, %[[ONE]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) :
memref.global "private" constant @rw : memref<1x16x8x1x1xf32> = dense<0.5>
memref.global "private" constant @rb : memref<1x16xf32> = dense<0.25>
func.func @residual_init_apart(%x: memref<1x8x6x6xf32>, %skip: memref<1x16x6x6xf32>,
                               %a: memref<32x64xf32>, %b: memref<64x32xf32>, %c: memref<32x32xf32>) {
  %bias = memref.get_global @rb : memref<1x16xf32>
  %w = memref.get_global @rw : memref<1x16x8x1x1xf32>
  %init = memref.expand_shape %skip [[0], [1, 2], [3], [4]] output_shape [1, 1, 16, 6, 6] : memref<1x16x6x6xf32> into memref<1x1x16x6x6xf32>
  linalg.generic {indexing_maps = [affine_map<(n, g, f, h, w) -> (g, f)>, affine_map<(n, g, f, h, w) -> (n, g, f, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%bias : memref<1x16xf32>) outs(%init : memref<1x1x16x6x6xf32>) {
  ^bb0(%v: f32, %old: f32):
    %s = arith.addf %old, %v : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<32x64xf32>, memref<64x32xf32>) outs(%c : memref<32x32xf32>) {
  ^bb0(%p0: f32, %p1: f32, %acc: f32):
    %p = arith.mulf %p0, %p1 : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  %xv = memref.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [1, 1, 8, 6, 6] : memref<1x8x6x6xf32> into memref<1x1x8x6x6xf32>
  %out = memref.expand_shape %skip [[0], [1, 2], [3], [4]] output_shape [1, 1, 16, 6, 6] : memref<1x16x6x6xf32> into memref<1x1x16x6x6xf32>
  linalg.generic {indexing_maps = [affine_map<(n, g, f, oh, ow, c, kh, kw) -> (n, g, c, oh + kh, ow + kw)>,
                                   affine_map<(n, g, f, oh, ow, c, kh, kw) -> (g, f, c, kh, kw)>,
                                   affine_map<(n, g, f, oh, ow, c, kh, kw) -> (n, g, f, oh, ow)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%xv, %w : memref<1x1x8x6x6xf32>, memref<1x16x8x1x1xf32>) outs(%out : memref<1x1x16x6x6xf32>) {
  ^bb0(%p0: f32, %p1: f32, %acc: f32):
    %p = arith.mulf %p0, %p1 : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
