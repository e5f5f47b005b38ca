//===- TampToLinalg.h - Lowering tamp to linalg -----------------*- C++ -*-===//

#ifndef TAMP_CONVERSION_TAMPTOLINALG_TAMPTOLINALG_H
#define TAMP_CONVERSION_TAMPTOLINALG_TAMPTOLINALG_H

namespace mlir {
class ConversionTarget;
class RewritePatternSet;
class TypeConverter;
} // namespace mlir

namespace tamp {

/// Converts tamp's tensor types to the ones the lowered IR uses: unsigned and
/// signed integer elements become signless; `!tamp.string` has no lowering.
void populateTampToLinalgTypeConversion(mlir::TypeConverter &converter);

/// Adds the patterns that lower every tamp op to linalg, tensor, arith, math,
/// scf and cf.
void populateTampToLinalgConversionPatterns(
    const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);

/// Marks tamp illegal and the dialects the lowering produces legal.
void configureTampToLinalgTarget(mlir::ConversionTarget &target);

} // namespace tamp

#endif // TAMP_CONVERSION_TAMPTOLINALG_TAMPTOLINALG_H
