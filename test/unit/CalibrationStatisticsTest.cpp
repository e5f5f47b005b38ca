//===- CalibrationStatisticsTest.cpp - Calibration ranges and Hessians ----===//

#include "tamp/Compiler/CalibrationStatistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace tamp;

namespace {

/// Both passes of calibration over one tensor.
ActivationStatistics observe(const std::vector<float> &values,
                             std::vector<int64_t> shape, int64_t channelDim) {
  ActivationStatistics statistics(channelDim);
  statistics.observeRange(values, shape);
  statistics.observeHistogram(values);
  return statistics;
}

std::vector<float> gaussian(size_t count, unsigned seed) {
  std::mt19937 generator(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> values(count);
  for (float &value : values)
    value = normal(generator);
  return values;
}

TEST(ActivationStatistics, ExtremesAndChannelMeans) {
  // [2 (batch), 3 (channels), 2 (positions)].
  std::vector<float> values = {1, -1, 2, 2, 0, 3, -5, 1, 0, 2, 1, 1};
  ActivationStatistics statistics = observe(values, {2, 3, 2}, 1);
  EXPECT_EQ(statistics.getMin(), -5);
  EXPECT_EQ(statistics.getMax(), 3);
  std::vector<float> absMean = statistics.getChannelAbsMean();
  ASSERT_EQ(absMean.size(), 3u);
  EXPECT_FLOAT_EQ(absMean[0], (1 + 1 + 5 + 1) / 4.0f);
  EXPECT_FLOAT_EQ(absMean[1], (2 + 2 + 0 + 2) / 4.0f);
  EXPECT_FLOAT_EQ(absMean[2], (0 + 3 + 1 + 1) / 4.0f);
  ClipRange range = statistics.getMinMaxRange();
  EXPECT_EQ(range[0], -5);
  EXPECT_EQ(range[1], 3);
}

TEST(ActivationStatistics, LastDimensionChannels) {
  std::vector<float> values = {1, -2, 3, -4};
  std::vector<float> absMean = observe(values, {2, 2}, -1).getChannelAbsMean();
  ASSERT_EQ(absMean.size(), 2u);
  EXPECT_FLOAT_EQ(absMean[0], 2.0f);
  EXPECT_FLOAT_EQ(absMean[1], 3.0f);
}

TEST(ActivationStatistics, RangesContainZero) {
  std::vector<float> positive(1000);
  for (size_t i = 0; i < positive.size(); ++i)
    positive[i] = 1.0f + float(i) / 1000;
  ActivationStatistics statistics = observe(positive, {1000}, 0);
  for (ClipRange range :
       {statistics.getMinMaxRange(), statistics.getPercentileRange(),
        statistics.getEntropyRange(), statistics.getMSERange()}) {
    EXPECT_EQ(range[0], 0.0);
    EXPECT_GT(range[1], 1.0);
    EXPECT_LE(range[1], statistics.getMax());
  }
}

TEST(ActivationStatistics, PercentileIgnoresRareOutliers) {
  std::vector<float> values = gaussian(200000, 1);
  values.push_back(100.0f);
  values.push_back(-80.0f);
  ActivationStatistics statistics = observe(values, {int64_t(values.size())}, 0);
  ClipRange minmax = statistics.getMinMaxRange();
  EXPECT_EQ(minmax[0], -80);
  EXPECT_EQ(minmax[1], 100);
  // 99.999% of a standard normal lies within about 4.4 sigma; one histogram
  // bin is 100 / 1024 wide.
  ClipRange percentile = statistics.getPercentileRange();
  EXPECT_GT(percentile[1], 3.5);
  EXPECT_LT(percentile[1], 6.0);
  EXPECT_LT(percentile[0], -3.5);
  EXPECT_GT(percentile[0], -6.0);
}

TEST(ActivationStatistics, EntropyAndMSEClipOutliers) {
  std::vector<float> values = gaussian(200000, 2);
  for (int i = 0; i < 5; ++i)
    values.push_back(40.0f);
  ActivationStatistics statistics = observe(values, {int64_t(values.size())}, 0);
  ClipRange entropy = statistics.getEntropyRange();
  ClipRange mse = statistics.getMSERange();
  // Entropy keeps the bulk of the distribution and drops the far outliers.
  EXPECT_GT(entropy[1], 2.0);
  EXPECT_LT(entropy[1], 20.0);
  EXPECT_LT(entropy[0], -2.0);
  // MSE weighs the outliers by their squared distance, so it clips less (to
  // about 33 here, where 5 * (40 - t)^2 balances 200000 * (2t / 255)^2 / 12).
  EXPECT_GT(mse[1], entropy[1]);
  EXPECT_LT(mse[1], 40.0);
}

TEST(ActivationStatistics, MSEKeepsAUniformRange) {
  std::vector<float> values(100000);
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = float(i) / float(values.size());
  ClipRange mse = observe(values, {int64_t(values.size())}, 0).getMSERange();
  EXPECT_EQ(mse[0], 0.0);
  // Clipping a uniform distribution costs more than its rounding saves.
  EXPECT_GT(mse[1], 0.97);
}

TEST(HessianAccumulator, LinearRows) {
  std::vector<float> rows = {1, 2, 0, -1, 3, 1}; // 3 rows of 2
  HessianAccumulator accumulator(2);
  accumulator.addLinearInput(rows);
  std::vector<float> hessian = accumulator.getHessian();
  // 2/3 * X^T X.
  EXPECT_FLOAT_EQ(hessian[0], 2.0f / 3 * (1 + 0 + 9));
  EXPECT_FLOAT_EQ(hessian[1], 2.0f / 3 * (2 + 0 + 3));
  EXPECT_FLOAT_EQ(hessian[2], hessian[1]);
  EXPECT_FLOAT_EQ(hessian[3], 2.0f / 3 * (4 + 1 + 1));
}

TEST(HessianAccumulator, PointwiseConvolutionIsLinearOverPixels) {
  // [1, 2 channels, 2, 2]: a 1x1 convolution multiplies each pixel's
  // channel vector.
  std::vector<float> input = {1, 2, 3, 4, -1, 0, 2, 5};
  HessianAccumulator conv(2), linear(2);
  conv.addConvolutionInput(input, {1, 2, 2, 2}, {1, 1}, {1, 1}, {1, 1},
                           {0, 0, 0, 0});
  linear.addLinearInput({1, -1, 2, 0, 3, 2, 4, 5});
  EXPECT_EQ(conv.getRowCount(), 4u);
  EXPECT_EQ(conv.getHessian(), linear.getHessian());
}

TEST(HessianAccumulator, PaddedConvolutionPatches) {
  // [1, 1, 2, 2] with a 3x3 kernel and padding 1: four patches, each the
  // whole input zero-padded around one output position.
  std::vector<float> input = {1, 2, 3, 4};
  HessianAccumulator conv(9);
  conv.addConvolutionInput(input, {1, 1, 2, 2}, {3, 3}, {1, 1}, {1, 1},
                           {1, 1, 1, 1});
  ASSERT_EQ(conv.getRowCount(), 4u);
  std::vector<float> hessian = conv.getHessian();
  // The kernel's centre sees every pixel once: 2/4 * (1 + 4 + 9 + 16).
  EXPECT_FLOAT_EQ(hessian[4 * 9 + 4], 0.5f * 30);
  // Its top-left tap sees only pixel (0, 0), from output (1, 1).
  EXPECT_FLOAT_EQ(hessian[0], 0.5f * 1);
  // Centre x top-left: output (1, 1) pairs pixel (1, 1) with pixel (0, 0).
  EXPECT_FLOAT_EQ(hessian[4], 0.5f * 4 * 1);
}

} // namespace
