// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file %s | FileCheck %s
// NN ops: convolutions and pools pad their input once and use the named
// linalg ops; normalisations are reductions plus one elementwise generic.

// Bias initialises the accumulator; the input is padded once; the dynamic
// batch size comes from tensor.dim.
// CHECK-LABEL: func.func @conv_bias_dynamic_batch
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x32x32xf32>, %[[W:.*]]: tensor<8x3x3x3xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3x32x32xf32>
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: } : tensor<?x3x32x32xf32> to tensor<?x3x34x34xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[N]]) : tensor<?x8x16x16xf32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[B]] : tensor<8xf32>) outs(%[[EMPTY]] : tensor<?x8x16x16xf32>) dimensions = [0, 2, 3]
// CHECK: %[[CONV:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: ins(%[[PAD]], %[[W]] : tensor<?x3x34x34xf32>, tensor<8x3x3x3xf32>) outs(%[[INIT]] : tensor<?x8x16x16xf32>)
// CHECK: return %[[CONV]]
func.func @conv_bias_dynamic_batch(%x: tensor<?x3x32x32xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>) -> tensor<?x8x16x16xf32> {
  %0 = tamp.conv %x, %w, %b {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : (tensor<?x3x32x32xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<?x8x16x16xf32>
  return %0 : tensor<?x8x16x16xf32>
}

// -----

// SAME_UPPER on dynamic spatial sizes: output ceil(D / stride) and the pads
// computed at run time, the smaller half at the beginning.
// CHECK-LABEL: func.func @conv_same_dynamic
// CHECK: %[[H:.*]] = tensor.dim %arg0, %c2
// CHECK: %[[OH:.*]] = arith.ceildivsi %[[H]], %{{.*}} : index
// CHECK: %[[TOTAL:.*]] = arith.maxsi
// CHECK: %[[BEGIN:.*]] = arith.floordivsi %[[TOTAL]], %{{.*}} : index
// CHECK: %[[END:.*]] = arith.subi %[[TOTAL]], %[[BEGIN]] : index
// CHECK: %[[OW:.*]] = arith.ceildivsi
// CHECK: tensor.pad %arg0 low[0, 0, %[[BEGIN]], %{{.*}}] high[0, 0, %[[END]], %{{.*}}]
// CHECK: tensor.empty(%[[OH]], %[[OW]]) : tensor<1x4x?x?xf32>
// CHECK: linalg.fill
// CHECK: linalg.conv_2d_nchw_fchw
func.func @conv_same_dynamic(%x: tensor<1x3x?x?xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x?x?xf32> {
  %0 = tamp.conv %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, auto_pad = #tamp.auto_pad<same_upper>} : (tensor<1x3x?x?xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x?x?xf32>
  return %0 : tensor<1x4x?x?xf32>
}

// -----

// CHECK-LABEL: func.func @conv_depthwise
// CHECK: %[[PAD:.*]] = tensor.pad
// CHECK: %[[FILTER:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1], [2], [3]] : tensor<8x1x3x3xf32> into tensor<8x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: ins(%[[PAD]], %[[FILTER]] : tensor<1x8x34x34xf32>, tensor<8x3x3xf32>)
func.func @conv_depthwise(%x: tensor<1x8x32x32xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x16x16xf32> {
  %0 = tamp.conv %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 8 : i64} : (tensor<1x8x32x32xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x16x16xf32>
  return %0 : tensor<1x8x16x16xf32>
}

// -----

// Other group counts split the channels into [G, C/G] for the grouped op.
// CHECK-LABEL: func.func @conv_grouped
// CHECK-NOT: tensor.pad
// CHECK: %[[IN:.*]] = tensor.expand_shape %arg0 {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 3, 8, 8]
// CHECK: %[[W:.*]] = tensor.expand_shape %arg1 {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 2, 3, 3, 3]
// CHECK: %[[OUT:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 2, 6, 6]
// CHECK: %[[CONV:.*]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%[[IN]], %[[W]] : tensor<1x2x3x8x8xf32>, tensor<2x2x3x3x3xf32>) outs(%[[OUT]] : tensor<1x2x2x6x6xf32>)
// CHECK: tensor.collapse_shape %[[CONV]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x2x6x6xf32> into tensor<1x4x6x6xf32>
func.func @conv_grouped(%x: tensor<1x6x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2 : i64} : (tensor<1x6x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// CHECK-LABEL: func.func @conv_1d_3d
// CHECK: linalg.fill ins(%{{.*}} : i32)
// CHECK: linalg.conv_1d_ncw_fcw {{.*}} -> tensor<1x4x8xi32>
// CHECK: linalg.conv_3d_ncdhw_fcdhw {{.*}} -> tensor<1x3x4x4x4xf32>
func.func @conv_1d_3d(%x: tensor<1x2x10xi32>, %w: tensor<4x2x3xi32>, %y: tensor<1x2x5x5x5xf32>, %v: tensor<3x2x2x2x2xf32>) -> (tensor<1x4x8xi32>, tensor<1x3x4x4x4xf32>) {
  %0 = tamp.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 0, 0>} : (tensor<1x2x10xi32>, tensor<4x2x3xi32>) -> tensor<1x4x8xi32>
  %1 = tamp.conv %y, %v {strides = array<i64: 1, 1, 1>, dilations = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>} : (tensor<1x2x5x5x5xf32>, tensor<3x2x2x2x2xf32>) -> tensor<1x3x4x4x4xf32>
  return %0, %1 : tensor<1x4x8xi32>, tensor<1x3x4x4x4xf32>
}

// -----

// A transposed convolution: the input spread by the strides, padded by
// dilation * (K - 1), convolved with the flipped, channel-swapped weight.
// CHECK-DAG: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d2, d1, -d3 + 2, -d4 + 2)>
// CHECK-LABEL: func.func @conv_transpose
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[ZEROS:.*]] = linalg.fill {{.*}} -> tensor<?x3x7x7xf32>
// CHECK: %[[SPREAD:.*]] = tensor.insert_slice %arg0 into %[[ZEROS]][0, 0, 0, 0] [%[[N]], 3, 4, 4] [1, 1, 2, 2]
// CHECK: %[[PAD:.*]] = tensor.pad %[[SPREAD]] low[0, 0, 2, 2] high[0, 0, 2, 2]
// CHECK: %[[FLIPPED:.*]] = linalg.generic {indexing_maps = [#[[FLIP]], {{.*}}]{{.*}} ins(%arg1 : tensor<3x2x3x3xf32>) outs(%{{.*}} : tensor<1x2x3x3x3xf32>)
// CHECK: %[[WEIGHT:.*]] = tensor.collapse_shape %[[FLIPPED]] {{\[\[}}0, 1], [2], [3], [4]] : tensor<1x2x3x3x3xf32> into tensor<2x3x3x3xf32>
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[PAD]], %[[WEIGHT]] : tensor<?x3x11x11xf32>, tensor<2x3x3x3xf32>) outs(%{{.*}} : tensor<?x2x9x9xf32>)
func.func @conv_transpose(%x: tensor<?x3x4x4xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<?x2x9x9xf32> {
  %0 = tamp.conv_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>} : (tensor<?x3x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<?x2x9x9xf32>
  return %0 : tensor<?x2x9x9xf32>
}

// -----

// Max pools pad with -inf once and use the named pooling op.
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEG_INF]] : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.*}} : tensor<?x8x?x?xf32>)
// CHECK: %[[WINDOW:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[WINDOW]] : tensor<?x8x?x?xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<?x8x?x?xf32>)
func.func @max_pool(%x: tensor<?x8x?x?xf32>) -> tensor<?x8x?x?xf32> {
  %0 = tamp.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : (tensor<?x8x?x?xf32>) -> tensor<?x8x?x?xf32>
  return %0 : tensor<?x8x?x?xf32>
}

