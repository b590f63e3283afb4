//===- LoweringUtils.h - shared helpers of the onnx -> linalg lowering -*- C++ -*-===//
#ifndef ONNXC_PASSES_LOWER_LOWERINGUTILS_H
#define ONNXC_PASSES_LOWER_LOWERINGUTILS_H

#include "passes/Passes.h"
#include "mlir/Transforms/DialectConversion.h"

namespace onnxc::lower {

using BodyBuilder =
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// Indexing map that reads an operand of `operandShape` broadcast (numpy rules,
/// aligned to the right) into an iteration space of `resultRank` dims.
mlir::AffineMap broadcastMap(llvm::ArrayRef<int64_t> operandShape,
                             llvm::ArrayRef<int64_t> resultShape, mlir::MLIRContext *ctx);

/// A linalg.generic, all-parallel, that writes `resultType` from `inputs`
/// read through `inputMaps`; `body` computes one element from the inputs'
/// scalars.
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType resultType, mlir::ValueRange inputs,
                             llvm::ArrayRef<mlir::AffineMap> inputMaps, BodyBuilder body);

/// buildElementwise with numpy broadcasting maps for every input.
mlir::Value buildBroadcastElementwise(mlir::OpBuilder &b, mlir::Location loc,
                                      mlir::RankedTensorType resultType, mlir::ValueRange inputs,
                                      BodyBuilder body);

/// A tensor filled with `value` (linalg.fill of a tensor.empty).
mlir::Value buildFilled(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type,
                        mlir::Value value);

/// Scalar constant of a float or integer element type.
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type, double value);

/// Pads dims [2, rank) of an NC... tensor by `pads` (ONNX order: all begins,
/// then all ends) with `padValue`; returns `input` unchanged when all pads are 0.
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                       llvm::ArrayRef<int64_t> pads, mlir::Value padValue);

/// The largest finite value of a float type, negated: the identity of max.
mlir::Value lowestValue(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type);

/// A reduction of `input` over the dims flagged in `reduced` into a tensor of
/// the remaining dims, starting from `initValue`; `combine(acc, x)`.
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                           llvm::ArrayRef<bool> reduced, mlir::Value initValue,
                           llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::Value, mlir::Value)> combine);

/// `value` viewed with `target`'s shape (same element count): a collapse to
/// 1-D then an expand, both free after bufferization.
mlir::Value reshapeTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                      mlir::RankedTensorType target);

/// `type` (a ranked tensor) with unsigned integer elements made signless:
/// arith and linalg only take signless integers; signedness stays on the onnx
/// ops, where the patterns read it.
mlir::RankedTensorType signlessType(mlir::Type type);

/// The converter that applies signlessType to every tensor type.
class SignlessTypeConverter : public mlir::TypeConverter {
public:
  SignlessTypeConverter();
};

/// Patterns, one function per op family (one file each).
void populateElementwisePatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateContractionPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateConvolutionPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populatePoolingPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateNormalizationPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateDataMovementPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateReductionPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateIndexingPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateMomentNormalizationPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateScanPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateResizePatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateScatterPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateBlockRearrangePatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateSamplingPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateCropFoldPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateSelectionPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateEinsumPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateLinearAlgebraPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateTfIdfPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateTreeEnsemblePatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);

} // namespace onnxc::lower

#endif // ONNXC_PASSES_LOWER_LOWERINGUTILS_H
