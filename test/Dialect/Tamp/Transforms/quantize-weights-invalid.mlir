// RUN: tamp-opt %s -split-input-file -verify-diagnostics --tamp-quantize-weights="method=gptq"
// RUN: tamp-opt %s -split-input-file -verify-diagnostics --tamp-quantize-weights="method=awq"
// RUN: not tamp-opt %s --split-input-file --tamp-quantize-weights="bits=5" 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not tamp-opt %s --split-input-file --tamp-quantize-weights="group-size=-32" 2>&1 | FileCheck %s --check-prefix=GROUP
// RUN: not tamp-opt %s --split-input-file --tamp-quantize-weights="ops=linear,softmax" 2>&1 | FileCheck %s --check-prefix=OPS
// RUN: not tamp-opt %s --split-input-file --tamp-quantize-weights="keep-float=fc(" 2>&1 | FileCheck %s --check-prefix=REGEX
// RUN: not tamp-opt %s --split-input-file --tamp-quantize-weights="gptq-block-size=0" 2>&1 | FileCheck %s --check-prefix=BLOCK
// RUN: not tamp-opt %s --split-input-file --tamp-quantize-weights="method=hqq" 2>&1 | FileCheck %s --check-prefix=METHOD

// Options are checked before anything is rewritten; errors point at the
// function.
// BITS: error: tamp-quantize-weights: bits must be 8, 4, 3 or 2, got 5
// GROUP: error: tamp-quantize-weights: group-size must be 0 (one scale per output channel) or positive, got -32
// OPS: error: tamp-quantize-weights: ops: 'softmax' is not a quantizable tamp op (e.g. linear, conv, conv_transpose)
// REGEX: error: invalid keep-float regular expression 'fc(': parentheses not balanced
// BLOCK: error: tamp-quantize-weights: gptq-block-size must be positive, got 0
// METHOD: Cannot find option named 'hqq'

// Calibration statistics that do not fit the weight are errors (GPTQ reads
// the Hessian, AWQ abs_mean and, when present, the Hessian;
// quantize-weights-awq-invalid.mlir has AWQ's own).
func.func @hessian_shape(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<0.5> : tensor<2x4xf32>
  // expected-error @+1 {{tamp-quantize-weights: the calibration hessian must be a 4x4 float tensor (the weight's flattened reduction), got 'tensor<2x2xf32>'}}
  %y = tamp.linear %x, %w {tamp.calibration = {hessian = dense<1.0> : tensor<2x2xf32>,
                                               operand0 = {abs_mean = dense<1.0> : tensor<4xf32>}}}
      : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

func.func @elided_weight(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense_resource<__elided__> : tensor<2x4xf32>
  // expected-error @+1 {{tamp-quantize-weights: the weight's data is not available}}
  %y = tamp.linear %x, %w {tamp.calibration = {hessian = dense<1.0> : tensor<4x4xf32>,
                                               operand0 = {abs_mean = dense<1.0> : tensor<4xf32>}}}
      : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
