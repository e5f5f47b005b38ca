// RUN: tamp-opt %s --tamp-fuse-bias --split-input-file | FileCheck %s

// MatMul + Add as exporters write a dense layer.

// CHECK-LABEL: func.func @linear
// CHECK-SAME: tamp.fusion = {bias_fused = 1 : i64}
// CHECK: %[[B:.*]] = tamp.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = tamp.linear %arg0, %{{.*}}, %[[B]] : (tensor<2x5x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x5x3xf32>
// CHECK-NOT: tamp.add
// CHECK: return %[[Y]]
func.func @linear(%x: tensor<2x5x4xf32>) -> tensor<2x5x3xf32> {
  %w = tamp.constant dense<1.0> : tensor<3x4xf32>
  %b = tamp.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %l = tamp.linear %x, %w : (tensor<2x5x4xf32>, tensor<3x4xf32>) -> tensor<2x5x3xf32>
  %y = tamp.add %b, %l : (tensor<3xf32>, tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  return %y : tensor<2x5x3xf32>
}

// -----

// A per-channel [M, 1, 1] addend after a convolution adds to its bias.

// CHECK-LABEL: func.func @conv
// CHECK: %[[B:.*]] = tamp.constant dense<[1.500000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: tamp.conv %arg0, %{{.*}}, %[[B]]
// CHECK-NOT: tamp.add
func.func @conv(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = tamp.constant dense<1.0> : tensor<2x1x1x1xf32>
  %b = tamp.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %c = tamp.constant dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>
  %l = tamp.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %y = tamp.add %l, %c : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// An addend that varies along the rows, one that is not constant, and a
// layer whose result is also returned stay additions.

// CHECK-LABEL: func.func @not_bias
// CHECK-NOT: tamp.fusion
// CHECK-COUNT-3: tamp.add
func.func @not_bias(%x: tensor<2x4xf32>, %r: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %w = tamp.constant dense<1.0> : tensor<3x4xf32>
  %rows = tamp.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %b = tamp.constant dense<1.0> : tensor<3xf32>
  %l1 = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %y1 = tamp.add %l1, %rows : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %l2 = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %y2 = tamp.add %l2, %r : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %l3 = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %y3 = tamp.add %l3, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y1, %y2, %y3, %l3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}