// -----

// ceil_mode pads one more row and column at the end; unsigned elements take
// an unsigned max in a generic.
// CHECK-LABEL: func.func @max_pool_ceil_ui8
// CHECK: tensor.pad %arg0 low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: } : tensor<1x2x8x8xi8> to tensor<1x2x9x9xi8>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.maxui
func.func @max_pool_ceil_ui8(%x: tensor<1x2x8x8xui8>) -> tensor<1x2x4x4xui8> {
  %0 = tamp.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true} : (tensor<1x2x8x8xui8>) -> tensor<1x2x4x4xui8>
  return %0 : tensor<1x2x4x4xui8>
}

// -----

// CHECK-LABEL: func.func @max_pool_indices
// CHECK: %{{.*}}:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<1x2x4x4xf32>, tensor<1x2x4x4xi64>)
// CHECK: linalg.index 4
// CHECK: arith.index_cast %{{.*}} : index to i64
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
// CHECK: %[[TAKE:.*]] = arith.ori %[[GT]], %{{.*}} : i1
// CHECK: arith.select %[[TAKE]]
// CHECK: arith.select %[[TAKE]]
func.func @max_pool_indices(%x: tensor<1x2x5x6xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xi64>) {
  %0, %1 = tamp.max_pool_with_indices %x {kernel_shape = array<i64: 2, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, column_major_indices = true} : (tensor<1x2x5x6xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xi64>)
  return %0, %1 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xi64>
}

