// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file %s | FileCheck %s
// Data movement: reshapes, slices, broadcasts, gathers, padding and index
// computations on tensors, with run-time sizes where shapes are dynamic.

// Weights keep their blob; unsigned constants become signless.
// CHECK-LABEL: func.func @constants
// CHECK: arith.constant dense_resource<weights> : tensor<2xf32>
// CHECK: arith.constant dense<[1, -1]> : tensor<2xi8>
func.func @constants() -> (tensor<2xf32>, tensor<2xui8>) {
  %0 = tamp.constant dense_resource<weights> : tensor<2xf32>
  %1 = tamp.constant dense<[1, 255]> : tensor<2xui8>
  return %0, %1 : tensor<2xf32>, tensor<2xui8>
}
{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// CHECK-LABEL: func.func @cast_unsigned_to_float
// CHECK: linalg.generic
// CHECK: arith.uitofp %{{.*}} : i8 to f32
func.func @cast_unsigned_to_float(%x: tensor<?x3xui8>) -> tensor<?x3xf32> {
  %0 = tamp.cast %x : tensor<?x3xui8> to tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// A reshape that regroups dimensions is a collapse_shape; the copied batch
// size needs no check.
// CHECK-LABEL: func.func @reshape_collapse
// CHECK-NOT: cf.assert
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<?x3x4xf32> into tensor<?x12xf32>
func.func @reshape_collapse(%x: tensor<?x3x4xf32>) -> tensor<?x12xf32> {
  %s = tamp.constant dense<[0, -1]> : tensor<2xi64>
  %0 = tamp.reshape %x, %s : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<?x12xf32>
  return %0 : tensor<?x12xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_expand
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [2, 3, 4] : tensor<6x4xf32> into tensor<2x3x4xf32>
func.func @reshape_expand(%x: tensor<6x4xf32>) -> tensor<2x3x4xf32> {
  %s = tamp.constant dense<[2, -1, 4]> : tensor<3xi64>
  %0 = tamp.reshape %x, %s : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// A shape known only at run time: 0 copies the input size, -1 is inferred
// from the element count, which is checked.
// CHECK-LABEL: func.func @reshape_runtime_shape
// CHECK: tensor.extract %arg1[%{{.*}}] : tensor<2xi64>
// CHECK: arith.cmpi eq, %{{.*}}, %c-1
// CHECK: arith.divsi
// CHECK: cf.assert %{{.*}}, "(tamp.reshape): the element count changes in the reshape"
// CHECK: %[[SHAPE:.*]] = tensor.from_elements %{{.*}}, %{{.*}} : tensor<2xindex>
// CHECK: tensor.reshape %arg0(%[[SHAPE]]) : (tensor<2x3x4xf32>, tensor<2xindex>) -> tensor<?x?xf32>
func.func @reshape_runtime_shape(%x: tensor<2x3x4xf32>, %s: tensor<2xi64>) -> tensor<?x?xf32> {
  %0 = tamp.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @flatten
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<?x3x4xf32> into tensor<?x12xf32>
func.func @flatten(%x: tensor<?x3x4xf32>) -> tensor<?x12xf32> {
  %0 = tamp.flatten %x {axis = 1 : i64} : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
  return %0 : tensor<?x12xf32>
}

// -----

// CHECK-LABEL: func.func @unsqueeze_squeeze
// CHECK: %[[DIM:.*]] = tensor.dim %arg0
// CHECK: %[[EXP:.*]] = tensor.expand_shape %arg0 {{\[\[}}0, 1], [2, 3]] output_shape [1, %[[DIM]], 3, 1] : tensor<?x3xi8> into tensor<1x?x3x1xi8>
// CHECK: tensor.collapse_shape %[[EXP]] {{\[\[}}0, 1], [2, 3]] : tensor<1x?x3x1xi8> into tensor<?x3xi8>
func.func @unsqueeze_squeeze(%x: tensor<?x3xui8>) -> tensor<?x3xui8> {
  %0 = tamp.unsqueeze %x {axes = array<i64: 0, 3>} : (tensor<?x3xui8>) -> tensor<1x?x3x1xui8>
  %1 = tamp.squeeze %0 {axes = array<i64: 0, -1>} : (tensor<1x?x3x1xui8>) -> tensor<?x3xui8>
  return %1 : tensor<?x3xui8>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK: %[[INIT:.*]] = tensor.empty(%{{.*}}) : tensor<4x?x3xf32>
// CHECK: linalg.transpose ins(%arg0 : tensor<?x3x4xf32>) outs(%[[INIT]] : tensor<4x?x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%x: tensor<?x3x4xf32>) -> tensor<4x?x3xf32> {
  %0 = tamp.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<?x3x4xf32>) -> tensor<4x?x3xf32>
  return %0 : tensor<4x?x3xf32>
}

// -----

// Inputs must agree outside the axis; they are inserted side by side.
// CHECK-LABEL: func.func @concat
// CHECK: cf.assert %{{.*}}, "(tamp.concat): input 1 differs in size along dimension 0"
// CHECK: %[[INIT:.*]] = tensor.empty(%{{.*}}) : tensor<?x5xf32>
// CHECK: %[[FIRST:.*]] = tensor.insert_slice %arg0 into %[[INIT]][0, 0] [%{{.*}}, 3] [1, 1]
// CHECK: tensor.insert_slice %arg1 into %[[FIRST]][0, 3] [%{{.*}}, 2] [1, 1]
func.func @concat(%x: tensor<?x3xf32>, %y: tensor<?x2xf32>) -> tensor<?x5xf32> {
  %0 = tamp.concat %x, %y {axis = 1 : i64} : (tensor<?x3xf32>, tensor<?x2xf32>) -> tensor<?x5xf32>
  return %0 : tensor<?x5xf32>
}

// -----

// An empty input inserts nothing: extract_slice and insert_slice reject
// offsets at the end of a dimension, even for empty slices.
// CHECK-LABEL: func.func @concat_empty_input
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x8xf32>
// CHECK: %[[FIRST:.*]] = tensor.insert_slice %arg0 into %[[INIT]][0, 0] [2, 8] [1, 1]
// CHECK-NOT: tensor.insert_slice
// CHECK: return %[[FIRST]]
func.func @concat_empty_input(%x: tensor<2x8xf32>, %y: tensor<2x0xf32>) -> tensor<2x8xf32> {
  %0 = tamp.concat %x, %y {axis = 1 : i64} : (tensor<2x8xf32>, tensor<2x0xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func.func @split
// CHECK: tensor.extract_slice %arg0[0, 0] [%{{.*}}, 2] [1, 1] : tensor<?x5xf32> to tensor<?x2xf32>
// CHECK: tensor.extract_slice %arg0[0, 2] [%{{.*}}, 3] [1, 1] : tensor<?x5xf32> to tensor<?x3xf32>
func.func @split(%x: tensor<?x5xf32>) -> (tensor<?x2xf32>, tensor<?x3xf32>) {
  %0:2 = tamp.split %x {axis = 1 : i64, sizes = array<i64: 2, 3>} : (tensor<?x5xf32>) -> (tensor<?x2xf32>, tensor<?x3xf32>)
  return %0#0, %0#1 : tensor<?x2xf32>, tensor<?x3xf32>
}

// -----

// CHECK-LABEL: func.func @slice_strided
// CHECK: tensor.extract_slice %arg0[0, 1] [%{{.*}}, 4] [1, 2] : tensor<?x10xf32> to tensor<?x4xf32>
func.func @slice_strided(%x: tensor<?x10xf32>) -> tensor<?x4xf32> {
  %s = tamp.constant dense<[1]> : tensor<1xi64>
  %e = tamp.constant dense<[9]> : tensor<1xi64>
  %a = tamp.constant dense<[-1]> : tensor<1xi64>
  %t = tamp.constant dense<[2]> : tensor<1xi64>
  %0 = tamp.slice %x, %s, %e, %a, %t : (tensor<?x10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// A slice that starts at the end of its dimension is an empty tensor.
// CHECK-LABEL: func.func @slice_empty_at_end
// CHECK-NOT: tensor.extract_slice
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<2x0xf32>
// CHECK: return %[[EMPTY]]
func.func @slice_empty_at_end(%x: tensor<2x8xf32>) -> tensor<2x0xf32> {
  %s = tamp.constant dense<[8]> : tensor<1xi64>
  %e = tamp.constant dense<[8]> : tensor<1xi64>
  %a = tamp.constant dense<[1]> : tensor<1xi64>
  %t = tamp.constant dense<[1]> : tensor<1xi64>
  %0 = tamp.slice %x, %s, %e, %a, %t : (tensor<2x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x0xf32>
  return %0 : tensor<2x0xf32>
}

// -----

// Negative steps read backwards from the clamped start.
// CHECK-LABEL: func.func @slice_reversed
// CHECK: %[[C9:.*]] = arith.constant 9 : index
// CHECK: linalg.generic
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[STEP:.*]] = arith.muli %[[J]], %c-1 : index
// CHECK: %[[COL:.*]] = arith.addi %[[C9]], %[[STEP]] : index
// CHECK: tensor.extract %arg0[%{{.*}}, %[[COL]]] : tensor<?x10xf32>
func.func @slice_reversed(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %s = tamp.constant dense<[-1]> : tensor<1xi64>
  %e = tamp.constant dense<[-9223372036854775807]> : tensor<1xi64>
  %a = tamp.constant dense<[1]> : tensor<1xi64>
  %t = tamp.constant dense<[-1]> : tensor<1xi64>
  %0 = tamp.slice %x, %s, %e, %a, %t : (tensor<?x10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x10xf32>
  return %0 : tensor<?x10xf32>
}

// -----

// Run-time starts are wrapped and clamped into the dimension.
// CHECK-LABEL: func.func @slice_runtime_start
// CHECK: tensor.extract %arg1[%{{.*}}] : tensor<1xi64>
// CHECK: arith.select
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: tensor.extract_slice %arg0[%{{.*}}] [%{{.*}}] [1] : tensor<8xf32> to tensor<?xf32>
func.func @slice_runtime_start(%x: tensor<8xf32>, %s: tensor<1xi64>) -> tensor<?xf32> {
  %e = tamp.constant dense<[8]> : tensor<1xi64>
  %a = tamp.constant dense<[0]> : tensor<1xi64>
  %t = tamp.constant dense<[1]> : tensor<1xi64>
  %0 = tamp.slice %x, %s, %e, %a, %t : (tensor<8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Run-time axes and steps: each dimension selects whether an entry slices
// it, both step signs are computed, and the elements are read one by one.
// CHECK-LABEL: func.func @slice_runtime_axes_steps
// CHECK: cf.assert %{{.*}}, "(tamp.slice): a step is 0"
// CHECK: cf.assert %{{.*}}, "(tamp.slice): an axis is out of range"
// CHECK: arith.ceildivsi
// CHECK: linalg.generic
// CHECK: tensor.extract %arg0[%{{.*}}, %{{.*}}] : tensor<4x5xf32>
func.func @slice_runtime_axes_steps(%x: tensor<4x5xf32>, %s: tensor<1xi64>, %e: tensor<1xi64>, %a: tensor<1xi64>, %t: tensor<1xi64>) -> tensor<?x?xf32> {
  %0 = tamp.slice %x, %s, %e, %a, %t : (tensor<4x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @expand
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]]
// CHECK-SAME: ins(%arg0 : tensor<3x1xf32>) outs(%{{.*}} : tensor<2x3x4xf32>)
func.func @expand(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %s = tamp.constant dense<[2, 1, 4]> : tensor<3xi64>
  %0 = tamp.expand %x, %s : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Tile broadcasts to [r0, d0, r1, d1] and collapses the pairs.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-LABEL: func.func @tile
// CHECK: %[[B:.*]] = linalg.generic {indexing_maps = [#[[IN]], {{.*}}]
// CHECK-SAME: outs(%{{.*}} : tensor<2x?x2x3xf32>)
// CHECK: tensor.collapse_shape %[[B]] {{\[\[}}0, 1], [2, 3]] : tensor<2x?x2x3xf32> into tensor<?x6xf32>
func.func @tile(%x: tensor<?x3xf32>) -> tensor<?x6xf32> {
  %r = tamp.constant dense<[2, 2]> : tensor<2xi64>
  %0 = tamp.tile %x, %r : (tensor<?x3xf32>, tensor<2xi64>) -> tensor<?x6xf32>
  return %0 : tensor<?x6xf32>
}

// -----

// Negative indices wrap; indices out of range fail a run-time check.
// CHECK-DAG: #[[IDX:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @gather
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], {{.*}}]
// CHECK-SAME: ins(%arg1 : tensor<2x3xi64>)
// CHECK: %[[COL:.*]] = linalg.index 2 : index
// CHECK: %[[I:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[I]]
// CHECK: %[[ROW:.*]] = arith.select %[[NEG]]
// CHECK: cf.assert %{{.*}}, "(tamp.gather): an index is out of range"
// CHECK: tensor.extract %arg0[%[[ROW]], %[[COL]]] : tensor<5x?xf32>
func.func @gather(%x: tensor<5x?xf32>, %i: tensor<2x3xi64>) -> tensor<2x3x?xf32> {
  %0 = tamp.gather %x, %i {axis = 0 : i64} : (tensor<5x?xf32>, tensor<2x3xi64>) -> tensor<2x3x?xf32>
  return %0 : tensor<2x3x?xf32>
}

// -----

// CHECK-LABEL: func.func @gather_elements
// CHECK: linalg.generic
// CHECK-SAME: ins(%arg1 : tensor<2x2xi32>)
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = arith.select
// CHECK: tensor.extract %arg0[%[[I]], %[[J]]] : tensor<2x3xf32>
func.func @gather_elements(%x: tensor<2x3xf32>, %i: tensor<2x2xi32>) -> tensor<2x2xf32> {
  %0 = tamp.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Index tuples address the input after the batch dimensions.
// CHECK-LABEL: func.func @gather_nd_batch
// CHECK: linalg.generic
// CHECK: %[[B:.*]] = linalg.index 0 : index
// CHECK: tensor.extract %arg1[%[[B]], %c0] : tensor<2x1xi64>
// CHECK: cf.assert %{{.*}}, "(tamp.gather_nd): an index is out of range"
// CHECK: tensor.extract %arg0[%[[B]], %{{.*}}, %{{.*}}] : tensor<2x3x4xf32>
func.func @gather_nd_batch(%x: tensor<2x3x4xf32>, %i: tensor<2x1xi64>) -> tensor<2x4xf32> {
  %0 = tamp.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1xi64>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Scatters loop over the updates in order (later duplicates win) and insert
// into the copy carried by the loops; reductions combine with the current
// element.
// CHECK-LABEL: func.func @scatter_elements_add
// CHECK: scf.for %[[I:.*]] = %c0 to %c2 step %{{.*}} iter_args(%[[OUT:.*]] = %arg0)
// CHECK: scf.for %[[J:.*]] = %c0 to %{{.*}} step %{{.*}} iter_args(%[[INNER:.*]] = %[[OUT]])
// CHECK: %[[IDX:.*]] = tensor.extract %arg1[%[[I]], %[[J]]]
// CHECK: %[[UPD:.*]] = tensor.extract %arg2[%[[I]], %[[J]]]
// CHECK: %[[CUR:.*]] = tensor.extract %[[INNER]][%[[I]], %{{.*}}]
// CHECK: %[[SUM:.*]] = arith.addf %[[CUR]], %[[UPD]] : f32
// CHECK: tensor.insert %[[SUM]] into %[[INNER]][%[[I]], %{{.*}}]
func.func @scatter_elements_add(%x: tensor<2x5xf32>, %i: tensor<2x?xi64>, %u: tensor<2x?xf32>) -> tensor<2x5xf32> {
  %0 = tamp.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = #tamp.scatter_reduction<add>} : (tensor<2x5xf32>, tensor<2x?xi64>, tensor<2x?xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @scatter_nd_max_unsigned
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.maxui
// CHECK: tensor.insert
func.func @scatter_nd_max_unsigned(%x: tensor<4x3xui8>, %i: tensor<2x1xi64>, %u: tensor<2x3xui8>) -> tensor<4x3xui8> {
  %0 = tamp.scatter_nd %x, %i, %u {reduction = #tamp.scatter_reduction<max>} : (tensor<4x3xui8>, tensor<2x1xi64>, tensor<2x3xui8>) -> tensor<4x3xui8>
  return %0 : tensor<4x3xui8>
}

// -----

// Constant padding with a negative (cropping) pad.
// CHECK-LABEL: func.func @pad_constant
// CHECK: %[[CROP:.*]] = tensor.extract_slice %arg0[0, 0] [%{{.*}}, 3] [1, 1]
// CHECK: %[[VALUE:.*]] = tensor.extract %arg1[] : tensor<f32>
// CHECK: tensor.pad %[[CROP]] low[0, 2] high[0, 0]
// CHECK: tensor.yield %[[VALUE]] : f32
func.func @pad_constant(%x: tensor<?x4xf32>, %v: tensor<f32>) -> tensor<?x5xf32> {
  %p = tamp.constant dense<[0, 2, 0, -1]> : tensor<4xi64>
  %0 = tamp.pad %x, %p, %v : (tensor<?x4xf32>, tensor<4xi64>, tensor<f32>) -> tensor<?x5xf32>
  return %0 : tensor<?x5xf32>
}

// -----

// Reflect reads the input at the mirrored index.
// CHECK-LABEL: func.func @pad_reflect
// CHECK: linalg.generic
// CHECK: arith.remsi
// CHECK: arith.minsi
// CHECK: tensor.extract %arg0
func.func @pad_reflect(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  %p = tamp.constant dense<[0, 1, 0, 2]> : tensor<4xi64>
  %0 = tamp.pad %x, %p {mode = #tamp.pad_mode<reflect>} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

// Pads known at run time: the padded dimension must hold an element.
// CHECK-LABEL: func.func @pad_edge_runtime
// CHECK: tensor.extract %arg1
// CHECK: cf.assert %{{.*}}, "(tamp.pad): too few elements to pad in this mode along dimension 0"
// CHECK: linalg.generic
// CHECK: arith.maxsi
// CHECK: arith.minsi
func.func @pad_edge_runtime(%x: tensor<?xf32>, %p: tensor<2xi64>) -> tensor<?xf32> {
  %0 = tamp.pad %x, %p {mode = #tamp.pad_mode<edge>} : (tensor<?xf32>, tensor<2xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// CHECK-LABEL: func.func @shape
// CHECK: %[[DIM:.*]] = tensor.dim %arg0
// CHECK: %[[N:.*]] = arith.index_cast %[[DIM]] : index to i64
// CHECK: tensor.from_elements %[[N]], %{{.*}} : tensor<2xi64>
func.func @shape(%x: tensor<?x3x4xf32>) -> tensor<2xi64> {
  %0 = tamp.shape %x {end = -1 : i64} : (tensor<?x3x4xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @fill_runtime_shape
// CHECK: %[[N:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: cf.assert %{{.*}}, "(tamp.fill): a size is negative"
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[N]]) : tensor<?xi32>
// CHECK: linalg.fill ins(%c7_i32 : i32) outs(%[[EMPTY]] : tensor<?xi32>)
func.func @fill_runtime_shape(%s: tensor<1xi64>) -> tensor<?xi32> {
  %0 = tamp.fill %s {value = 7 : i32} : (tensor<1xi64>) -> tensor<?xi32>
  return %0 : tensor<?xi32>
}

// -----

// The element count is ceil((limit - start) / delta), at least 0.
// CHECK-LABEL: func.func @range
// CHECK: %[[N:.*]] = arith.ceildivsi
// CHECK: arith.maxsi %[[N]]
// CHECK: linalg.generic
// CHECK: linalg.index 0
// CHECK: arith.muli
// CHECK: arith.addi
func.func @range(%start: tensor<i64>, %limit: tensor<i64>, %delta: tensor<i64>) -> tensor<?xi64> {
  %0 = tamp.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return %0 : tensor<?xi64>
}

// -----

// CHECK-LABEL: func.func @trilu
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[J:.*]] = linalg.index 2 : index
// CHECK: %[[D:.*]] = arith.subi %[[J]], %[[I]] : index
// CHECK: %[[KEEP:.*]] = arith.cmpi sge, %[[D]], %{{.*}} : index
// CHECK: arith.select %[[KEEP]]
func.func @trilu(%x: tensor<?x3x3xf32>, %k: tensor<i64>) -> tensor<?x3x3xf32> {
  %0 = tamp.trilu %x, %k : (tensor<?x3x3xf32>, tensor<i64>) -> tensor<?x3x3xf32>
  return %0 : tensor<?x3x3xf32>
}

// -----

// CHECK-DAG: #[[IDX:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @one_hot
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], {{.*}}]
// CHECK: %[[AT:.*]] = linalg.index 1 : index
// CHECK: %[[HOT:.*]] = arith.cmpi eq, %{{.*}}, %[[AT]] : index
// CHECK: arith.select %[[HOT]]
func.func @one_hot(%i: tensor<3xi64>, %d: tensor<i64>, %v: tensor<2xf32>) -> tensor<3x4xf32> {
  %0 = tamp.one_hot %i, %d, %v {axis = -1 : i64} : (tensor<3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// DCR: [N, b, b, C', H, W] transposed to [N, C', H, b, W, b].
// CHECK-LABEL: func.func @depth_to_space
// CHECK: %[[E:.*]] = tensor.expand_shape %arg0 {{\[\[}}0], [1, 2, 3], [4], [5]] output_shape [%{{.*}}, 2, 2, 2, 2, 3]
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[E]] : tensor<?x2x2x2x2x3xf32>) outs(%{{.*}} : tensor<?x2x2x2x3x2xf32>) permutation = [0, 3, 4, 1, 5, 2]
// CHECK: tensor.collapse_shape %[[T]] {{\[\[}}0], [1], [2, 3], [4, 5]] : tensor<?x2x2x2x3x2xf32> into tensor<?x2x4x6xf32>
func.func @depth_to_space(%x: tensor<?x8x2x3xf32>) -> tensor<?x2x4x6xf32> {
  %0 = tamp.depth_to_space %x {blocksize = 2 : i64} : (tensor<?x8x2x3xf32>) -> tensor<?x2x4x6xf32>
  return %0 : tensor<?x2x4x6xf32>
}

// -----

// CHECK-LABEL: func.func @space_to_depth
// CHECK: tensor.expand_shape %arg0 {{\[\[}}0], [1], [2, 3], [4, 5]] output_shape [1, 2, 2, 2, 3, 2]
// CHECK: linalg.transpose {{.*}} permutation = [0, 3, 5, 1, 2, 4]
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2, 3], [4], [5]] : tensor<1x2x2x2x2x3xf32> into tensor<1x8x2x3xf32>
func.func @space_to_depth(%x: tensor<1x2x4x6xf32>) -> tensor<1x8x2x3xf32> {
  %0 = tamp.space_to_depth %x {blocksize = 2 : i64} : (tensor<1x2x4x6xf32>) -> tensor<1x8x2x3xf32>
  return %0 : tensor<1x8x2x3xf32>
}

// -----

// NonZero counts with a full reduction, then fills [rank, count] in order.
// CHECK-LABEL: func.func @nonzero
// CHECK: %[[COUNT:.*]] = linalg.generic {{.*}}iterator_types = ["reduction", "reduction"]
// CHECK: arith.cmpf une
// CHECK: %[[N:.*]] = tensor.extract %[[COUNT]][] : tensor<i64>
// CHECK: %[[NI:.*]] = arith.index_cast %[[N]] : i64 to index
// CHECK: %[[INIT:.*]] = tensor.empty(%[[NI]]) : tensor<2x?xi64>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[INIT]], %{{.*}} = %c0)
// CHECK: scf.if
// CHECK: tensor.insert
func.func @nonzero(%x: tensor<2x?xf32>) -> tensor<2x?xi64> {
  %0 = tamp.nonzero %x : (tensor<2x?xf32>) -> tensor<2x?xi64>
  return %0 : tensor<2x?xi64>
}

// -----

// TopK selects, per slice, the first element after the previous one in the
// order (value, then lower index), which keeps ties in index order.
// CHECK-LABEL: func.func @topk
// CHECK: cf.assert %{{.*}}, "(tamp.topk): k is negative or exceeds the axis size"
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpi slt
// CHECK: tensor.insert
// CHECK: arith.index_cast %{{.*}} : index to i64
// CHECK: tensor.insert
func.func @topk(%x: tensor<3x?xf32>, %k: tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>) {
  %0:2 = tamp.topk %x, %k {axis = 1 : i64} : (tensor<3x?xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return %0#0, %0#1 : tensor<3x?xf32>, tensor<3x?xi64>
}

// -----

// Nearest: only the resized dimensions map their coordinate (half_pixel,
// round_prefer_floor by default) back to a clamped input index.
// CHECK-LABEL: func.func @resize_nearest
// CHECK: %[[INIT:.*]] = tensor.empty(%{{.*}}) : tensor<?x1x4x4xf32>
// CHECK: linalg.generic {{.*}} outs(%[[INIT]] : tensor<?x1x4x4xf32>)
// CHECK: %[[N:.*]] = linalg.index 0 : index
// CHECK: %[[C:.*]] = linalg.index 1 : index
// CHECK: arith.addf %{{.*}}, %cst
// CHECK: arith.divf
// CHECK: math.floor
// CHECK: math.round
// CHECK: arith.minsi
// CHECK: tensor.extract %arg0[%[[N]], %[[C]], %{{.*}}, %{{.*}}] : tensor<?x1x2x2xf32>
func.func @resize_nearest(%x: tensor<?x1x2x2xf32>) -> tensor<?x1x4x4xf32> {
  %s = tamp.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %0 = tamp.resize %x scales %s : (tensor<?x1x2x2xf32>, tensor<4xf32>) -> tensor<?x1x4x4xf32>
  return %0 : tensor<?x1x4x4xf32>
}

// -----

// Linear: four corners around the source coordinate in the two resized
// dimensions, weighted by their distances.
// CHECK-LABEL: func.func @resize_linear_sizes
// CHECK: linalg.generic
// CHECK-COUNT-4: tensor.extract %arg0
// CHECK: linalg.yield
func.func @resize_linear_sizes(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x3x5xf32> {
  %s = tamp.constant dense<[1, 1, 3, 5]> : tensor<4xi64>
  %0 = tamp.resize %x sizes %s {mode = #tamp.resize_mode<linear>, coordinate_transform = #tamp.coordinate_transform<align_corners>} : (tensor<1x1x2x2xf32>, tensor<4xi64>) -> tensor<1x1x3x5xf32>
  return %0 : tensor<1x1x3x5xf32>
}

// -----

// Antialiased downsampling by 2 stretches the linear kernel over four taps
// (offsets -1..2 from floor(x)), normalized to sum 1; upsampling keeps two.
// CHECK-LABEL: func.func @resize_antialias_linear
// CHECK: linalg.generic
// CHECK: arith.constant 5.000000e-01 : f32
// CHECK: arith.divf
// CHECK-COUNT-4: tensor.extract %arg0
// CHECK-NOT: tensor.extract %arg0
// CHECK: linalg.yield
// CHECK: linalg.generic
// CHECK-COUNT-2: tensor.extract %arg1
// CHECK-NOT: tensor.extract %arg1
// CHECK: linalg.yield
func.func @resize_antialias_linear(%x: tensor<1x1x1x8xf32>, %y: tensor<1x1x1x2xf32>) -> (tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>) {
  %down = tamp.constant dense<[1.0, 1.0, 1.0, 0.5]> : tensor<4xf32>
  %up = tamp.constant dense<[1.0, 1.0, 1.0, 2.0]> : tensor<4xf32>
  %0 = tamp.resize %x scales %down {mode = #tamp.resize_mode<linear>, antialias = true} : (tensor<1x1x1x8xf32>, tensor<4xf32>) -> tensor<1x1x1x4xf32>
  %1 = tamp.resize %y scales %up {mode = #tamp.resize_mode<linear>, antialias = true} : (tensor<1x1x1x2xf32>, tensor<4xf32>) -> tensor<1x1x1x4xf32>
  return %0, %1 : tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>
}

// -----

// tf_crop_and_resize maps outputs onto the roi window in f64 and reads the
// extrapolation value where the source coordinate leaves the input. Only
// dimensions whose window is not [0, 1] are resampled.
// CHECK-LABEL: func.func @resize_tf_crop
// CHECK: linalg.generic
// CHECK: arith.sitofp %{{.*}} : i64 to f64
// CHECK: %[[LOW:.*]] = arith.cmpf oge, %{{.*}}, %{{.*}} : f64
// CHECK: %[[HIGH:.*]] = arith.cmpf ole, %{{.*}}, %{{.*}} : f64
// CHECK: %[[IN:.*]] = arith.andi %[[LOW]], %[[HIGH]] : i1
// CHECK-COUNT-2: tensor.extract %arg0
// CHECK: %[[FILL:.*]] = arith.constant 1.000000e+01 : f32
// CHECK: arith.select %{{.*}}, %{{.*}}, %[[FILL]] : f32
func.func @resize_tf_crop(%x: tensor<1x1x1x4xf32>) -> tensor<1x1x1x3xf32> {
  %roi = tamp.constant dense<[0.0, 0.0, 0.0, 0.4, 1.0, 1.0, 1.0, 1.2]> : tensor<8xf32>
  %s = tamp.constant dense<[1, 1, 1, 3]> : tensor<4xi64>
  %0 = tamp.resize %x roi %roi sizes %s {mode = #tamp.resize_mode<linear>, coordinate_transform = #tamp.coordinate_transform<tf_crop_and_resize>, extrapolation_value = 10.0 : f32} : (tensor<1x1x1x4xf32>, tensor<8xf32>, tensor<4xi64>) -> tensor<1x1x1x3xf32>
  return %0 : tensor<1x1x1x3xf32>
}

// -----

// not_larger keeps the aspect ratio of the policy's axes with the smallest
// ratio (3 / 2): both resized dimensions use scale 1.5.
// CHECK-LABEL: func.func @resize_not_larger
// CHECK: tensor.empty() : tensor<1x1x3x3xf32>
// CHECK: arith.constant 1.500000e+00 : f32
// CHECK: arith.constant 1.500000e+00 : f32
func.func @resize_not_larger(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32> {
  %s = tamp.constant dense<[1, 1, 7, 3]> : tensor<4xi64>
  %0 = tamp.resize %x sizes %s {aspect_ratio_policy = #tamp.aspect_ratio_policy<not_larger>, axes = array<i64: 2, 3>} : (tensor<1x1x2x2xf32>, tensor<4xi64>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// Cubic: 4 taps per resized dimension; exclude_outside zeroes the taps
// outside the input and renormalizes the weights.
// CHECK-LABEL: func.func @resize_cubic_exclude_outside
// CHECK: linalg.generic
// CHECK: arith.constant -5.000000e-01 : f32
// CHECK: arith.cmpf oge
// CHECK: arith.cmpf olt
// CHECK: arith.divf
// CHECK-COUNT-16: tensor.extract %arg0
// CHECK: linalg.yield
func.func @resize_cubic_exclude_outside(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x8x8xf32> {
  %s = tamp.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %0 = tamp.resize %x scales %s {mode = #tamp.resize_mode<cubic>, cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = true} : (tensor<1x1x4x4xf32>, tensor<4xf32>) -> tensor<1x1x8x8xf32>
  return %0 : tensor<1x1x8x8xf32>
}
