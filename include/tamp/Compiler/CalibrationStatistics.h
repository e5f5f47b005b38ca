//===- CalibrationStatistics.h - Activation statistics ----------*- C++ -*-===//
//
// What calibration accumulates per observed activation, and the clipping
// ranges the calibration methods derive from it (see docs/CALIBRATION.md).
// Plain C++ so that unit tests can drive it with synthetic data.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_COMPILER_CALIBRATIONSTATISTICS_H
#define TAMP_COMPILER_CALIBRATIONSTATISTICS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <array>
#include <cstdint>
#include <vector>

namespace tamp {

/// A clipping range [lo, hi] that contains zero.
using ClipRange = std::array<double, 2>;

/// Statistics of one activation tensor over all calibration inputs. Values
/// are first seen for their extremes and per-channel magnitudes, then (once
/// the extremes are final) again for a histogram over [-A, A], A = max |x|.
class ActivationStatistics {
public:
  /// `channelDim` indexes the channels that `abs_mean` is reported for; a
  /// negative value counts from the back.
  explicit ActivationStatistics(int64_t channelDim, unsigned bins = 2048)
      : channelDim(channelDim), bins(bins) {}

  /// First pass: extremes and the per-channel mean absolute value.
  void observeRange(llvm::ArrayRef<float> values,
                    llvm::ArrayRef<int64_t> shape);
  /// Second pass: the histogram.
  void observeHistogram(llvm::ArrayRef<float> values);

  double getMin() const { return min; }
  double getMax() const { return max; }
  bool hasValues() const { return count > 0; }
  /// Mean |x| per channel (empty when the channel dimension varied).
  std::vector<float> getChannelAbsMean() const;

  ClipRange getMinMaxRange() const;
  /// The [0.001, 99.999] percentiles (by `percentile`, in percent).
  ClipRange getPercentileRange(double percentile = 99.999) const;
  /// The KL-divergence-minimising threshold for `levels` levels per side.
  ClipRange getEntropyRange(unsigned levels = 128) const;
  /// The range minimising expected 8-bit quantization error.
  ClipRange getMSERange() const;

  /// The histogram, for tests: `bins` counts over [-A, A].
  llvm::ArrayRef<double> getHistogram() const { return histogram; }

private:
  /// A range from a threshold t on |x|: [-t, t], or [0, t] when no value
  /// was negative (and symmetrically [-t, 0] when none was positive).
  ClipRange fromThreshold(double threshold) const;
  double getBinWidth() const;

  int64_t channelDim;
  unsigned bins;
  uint64_t count = 0;
  double min = 0, max = 0;
  std::vector<double> channelAbsSum;
  uint64_t channelSamples = 0;
  bool channelsConsistent = true;
  std::vector<double> histogram;
};

/// GPTQ's Hessian H = 2/n * sum over rows x of x x^T, for the rows a
/// layer's weight multiplies.
/// Calls `visit` with the im2col patches of a 1-D or 2-D convolution
/// (group 1) over `input` [N, C, W] or [N, C, H, W], one row of output
/// positions at a time: patches of C * prod(kernel) values in (c, k...)
/// order, zero-padded, for the positions (n, oh, ow) in row-major order.
/// `pads` holds the begin pads of each spatial dimension, then the end pads.
void forEachConvolutionPatchRow(
    llvm::ArrayRef<float> input, llvm::ArrayRef<int64_t> shape,
    llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
    llvm::ArrayRef<int64_t> dilations, llvm::ArrayRef<int64_t> pads,
    llvm::function_ref<void(llvm::ArrayRef<float>)> visit);

/// Least-squares statistics of a layer re-fit: with inputs x (plus a
/// trailing 1 for the bias) and targets y, the sums of x x^T and x y^T.
class LeastSquaresAccumulator {
public:
  LeastSquaresAccumulator(int64_t inputs, int64_t outputs)
      : inputs(inputs), outputs(outputs), gram((inputs + 1) * (inputs + 1)),
        cross((inputs + 1) * outputs) {}

  /// Adds rows of `inputs` values and the matching rows of `outputs`
  /// targets (both row-major).
  void addRows(llvm::ArrayRef<float> x, llvm::ArrayRef<float> y);

  int64_t getInputs() const { return inputs; }
  int64_t getOutputs() const { return outputs; }
  uint64_t getRowCount() const { return rowCount; }
  /// Per-row means: gram [(K+1) x (K+1)], cross [(K+1) x N].
  std::vector<double> getGram() const;
  std::vector<double> getCross() const;

private:
  int64_t inputs, outputs;
  uint64_t rowCount = 0;
  std::vector<double> gram, cross;
};

class HessianAccumulator {
public:
  explicit HessianAccumulator(int64_t size) : size(size), sum(size * size) {}

  /// Adds `rows` rows of `size` values each (row-major).
  void addRows(llvm::ArrayRef<float> rows);
  /// Adds the rows of a linear layer's input [..., size].
  void addLinearInput(llvm::ArrayRef<float> input);
  /// Adds the im2col patches of a 1-D or 2-D convolution (group 1) over
  /// `input` [N, C, W] or [N, C, H, W]: patches of C * prod(kernel) values
  /// in (c, k...) order, zero-padded. `pads` holds the begin pads of each
  /// spatial dimension, then the end pads, as tamp.conv does.
  void addConvolutionInput(llvm::ArrayRef<float> input,
                           llvm::ArrayRef<int64_t> shape,
                           llvm::ArrayRef<int64_t> kernel,
                           llvm::ArrayRef<int64_t> strides,
                           llvm::ArrayRef<int64_t> dilations,
                           llvm::ArrayRef<int64_t> pads);

  int64_t getSize() const { return size; }
  uint64_t getRowCount() const { return rowCount; }
  /// 2/n * X^T X, row-major [size, size].
  std::vector<float> getHessian() const;

private:
  int64_t size;
  uint64_t rowCount = 0;
  std::vector<double> sum;
};

} // namespace tamp

#endif // TAMP_COMPILER_CALIBRATIONSTATISTICS_H
