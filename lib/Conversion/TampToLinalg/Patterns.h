//===- Patterns.h - Per-category tamp lowering patterns ---------*- C++ -*-===//
//
// The lowering is split by op category, as the dialect is (MathOps.cpp,
// NNOps.cpp, TensorOps.cpp, QuantOps.cpp); TampToLinalg.cpp gathers them.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_CONVERSION_TAMPTOLINALG_PATTERNS_H
#define TAMP_LIB_CONVERSION_TAMPTOLINALG_PATTERNS_H

namespace mlir {
class RewritePatternSet;
class TypeConverter;
} // namespace mlir

namespace tamp {
void populateMathToLinalgPatterns(const mlir::TypeConverter &converter,
                                  mlir::RewritePatternSet &patterns);
void populateNNToLinalgPatterns(const mlir::TypeConverter &converter,
                                mlir::RewritePatternSet &patterns);
void populateTensorToLinalgPatterns(const mlir::TypeConverter &converter,
                                    mlir::RewritePatternSet &patterns);
void populateQuantToLinalgPatterns(const mlir::TypeConverter &converter,
                                   mlir::RewritePatternSet &patterns);
/// quant.qcast/dcast/scast, tamp.dynamic_quantize and the element-wise ops
/// on quantized values (IntegerKernels.cpp); the quantized contractions are
/// lowered beside their float forms (MathOps.cpp, NNOps.cpp).
void populateIntegerKernelPatterns(const mlir::TypeConverter &converter,
                                   mlir::RewritePatternSet &patterns);
} // namespace tamp

#endif // TAMP_LIB_CONVERSION_TAMPTOLINALG_PATTERNS_H
