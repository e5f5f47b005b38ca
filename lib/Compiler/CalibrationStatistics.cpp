//===- CalibrationStatistics.cpp - Activation statistics
//-------------------===//

#include "tamp/Compiler/CalibrationStatistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace tamp;

//===----------------------------------------------------------------------===//
// ActivationStatistics
//===----------------------------------------------------------------------===//

void ActivationStatistics::observeRange(llvm::ArrayRef<float> values,
                                        llvm::ArrayRef<int64_t> shape) {
  if (values.empty())
    return;
  auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
  min = count ? std::min<double>(min, *lowest) : *lowest;
  max = count ? std::max<double>(max, *highest) : *highest;
  count += values.size();

  int64_t rank = shape.size();
  int64_t dim = channelDim < 0 ? channelDim + rank : channelDim;
  if (dim < 0 || dim >= rank) {
    channelsConsistent = false;
    return;
  }
  int64_t channels = shape[dim];
  int64_t inner = 1;
  for (int64_t size : shape.drop_front(dim + 1))
    inner *= size;
  if (channelAbsSum.empty())
    channelAbsSum.assign(channels, 0.0);
  if (int64_t(channelAbsSum.size()) != channels) {
    channelsConsistent = false;
    return;
  }
  for (size_t i = 0, e = values.size(); i < e; ++i)
    channelAbsSum[(int64_t(i) / inner) % channels] += std::fabs(values[i]);
  channelSamples += values.size() / channels;
}

std::vector<float> ActivationStatistics::getChannelAbsMean() const {
  if (!channelsConsistent || !channelSamples)
    return {};
  std::vector<float> mean(channelAbsSum.size());
  for (size_t c = 0; c < mean.size(); ++c)
    mean[c] = float(channelAbsSum[c] / double(channelSamples));
  return mean;
}

double ActivationStatistics::getBinWidth() const {
  return 2 * std::max(std::fabs(min), std::fabs(max)) / bins;
}

void ActivationStatistics::observeHistogram(llvm::ArrayRef<float> values) {
  if (histogram.empty())
    histogram.assign(bins, 0.0);
  double width = getBinWidth();
  if (width == 0) {
    histogram[bins / 2] += values.size();
    return;
  }
  double limit = width * bins / 2;
  for (float value : values) {
    auto bin = int64_t(std::floor((double(value) + limit) / width));
    histogram[std::clamp<int64_t>(bin, 0, bins - 1)] += 1;
  }
}

/// Widens `range` to contain zero.
static ClipRange withZero(ClipRange range) {
  return {std::min(range[0], 0.0), std::max(range[1], 0.0)};
}

ClipRange ActivationStatistics::getMinMaxRange() const {
  return withZero({min, max});
}

ClipRange ActivationStatistics::fromThreshold(double threshold) const {
  return withZero({std::max(-threshold, min), std::min(threshold, max)});
}

ClipRange ActivationStatistics::getPercentileRange(double percentile) const {
  double total = 0;
  for (double binCount : histogram)
    total += binCount;
  if (total == 0)
    return getMinMaxRange();
  double width = getBinWidth(), limit = width * bins / 2;
  double tail = total * (100.0 - percentile) / 100.0;
  // The lowest bin whose cumulative count exceeds the lower tail, and the
  // highest whose cumulative count from the top does.
  double cumulative = 0;
  unsigned low = 0;
  for (; low + 1 < bins; ++low) {
    cumulative += histogram[low];
    if (cumulative > tail)
      break;
  }
  cumulative = 0;
  unsigned high = bins - 1;
  for (; high > 0; --high) {
    cumulative += histogram[high];
    if (cumulative > tail)
      break;
  }
  return withZero({std::max(min, -limit + low * width),
                   std::min(max, -limit + (high + 1) * width)});
}

/// |x|'s histogram: the symmetric histogram folded at zero.
static std::vector<double> foldAbsolute(llvm::ArrayRef<double> histogram) {
  size_t half = histogram.size() / 2;
  std::vector<double> absolute(half);
  for (size_t i = 0; i < half; ++i)
    absolute[i] = histogram[half + i] + histogram[half - 1 - i];
  return absolute;
}

