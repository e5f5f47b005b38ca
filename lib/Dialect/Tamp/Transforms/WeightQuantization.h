//===- WeightQuantization.h - Numerics of weight-only quantization -*- C++
//-*-===//
//
// Round-to-nearest, GPTQ and AWQ-style quantization of a weight matrix whose
// rows are output channels and whose columns are the reduction (a linear
// layer's [out_features, in_features] weight, a convolution's weight
// flattened to [O, C * k1 * ... * kd]). Plain C++ on row-major arrays, so
// that `tamp-quantize-weights` and unit tests share it.
//
// Codes are formed per row in groups of consecutive columns, each group with
// its own scale (and, when asymmetric, zero point); the value a code stands
// for is (code - zero_point) * scale, computed in float as tamp.dequantize
// does, times an optional per-column factor (AWQ's 1 / s).
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_DIALECT_TAMP_TRANSFORMS_WEIGHTQUANTIZATION_H
#define TAMP_LIB_DIALECT_TAMP_TRANSFORMS_WEIGHTQUANTIZATION_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace tamp::weight_quantization {

/// The integer grid a weight is rounded to.
struct QuantizationScheme {
  /// Bits per code, 2 to 8.
  unsigned bits = 4;
  /// Consecutive columns sharing a scale; 0 (or at least the column count)
  /// makes each row one group. The last group of a row may be shorter.
  int64_t groupSize = 0;
  /// Symmetric: signed codes in [-2^(b-1), 2^(b-1) - 1] without zero point,
  /// the scale mapping the group's largest magnitude to 2^(b-1) - 1.
  /// Asymmetric: unsigned codes in [0, 2^b - 1] with a zero point, the scale
  /// mapping the group's range (widened to contain 0, so that zero is exact)
  /// onto the whole grid.
  bool symmetric = false;

  int64_t getEffectiveGroupSize(int64_t columns) const;
  int64_t getNumGroups(int64_t columns) const;
  int32_t getMinCode() const;
  int32_t getMaxCode() const;
};

/// A quantized [rows, columns] matrix.
struct QuantizedMatrix {
  int64_t rows = 0;
  int64_t columns = 0;
  QuantizationScheme scheme;
  /// rows x columns codes, row-major.
  std::vector<int32_t> codes;
  /// rows x getNumGroups(columns) scales.
  std::vector<float> scales;
  /// Zero points in the scales' layout; empty when symmetric.
  std::vector<int32_t> zeroPoints;
  /// Per-column factors that dequantized values are multiplied by (AWQ's
  /// 1 / s); empty when there are none.
  std::vector<float> columnFactors;

  /// The float value that element (row, column) stands for.
  float dequantize(int64_t row, int64_t column) const;
  /// All dequantized values, row-major.
  std::vector<float> dequantize() const;
};

/// Round to nearest (half to even) with per-group scales from each group's
/// extremes.
QuantizedMatrix quantizeRoundToNearest(llvm::ArrayRef<float> weight,
                                       int64_t rows, int64_t columns,
                                       const QuantizationScheme &scheme);

struct GPTQOptions {
  /// Added to the Hessian's diagonal, as a fraction of its mean.
  double dampening = 0.01;
  /// Quantize columns in order of decreasing Hessian diagonal.
  bool actOrder = true;
  /// Columns whose error updates are applied lazily together.
  int64_t blockSize = 128;
};

/// GPTQ (Frantar et al., 2022): quantizes one column at a time and spreads
/// its rounding error over the columns not yet quantized so as to minimise
/// tr((W - Wq) H (W - Wq)^T), with `hessian` the [columns, columns]
/// H = 2/n sum x x^T of the layer's inputs. A group's scale is chosen when
/// the first of its columns is reached, from the group's columns as updated
/// so far; with `actOrder` groups stay contiguous in the original column
/// order. Returns nullopt when the dampened Hessian is not positive definite.
std::optional<QuantizedMatrix> quantizeGPTQ(llvm::ArrayRef<float> weight,
                                            int64_t rows, int64_t columns,
                                            const QuantizationScheme &scheme,
                                            llvm::ArrayRef<double> hessian,
                                            const GPTQOptions &options);

/// AWQ-style scaling: quantizes W diag(s) to nearest and dequantizes with
/// diag(1 / s), where s_j = abs_mean_j ^ alpha (normalised so that
/// max(s) * min(s) = 1) and alpha in {0, 1/grid, ..., (grid-1)/grid}
/// minimises tr((W - Wq) H (W - Wq)^T), with H the full `hessian` when given
/// (columns x columns) and diag(abs_mean^2) otherwise. alpha = 0 is plain
/// round to nearest, so the result is never worse than it on that measure.
QuantizedMatrix quantizeAWQ(llvm::ArrayRef<float> weight, int64_t rows,
                            int64_t columns, const QuantizationScheme &scheme,
                            llvm::ArrayRef<double> absMean,
                            llvm::ArrayRef<double> hessian, int64_t gridSize);

/// tr((W - V) H (W - V)^T) for [rows, columns] matrices W and V and a
/// symmetric [columns, columns] H: the summed squared output error that
/// replacing W by V causes on the inputs H was accumulated from.
double getHessianWeightedError(llvm::ArrayRef<float> weight,
                               llvm::ArrayRef<float> approximation,
                               int64_t rows, int64_t columns,
                               llvm::ArrayRef<double> hessian);

/// Bytes that one row of `columns` codes of `bits` bits packs into.
int64_t getPackedRowBytes(int64_t columns, unsigned bits);

/// Packs each row of `codes` (as tamp.unpack_bits reads them): code j of a
/// row occupies bits [j * bits, (j + 1) * bits) of the row's little-endian
/// bit stream, in two's complement for negative codes.
std::vector<uint8_t> packCodes(llvm::ArrayRef<int32_t> codes, int64_t rows,
                               int64_t columns, unsigned bits);

} // namespace tamp::weight_quantization

#endif // TAMP_LIB_DIALECT_TAMP_TRANSFORMS_WEIGHTQUANTIZATION_H
