// RUN: tamp-opt %s --tamp-recompose-layernorm --split-input-file | FileCheck %s

// The pre-opset-17 export: mean, sub, pow 2, mean, add eps, sqrt, div, then
// gamma and beta.

// CHECK-LABEL: func.func @pow_div
// CHECK-SAME: tamp.fusion = {layernorm_recomposed = 1 : i64}
// CHECK: %[[Y:.*]] = tamp.layer_norm %arg0, %arg1, %arg2 {axis = 2 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
// CHECK-NOT: tamp.reduce_mean
// CHECK: return %[[Y]]
func.func @pow_div(%x: tensor<2x3x4xf32>, %gamma: tensor<4xf32>, %beta: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %two = tamp.constant dense<2.0> : tensor<f32>
  %eps = tamp.constant dense<1.0e-5> : tensor<f32>
  %mean = tamp.reduce_mean %x {axes = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %d = tamp.sub %x, %mean : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %sq = tamp.pow %d, %two : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  %var = tamp.reduce_mean %sq {axes = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %ve = tamp.add %var, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32>
  %std = tamp.sqrt %ve : tensor<2x3x1xf32>
  %n = tamp.div %d, %std : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %g = tamp.mul %n, %gamma : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %y = tamp.add %beta, %g : (tensor<4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// d * d for the square, a reciprocal times d, over the last two axes, no
// gamma (ones) and no beta.

// CHECK-LABEL: func.func @mul_reciprocal
// CHECK: %[[ONES:.*]] = tamp.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK: tamp.layer_norm %arg0, %[[ONES]] {axis = 1 : i64, epsilon = 1.000000e-03 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
func.func @mul_reciprocal(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %eps = tamp.constant dense<1.0e-3> : tensor<1xf32>
  %mean = tamp.reduce_mean %x {axes = array<i64: 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x1x1xf32>
  %d = tamp.sub %x, %mean : (tensor<2x3x4xf32>, tensor<2x1x1xf32>) -> tensor<2x3x4xf32>
  %sq = tamp.mul %d, %d : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %var = tamp.reduce_mean %sq {axes = array<i64: 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x1xf32>
  %ve = tamp.add %eps, %var : (tensor<1xf32>, tensor<2x1x1xf32>) -> tensor<2x1x1xf32>
  %std = tamp.sqrt %ve : tensor<2x1x1xf32>
  %r = tamp.reciprocal %std : tensor<2x1x1xf32>
  %n = tamp.mul %r, %d : (tensor<2x1x1xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %n : tensor<2x3x4xf32>
}

// -----

// An exponent of 3 is not a variance.

// CHECK-LABEL: func.func @cube
// CHECK-NOT: tamp.layer_norm
func.func @cube(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %three = tamp.constant dense<3.0> : tensor<f32>
  %eps = tamp.constant dense<1.0e-5> : tensor<f32>
  %mean = tamp.reduce_mean %x {axes = array<i64: 1>} : (tensor<3x4xf32>) -> tensor<3x1xf32>
  %d = tamp.sub %x, %mean : (tensor<3x4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
  %sq = tamp.pow %d, %three : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  %var = tamp.reduce_mean %sq {axes = array<i64: 1>} : (tensor<3x4xf32>) -> tensor<3x1xf32>
  %ve = tamp.add %var, %eps : (tensor<3x1xf32>, tensor<f32>) -> tensor<3x1xf32>
  %std = tamp.sqrt %ve : tensor<3x1xf32>
  %n = tamp.div %d, %std : (tensor<3x4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
  return %n : tensor<3x4xf32>
}

// -----

// Normalising over the first axis is not a layer normalisation.

// CHECK-LABEL: func.func @leading_axis
// CHECK-NOT: tamp.layer_norm
func.func @leading_axis(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %two = tamp.constant dense<2.0> : tensor<f32>
  %eps = tamp.constant dense<1.0e-5> : tensor<f32>
  %mean = tamp.reduce_mean %x {axes = array<i64: 0>} : (tensor<3x4xf32>) -> tensor<1x4xf32>
  %d = tamp.sub %x, %mean : (tensor<3x4xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  %sq = tamp.pow %d, %two : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  %var = tamp.reduce_mean %sq {axes = array<i64: 0>} : (tensor<3x4xf32>) -> tensor<1x4xf32>
  %ve = tamp.add %var, %eps : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
  %std = tamp.sqrt %ve : tensor<1x4xf32>
  %n = tamp.div %d, %std : (tensor<3x4xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  return %n : tensor<3x4xf32>
}

// -----

// The variance is also returned: it must stay computed.

// CHECK-LABEL: func.func @variance_used
// CHECK-NOT: tamp.layer_norm
func.func @variance_used(%x: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x1xf32>) {
  %two = tamp.constant dense<2.0> : tensor<f32>
  %eps = tamp.constant dense<1.0e-5> : tensor<f32>
  %mean = tamp.reduce_mean %x {axes = array<i64: 1>} : (tensor<3x4xf32>) -> tensor<3x1xf32>
  %d = tamp.sub %x, %mean : (tensor<3x4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
  %sq = tamp.pow %d, %two : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  %var = tamp.reduce_mean %sq {axes = array<i64: 1>} : (tensor<3x4xf32>) -> tensor<3x1xf32>
  %ve = tamp.add %var, %eps : (tensor<3x1xf32>, tensor<f32>) -> tensor<3x1xf32>
  %std = tamp.sqrt %ve : tensor<3x1xf32>
  %n = tamp.div %d, %std : (tensor<3x4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
  return %n, %var : tensor<3x4xf32>, tensor<3x1xf32>
}
