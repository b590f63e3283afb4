//===- ONNXToLinalg.cpp - convert-onnx-to-linalg pass ---------------------===//
#include "passes/lower/LoweringUtils.h"

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Transforms/DialectConversion.h"

namespace onnxc {
#define GEN_PASS_DEF_CONVERTONNXTOLINALG
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

/// An onnx op whose results all have no element computes nothing: whatever
/// its operands, each result is an empty tensor. Matched before the op
/// family's own lowering, which may build slices or loops that MLIR's
/// verifiers reject for zero sizes (an offset 0 into a 0-sized dimension).
struct EmptyResultLowering : ConversionPattern {
  EmptyResultLowering(const TypeConverter &converter, MLIRContext *ctx)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/10, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                                ConversionPatternRewriter &rewriter) const override {
    // Constants keep their own lowering: consumers read an empty constant
    // (no axes, no pads) through m_Constant, which tensor.empty would hide.
    if (!isa<onnx::ONNXDialect>(op->getDialect()) || op->getNumResults() == 0 ||
        op->hasTrait<OpTrait::ConstantLike>())
      return failure();
    SmallVector<Value> empties;
    for (Value result : op->getResults()) {
      auto type = dyn_cast_or_null<RankedTensorType>(getTypeConverter()->convertType(result.getType()));
      if (!type || !type.hasStaticShape() || type.getNumElements() != 0)
        return failure();
      empties.push_back(tensor::EmptyOp::create(rewriter, op->getLoc(), type.getShape(),
                                                type.getElementType()));
    }
    rewriter.replaceOp(op, empties);
    return success();
  }
};

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

    lower::SignlessTypeConverter converter;
    RewritePatternSet patterns(ctx);
    lower::populateElementwisePatterns(converter, patterns);
    lower::populateContractionPatterns(converter, patterns);
    lower::populateConvolutionPatterns(converter, patterns);
    lower::populatePoolingPatterns(converter, patterns);
    lower::populateNormalizationPatterns(converter, patterns);
    lower::populateDataMovementPatterns(converter, patterns);
    lower::populateReductionPatterns(converter, patterns);
    lower::populateIndexingPatterns(converter, patterns);
    lower::populateMomentNormalizationPatterns(converter, patterns);
    lower::populateScanPatterns(converter, patterns);
    lower::populateResizePatterns(converter, patterns);
    lower::populateScatterPatterns(converter, patterns);
    lower::populateBlockRearrangePatterns(converter, patterns);
    lower::populateSamplingPatterns(converter, patterns);
    lower::populateCropFoldPatterns(converter, patterns);
    lower::populateSelectionPatterns(converter, patterns);
    lower::populateEinsumPatterns(converter, patterns);
    lower::populateLinearAlgebraPatterns(converter, patterns);
    lower::populateTfIdfPatterns(converter, patterns);
    lower::populateTreeEnsemblePatterns(converter, patterns);
    patterns.add<EmptyResultLowering>(converter, ctx);
    // Function signatures lose unsigned element types too.
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*ctx);
    target.addIllegalDialect<onnx::ONNXDialect>();
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect, arith::ArithDialect,
                           math::MathDialect, scf::SCFDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp f) {
      return converter.isSignatureLegal(f.getFunctionType()) && converter.isLegal(&f.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp>(
        [&](func::ReturnOp r) { return converter.isLegal(r.getOperandTypes()); });
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      return signalPassFailure();
    // Graph inputs are `const` in the C ABI: bufferization must copy rather
    // than write into them (e.g. when a bias input seeds an accumulator).
    getOperation().walk([](func::FuncOp func) {
      if (func.isExternal())
        return;
      for (unsigned i = 0; i < func.getNumArguments(); ++i)
        func.setArgAttr(i, "bufferization.writable", BoolAttr::get(func.getContext(), false));
    });
  }
};

} // namespace
