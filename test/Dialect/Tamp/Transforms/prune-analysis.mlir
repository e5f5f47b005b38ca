// RUN: tamp-opt --tamp-prune-analysis %s -o /dev/null | FileCheck %s

// A conv -> BN -> ReLU -> flatten -> linear chain: one group of 4 channels
// whose consumer sees each channel as 4 flattened features.
// CHECK-LABEL: channel groups of @chain:
// CHECK: group 0 'conv': 4 channels, prunable
// CHECK-NEXT: producers:
// CHECK-NEXT: conv (tamp.conv) operand 1 dim 0
// CHECK-NEXT: conv (tamp.conv) operand 2 dim 0
// CHECK-NEXT: consumers:
// CHECK-NEXT: fc (tamp.linear) operand 1 dim 1 stride 4
// CHECK-NEXT: parameters:
// CHECK-NEXT: bn (tamp.batch_norm) operand 1 dim 0
// CHECK: group 1 'fc': 3 channels, not prunable: the channels reach model output 0
func.func @chain(%x: tensor<1x2x3x3xf32>) -> tensor<1x3xf32> {
  %w = tamp.constant dense<1.0> : tensor<4x2x2x2xf32>
  %b = tamp.constant dense<0.5> : tensor<4xf32>
  %s = tamp.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %fw = tamp.constant dense<1.0> : tensor<3x16xf32>
  %c = tamp.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<4x2x2x2xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32> loc("conv")
  %n = tamp.batch_norm %c, %s, %b, %b, %s {epsilon = 1.0e-5 : f32} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32> loc("bn")
  %r = tamp.clamp %n {min = 0.0 : f64} : tensor<1x4x2x2xf32>
  %f = tamp.flatten %r {axis = 1 : i64} : (tensor<1x4x2x2xf32>) -> tensor<1x16xf32>
  %y = tamp.linear %f, %fw : (tensor<1x16xf32>, tensor<3x16xf32>) -> tensor<1x3xf32> loc("fc")
  return %y : tensor<1x3xf32>
}

// A residual add ties the two convolutions that feed it into one group.
// CHECK-LABEL: channel groups of @residual:
// CHECK: group 0 'a': 2 channels, prunable
// CHECK-NEXT: producers:
// CHECK-NEXT: a (tamp.conv) operand 1 dim 0
// CHECK-NEXT: b (tamp.conv) operand 1 dim 0
// CHECK-NEXT: consumers:
// CHECK-NEXT: head (tamp.conv) operand 1 dim 1
// CHECK-NOT: group 1 'b'
func.func @residual(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %w1 = tamp.constant dense<1.0> : tensor<2x1x1x1xf32>
  %w2 = tamp.constant dense<2.0> : tensor<2x1x1x1xf32>
  %w3 = tamp.constant dense<1.0> : tensor<1x2x1x1xf32>
  %a = tamp.conv %x, %w1 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32> loc("a")
  %b = tamp.conv %x, %w2 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32> loc("b")
  %s = tamp.add %a, %b : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = tamp.conv %s, %w3 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x1x4x4xf32> loc("head")
  return %y : tensor<1x1x4x4xf32>
}

// Layer normalization over the channels blocks pruning them.
// CHECK-LABEL: channel groups of @normalized:
// CHECK: group 0 'proj': 4 channels, not prunable: norm (tamp.layer_norm) normalizes over the channels
func.func @normalized(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = tamp.constant dense<1.0> : tensor<4x4xf32>
  %g = tamp.constant dense<1.0> : tensor<4xf32>
  %p = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32> loc("proj")
  %n = tamp.layer_norm %p, %g {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32> loc("norm")
  return %n : tensor<2x4xf32>
}
