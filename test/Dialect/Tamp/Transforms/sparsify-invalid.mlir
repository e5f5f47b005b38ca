// RUN: tamp-opt %s -split-input-file -verify-diagnostics --tamp-sparsify="score=activation"
// RUN: not tamp-opt %s --tamp-sparsify="pattern=3:2" 2>&1 | FileCheck %s --check-prefix=PATTERN
// RUN: not tamp-opt %s --tamp-sparsify="pattern=unstructured ratio=1" 2>&1 | FileCheck %s --check-prefix=RATIO
// RUN: not tamp-opt %s --tamp-sparsify="ops=gather" 2>&1 | FileCheck %s --check-prefix=OPS
// RUN: not tamp-opt %s --tamp-sparsify="keep-dense=(" 2>&1 | FileCheck %s --check-prefix=REGEX

// PATTERN: tamp-sparsify: pattern must be N:M with 1 <= N < M (e.g. 2:4) or 'unstructured', got '3:2'
// RATIO: tamp-sparsify: ratio must lie in [0, 1), got 1
// OPS: tamp-sparsify: ops: 'gather' is not a tamp op with a prunable weight (e.g. linear, conv, conv_transpose)
// REGEX: tamp-sparsify: invalid keep-dense regular expression '('

// The Hessian must match the weight's flattened reduction.
func.func @hessian_shape(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<0.5> : tensor<2x4xf32>
  // expected-error @+1 {{tamp-sparsify: the calibration hessian must be 4x4 (the weight's flattened reduction), got 'tensor<2x2xf32>'}}
  %y = tamp.linear %x, %w {tamp.calibration = {hessian = dense<1.0> : tensor<2x2xf32>}}
      : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// abs_mean counts input channels.
func.func @abs_mean_shape(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<0.5> : tensor<2x4xf32>
  // expected-error @+1 {{tamp-sparsify: the calibration abs_mean of operand 0 must have one element per input channel (4), got 'tensor<3xf32>'}}
  %y = tamp.linear %x, %w {tamp.calibration = {operand0 = {abs_mean = dense<1.0> : tensor<3xf32>}}}
      : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Without statistics activation-aware scores fall back to magnitude, and a
// reduction of 3 input channels has no groups of 4: one remark each.
func.func @fallbacks(%x: tensor<1x4xf32>, %image: tensor<1x3x4x4xf32>) -> (tensor<1x2xf32>, tensor<1x2x4x4xf32>) {
  %w = tamp.constant dense<0.5> : tensor<2x4xf32>
  // expected-remark @+1 {{tamp-sparsify: 1 op(s) have no calibration hessian or abs_mean of operand 0; their weights are scored by magnitude}}
  %y = tamp.linear %x, %w : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  %k = tamp.constant dense<0.5> : tensor<2x3x1x1xf32>
  // expected-remark @+1 {{tamp-sparsify: 1 op(s) have a reduction dimension that the group size does not divide; they stay dense}}
  %c = tamp.conv %image, %k {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x3x4x4xf32>, tensor<2x3x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %y, %c : tensor<1x2xf32>, tensor<1x2x4x4xf32>
}
