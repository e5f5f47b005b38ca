// RUN: tamp-opt %s -split-input-file -verify-diagnostics --tamp-quantize-weights="bits=3 method=awq awq-grid=4" | FileCheck %s

// AWQ scales column j by s_j = abs_mean_j^alpha before rounding and
// multiplies the dequantized weight by 1 / s_j: here alpha = 1/4, so
// s = [8, 0.5, 0.25, 2]^(1/4) / sqrt(max(s) min(s)) and the factors are
// [0.648, 1.297, 1.542, 0.917]. The factor vector is applied by a tamp.mul
// that fuses into the dequantization loop.
// CHECK-LABEL: func.func @awq
// CHECK: %[[CODES:.*]] = tamp.unpack_bits %{{.*}} : (tensor<2x2xi8>) -> tensor<2x4xui3>
// CHECK: %[[W:.*]] = tamp.dequantize %[[CODES]], %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<2x4xui3>, tensor<2xf32>, tensor<2xui3>) -> tensor<2x4xf32>
// CHECK: %[[FACTORS:.*]] = tamp.constant dense<[0.648419797, 1.29683959, 1.54221082, 0.917004048]> : tensor<4xf32>
// CHECK: %[[SCALED:.*]] = tamp.mul %[[W]], %[[FACTORS]] : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK: tamp.linear %arg0, %[[SCALED]]
func.func @awq(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<[[0.3, -0.7, 1.1, 0.45], [-0.2, 0.9, 0.35, -1.3]]> : tensor<2x4xf32>
  %y = tamp.linear %x, %w {tamp.calibration = {samples = 8 : i64,
      operand0 = {abs_mean = dense<[8.0, 0.5, 0.25, 2.0]> : tensor<4xf32>}}}
      : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Equal activation magnitudes leave nothing to gain: alpha = 0, which is
// round to nearest, without factors.
// CHECK-LABEL: func.func @uniform_activations
// CHECK-NOT: tamp.mul
// CHECK: tamp.linear
func.func @uniform_activations(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<[[0.3, -0.7, 1.1, 0.45], [-0.2, 0.9, 0.35, -1.3]]> : tensor<2x4xf32>
  %y = tamp.linear %x, %w {tamp.calibration = {operand0 = {abs_mean = dense<1.0> : tensor<4xf32>}}}
      : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A convolution's abs_mean has one entry per input channel; each covers
// the channel's kh * kw columns of the flattened weight (alpha = 1/4 here).
// CHECK-LABEL: func.func @conv
// CHECK: tamp.dequantize %{{.*}} : (tensor<2x8xui3>, tensor<2xf32>, tensor<2xui3>) -> tensor<2x8xf32>
// CHECK: %[[FACTORS:.*]] = tamp.constant dense<[0.707106769, 0.707106769, 0.707106769, 0.707106769, 1.41421354, 1.41421354, 1.41421354, 1.41421354]> : tensor<8xf32>
// CHECK: tamp.mul %{{.*}}, %[[FACTORS]] : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
// CHECK: tamp.reshape
func.func @conv(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x2x2xf32> {
  %w = tamp.constant dense<[[[[0.3, -0.7], [1.1, 0.45]], [[-0.2, 0.9], [0.35, -1.3]]],
                            [[[0.1, 0.2], [-0.3, 0.4]], [[0.5, -0.6], [0.7, 0.8]]]]> : tensor<2x2x2x2xf32>
  %y = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
      tamp.calibration = {operand0 = {abs_mean = dense<[4.0, 0.25]> : tensor<2xf32>}}}
      : (tensor<1x2x3x3xf32>, tensor<2x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Without abs_mean, and for grouped convolutions (whose [O, C/g, ...] weight
// does not see the C channels abs_mean describes), AWQ rounds to nearest.
// CHECK-LABEL: func.func @fallbacks
// CHECK-NOT: tamp.mul
// CHECK: return
func.func @fallbacks(%x: tensor<1x4xf32>, %image: tensor<1x2x3x3xf32>) -> (tensor<1x2xf32>, tensor<1x2x2x2xf32>) {
  %w = tamp.constant dense<[[0.3, -0.7, 1.1, 0.45], [-0.2, 0.9, 0.35, -1.3]]> : tensor<2x4xf32>
  // expected-remark @+1 {{tamp-quantize-weights: 1 op(s) have no calibration abs_mean of operand 0 (AWQ needs one); their weights are rounded to nearest}}
  %y = tamp.linear %x, %w : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  %k = tamp.constant dense<[[[[0.3, -0.7], [1.1, 0.45]]], [[[-0.2, 0.9], [0.35, -1.3]]]]> : tensor<2x1x2x2xf32>
  // expected-remark @+1 {{tamp-quantize-weights: 1 op(s) are grouped convolutions, whose weights see only part of the channels that abs_mean describes; their weights are rounded to nearest}}
  %z = tamp.conv %image, %k {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2 : i64,
      tamp.calibration = {operand0 = {abs_mean = dense<[4.0, 0.25]> : tensor<2xf32>}}}
      : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y, %z : tensor<1x2xf32>, tensor<1x2x2x2xf32>
}
