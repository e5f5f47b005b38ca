// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file %s | FileCheck %s
// Reductions: generics with reduction iterators over a linalg.fill'ed init
// without the reduced dims, element-wise epilogues, and expand_shape for
// keepdims.

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x4xf32>)
// CHECK: %[[DIM:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<2x?x4xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[DIM]]) : tensor<?xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<?xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[KEPT]]], iterator_types = ["reduction", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]] : tensor<2x?x4xf32>) outs(%[[INIT]] : tensor<?xf32>)
// CHECK: arith.addf
// CHECK: tensor.expand_shape %[[SUM]] {{\[}}[0, 1, 2]] output_shape [1, %[[DIM]], 1] : tensor<?xf32> into tensor<1x?x1xf32>
func.func @reduce_sum_keepdims(%x: tensor<2x?x4xf32>) -> tensor<1x?x1xf32> {
  %0 = tamp.reduce_sum %x {axes = array<i64: 0, -1>} : (tensor<2x?x4xf32>) -> tensor<1x?x1xf32>
  return %0 : tensor<1x?x1xf32>
}

// -----

// Empty axes reduce every axis.
// CHECK-LABEL: func.func @reduce_all
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]
// CHECK-SAME: outs(%{{.*}} : tensor<f32>)
// CHECK-NOT: tensor.expand_shape
func.func @reduce_all(%x: tensor<?x3xf32>) -> tensor<f32> {
  %0 = tamp.reduce_sum %x {axes = array<i64>, keepdims = false} : (tensor<?x3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// The mean divides by the element count of the reduced dims.
// CHECK-LABEL: func.func @reduce_mean
// CHECK: %[[DIM:.*]] = tensor.dim %arg0, %{{.*}} : tensor<2x?x4xf32>
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "reduction"]
// CHECK: arith.addf
// CHECK: %[[COUNT:.*]] = arith.muli %[[DIM]], %{{.*}} : index
// CHECK: %[[WIDE:.*]] = arith.index_cast %[[COUNT]] : index to i64
// CHECK: %[[N:.*]] = arith.sitofp %[[WIDE]] : i64 to f32
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<2xf32>)
// CHECK: arith.divf %{{.*}}, %[[N]] : f32
func.func @reduce_mean(%x: tensor<2x?x4xf32>) -> tensor<2xf32> {
  %0 = tamp.reduce_mean %x {axes = array<i64: 1, 2>, keepdims = false} : (tensor<2x?x4xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Integer means truncate; an empty reduction divides by 1 instead of trapping.
// CHECK-LABEL: func.func @reduce_mean_integer
// CHECK: %[[COUNT:.*]] = arith.maxui %{{.*}}, %{{.*}} : index
// CHECK: arith.index_cast %[[COUNT]]
// CHECK: arith.divsi
func.func @reduce_mean_integer(%x: tensor<?x4xi32>) -> tensor<4xi32> {
  %0 = tamp.reduce_mean %x {axes = array<i64: 0>, keepdims = false} : (tensor<?x4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Max/min start from the type's extremes (infinities for floats, the
// unsigned range for unsigned integers).
// CHECK-LABEL: func.func @reduce_extremes
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NEGINF]] : f32)
// CHECK: arith.maximumf
// CHECK: %[[UMAX:.*]] = arith.constant -1 : i8
// CHECK: linalg.fill ins(%[[UMAX]] : i8)
// CHECK: arith.minui
// CHECK: %[[SMIN:.*]] = arith.constant -2147483648 : i32
// CHECK: linalg.fill ins(%[[SMIN]] : i32)
// CHECK: arith.maxsi
func.func @reduce_extremes(%x: tensor<2x3xf32>, %u: tensor<2x3xui8>, %i: tensor<2x3xi32>)
    -> (tensor<2x1xf32>, tensor<2x1xui8>, tensor<3xi32>) {
  %0 = tamp.reduce_max %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %1 = tamp.reduce_min %u {axes = array<i64: 1>} : (tensor<2x3xui8>) -> tensor<2x1xui8>
  %2 = tamp.reduce_max %i {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xi32>) -> tensor<3xi32>
  return %0, %1, %2 : tensor<2x1xf32>, tensor<2x1xui8>, tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @reduce_norms
// prod
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: linalg.fill ins(%[[ONE]] : f32)
// CHECK: arith.mulf
// l1
// CHECK: linalg.generic
// CHECK: math.absf
// CHECK: arith.addf
// l2: sum of squares, then sqrt
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: math.sqrt
// sum_square
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: arith.addf
// log_sum
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: math.log
func.func @reduce_norms(%x: tensor<2x3xf32>)
    -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %0 = tamp.reduce_prod %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  %1 = tamp.reduce_l1 %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  %2 = tamp.reduce_l2 %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  %3 = tamp.reduce_sum_square %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  %4 = tamp.reduce_log_sum %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0, %1, %2, %3, %4 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// Integer L2 norms are the truncated float norm.
// CHECK-LABEL: func.func @reduce_l2_integer
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: linalg.generic
// CHECK: %[[F:.*]] = arith.sitofp %{{.*}} : i32 to f64
// CHECK: %[[ROOT:.*]] = math.sqrt %[[F]] : f64
// CHECK: arith.fptosi %[[ROOT]] : f64 to i32
func.func @reduce_l2_integer(%x: tensor<3x4xi32>) -> tensor<4xi32> {
  %0 = tamp.reduce_l2 %x {axes = array<i64: 0>, keepdims = false} : (tensor<3x4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// log(sum(exp(x - m))) + m with m the row maximum, or 0 where it is infinite.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @reduce_log_sum_exp
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: %[[SHIFT:.*]] = linalg.generic {{.*}} ins(%[[MAX]] : tensor<2xf32>)
// CHECK: %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK: %[[ABS:.*]] = math.absf
// CHECK: %[[FINITE:.*]] = arith.cmpf one, %[[ABS]], %[[INF]]
// CHECK: arith.select %[[FINITE]]
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%arg0, %[[SHIFT]] : tensor<2x3xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[SUM]], %[[SHIFT]] : tensor<2xf32>, tensor<2xf32>)
// CHECK: math.log
// CHECK: arith.addf
// CHECK: tensor.expand_shape
func.func @reduce_log_sum_exp(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  %0 = tamp.reduce_log_sum_exp %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

// argmax reduces a (value, index) pair; the strict comparison keeps the first
// maximum.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @argmax
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[VALUES:.*]] = linalg.fill ins(%[[NEGINF]] : f32)
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK: %[[INDICES:.*]] = linalg.fill ins(%[[ZERO]] : i64)
// CHECK: %[[RESULT:.*]]:2 = linalg.generic {indexing_maps = [#[[IN]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: outs(%[[VALUES]], %[[INDICES]] : tensor<2xf32>, tensor<2xi64>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[BEST:.*]]: f32, %[[BEST_INDEX:.*]]: i64):
// CHECK: %[[BETTER:.*]] = arith.cmpf ogt, %[[X]], %[[BEST]]
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: %[[V:.*]] = arith.select %[[BETTER]], %[[X]], %[[BEST]]
// CHECK: %[[J:.*]] = arith.select %[[BETTER]], %[[I64]], %[[BEST_INDEX]]
// CHECK: linalg.yield %[[V]], %[[J]]
// CHECK: tensor.expand_shape %[[RESULT]]#1 {{\[}}[0, 1]] output_shape [2, 1] : tensor<2xi64> into tensor<2x1xi64>
func.func @argmax(%x: tensor<2x?xf32>) -> tensor<2x1xi64> {
  %0 = tamp.argmax %x {axis = 1 : i64} : (tensor<2x?xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

// select_last_index keeps the last minimum with a non-strict comparison.
// CHECK-LABEL: func.func @argmin_last
// CHECK: %[[UMAX:.*]] = arith.constant -1 : i16
// CHECK: linalg.fill ins(%[[UMAX]] : i16)
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK: arith.cmpi ule
// CHECK: linalg.index 0 : index
// CHECK-NOT: tensor.expand_shape
func.func @argmin_last(%x: tensor<?x3xui16>) -> tensor<3xi64> {
  %0 = tamp.argmin %x {axis = 0 : i64, keepdims = false, select_last_index = true} : (tensor<?x3xui16>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// cumsum steps along the axis, accumulating whole slices in order.
// CHECK-LABEL: func.func @cumsum
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x4xf32>
// CHECK: %[[OUT:.*]] = tensor.empty(%[[N]]) : tensor<?x4xf32>
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<1x4xf32>
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[K:.*]] = %{{.*}} to %[[N]] step %{{.*}} iter_args(%[[RES:.*]] = %[[OUT]], %[[ACC:.*]] = %[[ZERO]])
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[X]][%[[K]], 0] [1, 4] [1, 1]
// CHECK: %[[NEXT:.*]] = linalg.generic {{.*}} ins(%[[SLICE]] : tensor<1x4xf32>) outs(%[[ACC]] : tensor<1x4xf32>)
// CHECK: arith.addf
// CHECK: %[[INSERTED:.*]] = tensor.insert_slice %[[NEXT]] into %[[RES]][%[[K]], 0] [1, 4] [1, 1]
// CHECK: scf.yield %[[INSERTED]], %[[NEXT]]
// CHECK: return %[[LOOP]]#0
func.func @cumsum(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = tamp.cumsum %x {axis = 0 : i64} : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// exclusive stores the running sum before adding; reverse walks from the end.
// CHECK-LABEL: func.func @cumsum_exclusive_reverse
// CHECK: scf.for %[[K:.*]] = {{.*}} iter_args(%[[RES:.*]] = %{{.*}}, %[[ACC:.*]] = %{{.*}})
// CHECK: %[[LAST:.*]] = arith.subi %{{.*}}, %{{.*}} : index
// CHECK: %[[POS:.*]] = arith.subi %[[LAST]], %[[K]] : index
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %arg0[0, %[[POS]]] [3, 1] [1, 1]
// CHECK: %[[INSERTED:.*]] = tensor.insert_slice %[[ACC]] into %[[RES]][0, %[[POS]]]
// CHECK: %[[NEXT:.*]] = linalg.generic {{.*}} ins(%[[SLICE]] : tensor<3x1xi32>) outs(%[[ACC]] : tensor<3x1xi32>)
// CHECK: arith.addi
// CHECK: scf.yield %[[INSERTED]], %[[NEXT]]
func.func @cumsum_exclusive_reverse(%x: tensor<3x5xi32>) -> tensor<3x5xi32> {
  %0 = tamp.cumsum %x {axis = -1 : i64, exclusive = true, reverse = true} : tensor<3x5xi32>
  return %0 : tensor<3x5xi32>
}

// -----

// softmax: max, sum of exp(x - max), then exp(x - max) / sum.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%arg0, %[[MAX]] :
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[ROW]], #[[ROW]], #[[IN]]], iterator_types = ["parallel", "parallel"]} ins(%arg0, %[[MAX]], %[[SUM]] :
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %0 = tamp.softmax %x {axis = 1 : i64} : tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

// log_softmax: x - (max + log(sum)), one logarithm per reduced row. f16 is
// computed in f32 and rounded once.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @log_softmax
// CHECK: %[[WIDE:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<2x?xf16>) outs(%{{.*}} : tensor<2x?xf32>)
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%[[WIDE]] : tensor<2x?xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK: %[[OFFSET:.*]] = linalg.generic {{.*}} ins(%[[MAX]], %[[SUM]] : tensor<?xf32>, tensor<?xf32>)
// CHECK: math.log
// CHECK: arith.addf
// CHECK: %[[DIFF:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[COL]], #[[IN]]], iterator_types = ["parallel", "parallel"]} ins(%[[WIDE]], %[[OFFSET]] :
// CHECK: arith.subf
// CHECK: %[[NARROW:.*]] = linalg.generic {{.*}} ins(%[[DIFF]] : tensor<2x?xf32>) outs(%{{.*}} : tensor<2x?xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: return %[[NARROW]]
func.func @log_softmax(%x: tensor<2x?xf16>) -> tensor<2x?xf16> {
  %0 = tamp.log_softmax %x {axis = 0 : i64} : tensor<2x?xf16>
  return %0 : tensor<2x?xf16>
}

// -----

// Narrow-float sums accumulate in f32 and round once; max and min are exact
// in f16 and stay there.
// CHECK-LABEL: func.func @reduce_f16
// CHECK: %[[WIDE:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<4x8xf16>) outs(%{{.*}} : tensor<4x8xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[WIDE]] : tensor<4x8xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<4xf32>) outs(%{{.*}} : tensor<4xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<4x8xf16>) outs(%{{.*}} : tensor<4xf16>)
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f16
func.func @reduce_f16(%x: tensor<4x8xf16>) -> (tensor<4xf16>, tensor<4xf16>) {
  %0 = tamp.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : (tensor<4x8xf16>) -> tensor<4xf16>
  %1 = tamp.reduce_max %x {axes = array<i64: 1>, keepdims = false} : (tensor<4x8xf16>) -> tensor<4xf16>
  return %0, %1 : tensor<4xf16>, tensor<4xf16>
}

// -----

// f16 softmax: the row sum accumulates in f32, while exp(x - max) and the sum
// are rounded to f16 where ONNX's reference computes them as f16 values.
// CHECK-LABEL: func.func @softmax_f16
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK: %[[SHIFT:.*]] = arith.subf %{{.*}}, %{{.*}} : f32
// CHECK: %[[SHIFT16:.*]] = arith.truncf %[[SHIFT]] : f32 to f16
// CHECK: %[[SHIFT32:.*]] = arith.extf %[[SHIFT16]] : f16 to f32
// CHECK: %[[EXP:.*]] = math.exp %[[SHIFT32]] : f32
// CHECK: %[[EXP16:.*]] = arith.truncf %[[EXP]] : f32 to f16
// CHECK: %[[EXP32:.*]] = arith.extf %[[EXP16]] : f16 to f32
// CHECK: arith.addf %[[EXP32]], %{{.*}} : f32
// CHECK: %[[SUM16:.*]] = arith.truncf %in{{.*}} : f32 to f16
// CHECK: %[[SUM32:.*]] = arith.extf %[[SUM16]] : f16 to f32
// CHECK: arith.divf %{{.*}}, %[[SUM32]] : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @softmax_f16(%x: tensor<2x8xf16>) -> tensor<2x8xf16> {
  %0 = tamp.softmax %x {axis = 1 : i64} : tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}

// -----

// bf16 softmax: as in f16, but the row sum also rounds to bf16 after every
// addition, as ONNX's reference (ml_dtypes' bfloat16 sums) does.
// CHECK-LABEL: func.func @softmax_bf16
// CHECK: %[[EXP:.*]] = math.exp %{{.*}} : f32
// CHECK: %[[EXP16:.*]] = arith.truncf %[[EXP]] : f32 to bf16
// CHECK: %[[EXP32:.*]] = arith.extf %[[EXP16]] : bf16 to f32
// CHECK: %[[SUM:.*]] = arith.addf %[[EXP32]], %{{.*}} : f32
// CHECK: %[[SUM16:.*]] = arith.truncf %[[SUM]] : f32 to bf16
// CHECK: %[[SUM32:.*]] = arith.extf %[[SUM16]] : bf16 to f32
// CHECK: linalg.yield %[[SUM32]] : f32
func.func @softmax_bf16(%x: tensor<2x8xbf16>) -> tensor<2x8xbf16> {
  %0 = tamp.softmax %x {axis = 1 : i64} : tensor<2x8xbf16>
  return %0 : tensor<2x8xbf16>
}
