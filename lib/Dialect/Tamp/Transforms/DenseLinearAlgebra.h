//===- DenseLinearAlgebra.h - Small dense solvers for compression -*- C++
//-*-===//
//
// GPTQ and least-squares reconstruction factor symmetric positive definite
// matrices of a layer's input width (hundreds to a few thousand).
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_DIALECT_TAMP_TRANSFORMS_DENSELINEARALGEBRA_H
#define TAMP_LIB_DIALECT_TAMP_TRANSFORMS_DENSELINEARALGEBRA_H

#include <cstdint>
#include <vector>

namespace tamp {

/// Overwrites the lower triangle of the symmetric n x n row-major `matrix`
/// with its Cholesky factor L (matrix = L L^T) and zeroes the upper
/// triangle. False when the matrix is not (numerically) positive definite.
bool factorCholesky(std::vector<double> &matrix, int64_t n);

/// Solves L L^T x = b in place for `columns` right-hand sides stored
/// row-major in `rhs` ([n, columns]), given the factor from factorCholesky.
void solveCholesky(const std::vector<double> &lower, int64_t n,
                   std::vector<double> &rhs, int64_t columns);

} // namespace tamp

#endif // TAMP_LIB_DIALECT_TAMP_TRANSFORMS_DENSELINEARALGEBRA_H
