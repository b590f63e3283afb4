//===- ONNXImageOps.td - resampling and transposed convolution -*- tablegen -*-===//
//
// Ops that change spatial resolution. Their shape-determining operands
// (Resize's roi/scales/sizes) must be compile-time constants: onnxc compiles
// static shapes, and the interpolation weights are computed at compile time.
//
//===----------------------------------------------------------------------===//

def ONNX_ResizeOp : ONNX_Op<"Resize", [AttrSizedOperandSegments]> {
  let summary = "Nearest/linear/cubic resampling (opset 19 semantics; older opsets and "
                "Upsample are normalised by the importer)";
  let arguments = (ins ONNX_Tensor:$X, Optional<ONNX_Tensor>:$roi,
                       Optional<ONNX_Tensor>:$scales, Optional<ONNX_Tensor>:$sizes,
                       DefaultValuedAttr<I64Attr, "0">:$antialias,
                       OptionalAttr<I64ArrayAttr>:$axes,
                       DefaultValuedStrAttr<StrAttr, "half_pixel">:$coordinate_transformation_mode,
                       DefaultValuedAttr<F32Attr, "-0.75">:$cubic_coeff_a,
                       DefaultValuedAttr<I64Attr, "0">:$exclude_outside,
                       DefaultValuedAttr<F32Attr, "0.0">:$extrapolation_value,
                       DefaultValuedStrAttr<StrAttr, "stretch">:$keep_aspect_ratio_policy,
                       DefaultValuedStrAttr<StrAttr, "nearest">:$mode,
                       DefaultValuedStrAttr<StrAttr, "round_prefer_floor">:$nearest_mode);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X (`roi` $roi^)? (`scales` $scales^)? (`sizes` $sizes^)? attr-dict `:` "
                       "functional-type(operands, results)";
}

