//===- WeightQuantization.cpp - Numerics of weight-only quantization ------===//
//
// Matrices are row-major; the Hessian arithmetic runs in double. Rounding is
// half to even, as tamp.quantize rounds.
//
//===----------------------------------------------------------------------===//

#include "WeightQuantization.h"
#include "DenseLinearAlgebra.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

using namespace tamp::weight_quantization;
using tamp::factorCholesky;

//===----------------------------------------------------------------------===//
// Scheme and dequantization
//===----------------------------------------------------------------------===//

int64_t QuantizationScheme::getEffectiveGroupSize(int64_t columns) const {
  if (groupSize <= 0 || groupSize >= columns)
    return std::max<int64_t>(columns, 1);
  return groupSize;
}

int64_t QuantizationScheme::getNumGroups(int64_t columns) const {
  int64_t size = getEffectiveGroupSize(columns);
  return (columns + size - 1) / size;
}

int32_t QuantizationScheme::getMinCode() const {
  return symmetric ? -(int32_t(1) << (bits - 1)) : 0;
}

int32_t QuantizationScheme::getMaxCode() const {
  return symmetric ? (int32_t(1) << (bits - 1)) - 1 : (int32_t(1) << bits) - 1;
}

float QuantizedMatrix::dequantize(int64_t row, int64_t column) const {
  int64_t group = row * scheme.getNumGroups(columns) +
                  column / scheme.getEffectiveGroupSize(columns);
  float code = float(codes[row * columns + column]);
  if (!zeroPoints.empty())
    code -= float(zeroPoints[group]);
  float value = code * scales[group];
  if (!columnFactors.empty())
    value *= columnFactors[column];
  return value;
}

std::vector<float> QuantizedMatrix::dequantize() const {
  std::vector<float> values(rows * columns);
  for (int64_t row = 0; row < rows; ++row)
    for (int64_t column = 0; column < columns; ++column)
      values[row * columns + column] = dequantize(row, column);
  return values;
}

//===----------------------------------------------------------------------===//
// Group parameters
//===----------------------------------------------------------------------===//

namespace {

/// The scale and zero point of one group of one row.
struct GroupParameters {
  float scale = 1.0f;
  int32_t zeroPoint = 0;
};

/// Chooses a group's parameters from its extremes `low` <= `high`.
GroupParameters chooseParameters(const QuantizationScheme &scheme, double low,
                                 double high) {
  GroupParameters parameters;
  double scale;
  if (scheme.symmetric) {
    scale = std::max(std::fabs(low), std::fabs(high)) / scheme.getMaxCode();
  } else {
    low = std::min(low, 0.0);
    high = std::max(high, 0.0);
    scale = (high - low) / scheme.getMaxCode();
  }
  // An all-zero group (or one whose scale underflows float) takes scale 1:
  // its codes are the zero point either way.
  parameters.scale = float(scale);
  if (!(parameters.scale > 0.0f) || !std::isfinite(parameters.scale))
    parameters.scale = 1.0f;
  if (!scheme.symmetric)
    parameters.zeroPoint = int32_t(std::clamp<double>(
        std::nearbyint(-low / parameters.scale), 0, scheme.getMaxCode()));
  return parameters;
}

int32_t quantizeValue(const QuantizationScheme &scheme,
                      const GroupParameters &parameters, double value) {
  double code =
      std::nearbyint(value / double(parameters.scale)) + parameters.zeroPoint;
  return int32_t(
      std::clamp<double>(code, scheme.getMinCode(), scheme.getMaxCode()));
}

double dequantizeCode(const GroupParameters &parameters, int32_t code) {
  return double(float(code - parameters.zeroPoint) * parameters.scale);
}

QuantizedMatrix createEmptyMatrix(int64_t rows, int64_t columns,
                                  const QuantizationScheme &scheme) {
  QuantizedMatrix matrix;
  matrix.rows = rows;
  matrix.columns = columns;
  matrix.scheme = scheme;
  matrix.codes.assign(rows * columns, 0);
  int64_t groups = rows * scheme.getNumGroups(columns);
  matrix.scales.assign(groups, 1.0f);
  if (!scheme.symmetric)
    matrix.zeroPoints.assign(groups, 0);
  return matrix;
}

void storeParameters(QuantizedMatrix &matrix, int64_t groupIndex,
                     const GroupParameters &parameters) {
  matrix.scales[groupIndex] = parameters.scale;
  if (!matrix.zeroPoints.empty())
    matrix.zeroPoints[groupIndex] = parameters.zeroPoint;
}

} // namespace

