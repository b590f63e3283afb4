//===- ONNXControlFlowOps.h - onnx.If, onnx.Loop, onnx.Scan, onnx.Yield -*- C++ -*-===//
//
// Kept out of ONNXDialect.h: only the importer and the control flow expansion
// handle regions, and the rest of onnxc does not see these ops (they are gone
// after onnx-shape-inference).
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_IR_ONNXCONTROLFLOWOPS_H
#define ONNXC_IR_ONNXCONTROLFLOWOPS_H

#include "ir/ONNXDialect.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "ir/ONNXControlFlowOps.h.inc"

#endif // ONNXC_IR_ONNXCONTROLFLOWOPS_H
