// RUN: tamp-opt --split-input-file --tamp-prune-channels="ratio=0.5" %s | FileCheck %s

// Channels 1 and 3 have the smallest L1 weights (over the producer's rows
// and the consumer's columns): the conv, its bias, the BatchNorm statistics,
// the flattened features (2 per channel) and the linear layer's columns
// lose them.
// CHECK-LABEL: func.func @chain
// CHECK-DAG: %[[W:.*]] = tamp.constant dense<{{\[\[}}[4.000000e+00]], {{\[\[}}2.000000e+00]]]> : tensor<2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = tamp.constant dense<[1.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: tamp.conv %{{.*}}, %[[W]], %[[B]] {{.*}}tamp.kept_output_channels = array<i64: 0, 2>{{.*}} -> tensor<1x2x2xf32>
// CHECK: tamp.batch_norm {{.*}} -> tensor<1x2x2xf32>
// CHECK: tamp.flatten {{.*}} -> tensor<1x4xf32>
// CHECK: %[[FW:.*]] = tamp.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<1x4xf32>
// CHECK: tamp.linear %{{.*}}, %[[FW]] {tamp.kept_input_channels = array<i64: 0, 1, 4, 5>}
func.func @chain(%x: tensor<1x1x2xf32>) -> tensor<1x1xf32> {
  %w = tamp.constant dense<[[[4.0]], [[0.5]], [[2.0]], [[0.25]]]> : tensor<4x1x1xf32>
  %b = tamp.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %fw = tamp.constant dense<[[1.0, 2.0, 0.1, 0.1, 5.0, 6.0, 0.2, 0.2]]> : tensor<1x8xf32>
  %c = tamp.conv %x, %w, %b {dilations = array<i64: 1>, pads = array<i64: 0, 0>, strides = array<i64: 1>} : (tensor<1x1x2xf32>, tensor<4x1x1xf32>, tensor<4xf32>) -> tensor<1x4x2xf32>
  %n = tamp.batch_norm %c, %b, %b, %b, %b {epsilon = 1.0e-5 : f32} : (tensor<1x4x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2xf32>
  %f = tamp.flatten %n {axis = 1 : i64} : (tensor<1x4x2xf32>) -> tensor<1x8xf32>
  %y = tamp.linear %f, %fw : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}

// -----

// A group that reaches the model's output is left alone.
// CHECK-LABEL: func.func @output
// CHECK: tamp.linear {{.*}} -> tensor<2x4xf32>
func.func @output(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %w = tamp.constant dense<1.0> : tensor<4x3xf32>
  %y = tamp.linear %x, %w : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// With round-to=4, a 30% cut of 16 channels (4 of them) keeps 12, already a
// multiple of 4; a 40% cut (6) keeps 10, rounded up to 12.
// RUN: tamp-opt --tamp-prune-channels="ratio=0.4 round-to=4" %s --split-input-file | FileCheck %s --check-prefix=ROUND
// ROUND-LABEL: func.func @rounded
// ROUND: tamp.linear %arg0, {{.*}} -> tensor<1x12xf32>
func.func @rounded(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %w1 = tamp.constant dense<[[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.0], [5.0, 5.0], [6.0, 6.0], [7.0, 7.0], [8.0, 8.0], [9.0, 9.0], [10.0, 10.0], [11.0, 11.0], [12.0, 12.0], [13.0, 13.0], [14.0, 14.0], [15.0, 15.0], [16.0, 16.0]]> : tensor<16x2xf32>
  %w2 = tamp.constant dense<1.0> : tensor<1x16xf32>
  %h = tamp.linear %x, %w1 : (tensor<1x2xf32>, tensor<16x2xf32>) -> tensor<1x16xf32>
  %y = tamp.linear %h, %w2 : (tensor<1x16xf32>, tensor<1x16xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
