//===- ONNXBase.td - the onnx dialect and its op base class ---------------===//
//
// The `onnx` dialect holds an imported ONNX graph after opset normalisation:
// one op per ONNX operator, with the semantics of the newest opset that onnxc
// supports. Older opsets are rewritten by the importer (attributes that became
// inputs become constants; changed semantics get their own op, e.g.
// SoftmaxV1 for opsets 1-12).
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_IR_ONNXBASE_TD
#define ONNXC_IR_ONNXBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def ONNX_Dialect : Dialect {
  let name = "onnx";
  let summary = "ONNX operators, opset-normalised";
  let cppNamespace = "::onnxc::onnx";
  let hasConstantMaterializer = 0;
}

include "ir/ShapeInferenceInterface.td"

class ONNX_Op<string mnemonic, list<Trait> traits = []>
    : Op<ONNX_Dialect, mnemonic,
         !listconcat(traits, [Pure, DeclareOpInterfaceMethods<ONNX_ShapeInferenceOpInterface>])>;

// Element types computations are defined for so far.
def ONNX_Tensor : TensorOf<[AnyFloat, AnySignlessInteger, AnyUnsignedInteger, I1]>;

#endif // ONNXC_IR_ONNXBASE_TD