//===----------------------------------------------------------------------===//
// Round to nearest
//===----------------------------------------------------------------------===//

QuantizedMatrix tamp::weight_quantization::quantizeRoundToNearest(
    llvm::ArrayRef<float> weight, int64_t rows, int64_t columns,
    const QuantizationScheme &scheme) {
  assert(int64_t(weight.size()) == rows * columns && "weight size mismatch");
  QuantizedMatrix matrix = createEmptyMatrix(rows, columns, scheme);
  int64_t groupSize = scheme.getEffectiveGroupSize(columns);
  int64_t numGroups = scheme.getNumGroups(columns);
  for (int64_t row = 0; row < rows; ++row) {
    for (int64_t group = 0; group < numGroups; ++group) {
      int64_t begin = group * groupSize;
      int64_t end = std::min(begin + groupSize, columns);
      const float *values = weight.data() + row * columns;
      auto [low, high] = std::minmax_element(values + begin, values + end);
      GroupParameters parameters = chooseParameters(scheme, *low, *high);
      storeParameters(matrix, row * numGroups + group, parameters);
      for (int64_t column = begin; column < end; ++column)
        matrix.codes[row * columns + column] =
            quantizeValue(scheme, parameters, values[column]);
    }
  }
  return matrix;
}

//===----------------------------------------------------------------------===//
// Dense linear algebra for GPTQ
//===----------------------------------------------------------------------===//

/// The upper triangular U with U^T U = H^{-1}, from the Cholesky factor L
/// of H (GPTQ's `cholesky(cholesky_inverse(L), upper=True)`): row i of U
/// holds the coefficients with which column i's quantization error updates
/// the later columns. False when H^{-1} is numerically not positive definite.
static bool getInverseCholeskyUpper(const std::vector<double> &lower, int64_t n,
                                    std::vector<double> &upper) {
  // Y = (L^{-1})^T, upper triangular, solved row by row from Y L^T = I.
  std::vector<double> inverseTransposed(n * n, 0.0);
  for (int64_t c = 0; c < n; ++c) {
    double *rowY = inverseTransposed.data() + c * n;
    for (int64_t i = c; i < n; ++i) {
      const double *rowL = lower.data() + i * n;
      double sum = i == c ? 1.0 : 0.0;
      for (int64_t k = c; k < i; ++k)
        sum -= rowY[k] * rowL[k];
      rowY[i] = sum / rowL[i];
    }
  }
  // H^{-1} = L^{-T} L^{-1} = Y Y^T.
  std::vector<double> inverse(n * n, 0.0);
  for (int64_t i = 0; i < n; ++i) {
    const double *rowI = inverseTransposed.data() + i * n;
    for (int64_t j = 0; j <= i; ++j) {
      const double *rowJ = inverseTransposed.data() + j * n;
      double sum = 0.0;
      for (int64_t k = i; k < n; ++k)
        sum += rowI[k] * rowJ[k];
      inverse[i * n + j] = sum;
      inverse[j * n + i] = sum;
    }
  }
  if (!factorCholesky(inverse, n))
    return false;
  upper.assign(n * n, 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j <= i; ++j)
      upper[j * n + i] = inverse[i * n + j];
  return true;
}

//===----------------------------------------------------------------------===//
// GPTQ
//===----------------------------------------------------------------------===//

