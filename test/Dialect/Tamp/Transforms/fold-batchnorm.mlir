// RUN: tamp-opt %s --tamp-fold-batchnorm --split-input-file | FileCheck %s

// s = scale / sqrt(var + eps) = [4 / 2, 2 / 4] = [2, 0.5];
// W' = W * s = [2, 1]; b' = (0 - mean) * s + bias = [-1 + 1, -0.5 - 1].

// CHECK-LABEL: func.func @conv
// CHECK-SAME: tamp.fusion = {batchnorm_folded = 1 : i64}
// CHECK-DAG: %[[W:.*]] = tamp.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}1.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = tamp.constant dense<[0.000000e+00, -1.500000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = tamp.conv %arg0, %[[W]], %[[B]]
// CHECK-NOT: tamp.batch_norm
// CHECK: return %[[Y]]
func.func @conv(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = tamp.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %scale = tamp.constant dense<[4.0, 2.0]> : tensor<2xf32>
  %bias = tamp.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %mean = tamp.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = tamp.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = tamp.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = tamp.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// An existing bias is shifted too: b' = (b - mean) * s + bias.

// CHECK-LABEL: func.func @linear_with_bias
// CHECK-DAG: %[[W:.*]] = tamp.constant dense<{{\[\[}}2.000000e+00, 4.000000e+00], [1.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B:.*]] = tamp.constant dense<[2.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK: tamp.linear %arg0, %[[W]], %[[B]]
// CHECK-NOT: tamp.batch_norm
func.func @linear_with_bias(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = tamp.constant dense<[[1.0, 2.0], [2.0, 2.0]]> : tensor<2x2xf32>
  %b = tamp.constant dense<[1.5, 1.0]> : tensor<2xf32>
  %scale = tamp.constant dense<[4.0, 2.0]> : tensor<2xf32>
  %bias = tamp.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %mean = tamp.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %var = tamp.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %l = tamp.linear %x, %w, %b : (tensor<3x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %y = tamp.batch_norm %l, %scale, %bias, %mean, %var {epsilon = 1.0 : f32} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// The convolution's result is also returned: folding would change it.

// CHECK-LABEL: func.func @conv_two_uses
// CHECK-NOT: tamp.fusion
// CHECK: tamp.batch_norm
func.func @conv_two_uses(%x: tensor<1x1x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %w = tamp.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = tamp.constant dense<1.0> : tensor<2xf32>
  %c = tamp.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = tamp.batch_norm %c, %p, %p, %p, %p {epsilon = 1.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y, %c : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// Statistics that are function arguments are not constants.

// CHECK-LABEL: func.func @runtime_statistics
// CHECK: tamp.batch_norm
func.func @runtime_statistics(%x: tensor<1x1x2x2xf32>, %mean: tensor<2xf32>) -> tensor<1x2x2x2xf32> {
  %w = tamp.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = tamp.constant dense<1.0> : tensor<2xf32>
  %c = tamp.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = tamp.batch_norm %c, %p, %p, %mean, %p {epsilon = 1.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// A 3-D linear result normalised along dimension 1 (not its features).

// CHECK-LABEL: func.func @linear_wrong_axis
// CHECK: tamp.batch_norm
func.func @linear_wrong_axis(%x: tensor<1x2x2xf32>) -> tensor<1x2x2xf32> {
  %w = tamp.constant dense<1.0> : tensor<2x2xf32>
  %p = tamp.constant dense<1.0> : tensor<2xf32>
  %l = tamp.linear %x, %w : (tensor<1x2x2xf32>, tensor<2x2xf32>) -> tensor<1x2x2xf32>
  %y = tamp.batch_norm %l, %p, %p, %p, %p {epsilon = 1.0 : f32} : (tensor<1x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
  return %y : tensor<1x2x2xf32>
}

// -----

// A convolution with an activation epilogue computes clamp(conv): the
// normalisation cannot move inside it.

// CHECK-LABEL: func.func @conv_with_activation
// CHECK: tamp.batch_norm
func.func @conv_with_activation(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = tamp.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = tamp.constant dense<1.0> : tensor<2xf32>
  %c = tamp.conv %x, %w {activation = #tamp.activation<clamp>, activation_min = 0.0 : f64, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = tamp.batch_norm %c, %p, %p, %p, %p {epsilon = 1.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
