// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file %s | FileCheck %s
// tamp.sparse_linear: one generic over (rows, groups, kept, outputs), the
// outputs innermost so that the loop over them vectorizes.

// N:M groups (at most 8 inputs): the input is viewed as [rows, groups, M],
// one operand per position in the group, and each kept weight's input is
// selected by comparing its index with the positions (no gather). The bias
// initialises the accumulator.
// CHECK-DAG: #[[WEIGHT:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-DAG: #[[P0:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0)>
// CHECK-DAG: #[[P3:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, 3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
// CHECK-LABEL: func.func @n_of_m
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[V:.*]]: tensor<2x2x3xf32>, %[[I:.*]]: tensor<2x2x3xi8>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[B]] : tensor<3xf32>)
// CHECK: %[[GROUPS:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 2, 4] : tensor<?x8xf32> into tensor<?x2x4xf32>
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[WEIGHT]], #[[WEIGHT]], #[[P0]], #{{.*}}, #{{.*}}, #[[P3]], #[[OUT]]], iterator_types = ["parallel", "reduction", "reduction", "parallel"]}
// CHECK-SAME: ins(%[[V]], %[[I]], %[[GROUPS]], %[[GROUPS]], %[[GROUPS]], %[[GROUPS]] :
// CHECK-SAME: outs(%[[INIT]] : tensor<?x3xf32>)
// CHECK: ^bb0(%[[VALUE:.*]]: f32, %[[INDEX:.*]]: i8, %[[X0:.*]]: f32, %[[X1:.*]]: f32, %[[X2:.*]]: f32, %[[X3:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[IS1:.*]] = arith.cmpi eq, %[[INDEX]], %{{.*}} : i8
// CHECK: %[[S1:.*]] = arith.select %[[IS1]], %[[X1]], %[[X0]] : f32
// CHECK: %[[S2:.*]] = arith.select %{{.*}}, %[[X2]], %[[S1]] : f32
// CHECK: %[[S3:.*]] = arith.select %{{.*}}, %[[X3]], %[[S2]] : f32
// CHECK: %[[PRODUCT:.*]] = arith.mulf %[[VALUE]], %[[S3]] : f32
// CHECK: %[[SUM:.*]] = arith.addf %[[ACC]], %[[PRODUCT]] : f32
// CHECK: linalg.yield %[[SUM]]
// CHECK: return %[[Y]]
func.func @n_of_m(%x: tensor<?x8xf32>, %v: tensor<2x2x3xf32>, %i: tensor<2x2x3xi8>, %b: tensor<3xf32>) -> tensor<?x3xf32> {
  %0 = tamp.sparse_linear %x, %v, %i, %b {group_size = 4 : i64} : (tensor<?x8xf32>, tensor<2x2x3xf32>, tensor<2x2x3xi8>, tensor<3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// ELL (one group of all 16 inputs) gathers the input at the index, clamped
// into the group; f16 accumulates in f32 and rounds once. A 1-D input is
// one row.
// CHECK-LABEL: func.func @ell
// CHECK-SAME: (%[[X:.*]]: tensor<16xf16>, %[[V:.*]]: tensor<1x3x5xf16>, %[[I:.*]]: tensor<1x3x5xi16>)
// CHECK: %[[ROW:.*]] = tensor.expand_shape %[[X]] {{\[}}[0, 1]] output_shape [1, 16] : tensor<16xf16> into tensor<1x16xf16>
// CHECK: %[[INIT:.*]] = linalg.fill {{.*}} -> tensor<1x5xf32>
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[V]], %[[I]] : tensor<1x3x5xf16>, tensor<1x3x5xi16>) outs(%[[INIT]] : tensor<1x5xf32>)
// CHECK: ^bb0(%[[VALUE:.*]]: f16, %[[INDEX:.*]]: i16, %[[ACC:.*]]: f32):
// CHECK: %[[POSITION:.*]] = arith.index_cast %[[INDEX]] : i16 to index
// CHECK: %[[LOW:.*]] = arith.maxsi %[[POSITION]], %{{.*}} : index
// CHECK: %[[CLAMPED:.*]] = arith.minsi %[[LOW]], %{{.*}} : index
// CHECK: %[[GROUP:.*]] = linalg.index 1 : index
// CHECK: %[[BASE:.*]] = arith.muli %[[GROUP]], %{{.*}} : index
// CHECK: %[[COLUMN:.*]] = arith.addi %[[BASE]], %[[CLAMPED]] : index
// CHECK: %[[R:.*]] = linalg.index 0 : index
// CHECK: %[[XV:.*]] = tensor.extract %[[ROW]][%[[R]], %[[COLUMN]]] : tensor<1x16xf16>
// CHECK: arith.extf %[[VALUE]] : f16 to f32
// CHECK: arith.extf %[[XV]] : f16 to f32
// CHECK: tensor.collapse_shape %[[Y]] {{\[}}[0, 1]] : tensor<1x5xf32> into tensor<5xf32>
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @ell(%x: tensor<16xf16>, %v: tensor<1x3x5xf16>, %i: tensor<1x3x5xi16>) -> tensor<5xf16> {
  %0 = tamp.sparse_linear %x, %v, %i {group_size = 16 : i64} : (tensor<16xf16>, tensor<1x3x5xf16>, tensor<1x3x5xi16>) -> tensor<5xf16>
  return %0 : tensor<5xf16>
}