std::optional<QuantizedMatrix> tamp::weight_quantization::quantizeGPTQ(
    llvm::ArrayRef<float> weight, int64_t rows, int64_t columns,
    const QuantizationScheme &scheme, llvm::ArrayRef<double> hessian,
    const GPTQOptions &options) {
  assert(int64_t(weight.size()) == rows * columns && "weight size mismatch");
  assert(int64_t(hessian.size()) == columns * columns && "Hessian mismatch");
  int64_t n = columns;

  // Columns that no input ever reached carry no information: zero them and
  // give them a unit diagonal so that H stays invertible.
  std::vector<double> h(hessian.begin(), hessian.end());
  std::vector<bool> dead(n, false);
  for (int64_t j = 0; j < n; ++j)
    if (h[j * n + j] == 0.0) {
      dead[j] = true;
      h[j * n + j] = 1.0;
    }

  // Processing order: position i handles original column order[i].
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  if (options.actOrder)
    std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      // Ties keep the original order, so the result is deterministic.
      double diagonalA = h[a * n + a], diagonalB = h[b * n + b];
      return diagonalA != diagonalB ? diagonalA > diagonalB : a < b;
    });
  std::vector<int64_t> position(n);
  for (int64_t i = 0; i < n; ++i)
    position[order[i]] = i;

  // The working weight and the dampened Hessian, in processing order.
  std::vector<double> w(rows * n);
  for (int64_t row = 0; row < rows; ++row)
    for (int64_t i = 0; i < n; ++i)
      w[row * n + i] =
          dead[order[i]] ? 0.0 : double(weight[row * n + order[i]]);
  std::vector<double> permuted(n * n);
  double meanDiagonal = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < n; ++j)
      permuted[i * n + j] = h[order[i] * n + order[j]];
    meanDiagonal += permuted[i * n + i];
  }
  meanDiagonal /= double(n);
  for (int64_t i = 0; i < n; ++i)
    permuted[i * n + i] += options.dampening * meanDiagonal;
  std::vector<double> upper;
  if (!factorCholesky(permuted, n) ||
      !getInverseCholeskyUpper(permuted, n, upper))
    return std::nullopt;

  QuantizedMatrix matrix = createEmptyMatrix(rows, columns, scheme);
  int64_t groupSize = scheme.getEffectiveGroupSize(columns);
  int64_t numGroups = scheme.getNumGroups(columns);
  std::vector<GroupParameters> parameters(rows * numGroups);
  std::vector<bool> groupChosen(numGroups, false);

  int64_t blockSize = std::max<int64_t>(options.blockSize, 1);
  std::vector<double> errors(rows * blockSize);
  for (int64_t blockBegin = 0; blockBegin < n; blockBegin += blockSize) {
    int64_t blockEnd = std::min(blockBegin + blockSize, n);
    int64_t blockWidth = blockEnd - blockBegin;
    for (int64_t i = blockBegin; i < blockEnd; ++i) {
      int64_t column = order[i];
      int64_t group = column / groupSize;
      if (!groupChosen[group]) {
        // The group's columns as they stand now: the current block's are up
        // to date, later blocks' miss this block's pending updates (as in
        // the reference implementation).
        int64_t begin = group * groupSize;
        int64_t end = std::min(begin + groupSize, columns);
        for (int64_t row = 0; row < rows; ++row) {
          double low = INFINITY, high = -INFINITY;
          for (int64_t c = begin; c < end; ++c) {
            double value = w[row * n + position[c]];
            low = std::min(low, value);
            high = std::max(high, value);
          }
          GroupParameters chosen = chooseParameters(scheme, low, high);
          parameters[row * numGroups + group] = chosen;
          storeParameters(matrix, row * numGroups + group, chosen);
        }
        groupChosen[group] = true;
      }
      const double *updateRow = upper.data() + i * n;
      double diagonal = updateRow[i];
      for (int64_t row = 0; row < rows; ++row) {
        double *rowWeights = w.data() + row * n;
        const GroupParameters &chosen = parameters[row * numGroups + group];
        int32_t code = quantizeValue(scheme, chosen, rowWeights[i]);
        matrix.codes[row * columns + column] = code;
        double error =
            (rowWeights[i] - dequantizeCode(chosen, code)) / diagonal;
        errors[row * blockSize + (i - blockBegin)] = error;
        for (int64_t c = i + 1; c < blockEnd; ++c)
          rowWeights[c] -= error * updateRow[c];
      }
    }
    // The block's errors reach the later columns at once.
    for (int64_t row = 0; row < rows; ++row) {
      double *rowWeights = w.data() + row * n;
      for (int64_t k = 0; k < blockWidth; ++k) {
        double error = errors[row * blockSize + k];
        const double *updateRow = upper.data() + (blockBegin + k) * n;
        for (int64_t c = blockEnd; c < n; ++c)
          rowWeights[c] -= error * updateRow[c];
      }
    }
  }
  return matrix;
}

//===----------------------------------------------------------------------===//
// AWQ
//===----------------------------------------------------------------------===//

double tamp::weight_quantization::getHessianWeightedError(
    llvm::ArrayRef<float> weight, llvm::ArrayRef<float> approximation,
    int64_t rows, int64_t columns, llvm::ArrayRef<double> hessian) {
  std::vector<double> difference(columns);
  double total = 0.0;
  for (int64_t row = 0; row < rows; ++row) {
    for (int64_t c = 0; c < columns; ++c)
      difference[c] = double(weight[row * columns + c]) -
                      double(approximation[row * columns + c]);
    for (int64_t i = 0; i < columns; ++i) {
      if (difference[i] == 0.0)
        continue;
      const double *hessianRow = hessian.data() + i * columns;
      // Four partial sums in a fixed order: the loop vectorizes and the
      // result stays deterministic.
      double partial[4] = {0.0, 0.0, 0.0, 0.0};
      int64_t j = 0;
      for (; j + 4 <= columns; j += 4)
        for (int64_t lane = 0; lane < 4; ++lane)
          partial[lane] += hessianRow[j + lane] * difference[j + lane];
      double product = (partial[0] + partial[1]) + (partial[2] + partial[3]);
      for (; j < columns; ++j)
        product += hessianRow[j] * difference[j];
      total += difference[i] * product;
    }
  }
  return total;
}