ClipRange ActivationStatistics::getEntropyRange(unsigned levels) const {
  std::vector<double> absolute = foldAbsolute(histogram);
  size_t size = absolute.size();
  if (size < levels)
    return getMinMaxRange();
  double width = getBinWidth();
  double bestDivergence = std::numeric_limits<double>::infinity();
  size_t bestEnd = size;
  std::vector<double> reference, candidate;
  for (size_t end = levels; end <= size; ++end) {
    // The reference keeps the first `end` bins, outliers added to the last.
    reference.assign(absolute.begin(), absolute.begin() + end);
    for (size_t i = end; i < size; ++i)
      reference[end - 1] += absolute[i];
    // The candidate quantizes the kept bins (without the outliers) to
    // `levels` levels, each level's mass spread evenly over its non-empty
    // bins.
    candidate.assign(end, 0.0);
    for (unsigned level = 0; level < levels; ++level) {
      size_t begin = level * end / levels, stop = (level + 1) * end / levels;
      double mass = 0;
      unsigned nonEmpty = 0;
      for (size_t i = begin; i < stop; ++i) {
        mass += absolute[i];
        nonEmpty += absolute[i] != 0;
      }
      for (size_t i = begin; i < stop; ++i)
        if (absolute[i] != 0)
          candidate[i] = mass / nonEmpty;
    }
    double referenceTotal = 0, candidateTotal = 0;
    for (size_t i = 0; i < end; ++i) {
      referenceTotal += reference[i];
      candidateTotal += candidate[i];
    }
    if (referenceTotal == 0 || candidateTotal == 0)
      continue;
    double divergence = 0;
    for (size_t i = 0; i < end; ++i) {
      if (reference[i] == 0)
        continue;
      double p = reference[i] / referenceTotal;
      // A level with no mass where the reference has some: smooth it.
      double q = std::max(candidate[i] / candidateTotal, 1e-12);
      divergence += p * std::log(p / q);
    }
    if (divergence < bestDivergence) {
      bestDivergence = divergence;
      bestEnd = end;
    }
  }
  return fromThreshold(bestEnd * width);
}

ClipRange ActivationStatistics::getMSERange() const {
  std::vector<double> absolute = foldAbsolute(histogram);
  if (absolute.empty())
    return getMinMaxRange();
  double width = getBinWidth();
  // 256 levels over the clipping range: over [0, t] for a one-signed
  // activation, over [-t, t] otherwise.
  bool oneSigned = min >= 0 || max <= 0;
  double bestError = std::numeric_limits<double>::infinity(),
         bestThreshold = absolute.size() * width;
  for (size_t end = 1; end <= absolute.size(); ++end) {
    double threshold = end * width;
    double step = (oneSigned ? threshold : 2 * threshold) / 255;
    double error = 0;
    for (size_t i = 0; i < absolute.size(); ++i) {
      if (absolute[i] == 0)
        continue;
      double center = (i + 0.5) * width;
      double clipped = center > threshold ? center - threshold : 0;
      error += absolute[i] * (clipped * clipped + step * step / 12);
    }
    if (error < bestError) {
      bestError = error;
      bestThreshold = threshold;
    }
  }
  return fromThreshold(bestThreshold);
}

//===----------------------------------------------------------------------===//
// HessianAccumulator
//===----------------------------------------------------------------------===//

void HessianAccumulator::addRows(llvm::ArrayRef<float> rows) {
  int64_t rowCountHere = rows.size() / size;
  for (int64_t r = 0; r < rowCountHere; ++r) {
    const float *row = rows.data() + r * size;
    for (int64_t i = 0; i < size; ++i) {
      double scale = row[i];
      if (scale == 0)
        continue;
      double *out = sum.data() + i * size;
      // The upper triangle; getHessian mirrors it.
      for (int64_t j = i; j < size; ++j)
        out[j] += scale * row[j];
    }
  }
  rowCount += rowCountHere;
}

void HessianAccumulator::addLinearInput(llvm::ArrayRef<float> input) {
  addRows(input);
}

