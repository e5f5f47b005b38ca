// RUN: tamp-opt --pass-pipeline='builtin.module(func.func(tamp-cpu-vectorize-matmul))' -split-input-file %s | FileCheck %s
// RUN: tamp-opt --pass-pipeline='builtin.module(func.func(tamp-cpu-vectorize-matmul{vector-bits=256}))' -split-input-file %s | FileCheck %s --check-prefix=AVX2

// 8 x 32 blocks (two AVX-512 vectors per row) whose accumulators are loop
// carried through K; one outer product per k.
// CHECK-DAG: #[[COLUMN:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<16x64xf32>, %[[B:.*]]: tensor<64x64xf32>, %[[C:.*]]: tensor<16x64xf32>)
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: %[[ROWS:.*]] = scf.for %[[I:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step %[[C8]] iter_args(%[[OUT0:.*]] = %[[C]])
// CHECK: scf.for %[[J:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step %[[C32]] iter_args(%[[OUT:.*]] = %[[OUT0]])
// CHECK: %[[BLOCK:.*]] = vector.transfer_read %[[OUT]][%[[I]], %[[J]]], %{{.*}} {in_bounds = [true, true]} : tensor<16x64xf32>, vector<8x32xf32>
// CHECK: %[[SUM:.*]] = scf.for %[[K:[a-z0-9_]+]] = {{.*}} iter_args(%[[ACC:.*]] = %[[BLOCK]]) -> (vector<8x32xf32>)
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

// A dynamic row count: 8-row blocks, then single rows for the remainder.
// CHECK-LABEL: func.func @dynamic_rows
// CHECK: %[[M:.*]] = tensor.dim %{{.*}}, %c0
// CHECK: %[[REM:.*]] = arith.remui %[[M]], %c8
// CHECK: %[[END:.*]] = arith.subi %[[M]], %[[REM]]
// CHECK: %[[BLOCKED:.*]] = scf.for %{{.*}} = %{{.*}} to %[[END]] step %c8
// CHECK: vector.outerproduct {{.*}} : vector<8xf32>, vector<16xf32>
// CHECK: scf.for %{{.*}} = %[[END]] to %[[M]] step %c1{{.*}} iter_args(%{{.*}} = %[[BLOCKED]])
// CHECK: vector.outerproduct {{.*}} : vector<1xf32>, vector<16xf32>
func.func @dynamic_rows(%a: tensor<?x4xf32>, %b: tensor<4x16xf32>, %c: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<?x4xf32>, tensor<4x16xf32>) outs(%c : tensor<?x16xf32>) -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// -----

// batch_matmul: a loop over the batch around the row blocks; the column of
// A is read along the row dimension of the rank-3 operand.
// CHECK-DAG: #[[BATCH_COLUMN:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @batched
// CHECK: %[[B:.*]] = tensor.dim %{{.*}}, %c0
// CHECK: scf.for %[[BATCH:[a-z0-9_]+]] = %c0 to %[[B]] step %c1
// CHECK: scf.for %[[I:[a-z0-9_]+]] = {{.*}} step %c2
// CHECK: scf.for %[[J:[a-z0-9_]+]] = {{.*}} step %c32
// CHECK: vector.transfer_read %{{.*}}[%[[BATCH]], %[[I]], %[[J]]]{{.*}} : tensor<?x6x64xf32>, vector<2x32xf32>
// CHECK: scf.for %[[K:[a-z0-9_]+]] =
// CHECK: vector.transfer_read %{{.*}}[%[[BATCH]], %[[I]], %[[K]]]{{.*}}permutation_map = #[[BATCH_COLUMN]]{{.*}} : tensor<?x6x8xf32>, vector<2xf32>
// CHECK: vector.transfer_read %{{.*}}[%[[BATCH]], %[[K]], %[[J]]]{{.*}} : tensor<?x8x64xf32>, vector<32xf32>
// CHECK: vector.outerproduct
func.func @batched(%a: tensor<?x6x8xf32>, %b: tensor<?x8x64xf32>, %c: tensor<?x6x64xf32>) -> tensor<?x6x64xf32> {
  %0 = linalg.batch_matmul ins(%a, %b : tensor<?x6x8xf32>, tensor<?x8x64xf32>) outs(%c : tensor<?x6x64xf32>) -> tensor<?x6x64xf32>
  return %0 : tensor<?x6x64xf32>
}

// -----

// 49 columns: one full block of 32, then a masked block at column 32 whose
// accesses along the columns may run out of bounds.
// CHECK-LABEL: func.func @column_remainder
// CHECK: scf.for %[[I:[a-z0-9_]+]] = {{.*}} step %c8
// CHECK: %[[FULL:.*]] = scf.for %{{.*}} = %{{.*}} to %[[C32:[a-z0-9_]+]] step %{{.*}}
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true, true]} : tensor<8x49xf32>, vector<8x32xf32>
// CHECK: vector.transfer_read %[[FULL]][%[[I]], %[[C32]]], %{{.*}} {in_bounds = [true, false]} : tensor<8x49xf32>, vector<8x32xf32>
// CHECK: vector.transfer_read %{{.*}}[%{{.*}}, %[[C32]]], %{{.*}} : tensor<3x49xf32>, vector<32xf32>
// CHECK: vector.transfer_write %{{.*}}, %[[FULL]][%[[I]], %[[C32]]] {in_bounds = [true, false]}
// AVX2-LABEL: func.func @column_remainder
// AVX2: vector.transfer_read {{.*}} {in_bounds = [true, false]} : tensor<8x49xf32>, vector<8x16xf32>
func.func @column_remainder(%a: tensor<8x3xf32>, %b: tensor<3x49xf32>, %c: tensor<8x49xf32>) -> tensor<8x49xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x3xf32>, tensor<3x49xf32>) outs(%c : tensor<8x49xf32>) -> tensor<8x49xf32>
  return %0 : tensor<8x49xf32>
}