/// sum_j d_j ||W[:, j] - V[:, j]||^2.
static double getDiagonalWeightedError(llvm::ArrayRef<float> weight,
                                       llvm::ArrayRef<float> approximation,
                                       int64_t rows, int64_t columns,
                                       llvm::ArrayRef<double> diagonal) {
  double total = 0.0;
  for (int64_t row = 0; row < rows; ++row)
    for (int64_t c = 0; c < columns; ++c) {
      double difference = double(weight[row * columns + c]) -
                          double(approximation[row * columns + c]);
      total += diagonal[c] * difference * difference;
    }
  return total;
}

QuantizedMatrix tamp::weight_quantization::quantizeAWQ(
    llvm::ArrayRef<float> weight, int64_t rows, int64_t columns,
    const QuantizationScheme &scheme, llvm::ArrayRef<double> absMean,
    llvm::ArrayRef<double> hessian, int64_t gridSize) {
  assert(int64_t(weight.size()) == rows * columns && "weight size mismatch");
  assert(int64_t(absMean.size()) == columns && "abs_mean size mismatch");
  std::vector<double> diagonal;
  if (hessian.empty())
    for (double mean : absMean)
      diagonal.push_back(mean * mean);
  auto measure = [&](llvm::ArrayRef<float> approximation) {
    if (!hessian.empty())
      return getHessianWeightedError(weight, approximation, rows, columns,
                                     hessian);
    return getDiagonalWeightedError(weight, approximation, rows, columns,
                                    diagonal);
  };

  std::optional<QuantizedMatrix> best;
  double bestError = INFINITY;
  std::vector<float> scaled(weight.size());
  for (int64_t step = 0; step < std::max<int64_t>(gridSize, 1); ++step) {
    double alpha = double(step) / double(std::max<int64_t>(gridSize, 1));
    std::vector<double> s(columns);
    for (int64_t c = 0; c < columns; ++c)
      s[c] = std::max(std::pow(std::max(absMean[c], 0.0), alpha), 1e-4);
    auto [low, high] = std::minmax_element(s.begin(), s.end());
    double normalization = std::sqrt(*low * *high);
    for (double &factor : s)
      factor /= normalization;

    for (int64_t row = 0; row < rows; ++row)
      for (int64_t c = 0; c < columns; ++c)
        scaled[row * columns + c] = float(weight[row * columns + c] * s[c]);
    QuantizedMatrix candidate =
        quantizeRoundToNearest(scaled, rows, columns, scheme);
    if (step != 0) {
      candidate.columnFactors.resize(columns);
      for (int64_t c = 0; c < columns; ++c)
        candidate.columnFactors[c] = float(1.0 / s[c]);
    }
    double error = measure(candidate.dequantize());
    if (error < bestError) {
      bestError = error;
      best = std::move(candidate);
    }
  }
  return std::move(*best);
}

//===----------------------------------------------------------------------===//
// Packing
//===----------------------------------------------------------------------===//

int64_t tamp::weight_quantization::getPackedRowBytes(int64_t columns,
                                                     unsigned bits) {
  return (columns * bits + 7) / 8;
}

std::vector<uint8_t>
tamp::weight_quantization::packCodes(llvm::ArrayRef<int32_t> codes,
                                     int64_t rows, int64_t columns,
                                     unsigned bits) {
  int64_t rowBytes = getPackedRowBytes(columns, bits);
  std::vector<uint8_t> bytes(rows * rowBytes, 0);
  uint32_t mask = (uint32_t(1) << bits) - 1;
  for (int64_t row = 0; row < rows; ++row) {
    uint8_t *rowData = bytes.data() + row * rowBytes;
    for (int64_t column = 0; column < columns; ++column) {
      uint32_t code = uint32_t(codes[row * columns + column]) & mask;
      int64_t bit = column * bits;
      // Spread the code over the (at most two) bytes it occupies.
      uint32_t shifted = code << (bit % 8);
      rowData[bit / 8] |= uint8_t(shifted & 0xff);
      if (shifted > 0xff)
        rowData[bit / 8 + 1] |= uint8_t(shifted >> 8);
    }
  }
  return bytes;
}
