// RUN: tamp-opt %s --tamp-compress-pipeline="prune-channels=0.5" | FileCheck %s
// RUN: tamp-opt %s --tamp-compress-pipeline="prune-channels=0.5 prune-score=l2" | FileCheck %s

// The named pipeline prunes as `tamp compile --prune channels=0.5` does: the
// two hidden channels with the smallest weights (1 and 3) go from both
// layers.
// CHECK-LABEL: func.func @mlp
// CHECK: tamp.linear %arg0, %{{.*}} {tamp.kept_output_channels = array<i64: 0, 2>} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
// CHECK: tamp.linear %{{.*}}, %{{.*}} {tamp.kept_input_channels = array<i64: 0, 2>} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x1xf32>
func.func @mlp(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %w1 = tamp.constant dense<[[3.0, 3.0], [0.1, 0.1], [2.0, 2.0], [0.2, 0.2]]> : tensor<4x2xf32>
  %w2 = tamp.constant dense<[[1.0, 0.1, 1.0, 0.1]]> : tensor<1x4xf32>
  %h = tamp.linear %x, %w1 : (tensor<1x2xf32>, tensor<4x2xf32>) -> tensor<1x4xf32>
  %r = tamp.clamp %h {min = 0.0 : f64} : tensor<1x4xf32>
  %y = tamp.linear %r, %w2 : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