void tamp::forEachConvolutionPatchRow(
    llvm::ArrayRef<float> input, llvm::ArrayRef<int64_t> shape,
    llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
    llvm::ArrayRef<int64_t> dilations, llvm::ArrayRef<int64_t> pads,
    llvm::function_ref<void(llvm::ArrayRef<float>)> visit) {
  // 1-D convolutions are 2-D ones of height 1.
  bool oneD = shape.size() == 3;
  int64_t batch = shape[0], channels = shape[1];
  int64_t height = oneD ? 1 : shape[2], width = shape.back();
  int64_t kernelH = oneD ? 1 : kernel[0], kernelW = kernel.back();
  int64_t strideH = oneD ? 1 : strides[0], strideW = strides.back();
  int64_t dilationH = oneD ? 1 : dilations[0], dilationW = dilations.back();
  int64_t spatial = oneD ? 1 : 2;
  int64_t padTop = oneD ? 0 : pads[0], padLeft = pads[spatial - 1];
  int64_t padBottom = oneD ? 0 : pads[spatial],
          padRight = pads[2 * spatial - 1];
  int64_t outH =
      (height + padTop + padBottom - dilationH * (kernelH - 1) - 1) / strideH +
      1;
  int64_t outW =
      (width + padLeft + padRight - dilationW * (kernelW - 1) - 1) / strideW +
      1;
  if (outH <= 0 || outW <= 0)
    return;
  std::vector<float> patches;
  patches.reserve(outW * channels * kernelH * kernelW);
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t oh = 0; oh < outH; ++oh) {
      patches.clear();
      for (int64_t ow = 0; ow < outW; ++ow)
        for (int64_t c = 0; c < channels; ++c)
          for (int64_t kh = 0; kh < kernelH; ++kh)
            for (int64_t kw = 0; kw < kernelW; ++kw) {
              int64_t ih = oh * strideH - padTop + kh * dilationH;
              int64_t iw = ow * strideW - padLeft + kw * dilationW;
              bool inside = ih >= 0 && ih < height && iw >= 0 && iw < width;
              patches.push_back(
                  inside
                      ? input[((n * channels + c) * height + ih) * width + iw]
                      : 0.0f);
            }
      visit(patches);
    }
}

void HessianAccumulator::addConvolutionInput(llvm::ArrayRef<float> input,
                                             llvm::ArrayRef<int64_t> shape,
                                             llvm::ArrayRef<int64_t> kernel,
                                             llvm::ArrayRef<int64_t> strides,
                                             llvm::ArrayRef<int64_t> dilations,
                                             llvm::ArrayRef<int64_t> pads) {
  int64_t patchSize = shape[1];
  for (int64_t extent : kernel)
    patchSize *= extent;
  if (patchSize != size)
    return;
  // Patches go through addRows a block of output rows at a time.
  forEachConvolutionPatchRow(
      input, shape, kernel, strides, dilations, pads,
      [&](llvm::ArrayRef<float> rows) { addRows(rows); });
}

std::vector<float> HessianAccumulator::getHessian() const {
  std::vector<float> hessian(size * size, 0.0f);
  if (!rowCount)
    return hessian;
  double scale = 2.0 / double(rowCount);
  for (int64_t i = 0; i < size; ++i)
    for (int64_t j = i; j < size; ++j) {
      float value = float(sum[i * size + j] * scale);
      hessian[i * size + j] = value;
      hessian[j * size + i] = value;
    }
  return hessian;
}

void LeastSquaresAccumulator::addRows(llvm::ArrayRef<float> x,
                                      llvm::ArrayRef<float> y) {
  int64_t size = inputs + 1;
  int64_t count = x.size() / inputs;
  std::vector<double> row(size);
  for (int64_t r = 0; r < count; ++r) {
    for (int64_t i = 0; i < inputs; ++i)
      row[i] = x[r * inputs + i];
    row[inputs] = 1;
    const float *target = y.data() + r * outputs;
    for (int64_t i = 0; i < size; ++i) {
      double scale = row[i];
      if (scale == 0)
        continue;
      double *out = gram.data() + i * size;
      // The upper triangle; getGram mirrors it.
      for (int64_t j = i; j < size; ++j)
        out[j] += scale * row[j];
      double *crossRow = cross.data() + i * outputs;
      for (int64_t j = 0; j < outputs; ++j)
        crossRow[j] += scale * target[j];
    }
  }
  rowCount += count;
}

std::vector<double> LeastSquaresAccumulator::getGram() const {
  int64_t size = inputs + 1;
  std::vector<double> result(size * size, 0.0);
  if (!rowCount)
    return result;
  double scale = 1.0 / double(rowCount);
  for (int64_t i = 0; i < size; ++i)
    for (int64_t j = i; j < size; ++j)
      result[i * size + j] = result[j * size + i] = gram[i * size + j] * scale;
  return result;
}

std::vector<double> LeastSquaresAccumulator::getCross() const {
  std::vector<double> result(cross);
  if (rowCount)
    for (double &value : result)
      value /= double(rowCount);
  return result;
}
