// RUN: tamp-opt --pass-pipeline='builtin.module(func.func(tamp-cpu-vectorize-matmul))' -split-input-file %s | FileCheck %s
// RUN: tamp-opt --pass-pipeline='builtin.module(func.func(tamp-cpu-vectorize-matmul{vector-bits=256}))' -split-input-file %s | FileCheck %s --check-prefix=AVX2

// 8 x 32 blocks (two AVX-512 vectors per row) whose accumulators are loop
// carried through K; one outer product per k.
// CHECK-DAG: #[[COLUMN:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<16x64xf32>, %[[B:.*]]: tensor<64x64xf32>, %[[C:.*]]: tensor<16x64xf32>)
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: %[[ROWS:.*]] = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %[[C8]] iter_args(%[[OUT0:.*]] = %[[C]])
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %[[C32]] iter_args(%[[OUT:.*]] = %[[OUT0]])
// CHECK: %[[BLOCK:.*]] = vector.transfer_read %[[OUT]][%[[I]], %[[J]]], %{{.*}} {in_bounds = [true, true]} : tensor<16x64xf32>, vector<8x32xf32>
// CHECK: %[[SUM:.*]] = scf.for %[[K:.*]] = {{.*}} iter_args(%[[ACC:.*]] = %[[BLOCK]]) -> (vector<8x32xf32>)
// CHECK: %[[COL:.*]] = vector.transfer_read %[[A]][%[[I]], %[[K]]], %{{.*}} {in_bounds = [true], permutation_map = #[[COLUMN]]} : tensor<16x64xf32>, vector<8xf32>
// CHECK: %[[ROW:.*]] = vector.transfer_read %[[B]][%[[K]], %[[J]]], %{{.*}} {in_bounds = [true]} : tensor<64x64xf32>, vector<32xf32>
// CHECK: %[[NEXT:.*]] = vector.outerproduct %[[COL]], %[[ROW]], %[[ACC]] {kind = #vector.kind<add>} : vector<8xf32>, vector<32xf32>
// CHECK: scf.yield %[[NEXT]]
// CHECK: vector.transfer_write %[[SUM]], %[[OUT]][%[[I]], %[[J]]] {in_bounds = [true, true]} : vector<8x32xf32>, tensor<16x64xf32>
// CHECK: return %[[ROWS]]
// AVX2-LABEL: func.func @matmul
// AVX2: vector<8x16xf32>
func.func @matmul(%a: tensor<16x64xf32>, %b: tensor<64x64xf32>, %c: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x64xf32>) outs(%c : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

// -----

// Smaller shapes take the largest dividing block: 3 rows, 8 columns.
// CHECK-LABEL: func.func @small
// CHECK: vector.outerproduct {{.*}} : vector<1xf32>, vector<8xf32>
func.func @small(%a: tensor<3x5xf32>, %b: tensor<5x8xf32>, %c: tensor<3x8xf32>) -> tensor<3x8xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<3x5xf32>, tensor<5x8xf32>) outs(%c : tensor<3x8xf32>) -> tensor<3x8xf32>
  return %0 : tensor<3x8xf32>
}

// -----

// No block fits 10 columns, dynamic shapes and other element types are left
// to the other passes.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: vector.
// CHECK-COUNT-3: linalg.matmul
func.func @left_alone(%a: tensor<4x4xf32>, %b: tensor<4x10xf32>, %c: tensor<4x10xf32>,
                      %d: tensor<?x4xf32>, %e: tensor<4x16xf32>, %f: tensor<?x16xf32>,
                      %g: tensor<4x4xf64>, %h: tensor<4x16xf64>, %i: tensor<4x16xf64>)
    -> (tensor<4x10xf32>, tensor<?x16xf32>, tensor<4x16xf64>) {
  %0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x10xf32>) outs(%c : tensor<4x10xf32>) -> tensor<4x10xf32>
  %1 = linalg.matmul ins(%d, %e : tensor<?x4xf32>, tensor<4x16xf32>) outs(%f : tensor<?x16xf32>) -> tensor<?x16xf32>
  %2 = linalg.matmul ins(%g, %h : tensor<4x4xf64>, tensor<4x16xf64>) outs(%i : tensor<4x16xf64>) -> tensor<4x16xf64>
  return %0, %1, %2 : tensor<4x10xf32>, tensor<?x16xf32>, tensor<4x16xf64>
}
