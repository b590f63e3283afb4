//===- ShapeInferenceInterface.td - result shapes from operands -----------===//
#ifndef ONNXC_IR_SHAPEINFERENCEINTERFACE_TD
#define ONNXC_IR_SHAPEINFERENCEINTERFACE_TD

include "mlir/IR/OpBase.td"

// Ops report their result shapes from their operand shapes once these are
// known; the onnx-shape-inference pass drives it. Upstream's
// InferTypeOpInterface is not used because ONNX results start unranked and are
// refined in place, which InferTypeOpInterface's build-time contract does not
// model.
def ONNX_ShapeInferenceOpInterface : OpInterface<"ShapeInferenceOpInterface"> {
  let cppNamespace = "::onnxc::onnx";
  let description = [{
    Refines the result types of an op from its operand types (and constant
    operands). Fails with an error on the op when the operands are invalid.
  }];
  let methods = [
    InterfaceMethod<"Infer result shapes; set them on the results.",
      "::mlir::LogicalResult", "inferShapes">,
  ];
}

#endif // ONNXC_IR_SHAPEINFERENCEINTERFACE_TD
