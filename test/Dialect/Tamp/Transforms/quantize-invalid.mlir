// RUN: tamp-opt %s --tamp-quantize --split-input-file -verify-diagnostics
// RUN: not tamp-opt %s --tamp-quantize="calibration-method=median" 2>&1 | FileCheck %s --check-prefix=METHOD
// RUN: not tamp-opt %s --tamp-quantize="keep-float=(" 2>&1 | FileCheck %s --check-prefix=REGEX

// METHOD: unknown calibration-method 'median' (expected minmax, percentile, entropy or mse)
// REGEX: invalid keep-float regular expression '('

func.func @missing_operand(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<0.5> : tensor<4x4xf32>
  // expected-error @+1 {{tamp.calibration has no statistics 'operand0' for this op's activation operand 0}}
  %l = tamp.linear %x, %w {tamp.calibration = {samples = 1 : i64}} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %l : tensor<2x4xf32>
}

// -----

func.func @missing_method(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<0.5> : tensor<4x4xf32>
  // expected-error @+1 {{tamp.calibration 'operand0' has no 'minmax' range (expected array<f64: lo, hi>)}}
  %l = tamp.linear %x, %w {tamp.calibration = {operand0 = {percentile = array<f64: -1.0, 1.0>}}} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %l : tensor<2x4xf32>
}

// -----

func.func @inverted_range(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<0.5> : tensor<4x4xf32>
  // expected-error @+1 {{tamp.calibration 'operand0' has an invalid 'minmax' range [1.000000e+00, -1.000000e+00]}}
  %l = tamp.linear %x, %w {tamp.calibration = {operand0 = {minmax = array<f64: 1.0, -1.0>}}} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %l : tensor<2x4xf32>
}