// -----

// Windows that never reach padding divide by the kernel volume.
// CHECK-LABEL: func.func @avg_pool_full
// CHECK-NOT: tensor.pad
// CHECK: %[[SUM:.*]] = linalg.pooling_nchw_sum {{.*}} ins(%arg0, %{{.*}} : tensor<?x2x8x8xf32>, tensor<2x2xf32>)
// CHECK: %[[FOUR:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: linalg.generic {{.*}} outs(%[[SUM]] : tensor<?x2x4x4xf32>)
// CHECK: arith.divf %{{.*}}, %[[FOUR]] : f32
func.func @avg_pool_full(%x: tensor<?x2x8x8xf32>) -> tensor<?x2x4x4xf32> {
  %0 = tamp.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<?x2x8x8xf32>) -> tensor<?x2x4x4xf32>
  return %0 : tensor<?x2x4x4xf32>
}

// -----

// With pads (count_include_pad = 0) each window counts its positions inside
// the input.
// CHECK-LABEL: func.func @avg_pool_pads
// CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[SUM:.*]] = linalg.pooling_nchw_sum
// CHECK: linalg.generic {{.*}} outs(%[[SUM]] : tensor<1x2x4x4xf32>)
// CHECK: linalg.index 2
// CHECK: arith.ceildivsi
// CHECK: arith.floordivsi
// CHECK: linalg.index 3
// CHECK: %[[COUNT:.*]] = arith.sitofp %{{.*}} : i64 to f32
// CHECK: arith.divf %{{.*}}, %[[COUNT]] : f32
func.func @avg_pool_pads(%x: tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32> {
  %0 = tamp.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// No named NCDHW pooling op: a generic sums the windows.
// CHECK-DAG: #[[IN3:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2 * 2 + d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-LABEL: func.func @avg_pool_3d
// CHECK: linalg.generic {indexing_maps = [#[[IN3]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK: arith.addf
// CHECK: arith.divf
func.func @avg_pool_3d(%x: tensor<1x2x4x4x4xf32>) -> tensor<1x2x2x2x2xf32> {
  %0 = tamp.avg_pool %x {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>, dilations = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>} : (tensor<1x2x4x4x4xf32>) -> tensor<1x2x2x2x2xf32>
  return %0 : tensor<1x2x2x2x2xf32>
}

// -----

// scale / sqrt(var + eps) once per channel, then one generic per element.
// CHECK-DAG: #[[VEC:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK: %[[A:.*]] = linalg.generic {indexing_maps = [#[[VEC]], #[[VEC]], #[[VEC]]], iterator_types = ["parallel"]} ins(%arg1, %arg4 : tensor<4xf32>, tensor<4xf32>)
// CHECK: math.sqrt
// CHECK: linalg.generic {indexing_maps = [#[[ID4]], #[[CH]], #[[CH]], #[[CH]], #[[ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%arg0, %arg3, %[[A]], %arg2 :
// CHECK: ^bb0(%[[X:.*]]: f32, %[[MEAN:.*]]: f32, %[[SCALE:.*]]: f32, %[[BIAS:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[CENTERED:.*]] = arith.subf %[[X]], %[[MEAN]] : f32
// CHECK: %[[SCALED:.*]] = arith.mulf %[[CENTERED]], %[[SCALE]] : f32
// CHECK: arith.addf %[[SCALED]], %[[BIAS]] : f32
func.func @batch_norm(%x: tensor<?x4x?x?xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<?x4x?x?xf32> {
  %0 = tamp.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-05 : f32} : (tensor<?x4x?x?xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4x?x?xf32>
  return %0 : tensor<?x4x?x?xf32>
}

// -----

// Sum, then sum of squared deviations (two passes, numerically stable), mean
// and 1 / std per row, then one elementwise generic with scale and bias
// broadcast to the last dims.
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[LAST:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID3]], #[[ROW]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[ID3]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: %[[STATS:.*]]:2 = linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]], #[[ID2]], #[[ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[SUM]], %[[SQ]] :
// CHECK: math.sqrt
// CHECK: linalg.generic {indexing_maps = [#[[ID3]], #[[ROW]], #[[ROW]], #[[LAST]], #[[LAST]], #[[ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%arg0, %[[STATS]]#0, %[[STATS]]#1, %arg1, %arg2
func.func @layer_norm(%x: tensor<?x16x32xf32>, %s: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<?x16x32xf32> {
  %0 = tamp.layer_norm %x, %s, %b {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<?x16x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x16x32xf32>
  return %0 : tensor<?x16x32xf32>
}

// -----

// CHECK-LABEL: func.func @group_norm
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[G:.*]] = tensor.expand_shape %arg0 {{\[\[}}0], [1, 2], [3], [4]] output_shape [%[[N]], 2, 2, 5, 5]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[G]] : tensor<?x2x2x5x5xf32>) outs(%{{.*}} : tensor<?x2xf32>)
// CHECK: %[[STATS:.*]]:2 = linalg.generic
// CHECK: tensor.expand_shape %arg1 {{\[\[}}0, 1]] output_shape [2, 2]
// CHECK: %[[NORM:.*]] = linalg.generic {{.*}} ins(%[[G]], %[[STATS]]#0, %[[STATS]]#1,
// CHECK: tensor.collapse_shape %[[NORM]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<?x2x2x5x5xf32> into tensor<?x4x5x5xf32>
func.func @group_norm(%x: tensor<?x4x5x5xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<?x4x5x5xf32> {
  %0 = tamp.group_norm %x, %s, %b {num_groups = 2 : i64, epsilon = 1.0e-05 : f32} : (tensor<?x4x5x5xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4x5x5xf32>
  return %0 : tensor<?x4x5x5xf32>
}

// -----

// A bias of dynamic size is checked against the output channels at run time.
// CHECK-LABEL: func.func @conv_dynamic_bias
// CHECK: %[[SIZE:.*]] = tensor.dim %arg2, %{{.*}} : tensor<?xf32>
// CHECK: %[[EQ:.*]] = arith.cmpi eq, %[[SIZE]], %{{.*}} : index
// CHECK: cf.assert %[[EQ]], "(tamp.conv): bias size differs from the output channels"
// CHECK: %[[BIAS:.*]] = tensor.cast %arg2 : tensor<?xf32> to tensor<4xf32>
// CHECK: linalg.broadcast ins(%[[BIAS]] : tensor<4xf32>)
func.func @conv_dynamic_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<?xf32>) -> tensor<1x4x6x6xf32> {
  %0 = tamp.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<?xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// Half-precision convolutions accumulate in f32 and round once.
// CHECK-LABEL: func.func @conv_f16
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}} ins(%arg2 : tensor<4xf16>) outs(%{{.*}} : tensor<1x4x6x6xf32>)
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: %[[CONV:.*]] = linalg.conv_2d_nchw_fchw {{.*}} ins(%arg0, %arg1 : tensor<1x3x8x8xf16>, tensor<4x3x3x3xf16>) outs(%[[ACC]] : tensor<1x4x6x6xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[CONV]] : tensor<1x4x6x6xf32>) outs(%{{.*}} : tensor<1x4x6x6xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @conv_f16(%x: tensor<1x3x8x8xf16>, %w: tensor<4x3x3x3xf16>, %b: tensor<4xf16>) -> tensor<1x4x6x6xf16> {
  %0 = tamp.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf16>, tensor<4x3x3x3xf16>, tensor<4xf16>) -> tensor<1x4x6x6xf16>
  return %0 : tensor<1x4x6x6xf16>
}