def ONNX_ConvTransposeOp : ONNX_Op<"ConvTranspose"> {
  let summary = "N-D grouped transposed convolution (NCHW); output_shape and auto_pad are "
                "resolved to pads once shapes are known";
  let arguments = (ins ONNX_Tensor:$X, ONNX_Tensor:$W, Optional<ONNX_Tensor>:$B,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group,
                       OptionalAttr<I64ArrayAttr>:$kernel_shape,
                       OptionalAttr<I64ArrayAttr>:$output_padding,
                       OptionalAttr<I64ArrayAttr>:$output_shape,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X `,` $W (`,` $B^)? attr-dict `:` functional-type(operands, results)";
}

def ONNX_DepthToSpaceOp : ONNX_Op<"DepthToSpace"> {
  let summary = "Moves channel blocks into spatial blocks (NCHW); mode DCR or CRD";
  let arguments = (ins ONNX_Tensor:$input, I64Attr:$blocksize,
                       DefaultValuedStrAttr<StrAttr, "DCR">:$mode);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def ONNX_SpaceToDepthOp : ONNX_Op<"SpaceToDepth"> {
  let summary = "Moves spatial blocks into channels (NCHW); mode DCR or CRD (opset 28)";
  let arguments = (ins ONNX_Tensor:$input, I64Attr:$blocksize,
                       DefaultValuedStrAttr<StrAttr, "DCR">:$mode);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Sampling at computed positions: the positions come from tensors (a grid,
// offsets, regions of interest), so the interpolation weights are computed at
// run time inside the lowered loops.
//===----------------------------------------------------------------------===//

def ONNX_GridSampleOp : ONNX_Op<"GridSample"> {
  let summary = "Samples X (N, C, D1..Dr) at the normalised positions of grid "
                "(N, O1..Or, r); opset 16 bilinear/bicubic are imported as linear/cubic";
  let arguments = (ins ONNX_Tensor:$X, ONNX_Tensor:$grid,
                       DefaultValuedAttr<I64Attr, "0">:$align_corners,
                       DefaultValuedStrAttr<StrAttr, "linear">:$mode,
                       DefaultValuedStrAttr<StrAttr, "zeros">:$padding_mode);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X `,` $grid attr-dict `:` functional-type(operands, results)";
}

def ONNX_AffineGridOp : ONNX_Op<"AffineGrid"> {
  let summary = "The sampling grid (N, D.., r) of affine matrices theta (N, r, r+1); "
                "size must be a compile-time constant";
  let arguments = (ins ONNX_Tensor:$theta, ONNX_Tensor:$size,
                       DefaultValuedAttr<I64Attr, "0">:$align_corners);
  let results = (outs ONNX_Tensor:$grid);
  let assemblyFormat = "$theta `,` $size attr-dict `:` functional-type(operands, results)";
}

def ONNX_DeformConvOp : ONNX_Op<"DeformConv", [AttrSizedOperandSegments]> {
  let summary = "2-D grouped convolution whose taps are moved by per-position offsets "
                "(bilinear, zero outside) and optionally scaled by a mask";
  let arguments = (ins ONNX_Tensor:$X, ONNX_Tensor:$W, ONNX_Tensor:$offset,
                       Optional<ONNX_Tensor>:$B, Optional<ONNX_Tensor>:$mask,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group,
                       OptionalAttr<I64ArrayAttr>:$kernel_shape,
                       DefaultValuedAttr<I64Attr, "1">:$offset_group,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X `,` $W `,` $offset (`bias` $B^)? (`mask` $mask^)? attr-dict `:` "
                       "functional-type(operands, results)";
}

def ONNX_RoiAlignOp : ONNX_Op<"RoiAlign"> {
  let summary = "Average or max of bilinear samples over each bin of each region of interest";
  let arguments = (ins ONNX_Tensor:$X, ONNX_Tensor:$rois, ONNX_Tensor:$batch_indices,
                       DefaultValuedStrAttr<StrAttr, "half_pixel">:$coordinate_transformation_mode,
                       DefaultValuedStrAttr<StrAttr, "avg">:$mode,
                       DefaultValuedAttr<I64Attr, "1">:$output_height,
                       DefaultValuedAttr<I64Attr, "1">:$output_width,
                       DefaultValuedAttr<I64Attr, "0">:$sampling_ratio,
                       DefaultValuedAttr<F32Attr, "1.0">:$spatial_scale);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X `,` $rois `,` $batch_indices attr-dict `:` "
                       "functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Crops, folds and unpooling: data movement whose geometry is compile-time.
//===----------------------------------------------------------------------===//

def ONNX_CenterCropPadOp : ONNX_Op<"CenterCropPad"> {
  let summary = "Crops or zero-pads each axis to `shape`, centred; shape must be constant";
  let arguments = (ins ONNX_Tensor:$input, ONNX_Tensor:$shape,
                       OptionalAttr<I64ArrayAttr>:$axes);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input `,` $shape attr-dict `:` functional-type(operands, results)";
}

def ONNX_Col2ImOp : ONNX_Op<"Col2Im"> {
  let summary = "Sums sliding blocks (N, C*prod(block), L) back into an image; "
                "image_shape and block_shape must be constant";
  let arguments = (ins ONNX_Tensor:$input, ONNX_Tensor:$image_shape, ONNX_Tensor:$block_shape,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input `,` $image_shape `,` $block_shape attr-dict `:` "
                       "functional-type(operands, results)";
}

def ONNX_MaxUnpoolOp : ONNX_Op<"MaxUnpool"> {
  let summary = "Scatters X to the flat positions I (as MaxPool's Indices) of a zero output";
  let arguments = (ins ONNX_Tensor:$X, ONNX_Tensor:$I, Optional<ONNX_Tensor>:$output_shape,
                       I64ArrayAttr:$kernel_shape,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$X `,` $I (`,` $output_shape^)? attr-dict `:` "
                       "functional-type(operands, results)";
}

def ONNX_MaxPoolWithIndicesOp : ONNX_Op<"MaxPoolWithIndices"> {
  let summary = "MaxPool that also returns the flat input index of each maximum "
                "(row-major, or column-major over the spatial dims with storage_order=1)";
  let arguments = (ins ONNX_Tensor:$X,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       I64ArrayAttr:$kernel_shape,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       DefaultValuedAttr<I64Attr, "0">:$storage_order,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs ONNX_Tensor:$Y, ONNX_Tensor:$Indices);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}
