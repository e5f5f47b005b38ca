// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file %s | FileCheck %s
// tamp.attention is one fused kernel: an scf.forall over batch x heads, the
// head's K transposed once, then blocks of 32 query rows whose [32, Sk]
// scores are scaled, masked, normalised and multiplied by V in one body.
// No tensor holds the scores of every head.

// CHECK-LABEL: func.func @attention
// CHECK-NOT: tensor<2x4x64x48xf32>
// CHECK: %[[Q:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2], [3]] : tensor<2x4x64x16xf32> into tensor<8x64x16xf32>
// CHECK: %[[SCALE:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: scf.forall (%[[H:.*]]) in (8) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<8x64x8xf32>)
// CHECK:   %[[KH:.*]] = tensor.extract_slice %{{.*}}[%[[H]], 0, 0] [1, 48, 16] [1, 1, 1] : tensor<8x48x16xf32> to tensor<48x16xf32>
// CHECK:   %[[KT:.*]] = linalg.transpose ins(%[[KH]] : tensor<48x16xf32>) outs(%{{.*}} : tensor<16x48xf32>) permutation = [1, 0]
// The mask's batch index: the head index divided by the 4 heads.
// CHECK:   %[[B:.*]] = arith.divui %[[H]], %c4
// CHECK:   scf.for %[[ROW:.*]] = %c0 to %c64 step %c32 iter_args(%{{.*}} = %{{.*}}) -> (tensor<64x8xf32>)
// CHECK:     %[[QB:.*]] = tensor.extract_slice %[[Q]][%[[H]], %[[ROW]], 0] [1, 32, 16] [1, 1, 1] : tensor<8x64x16xf32> to tensor<32x16xf32>
// CHECK:     %[[S:.*]] = linalg.matmul ins(%[[QB]], %[[KT]] : tensor<32x16xf32>, tensor<16x48xf32>) outs(%{{.*}} : tensor<32x48xf32>)
// CHECK:     %[[M:.*]] = tensor.extract_slice %arg3[%{{.*}}, 0, 0, 0] [1, 1, 1, 48] [1, 1, 1, 1] : tensor<2x1x1x48xf32> to tensor<1x48xf32>
// CHECK:     linalg.generic {{.*}} ins(%[[S]], %[[M]] : tensor<32x48xf32>, tensor<1x48xf32>)
// CHECK:       arith.mulf %{{.*}}, %[[SCALE]]
// CHECK:       arith.addf
// CHECK:     arith.maximumf
// CHECK:     math.exp
// CHECK:     linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<32x48xf32>, tensor<48x8xf32>) outs(%{{.*}} : tensor<32x8xf32>)
// CHECK:     arith.divf
// CHECK:     tensor.insert_slice %{{.*}} into %{{.*}}[%[[ROW]], 0] [32, 8] [1, 1] : tensor<32x8xf32> into tensor<64x8xf32>
// CHECK:   scf.forall.in_parallel
// CHECK:     tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[H]], 0, 0] [1, 64, 8] [1, 1, 1] : tensor<64x8xf32> into tensor<8x64x8xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] output_shape [2, 4, 64, 8] : tensor<8x64x8xf32> into tensor<2x4x64x8xf32>
func.func @attention(%q: tensor<2x4x64x16xf32>, %k: tensor<2x4x48x16xf32>, %v: tensor<2x4x48x8xf32>, %mask: tensor<2x1x1x48xf32>) -> tensor<2x4x64x8xf32> {
  %0 = tamp.attention %q, %k, %v, %mask {scale = 0.25 : f32} : (tensor<2x4x64x16xf32>, tensor<2x4x48x16xf32>, tensor<2x4x48x8xf32>, tensor<2x1x1x48xf32>) -> tensor<2x4x64x8xf32>
  return %0 : tensor<2x4x64x8xf32>
}

// -----

// A dynamic query length: the last block is shorter (min(32, Sq - row)).

// CHECK-LABEL: func.func @dynamic_rows
// CHECK: %[[SQ:.*]] = tensor.dim %arg0, %c1
// CHECK: scf.forall (%{{.*}}) in (3)
// CHECK: scf.for %[[ROW:.*]] = %c0 to %[[SQ]] step %c32
// CHECK:   %[[LEFT:.*]] = arith.subi %[[SQ]], %[[ROW]]
// CHECK:   %[[ROWS:.*]] = arith.minsi %c32, %[[LEFT]]
// CHECK:   tensor.extract_slice %{{.*}}[%{{.*}}, %[[ROW]], 0] [1, %[[ROWS]], 16] [1, 1, 1] : tensor<3x?x16xf32> to tensor<?x16xf32>
func.func @dynamic_rows(%q: tensor<3x?x16xf32>, %k: tensor<3x10x16xf32>, %v: tensor<3x10x4xf32>) -> tensor<3x?x4xf32> {
  %0 = tamp.attention %q, %k, %v {scale = 1.0 : f32} : (tensor<3x?x16xf32>, tensor<3x10x16xf32>, tensor<3x10x4xf32>) -> tensor<3x?x4xf32>
  return %0 : tensor<3x?x4xf32>
}

// -----

// Epilogues: the contraction, then the activation as one element-wise pass
// (the CPU pipeline moves it into the matmul's register blocks).

// CHECK-LABEL: func.func @linear_relu6
// CHECK: %[[MM:.*]] = linalg.matmul
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<2x5xf32>)
// CHECK:   arith.maximumf %{{.*}}, %cst
// CHECK:   arith.minimumf %{{.*}}, %cst
func.func @linear_relu6(%x: tensor<2x3xf32>, %w: tensor<5x3xf32>) -> tensor<2x5xf32> {
  %0 = tamp.linear %x, %w {activation = #tamp.activation<clamp>, activation_min = 0.0 : f64, activation_max = 6.0 : f64} : (tensor<2x3xf32>, tensor<5x3xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @conv_silu
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK: linalg.generic
// CHECK:   math.exp
// CHECK:   arith.divf
// CHECK:   arith.mulf
func.func @conv_silu(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x1x1xf32>) -> tensor<1x4x8x8xf32> {
  %0 = tamp.conv %x, %w {activation = #tamp.activation<silu>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}
