// RUN: tamp-opt --split-input-file --verify-diagnostics --tamp-prune-channels="ratio=0.5 score=activation" %s
// RUN: not tamp-opt --tamp-prune-channels="ratio=0.5 score=magnitude" %s 2>&1 | FileCheck %s --check-prefix=SCORE
// RUN: not tamp-opt --tamp-prune-channels="ratio=0.5 overrides=conv=1.5" %s 2>&1 | FileCheck %s --check-prefix=OVERRIDE

// SCORE: unknown pruning score 'magnitude' (expected l1, l2 or activation)
// OVERRIDE: invalid pruning override 'conv=1.5' (expected REGEX=RATIO with RATIO in [0, 1))

// Activation-aware scores read the consumer's calibration statistics.
func.func @uncalibrated(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  %w = tamp.constant dense<1.0> : tensor<4x3xf32>
  %w2 = tamp.constant dense<1.0> : tensor<1x4xf32>
  %h = tamp.linear %x, %w : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  // expected-error @below {{activation-aware pruning needs the calibration statistic operand0.abs_mean on this layer}}
  %y = tamp.linear %h, %w2 : (tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}
