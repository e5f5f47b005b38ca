//===- DenseLinearAlgebra.cpp - Small dense solvers for compression -------===//

#include "DenseLinearAlgebra.h"

#include <algorithm>
#include <cmath>

bool tamp::factorCholesky(std::vector<double> &matrix, int64_t n) {
  for (int64_t j = 0; j < n; ++j) {
    double *rowJ = matrix.data() + j * n;
    double diagonal = rowJ[j];
    for (int64_t k = 0; k < j; ++k)
      diagonal -= rowJ[k] * rowJ[k];
    if (!(diagonal > 0.0) || !std::isfinite(diagonal))
      return false;
    double pivot = std::sqrt(diagonal);
    rowJ[j] = pivot;
    for (int64_t i = j + 1; i < n; ++i) {
      double *rowI = matrix.data() + i * n;
      double sum = rowI[j];
      for (int64_t k = 0; k < j; ++k)
        sum -= rowI[k] * rowJ[k];
      rowI[j] = sum / pivot;
    }
    std::fill(rowJ + j + 1, rowJ + n, 0.0);
  }
  return true;
}

void tamp::solveCholesky(const std::vector<double> &lower, int64_t n,
                         std::vector<double> &rhs, int64_t columns) {
  // Forward: L y = b, row by row so each step updates whole rows of b.
  for (int64_t i = 0; i < n; ++i) {
    double *row = rhs.data() + i * columns;
    for (int64_t k = 0; k < i; ++k) {
      double factor = lower[i * n + k];
      if (factor == 0)
        continue;
      const double *solved = rhs.data() + k * columns;
      for (int64_t c = 0; c < columns; ++c)
        row[c] -= factor * solved[c];
    }
    double pivot = lower[i * n + i];
    for (int64_t c = 0; c < columns; ++c)
      row[c] /= pivot;
  }
  // Backward: L^T x = y.
  for (int64_t i = n - 1; i >= 0; --i) {
    double *row = rhs.data() + i * columns;
    for (int64_t k = i + 1; k < n; ++k) {
      double factor = lower[k * n + i];
      if (factor == 0)
        continue;
      const double *solved = rhs.data() + k * columns;
      for (int64_t c = 0; c < columns; ++c)
        row[c] -= factor * solved[c];
    }
    double pivot = lower[i * n + i];
    for (int64_t c = 0; c < columns; ++c)
      row[c] /= pivot;
  }
}
