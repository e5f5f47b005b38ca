// RUN: tamp-opt %s -split-input-file --tamp-quantize-weights="bits=2 symmetric=true" | FileCheck %s --check-prefix=RTN
// RUN: tamp-opt %s -split-input-file -verify-diagnostics --tamp-quantize-weights="bits=2 symmetric=true method=gptq" | FileCheck %s --check-prefix=GPTQ
// RUN: tamp-opt %s -split-input-file -verify-diagnostics --tamp-quantize-weights="bits=2 symmetric=true method=gptq gptq-act-order=false gptq-block-size=1 gptq-damp=0.1" | FileCheck %s --check-prefix=GPTQ

// GPTQ spreads rounding errors over correlated columns. Row 0 is
// [0.3, -0.7, 1.1, 0.45] with scale 1.1: to nearest it is [0, -1, 1, 0]
// (2-bit codes 0 3 1 0, the byte 28); GPTQ rounds 0.3 down to 0 and,
// columns 0 and 1 being strongly correlated (H[0][1] = 3), moves column 1
// up by about the error, which then rounds to 0 (codes 0 0 1 0, the byte
// 16). Row 1 is the same either way. The scales are those of round to
// nearest: the grid does not change, only the rounding. (The numerics match
// a numpy transcription of the reference implementation.)
// RTN-LABEL: func.func @gptq
// RTN: tamp.constant dense<{{\[}}[28], [-60]]> : tensor<2x1xi8>
// GPTQ-LABEL: func.func @gptq
// GPTQ: %[[PACKED:.*]] = tamp.constant dense<{{\[}}[16], [-60]]> : tensor<2x1xi8>
// GPTQ: %[[CODES:.*]] = tamp.unpack_bits %[[PACKED]] : (tensor<2x1xi8>) -> tensor<2x4xi2>
// GPTQ: %[[SCALES:.*]] = tamp.constant dense<[1.100000e+00, 1.300000e+00]> : tensor<2xf32>
// GPTQ: %[[W:.*]] = tamp.dequantize %[[CODES]], %[[SCALES]] {axis = 0 : i64}
// GPTQ: tamp.linear %arg0, %[[W]]
func.func @gptq(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<[[0.3, -0.7, 1.1, 0.45], [-0.2, 0.9, 0.35, -1.3]]> : tensor<2x4xf32>
  %y = tamp.linear %x, %w {tamp.calibration = {samples = 8 : i64,
      hessian = dense<[[4.0, 3.0, 0.5, 0.0], [3.0, 4.0, 0.5, 0.0], [0.5, 0.5, 2.0, 1.0], [0.0, 0.0, 1.0, 1.0]]> : tensor<4x4xf32>}}
      : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A convolution's Hessian covers its flattened [C, kh, kw] reduction.
// GPTQ-LABEL: func.func @conv
// GPTQ: tamp.unpack_bits %{{.*}} : (tensor<2x1xi8>) -> tensor<2x4xi2>
// GPTQ: tamp.reshape %{{.*}}, %{{.*}} : (tensor<2x4xf32>, tensor<4xi64>) -> tensor<2x1x2x2xf32>
func.func @conv(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x2x2xf32> {
  %w = tamp.constant dense<[[[[0.3, -0.7], [1.1, 0.45]]], [[[-0.2, 0.9], [0.35, -1.3]]]]> : tensor<2x1x2x2xf32>
  %y = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
      tamp.calibration = {hessian = dense<[[4.0, 3.0, 0.5, 0.0], [3.0, 4.0, 0.5, 0.0], [0.5, 0.5, 2.0, 1.0], [0.0, 0.0, 1.0, 1.0]]> : tensor<4x4xf32>}}
      : (tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Ops without a Hessian are rounded to nearest, with one remark for all.
// GPTQ-LABEL: func.func @no_hessian
// GPTQ-COUNT-2: tamp.dequantize
func.func @no_hessian(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<[[0.3, -0.7, 1.1, 0.45], [-0.2, 0.9, 0.35, -1.3]]> : tensor<2x4xf32>
  // expected-remark @+1 {{tamp-quantize-weights: 2 op(s) have no calibration hessian (GPTQ needs one); their weights are rounded to nearest}}
  %y = tamp.linear %x, %w : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  %z = tamp.linear %x, %w : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  %s = tamp.add %y, %z : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  return %s : tensor<1x2xf32>
}

// -----

// A Hessian that dampening cannot make positive definite falls back too.
// GPTQ-LABEL: func.func @indefinite_hessian
// GPTQ: tamp.dequantize
func.func @indefinite_hessian(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<[[0.3, -0.7], [-0.2, 0.9]]> : tensor<2x2xf32>
  // expected-remark @+1 {{tamp-quantize-weights: 1 op(s) have a dampened calibration hessian that is not positive definite; their weights are rounded to nearest}}
  %y = tamp.linear %x, %w {tamp.calibration = {hessian = dense<[[1.0, 2.0], [2.0, 1.0]]> : tensor<2x2xf32>}}
      : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
