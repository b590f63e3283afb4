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