// -----

// No block fits a single column; a dynamic reduction or column size, other
// element types and transposed maps are left to the other passes.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: vector.
// CHECK-COUNT-4: linalg.matmul
func.func @left_alone(%a: tensor<4x4xf32>, %b: tensor<4x1xf32>, %c: tensor<4x1xf32>,
                      %d: tensor<4x?xf32>, %e: tensor<?x16xf32>, %f: tensor<4x16xf32>,
                      %g: tensor<4x4xf64>, %h: tensor<4x16xf64>, %i: tensor<4x16xf64>,
                      %j: tensor<16x4xf32>)
    -> (tensor<4x1xf32>, tensor<4x16xf32>, tensor<4x16xf64>, tensor<4x16xf32>) {
  %0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x1xf32>) outs(%c : tensor<4x1xf32>) -> tensor<4x1xf32>
  %1 = linalg.matmul ins(%d, %e : tensor<4x?xf32>, tensor<?x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  %2 = linalg.matmul ins(%g, %h : tensor<4x4xf64>, tensor<4x16xf64>) outs(%i : tensor<4x16xf64>) -> tensor<4x16xf64>
  %3 = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
    ins(%a, %j : tensor<4x4xf32>, tensor<16x4xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0, %1, %2, %3 : tensor<4x1xf32>, tensor<4x16xf32>, tensor<4x16xf64>, tensor<4x16xf32>
}

// -----

// An element-wise epilogue (a fused ReLU6) is applied to each register block,
// row by row, before the block is written; the generic disappears.

// CHECK-LABEL: func.func @epilogue
// CHECK: %[[SUM:.*]] = scf.for {{.*}} -> (vector<8x32xf32>)
// CHECK: %[[ROW:.*]] = vector.extract %[[SUM]][0] : vector<32xf32> from vector<8x32xf32>
// CHECK: %[[LOW:.*]] = vector.broadcast %{{.*}} : f32 to vector<32xf32>
// CHECK: %[[MAX:.*]] = arith.maximumf %[[ROW]], %[[LOW]] : vector<32xf32>
// CHECK: arith.minimumf %[[MAX]], %{{.*}} : vector<32xf32>
// CHECK: vector.insert %{{.*}}, %{{.*}} [0] : vector<32xf32> into vector<8x32xf32>
// CHECK: vector.transfer_write
// CHECK-NOT: linalg.generic
func.func @epilogue(%a: tensor<16x8xf32>, %b: tensor<8x64xf32>, %c: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %0 = linalg.matmul ins(%a, %b : tensor<16x8xf32>, tensor<8x64xf32>) outs(%c : tensor<16x64xf32>) -> tensor<16x64xf32>
  %e = tensor.empty() : tensor<16x64xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<16x64xf32>) outs(%e : tensor<16x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %lo = arith.maximumf %in, %zero : f32
    %hi = arith.minimumf %lo, %six : f32
    linalg.yield %hi : f32
  } -> tensor<16x64xf32>
  return %1 : tensor<16x64xf32>
}

// -----

// A generic that also reads its output is not an epilogue.

// CHECK-LABEL: func.func @not_epilogue
// CHECK: vector.transfer_write
// CHECK: linalg.generic
func.func @not_epilogue(%a: tensor<16x8xf32>, %b: tensor<8x64xf32>, %c: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<16x8xf32>, tensor<8x64xf32>) outs(%c : tensor<16x64xf32>) -> tensor<16x64xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<16x64xf32>) outs(%c : tensor<16x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  return %1 : tensor<16x64xf32>
}
