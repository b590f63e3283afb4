//===- ONNXOps.td - ONNX operators ----------------------------------------===//
#ifndef ONNXC_IR_ONNXOPS_TD
#define ONNXC_IR_ONNXOPS_TD

include "ir/ONNXBase.td"

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def ONNX_ConstantOp : ONNX_Op<"Constant", [ConstantLike]> {
  let summary = "A constant tensor (a Constant node or an initializer).";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs ONNX_Tensor:$output);
  // `onnx.Constant dense<...> : tensor<2xf32>`: the value carries the type.
  let hasCustomAssemblyFormat = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class ONNX_BinaryOp<string mnemonic> : ONNX_Op<mnemonic> {
  let summary = "Elementwise binary op with numpy-style broadcasting.";
  let arguments = (ins ONNX_Tensor:$A, ONNX_Tensor:$B);
  let results = (outs ONNX_Tensor:$C);
  let assemblyFormat = "$A `,` $B attr-dict `:` functional-type(operands, results)";
}
def ONNX_AddOp : ONNX_BinaryOp<"Add">;
def ONNX_SubOp : ONNX_BinaryOp<"Sub">;
def ONNX_MulOp : ONNX_BinaryOp<"Mul">;
def ONNX_DivOp : ONNX_BinaryOp<"Div">;

class ONNX_UnaryOp<string mnemonic> : ONNX_Op<mnemonic> {
  let arguments = (ins ONNX_Tensor:$X);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}
def ONNX_ReluOp : ONNX_UnaryOp<"Relu">;
def ONNX_SigmoidOp : ONNX_UnaryOp<"Sigmoid">;
def ONNX_TanhOp : ONNX_UnaryOp<"Tanh">;
def ONNX_IdentityOp : ONNX_UnaryOp<"Identity"> { let hasFolder = 1; }

def ONNX_ClipOp : ONNX_Op<"Clip", [AttrSizedOperandSegments]> {
  let summary = "Clamp to [min, max]; min and max are optional scalar tensors.";
  let arguments = (ins ONNX_Tensor:$input, Optional<ONNX_Tensor>:$min,
                       Optional<ONNX_Tensor>:$max);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input (`min` $min^)? (`max` $max^)? attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def ONNX_GemmOp : ONNX_Op<"Gemm"> {
  let summary = "Y = alpha * op(A) * op(B) + beta * C";
  let arguments = (ins ONNX_Tensor:$A, ONNX_Tensor:$B, Optional<ONNX_Tensor>:$C,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0">:$beta,
                       DefaultValuedAttr<I64Attr, "0">:$transA,
                       DefaultValuedAttr<I64Attr, "0">:$transB);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$A `,` $B (`,` $C^)? attr-dict `:` functional-type(operands, results)";
}

def ONNX_MatMulOp : ONNX_Op<"MatMul"> {
  let summary = "numpy.matmul: batched, broadcasting, 1-D operands promoted";
  let arguments = (ins ONNX_Tensor:$A, ONNX_Tensor:$B);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$A `,` $B attr-dict `:` functional-type(operands, results)";
}

def ONNX_ConvOp : ONNX_Op<"Conv"> {
  let summary = "N-D grouped convolution (NCHW), with auto_pad resolved once shapes are known";
  let arguments = (ins ONNX_Tensor:$X, ONNX_Tensor:$W, Optional<ONNX_Tensor>:$B,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group,
                       OptionalAttr<I64ArrayAttr>:$kernel_shape,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X `,` $W (`,` $B^)? attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

class ONNX_PoolOp<string mnemonic> : ONNX_Op<mnemonic> {
  let arguments = (ins ONNX_Tensor:$X,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                       DefaultValuedAttr<I64Attr, "0">:$count_include_pad,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       I64ArrayAttr:$kernel_shape,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}
def ONNX_MaxPoolOp : ONNX_PoolOp<"MaxPool">;
def ONNX_AveragePoolOp : ONNX_PoolOp<"AveragePool">;

// The p-th root of the sum of |x|^p over each window (zero padding adds nothing).
def ONNX_LpPoolOp : ONNX_Op<"LpPool"> {
  let arguments = (ins ONNX_Tensor:$X,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       I64ArrayAttr:$kernel_shape,
                       DefaultValuedAttr<I64Attr, "2">:$p,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}

def ONNX_GlobalAveragePoolOp : ONNX_UnaryOp<"GlobalAveragePool">;
def ONNX_GlobalMaxPoolOp : ONNX_UnaryOp<"GlobalMaxPool">;

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

def ONNX_BatchNormalizationOp : ONNX_Op<"BatchNormalization"> {
  let summary = "Inference-mode batch normalisation over dimension 1";
  let arguments = (ins ONNX_Tensor:$X, ONNX_Tensor:$scale, ONNX_Tensor:$B,
                       ONNX_Tensor:$mean, ONNX_Tensor:$var,
                       DefaultValuedAttr<F32Attr, "1e-5">:$epsilon);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_SoftmaxOp : ONNX_Op<"Softmax"> {
  let summary = "Softmax along one axis (opset 13 semantics)";
  let arguments = (ins ONNX_Tensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def ONNX_SoftmaxV1Op : ONNX_Op<"SoftmaxV1"> {
  let summary = "Softmax over all dimensions from axis on (opsets 1-12 semantics)";
  let arguments = (ins ONNX_Tensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def ONNX_FlattenOp : ONNX_Op<"Flatten"> {
  let arguments = (ins ONNX_Tensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def ONNX_ReshapeOp : ONNX_Op<"Reshape"> {
  let summary = "Reshape to a shape given by a constant int64 tensor";
  let arguments = (ins ONNX_Tensor:$data, ONNX_Tensor:$shape,
                       DefaultValuedAttr<I64Attr, "0">:$allowzero);
  let results = (outs ONNX_Tensor:$reshaped);
  let assemblyFormat = "$data `,` $shape attr-dict `:` functional-type(operands, results)";
}

def ONNX_TransposeOp : ONNX_Op<"Transpose"> {
  let arguments = (ins ONNX_Tensor:$data, OptionalAttr<I64ArrayAttr>:$perm);
  let results = (outs ONNX_Tensor:$transposed);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
}

def ONNX_ConcatOp : ONNX_Op<"Concat"> {
  let arguments = (ins Variadic<ONNX_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs ONNX_Tensor:$concat_result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
}

include "ir/ONNXElementwiseOps.td"
include "ir/ONNXReductionOps.td"
include "ir/ONNXShapeOps.td"
include "ir/ONNXNormalizationOps.td"
include "ir/ONNXImageOps.td"
include "ir/ONNXLossOps.td"
include "ir/ONNXRecurrentOps.td"
include "ir/ONNXSequenceMixingOps.td"
include "ir/ONNXSignalOps.td"
include "ir/ONNXDataOps.td"

#endif // ONNXC_IR_ONNXOPS_TD
