//===- ONNXToLinalg.cpp - convert-onnx-to-linalg pass ---------------------===//
#include "passes/lower/LoweringUtils.h"

namespace onnxc {
#define GEN_PASS_DEF_CONVERTONNXTOLINALG
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

struct ConvertONNXToLinalgPass
    : public onnxc::impl::ConvertONNXToLinalgBase<ConvertONNXToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // Lowering needs static shapes; report every op that lacks them by node.
    bool dynamic = false;
    getOperation().walk([&](Operation *op) {
      if (!isa<onnx::ONNXDialect>(op->getDialect()))
        return;
      for (Value v : op->getResults())
        if (!onnx::getStaticType(v)) {
          op->emitError() << "result shape is not static; run onnx-shape-inference first";
          dynamic = true;
          return;
        }
    });
    if (dynamic)
      return signalPassFailure();

    RewritePatternSet patterns(ctx);
    lower::populateElementwisePatterns(patterns);
    lower::populateContractionPatterns(patterns);
    lower::populateConvolutionPatterns(patterns);
    lower::populatePoolingPatterns(patterns);
    lower::populateNormalizationPatterns(patterns);
    lower::populateDataMovementPatterns(patterns);

    ConversionTarget target(*ctx);
    target.addIllegalDialect<onnx::ONNXDialect>();
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect, arith::ArithDialect,
                           math::MathDialect, func::FuncDialect>();
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
