// RUN: tamp-opt %s -split-input-file -verify-diagnostics --tamp-quantize-weights="method=awq"

// abs_mean must have one entry per index of the weight's reduction
// dimension.
func.func @abs_mean_shape(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<0.5> : tensor<2x4xf32>
  // expected-error @+1 {{tamp-quantize-weights: the calibration abs_mean of operand 0 must be a float tensor of 4 elements (the weight's reduction dimension), got 'tensor<3xf32>'}}
  %y = tamp.linear %x, %w {tamp.calibration = {hessian = dense<1.0> : tensor<4x4xf32>,
                                               operand0 = {abs_mean = dense<1.0> : tensor<3xf32>}}}
      : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}


// -----

// A convolution's abs_mean counts input channels, not flattened columns.
func.func @conv_abs_mean_shape(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x2x2xf32> {
  %w = tamp.constant dense<0.5> : tensor<2x2x2x2xf32>
  // expected-error @+1 {{tamp-quantize-weights: the calibration abs_mean of operand 0 must be a float tensor of 2 elements (the weight's reduction dimension), got 'tensor<8xf32>'}}
  %y = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
      tamp.calibration = {operand0 = {abs_mean = dense<1.0> : tensor<8xf32>}}}
      : (tensor<1x2x3x3xf32>, tensor<2x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
