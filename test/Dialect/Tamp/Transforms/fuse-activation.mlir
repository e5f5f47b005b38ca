// RUN: tamp-opt %s --tamp-fuse-activation --split-input-file | FileCheck %s

// ReLU6 (Clip 0..6) after a depthwise convolution.

// CHECK-LABEL: func.func @relu6
// CHECK-SAME: tamp.fusion = {activation_fused = 1 : i64}
// CHECK: %[[Y:.*]] = tamp.conv %arg0, %{{.*}} {activation = #tamp.activation<clamp>, activation_max = 6.000000e+00 : f64, activation_min = 0.000000e+00 : f64, dilations = array<i64: 1, 1>, group = 2 : i64
// CHECK-NOT: tamp.clamp
// CHECK: return %[[Y]]
func.func @relu6(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = tamp.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = tamp.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %y = tamp.clamp %c {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// Every activation kind after a linear layer.

// CHECK-LABEL: func.func @kinds
// CHECK: tamp.linear %arg0, %{{.*}} {activation = #tamp.activation<gelu>}
// CHECK: tamp.linear %arg0, %{{.*}} {activation = #tamp.activation<gelu_tanh>}
// CHECK: tamp.linear %arg0, %{{.*}} {activation = #tamp.activation<sigmoid>}
// CHECK: tamp.linear %arg0, %{{.*}} {activation = #tamp.activation<silu>}
// CHECK: tamp.linear %arg0, %{{.*}} {activation = #tamp.activation<hard_swish>}
// CHECK: tamp.linear %arg0, %{{.*}} {activation = #tamp.activation<tanh>}
// CHECK-NOT: tamp.gelu
func.func @kinds(%x: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %w = tamp.constant dense<1.0> : tensor<3x4xf32>
  %l1 = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %y1 = tamp.gelu %l1 : tensor<2x3xf32>
  %l2 = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %y2 = tamp.gelu %l2 {approximate = #tamp.gelu_approximation<tanh>} : tensor<2x3xf32>
  %l3 = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %y3 = tamp.sigmoid %l3 : tensor<2x3xf32>
  %l4 = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %y4 = tamp.silu %l4 : tensor<2x3xf32>
  %l5 = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %y5 = tamp.hard_swish %l5 : tensor<2x3xf32>
  %l6 = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %y6 = tamp.tanh %l6 : tensor<2x3xf32>
  return %y1, %y2, %y3, %y4, %y5, %y6 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// A second activation after a fused one, a layer result that is also
// returned, and an integer convolution (ConvInteger) keep their ops.

// CHECK-LABEL: func.func @not_fused
// CHECK-NOT: tamp.fusion
// CHECK: tamp.conv {{.*}}activation = #tamp.activation<clamp>
// CHECK: tamp.sigmoid
// CHECK: tamp.clamp
// CHECK: tamp.clamp
func.func @not_fused(%x: tensor<1x2x3x3xf32>, %i: tensor<1x2x3x3xi32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xi32>) {
  %w = tamp.constant dense<1.0> : tensor<2x2x1x1xf32>
  %wi = tamp.constant dense<1> : tensor<2x2x1x1xi32>
  %c1 = tamp.conv %x, %w {activation = #tamp.activation<clamp>, activation_min = 0.0 : f64, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %y1 = tamp.sigmoid %c1 : tensor<1x2x3x3xf32>
  %c2 = tamp.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %y2 = tamp.clamp %c2 {min = 0.0 : f64} : tensor<1x2x3x3xf32>
  %c3 = tamp.conv %i, %wi {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xi32>, tensor<2x2x1x1xi32>) -> tensor<1x2x3x3xi32>
  %y3 = tamp.clamp %c3 {min = 0.0 : f64} : tensor<1x2x3x3xi32>
  return %y1, %y2, %c2, %y3 : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xi32>
}
