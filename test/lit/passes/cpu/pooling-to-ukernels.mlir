// RUN: onnxc-opt %s --onnxc-contractions-to-ukernels=isa=avx512 --canonicalize | FileCheck %s

#x = affine_map<(n, c, oh, kh, kw, ow) -> (n, c, oh * 2 + kh, ow * 2 + kw)>
#win = affine_map<(n, c, oh, kh, kw, ow) -> (kh, kw)>
#o = affine_map<(n, c, oh, kh, kw, ow) -> (n, c, oh, ow)>

// MaxPool 3x3 stride 2 pads 1 as the lowering leaves it: a -inf-filled padded
// copy of the input and a -inf output init. The kernel reads the 12x12 input
// itself (pads 1, 1), so the fills, the copy and the loops all go.
// CHECK-LABEL: func.func @maxpool_padded
// CHECK-SAME: (%[[IN:.*]]: memref<1x8x12x12xf32>, %[[OUT:.*]]: memref<1x8x6x6xf32>, %[[EXEC:.*]]: !llvm.ptr {onnxc.executor})
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[C12:.*]] = arith.constant 12 : i64
// CHECK-NOT: linalg.
// CHECK-NOT: memref.copy
// CHECK: call @onnxc_uk_smaxpool2d_mt_avx512(%[[C1]], %{{.*}}, %[[C12]], %[[C12]], {{.*}}, %[[C1]], %[[C1]], %{{.*}}, %{{.*}}, %[[EXEC]], %{{.*}}) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64) -> ()
func.func @maxpool_padded(%in: memref<1x8x12x12xf32>, %out: memref<1x8x6x6xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %pad = memref.alloc() {alignment = 64 : i64} : memref<1x8x14x14xf32>
  linalg.fill ins(%ninf : f32) outs(%pad : memref<1x8x14x14xf32>)
  %interior = memref.subview %pad[0, 0, 1, 1] [1, 8, 12, 12] [1, 1, 1, 1] : memref<1x8x14x14xf32> to memref<1x8x12x12xf32, strided<[1568, 196, 14, 1], offset: 15>>
  memref.copy %in, %interior : memref<1x8x12x12xf32> to memref<1x8x12x12xf32, strided<[1568, 196, 14, 1], offset: 15>>
  linalg.fill ins(%ninf : f32) outs(%out : memref<1x8x6x6xf32>)
  %window = memref.alloc() : memref<3x3xf32>
  linalg.generic {indexing_maps = [#x, #win, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
      ins(%pad, %window : memref<1x8x14x14xf32>, memref<3x3xf32>) outs(%out : memref<1x8x6x6xf32>) {
  ^bb0(%v: f32, %w: f32, %acc: f32):
    %m = arith.maximumf %acc, %v : f32
    linalg.yield %m : f32
  }
  return
}

// An output that does not start at -inf (here: 0, as for a fused Relu) keeps
// the loops: the kernel would overwrite it.
// CHECK-LABEL: func.func @maxpool_zero_init
// CHECK: linalg.generic
// CHECK-NOT: call @onnxc_uk_smaxpool2d
func.func @maxpool_zero_init(%in: memref<1x8x13x13xf32>, %out: memref<1x8x6x6xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<1x8x6x6xf32>)
  %window = memref.alloc() : memref<3x3xf32>
  linalg.generic {indexing_maps = [#x, #win, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
      ins(%in, %window : memref<1x8x13x13xf32>, memref<3x3xf32>) outs(%out : memref<1x8x6x6xf32>) {
  ^bb0(%v: f32, %w: f32, %acc: f32):
    %m = arith.maximumf %acc, %v : f32
    linalg.yield %m : f32
  }
  return
}
