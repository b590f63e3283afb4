//===- ONNXElementwiseOps.td - math, comparison, logic, casts -------------===//
#ifndef ONNXC_IR_ONNXELEMENTWISEOPS_TD
#define ONNXC_IR_ONNXELEMENTWISEOPS_TD

include "ir/ONNXBase.td"

// Unary math without attributes. Their scalar semantics live in one table in
// passes/lower/Elementwise.cpp.
foreach name = ["Abs", "Neg", "Exp", "Log", "Sqrt", "Reciprocal", "Floor", "Ceil", "Round",
                "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh",
                "Atanh", "Erf", "Sign", "Softplus", "Softsign", "Not", "BitwiseNot", "IsNaN",
                "Mish", "HardSwish"] in {
  def ONNX_#name#Op : ONNX_Op<name> {
    let arguments = (ins ONNX_Tensor:$X);
    let results = (outs ONNX_Tensor:$Y);
    let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
  }
}

// Unary activations parameterised by float attributes (ONNX defaults).
class ONNX_ActivationOp<string mnemonic, dag attrs> : ONNX_Op<mnemonic> {
  let arguments = !con((ins ONNX_Tensor:$X), attrs);
  let results = (outs ONNX_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}
def ONNX_LeakyReluOp : ONNX_ActivationOp<"LeakyRelu", (ins DefaultValuedAttr<F32Attr, "0.01">:$alpha)>;
def ONNX_EluOp : ONNX_ActivationOp<"Elu", (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def ONNX_CeluOp : ONNX_ActivationOp<"Celu", (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def ONNX_ThresholdedReluOp : ONNX_ActivationOp<"ThresholdedRelu", (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def ONNX_SeluOp : ONNX_ActivationOp<"Selu", (ins DefaultValuedAttr<F32Attr, "1.67326319217681884765625">:$alpha,
                                               DefaultValuedAttr<F32Attr, "1.05070102214813232421875">:$gamma)>;
def ONNX_HardSigmoidOp : ONNX_ActivationOp<"HardSigmoid", (ins DefaultValuedAttr<F32Attr, "0.2">:$alpha,
                                                             DefaultValuedAttr<F32Attr, "0.5">:$beta)>;
def ONNX_ShrinkOp : ONNX_ActivationOp<"Shrink", (ins DefaultValuedAttr<F32Attr, "0.0">:$bias,
                                                   DefaultValuedAttr<F32Attr, "0.5">:$lambd)>;
def ONNX_GeluOp : ONNX_ActivationOp<"Gelu", (ins DefaultValuedStrAttr<StrAttr, "none">:$approximate)>;
def ONNX_IsInfOp : ONNX_ActivationOp<"IsInf", (ins DefaultValuedAttr<I64Attr, "1">:$detect_negative,
                                                 DefaultValuedAttr<I64Attr, "1">:$detect_positive)>;

// Binary ops with numpy broadcasting (Add/Sub/Mul/Div live in ONNXOps.td).
foreach name = ["Pow", "PRelu", "Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual",
                "And", "Or", "Xor", "BitwiseAnd", "BitwiseOr", "BitwiseXor"] in {
  def ONNX_#name#Op : ONNX_BinaryOp<name>;
}
def ONNX_ModOp : ONNX_Op<"Mod"> {
  let arguments = (ins ONNX_Tensor:$A, ONNX_Tensor:$B, DefaultValuedAttr<I64Attr, "0">:$fmod);
  let results = (outs ONNX_Tensor:$C);
  let assemblyFormat = "$A `,` $B attr-dict `:` functional-type(operands, results)";
}
def ONNX_BitShiftOp : ONNX_Op<"BitShift"> {
  let arguments = (ins ONNX_Tensor:$X, ONNX_Tensor:$Y, StrAttr:$direction);
  let results = (outs ONNX_Tensor:$Z);
  let assemblyFormat = "$X `,` $Y attr-dict `:` functional-type(operands, results)";
}

// Variadic elementwise reductions over inputs, broadcasting all of them.
foreach name = ["Max", "Min", "Sum", "Mean"] in {
  def ONNX_#name#Op : ONNX_Op<name> {
    let arguments = (ins Variadic<ONNX_Tensor>:$inputs);
    let results = (outs ONNX_Tensor:$result);
    let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  }
}

def ONNX_WhereOp : ONNX_Op<"Where"> {
  let arguments = (ins ONNX_Tensor:$condition, ONNX_Tensor:$X, ONNX_Tensor:$Y);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

// Opset 26. Reinterprets each element's bits as `to` (same bit width; bool
// and 8-bit integers share a byte).
def ONNX_BitCastOp : ONNX_Op<"BitCast"> {
  let summary = "Reinterpret each element's bits as the type given by `to`";
  let arguments = (ins ONNX_Tensor:$input, I64Attr:$to);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def ONNX_CastOp : ONNX_Op<"Cast"> {
  let summary = "Convert elements to the type given by `to` (an ONNX data type code)";
  let description = [{
    `saturate` (float8 targets) clamps out-of-range values to the largest finite value
    instead of infinity or NaN; `round_mode` ("up", "down", "nearest") rounds float8e8m0
    targets.
  }];
  let arguments = (ins ONNX_Tensor:$input, I64Attr:$to, DefaultValuedAttr<I64Attr, "1">:$saturate,
                       DefaultValuedAttr<StrAttr, "\"up\"">:$round_mode);
  let results = (outs ONNX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

#endif // ONNXC_IR_ONNXELEMENTWISEOPS_TD
