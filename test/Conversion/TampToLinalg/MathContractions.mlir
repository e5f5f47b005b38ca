// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file %s | FileCheck %s
// matmul, linear and einsum: named linalg.matmul / batch_matmul where the
// contraction is one, contraction generics otherwise.

// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%[[A:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<4x5xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<3x5xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<3x5xf32>)
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<3x4xf32>, tensor<4x5xf32>) outs(%[[INIT]] : tensor<3x5xf32>)
// CHECK: return %[[MM]]
func.func @matmul_2d(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %0 = tamp.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// Dynamic contracted sizes are checked at run time.
// CHECK-LABEL: func.func @matmul_dynamic_k
// CHECK: %[[K0:.*]] = tensor.dim %arg0, %c1 : tensor<?x?xi32>
// CHECK: %[[K1:.*]] = tensor.dim %arg1, %{{.*}} : tensor<?x5xi32>
// CHECK: %[[EQ:.*]] = arith.cmpi eq, %[[K0]], %[[K1]] : index
// CHECK: cf.assert %[[EQ]], "(tamp.matmul): the contracted dimensions differ"
// CHECK: linalg.matmul ins(%arg0, %arg1 : tensor<?x?xi32>, tensor<?x5xi32>) outs(%{{.*}} : tensor<?x5xi32>)
func.func @matmul_dynamic_k(%a: tensor<?x?xi32>, %b: tensor<?x5xi32>) -> tensor<?x5xi32> {
  %0 = tamp.matmul %a, %b : (tensor<?x?xi32>, tensor<?x5xi32>) -> tensor<?x5xi32>
  return %0 : tensor<?x5xi32>
}

// -----

// [B, M, K] x [K, N]: one matmul over the collapsed batch and rows.
// CHECK-LABEL: func.func @matmul_batched_lhs
// CHECK-SAME: (%[[A:.*]]: tensor<?x3x4xf32>, %[[B:.*]]: tensor<4x5xf32>)
// CHECK: %[[BATCH:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<?x3x4xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2]] : tensor<?x3x4xf32> into tensor<?x4xf32>
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[FLAT]], %[[B]] : tensor<?x4xf32>, tensor<4x5xf32>) outs(%{{.*}} : tensor<?x5xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2]] output_shape [%[[BATCH]], 3, 5] : tensor<?x5xf32> into tensor<?x3x5xf32>
func.func @matmul_batched_lhs(%a: tensor<?x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<?x3x5xf32> {
  %0 = tamp.matmul %a, %b : (tensor<?x3x4xf32>, tensor<4x5xf32>) -> tensor<?x3x5xf32>
  return %0 : tensor<?x3x5xf32>
}

// -----

// A right-hand side with only unit batch dims is a matrix.
// CHECK-LABEL: func.func @matmul_unit_batch_rhs
// CHECK: %[[RHS:.*]] = tensor.collapse_shape %arg1 {{\[}}[0, 1], [2]] : tensor<1x4x5xf32> into tensor<4x5xf32>
// CHECK: %[[LHS:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1], [2]] : tensor<?x3x4xf32> into tensor<?x4xf32>
// CHECK: linalg.matmul ins(%[[LHS]], %[[RHS]] : tensor<?x4xf32>, tensor<4x5xf32>)
func.func @matmul_unit_batch_rhs(%a: tensor<?x3x4xf32>, %b: tensor<1x4x5xf32>) -> tensor<?x3x5xf32> {
  %0 = tamp.matmul %a, %b : (tensor<?x3x4xf32>, tensor<1x4x5xf32>) -> tensor<?x3x5xf32>
  return %0 : tensor<?x3x5xf32>
}

// -----

// Equal batch dims collapse into one batch_matmul batch.
// CHECK-LABEL: func.func @matmul_batched
// CHECK: %[[B0:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x2x3x4xf32>
// CHECK: %[[B1:.*]] = tensor.dim %arg1, %{{.*}} : tensor<?x2x4x5xf32>
// CHECK: %[[EQ:.*]] = arith.cmpi eq, %[[B0]], %[[B1]] : index
// CHECK: cf.assert %[[EQ]], "(tamp.matmul): batch dimension 0 differs
// CHECK: %[[LHS:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1], [2], [3]] : tensor<?x2x3x4xf32> into tensor<?x3x4xf32>
// CHECK: %[[RHS:.*]] = tensor.collapse_shape %arg1 {{\[}}[0, 1], [2], [3]] : tensor<?x2x4x5xf32> into tensor<?x4x5xf32>
// CHECK: %[[BMM:.*]] = linalg.batch_matmul ins(%[[LHS]], %[[RHS]] : tensor<?x3x4xf32>, tensor<?x4x5xf32>) outs(%{{.*}} : tensor<?x3x5xf32>)
// CHECK: tensor.expand_shape %[[BMM]] {{\[}}[0, 1], [2], [3]] output_shape [%[[B0]], 2, 3, 5]
func.func @matmul_batched(%a: tensor<?x2x3x4xf32>, %b: tensor<?x2x4x5xf32>) -> tensor<?x2x3x5xf32> {
  %0 = tamp.matmul %a, %b : (tensor<?x2x3x4xf32>, tensor<?x2x4x5xf32>) -> tensor<?x2x3x5xf32>
  return %0 : tensor<?x2x3x5xf32>
}

// -----

// Broadcast batch dims: a contraction generic that reads index 0 of the
// unit dims.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_broadcast_batch
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @matmul_broadcast_batch(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32> {
  %0 = tamp.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  return %0 : tensor<2x5x3x6xf32>
}

// -----

// 1-D operands are promoted to matrices and the added dims removed again.
// CHECK-LABEL: func.func @matmul_vectors
// CHECK: %[[ROW:.*]] = tensor.expand_shape %arg0 {{\[}}[0, 1]] output_shape [1, 4] : tensor<4xf32> into tensor<1x4xf32>
// CHECK: %[[MV:.*]] = linalg.matmul ins(%[[ROW]], %arg1 : tensor<1x4xf32>, tensor<4x5xf32>)
// CHECK: tensor.collapse_shape %[[MV]] {{\[}}[0, 1]] : tensor<1x5xf32> into tensor<5xf32>
// CHECK: %[[LHS:.*]] = tensor.expand_shape %arg0 {{\[}}[0, 1]] output_shape [1, 4]
// CHECK: %[[COL:.*]] = tensor.expand_shape %arg0 {{\[}}[0, 1]] output_shape [4, 1] : tensor<4xf32> into tensor<4x1xf32>
// CHECK: %[[DOT:.*]] = linalg.matmul ins(%[[LHS]], %[[COL]] : tensor<1x4xf32>, tensor<4x1xf32>)
// CHECK: tensor.collapse_shape %[[DOT]] [] : tensor<1x1xf32> into tensor<f32>
func.func @matmul_vectors(%v: tensor<4xf32>, %m: tensor<4x5xf32>) -> (tensor<5xf32>, tensor<f32>) {
  %0 = tamp.matmul %v, %m : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  %1 = tamp.matmul %v, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  return %0, %1 : tensor<5xf32>, tensor<f32>
}

// -----

// linear: collapsed leading dims, a matmul with the weight read transposed,
// accumulating onto the broadcast bias.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<?x128x768xf32>, %[[WEIGHT:.*]]: tensor<3072x768xf32>, %[[BIAS:.*]]: tensor<3072xf32>)
// CHECK: %[[BATCH:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x128x768xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<?x128x768xf32> into tensor<?x768xf32>
// CHECK: %[[ROWS:.*]] = tensor.dim %[[FLAT]], %{{.*}} : tensor<?x768xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[ROWS]]) : tensor<?x3072xf32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<3072xf32>) outs(%[[EMPTY]] : tensor<?x3072xf32>) dimensions = [0]
// CHECK: %[[MM:.*]] = linalg.matmul indexing_maps = [#[[A]], #[[W]], #[[C]]] ins(%[[FLAT]], %[[WEIGHT]] : tensor<?x768xf32>, tensor<3072x768xf32>) outs(%[[INIT]] : tensor<?x3072xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2]] output_shape [%[[BATCH]], 128, 3072] : tensor<?x3072xf32> into tensor<?x128x3072xf32>
func.func @linear(%x: tensor<?x128x768xf32>, %w: tensor<3072x768xf32>, %b: tensor<3072xf32>) -> tensor<?x128x3072xf32> {
  %0 = tamp.linear %x, %w, %b : (tensor<?x128x768xf32>, tensor<3072x768xf32>, tensor<3072xf32>) -> tensor<?x128x3072xf32>
  return %0 : tensor<?x128x3072xf32>
}

// -----

// Without a bias the accumulator starts at zero; a 1-D input is one row.
// CHECK-LABEL: func.func @linear_vector
// CHECK: %[[ROW:.*]] = tensor.expand_shape %arg0 {{\[}}[0, 1]] output_shape [1, 4] : tensor<4xf32> into tensor<1x4xf32>
// CHECK: %[[INIT:.*]] = linalg.fill {{.*}} -> tensor<1x6xf32>
// CHECK: %[[MM:.*]] = linalg.matmul indexing_maps = {{.*}} ins(%[[ROW]], %arg1 : tensor<1x4xf32>, tensor<6x4xf32>) outs(%[[INIT]] : tensor<1x6xf32>)
// CHECK: tensor.collapse_shape %[[MM]] {{\[}}[0, 1]] : tensor<1x6xf32> into tensor<6xf32>
func.func @linear_vector(%x: tensor<4xf32>, %w: tensor<6x4xf32>) -> tensor<6xf32> {
  %0 = tamp.linear %x, %w : (tensor<4xf32>, tensor<6x4xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

// Einsum equations that are a matmul or a batch matmul use the named ops.
// CHECK-LABEL: func.func @einsum_named
// CHECK: linalg.matmul ins(%arg0, %arg1 : tensor<3x4xf32>, tensor<4x5xf32>)
// CHECK: linalg.batch_matmul ins(%arg2, %arg3 : tensor<?x3x4xf32>, tensor<?x4x5xf32>)
func.func @einsum_named(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<?x3x4xf32>, %d: tensor<?x4x5xf32>)
    -> (tensor<3x5xf32>, tensor<?x3x5xf32>) {
  %0 = tamp.einsum %a, %b {equation = "ik,kj->ij"} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  %1 = tamp.einsum %c, %d {equation = "bij,bjk->bik"} : (tensor<?x3x4xf32>, tensor<?x4x5xf32>) -> tensor<?x3x5xf32>
  return %0, %1 : tensor<3x5xf32>, tensor<?x3x5xf32>
}

// -----

// Transposed operands: the named ops with transposing indexing maps; leading
// batch labels collapse into the batch_matmul batch.
// CHECK-DAG: #[[QMAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[KMAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[SMAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[AT:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[BT:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @einsum_transposed
// CHECK: %[[Q:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1], [2], [3]] : tensor<2x4x8x16xf32> into tensor<8x8x16xf32>
// CHECK: %[[K:.*]] = tensor.collapse_shape %arg1 {{\[}}[0, 1], [2], [3]] : tensor<2x4x8x16xf32> into tensor<8x8x16xf32>
// CHECK: %[[SCORES:.*]] = linalg.batch_matmul indexing_maps = [#[[QMAP]], #[[KMAP]], #[[SMAP]]] ins(%[[Q]], %[[K]] : tensor<8x8x16xf32>, tensor<8x8x16xf32>)
// CHECK: tensor.expand_shape %[[SCORES]] {{\[}}[0, 1], [2], [3]] output_shape [2, 4, 8, 8]
// CHECK: linalg.matmul indexing_maps = [#[[AT]], #[[BT]], #[[C]]] ins(%arg2, %arg3 : tensor<4x3xf32>, tensor<5x4xf32>)
func.func @einsum_transposed(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %a: tensor<4x3xf32>, %b: tensor<5x4xf32>)
    -> (tensor<2x4x8x8xf32>, tensor<3x5xf32>) {
  %0 = tamp.einsum %q, %k {equation = "bhid,bhjd->bhij"} : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
  %1 = tamp.einsum %a, %b {equation = "ki,jk->ij"} : (tensor<4x3xf32>, tensor<5x4xf32>) -> tensor<3x5xf32>
  return %0, %1 : tensor<2x4x8x8xf32>, tensor<3x5xf32>
}

// -----

// Other equations: a generic with the output labels as the outer parallel
// loops and the contracted labels as reductions.
// CHECK-DAG: #[[EX:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[EY:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[EZ:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-LABEL: func.func @einsum_generic
// CHECK: %[[INIT:.*]] = linalg.fill {{.*}} -> tensor<?xf32>
// CHECK: linalg.generic {indexing_maps = [#[[EX]], #[[EY]], #[[EZ]]], iterator_types = ["parallel", "reduction", "reduction"]} ins(%arg0, %arg1 : tensor<?x3x4xf32>, tensor<3x4xf32>) outs(%[[INIT]] : tensor<?xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @einsum_generic(%a: tensor<?x3x4xf32>, %b: tensor<3x4xf32>) -> tensor<?xf32> {
  %0 = tamp.einsum %a, %b {equation = "bij,ij->b"} : (tensor<?x3x4xf32>, tensor<3x4xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// A label repeated in one operand reads its diagonal.
// CHECK-DAG: #[[DIAG:.*]] = affine_map<(d0) -> (d0, d0)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @einsum_diagonal
// CHECK: linalg.generic {indexing_maps = [#[[DIAG]], #[[OUT]]], iterator_types = ["parallel"]}
func.func @einsum_diagonal(%a: tensor<3x3xi64>) -> tensor<3xi64> {
  %0 = tamp.einsum %a {equation = "ii->i"} : (tensor<3x3xi64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// Several dynamic leading dims are restored with a reshape to the computed
// shape: MLIR's memref lowering cannot expand one dim into several dynamic
// ones.
// CHECK-LABEL: func.func @linear_dynamic_batch_and_sequence
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x8xf32>
// CHECK: %[[B:.*]] = tensor.dim %[[X]], %c0
// CHECK: %[[S:.*]] = tensor.dim %[[X]], %c1
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<?x?x8xf32> into tensor<?x8xf32>
// CHECK: %[[MM:.*]] = linalg.matmul {{.*}} ins(%[[FLAT]], %arg1 : tensor<?x8xf32>, tensor<16x8xf32>)
// CHECK: %[[B64:.*]] = arith.index_cast %[[B]] : index to i64
// CHECK: %[[S64:.*]] = arith.index_cast %[[S]] : index to i64
// CHECK: %[[N64:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: %[[SHAPE:.*]] = tensor.from_elements %[[B64]], %[[S64]], %[[N64]] : tensor<3xi64>
// CHECK: tensor.reshape %[[MM]](%[[SHAPE]]) : (tensor<?x16xf32>, tensor<3xi64>) -> tensor<?x?x16xf32>
// CHECK-NOT: tensor.expand_shape
func.func @linear_dynamic_batch_and_sequence(%x: tensor<?x?x8xf32>, %w: tensor<16x8xf32>) -> tensor<?x?x16xf32> {
  %0 = tamp.linear %x, %w : (tensor<?x?x8xf32>, tensor<16x8xf32>) -> tensor<?x?x16xf32>
  return %0 : tensor<?x?x16xf32>
}

// -----

// Narrow floats accumulate in f32 and are rounded once at the end, as
// onnxruntime and ONNX's reference compute them.
// CHECK-LABEL: func.func @matmul_f16_accumulates_in_f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x3x5xf32>)
// CHECK: %[[MM:.*]] = linalg.batch_matmul ins(%arg0, %arg1 : tensor<2x3x4xf16>, tensor<2x4x5xf16>) outs(%[[INIT]] : tensor<2x3x5xf32>)
// CHECK: %[[NARROW:.*]] = linalg.generic {{.*}} ins(%[[MM]] : tensor<2x3x5xf32>) outs(%{{.*}} : tensor<2x3x5xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: return %[[NARROW]]
func.func @matmul_f16_accumulates_in_f32(%a: tensor<2x3x4xf16>, %b: tensor<2x4x5xf16>) -> tensor<2x3x5xf16> {
  %0 = tamp.matmul %a, %b : (tensor<2x3x4xf16>, tensor<2x4x5xf16>) -> tensor<2x3x5xf16>
  return %0 : tensor<2x3x5xf16>
}

// -----

// Contraction generics widen each factor before multiplying.
// CHECK-LABEL: func.func @matmul_broadcast_batch_bf16
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<2x1x3x4xbf16>, tensor<5x4x6xbf16>) outs(%{{.*}} : tensor<2x5x3x6xf32>)
// CHECK: %[[L:.*]] = arith.extf %{{.*}} : bf16 to f32
// CHECK: %[[R:.*]] = arith.extf %{{.*}} : bf16 to f32
// CHECK: %[[P:.*]] = arith.mulf %[[L]], %[[R]] : f32
// CHECK: arith.addf %[[P]], %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @matmul_broadcast_batch_bf16(%a: tensor<2x1x3x4xbf16>, %b: tensor<5x4x6xbf16>) -> tensor<2x5x3x6xbf16> {
  %0 = tamp.matmul %a, %b : (tensor<2x1x3x4xbf16>, tensor<5x4x6xbf16>) -> tensor<2x5x3x6xbf16>
  return %0 : tensor<2x5x3x6xbf16>
}

// -----

// The bias is widened into the f32 accumulator.
// CHECK-LABEL: func.func @linear_f16_bias
// CHECK: %[[WIDE_BIAS:.*]] = linalg.generic {{.*}} ins(%arg2 : tensor<5xf16>) outs(%{{.*}} : tensor<5xf32>)
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[WIDE_BIAS]] : tensor<5xf32>)
// CHECK: %[[MM:.*]] = linalg.matmul {{.*}} ins(%arg0, %arg1 : tensor<3x4xf16>, tensor<5x4xf16>) outs(%[[INIT]] : tensor<3x5xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[MM]] : tensor<3x5xf32>) outs(%{{.*}} : tensor<3x5xf16>)
func.func @linear_f16_bias(%x: tensor<3x4xf16>, %w: tensor<5x4xf16>, %b: tensor<5xf16>) -> tensor<3x5xf16> {
  %0 = tamp.linear %x, %w, %b : (tensor<3x4xf16>, tensor<5x4xf16>, tensor<5xf16>) -> tensor<3x5xf16>
  return %0 : tensor<3x5xf16>
}
