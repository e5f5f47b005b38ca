// RUN: tamp-opt %s --tamp-prune-layers=count=1 --split-input-file -verify-diagnostics
// RUN: not tamp-opt %s --tamp-prune-layers=count=3 --split-input-file 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not tamp-opt %s --tamp-prune-layers=indices=2 --split-input-file 2>&1 | FileCheck %s --check-prefix=INDEX
// RUN: not tamp-opt %s --tamp-prune-layers=names=nowhere --split-input-file 2>&1 | FileCheck %s --check-prefix=NAME
// RUN: not tamp-opt %s --tamp-prune-layers="count=1 indices=0" --split-input-file 2>&1 | FileCheck %s --check-prefix=BOTH
// RUN: not tamp-opt %s --tamp-prune-layers="count=1 rank-by=size" --split-input-file 2>&1 | FileCheck %s --check-prefix=RANK

// COUNT: error: cannot remove 3 residual blocks: 'two_blocks' has 2
// INDEX: error: no residual block #2: 'two_blocks' has 2
// NAME: error: no residual block named 'nowhere' in 'two_blocks'
// BOTH: error: tamp-prune-layers: give either a count or block indices and names, not both
// RANK: error: unknown rank-by 'size' (expected output_change or relative_change)

// Ranking needs every block's statistic; nothing is removed without it.
func.func @two_blocks(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = tamp.constant dense<0.25> : tensor<4x4xf32>
  %f1 = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %z1 = tamp.add %x, %f1 {tamp.block_calibration = {output_change = 0.5 : f64, samples = 1 : i64}} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %f2 = tamp.linear %z1, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  // expected-error @below {{residual block #1 has no 'tamp.block_calibration' output_change to rank it by (calibrate with `tamp compile --calibration DATA --calibration-blocks`)}}
  %z2 = tamp.add %z1, %f2 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %z2 : tensor<2x4xf32>
}

// -----

// A malformed statistic is no statistic.
func.func @malformed(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = tamp.constant dense<0.25> : tensor<4x4xf32>
  %f = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  // expected-error @below {{residual block #0 has no 'tamp.block_calibration' output_change}}
  %z = tamp.add %x, %f {tamp.block_calibration = {output_change = "small"}} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %z : tensor<2x4xf32>
}

// -----

// No residual blocks at all.
// expected-error @below {{cannot remove 1 residual blocks: 'no_blocks' has 0}}
func.func @no_blocks(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = tamp.constant dense<0.25> : tensor<4x4xf32>
  %f = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %f : tensor<2x4xf32>
}
