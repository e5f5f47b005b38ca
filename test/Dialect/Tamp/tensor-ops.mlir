// RUN: tamp-opt %s | tamp-opt | FileCheck %s

// Round trip of every tensor op. Result types are the ones inference
// produces (the verifier checks them against it); tensor-ops-inference.mlir
// pins the inferred types themselves.

// CHECK-LABEL: func @constant_and_cast
func.func @constant_and_cast(%x: tensor<2x3xf32>) -> (tensor<2xi64>, tensor<2x3xi8>, tensor<2x3xf8E4M3FN>) {
  // CHECK: tamp.constant dense<[1, 2]> : tensor<2xi64>
  %c = tamp.constant dense<[1, 2]> : tensor<2xi64>
  // CHECK: tamp.cast %{{.*}} : tensor<2x3xf32> to tensor<2x3xi8>
  %i = tamp.cast %x : tensor<2x3xf32> to tensor<2x3xi8>
  // CHECK: tamp.cast %{{.*}} {saturate = false} : tensor<2x3xf32> to tensor<2x3xf8E4M3FN>
  %f = tamp.cast %x {saturate = false} : tensor<2x3xf32> to tensor<2x3xf8E4M3FN>
  return %c, %i, %f : tensor<2xi64>, tensor<2x3xi8>, tensor<2x3xf8E4M3FN>
}

// Casts to float8e8m0 round to a power of two as round_mode says; `up` is
// the default and not printed.
// CHECK-LABEL: func @cast_e8m0
func.func @cast_e8m0(%x: tensor<4xf32>) -> (tensor<4xf8E8M0FNU>, tensor<4xf8E8M0FNU>, tensor<4xf8E8M0FNU>) {
  // CHECK: tamp.cast %{{.*}} : tensor<4xf32> to tensor<4xf8E8M0FNU>
  %up = tamp.cast %x {round_mode = #tamp.round_mode<up>} : tensor<4xf32> to tensor<4xf8E8M0FNU>
  // CHECK: tamp.cast %{{.*}} {round_mode = #tamp.round_mode<down>} : tensor<4xf32> to tensor<4xf8E8M0FNU>
  %down = tamp.cast %x {round_mode = #tamp.round_mode<down>} : tensor<4xf32> to tensor<4xf8E8M0FNU>
  // CHECK: tamp.cast %{{.*}} {round_mode = #tamp.round_mode<nearest>, saturate = false} : tensor<4xf32> to tensor<4xf8E8M0FNU>
  %nearest = tamp.cast %x {round_mode = #tamp.round_mode<nearest>, saturate = false} : tensor<4xf32> to tensor<4xf8E8M0FNU>
  return %up, %down, %nearest : tensor<4xf8E8M0FNU>, tensor<4xf8E8M0FNU>, tensor<4xf8E8M0FNU>
}

// String tensors: constants and equality.
// CHECK-LABEL: func @strings
// CHECK-SAME: (%{{.*}}: tensor<2x!tamp.string>)
func.func @strings(%s: tensor<2x!tamp.string>) -> (tensor<2xi1>, tensor<3x!tamp.string>) {
  // CHECK: tamp.constant dense<"a"> : tensor<1x!tamp.string>
  %a = tamp.constant dense<"a"> : tensor<1x!tamp.string>
  // CHECK: tamp.constant dense<["x", "", "y z"]> : tensor<3x!tamp.string>
  %xyz = tamp.constant dense<["x", "", "y z"]> : tensor<3x!tamp.string>
  // CHECK: tamp.equal %{{.*}}, %{{.*}} : (tensor<2x!tamp.string>, tensor<1x!tamp.string>) -> tensor<2xi1>
  %eq = tamp.equal %s, %a : (tensor<2x!tamp.string>, tensor<1x!tamp.string>) -> tensor<2xi1>
  return %eq, %xyz : tensor<2xi1>, tensor<3x!tamp.string>
}

// CHECK-LABEL: func @reshape
func.func @reshape(%x: tensor<2x3x4xf32>, %d: tensor<?x3x4xf32>, %s: tensor<3xi64>)
    -> (tensor<6x4xf32>, tensor<?x12xf32>, tensor<?x?x?xf32>, tensor<4x0xf32>) {
  %shape = tamp.constant dense<[-1, 4]> : tensor<2xi64>
  // CHECK: tamp.reshape %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %0 = tamp.reshape %x, %shape : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %copy = tamp.constant dense<[0, -1]> : tensor<2xi64>
  // CHECK: tamp.reshape %{{.*}}, %{{.*}} : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<?x12xf32>
  %1 = tamp.reshape %d, %copy : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<?x12xf32>
  // CHECK: tamp.reshape %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %2 = tamp.reshape %x, %s : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %zero = tamp.constant dense<[4, 0]> : tensor<2xi64>
  // CHECK: tamp.reshape %{{.*}}, %{{.*}} {allowzero = true} : (tensor<0x3xf32>, tensor<2xi64>) -> tensor<4x0xf32>
  %empty = tamp.constant dense<> : tensor<0x3xf32>
  %3 = tamp.reshape %empty, %zero {allowzero = true} : (tensor<0x3xf32>, tensor<2xi64>) -> tensor<4x0xf32>
  return %0, %1, %2, %3 : tensor<6x4xf32>, tensor<?x12xf32>, tensor<?x?x?xf32>, tensor<4x0xf32>
}

// CHECK-LABEL: func @shape_changes
func.func @shape_changes(%x: tensor<1x3x1x?xf32>, %y: tensor<2x3x4xf32>)
    -> (tensor<3x?xf32>, tensor<1x3x?xf32>, tensor<1x2x3x4x1xf32>, tensor<4x2x3xf32>, tensor<6x4xf32>) {
  // CHECK: tamp.squeeze %{{.*}} {axes = array<i64>} : (tensor<1x3x1x?xf32>) -> tensor<3x?xf32>
  %0 = tamp.squeeze %x {axes = array<i64>} : (tensor<1x3x1x?xf32>) -> tensor<3x?xf32>
  // CHECK: tamp.squeeze %{{.*}} {axes = array<i64: -2>} : (tensor<1x3x1x?xf32>) -> tensor<1x3x?xf32>
  %1 = tamp.squeeze %x {axes = array<i64: -2>} : (tensor<1x3x1x?xf32>) -> tensor<1x3x?xf32>
  // CHECK: tamp.unsqueeze %{{.*}} {axes = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<1x2x3x4x1xf32>
  %2 = tamp.unsqueeze %y {axes = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<1x2x3x4x1xf32>
  // CHECK: tamp.transpose %{{.*}} {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %3 = tamp.transpose %y {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  // CHECK: tamp.flatten %{{.*}} {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %4 = tamp.flatten %y {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  return %0, %1, %2, %3, %4 : tensor<3x?xf32>, tensor<1x3x?xf32>, tensor<1x2x3x4x1xf32>, tensor<4x2x3xf32>, tensor<6x4xf32>
}

// CHECK-LABEL: func @concat_split
func.func @concat_split(%a: tensor<2x3xf32>, %b: tensor<?x4xf32>, %c: tensor<10x?xf32>)
    -> (tensor<2x7xf32>, tensor<3x?xf32>, tensor<7x?xf32>) {
  // CHECK: tamp.concat %{{.*}}, %{{.*}} {axis = -1 : i64} : (tensor<2x3xf32>, tensor<?x4xf32>) -> tensor<2x7xf32>
  %0 = tamp.concat %a, %b {axis = -1 : i64} : (tensor<2x3xf32>, tensor<?x4xf32>) -> tensor<2x7xf32>
  // CHECK: tamp.split %{{.*}} {axis = 0 : i64, sizes = array<i64: 3, 7>} : (tensor<10x?xf32>) -> (tensor<3x?xf32>, tensor<7x?xf32>)
  %1:2 = tamp.split %c {axis = 0 : i64, sizes = array<i64: 3, 7>} : (tensor<10x?xf32>) -> (tensor<3x?xf32>, tensor<7x?xf32>)
  return %0, %1#0, %1#1 : tensor<2x7xf32>, tensor<3x?xf32>, tensor<7x?xf32>
}

// CHECK-LABEL: func @slice
func.func @slice(%x: tensor<10x20x30xf32>, %axes: tensor<1xi64>) -> (tensor<5x20x10xf32>, tensor<10x20x30xf32>, tensor<?x?x?xf32>) {
  %starts = tamp.constant dense<[1, -1]> : tensor<2xi64>
  %ends = tamp.constant dense<[9223372036854775807, -9223372036854775808]> : tensor<2xi64>
  %axes2 = tamp.constant dense<[0, 2]> : tensor<2xi64>
  %steps = tamp.constant dense<[2, -3]> : tensor<2xi64>
  // CHECK: tamp.slice {{.*}} : (tensor<10x20x30xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<5x20x10xf32>
  %0 = tamp.slice %x, %starts, %ends, %axes2, %steps : (tensor<10x20x30xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<5x20x10xf32>
  %s32 = tamp.constant dense<[-100]> : tensor<1xi32>
  %e32 = tamp.constant dense<[100]> : tensor<1xi32>
  %a32 = tamp.constant dense<[1]> : tensor<1xi32>
  %o32 = tamp.constant dense<[1]> : tensor<1xi32>
  // CHECK: tamp.slice {{.*}} : (tensor<10x20x30xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<10x20x30xf32>
  %1 = tamp.slice %x, %s32, %e32, %a32, %o32 : (tensor<10x20x30xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<10x20x30xf32>
  %one = tamp.constant dense<[1]> : tensor<1xi64>
  // CHECK: tamp.slice {{.*}} -> tensor<?x?x?xf32>
  %2 = tamp.slice %x, %one, %one, %axes, %one : (tensor<10x20x30xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?x?xf32>
  return %0, %1, %2 : tensor<5x20x10xf32>, tensor<10x20x30xf32>, tensor<?x?x?xf32>
}

// CHECK-LABEL: func @expand_tile
func.func @expand_tile(%x: tensor<3x1xf32>, %s: tensor<3xi64>, %y: tensor<2x?xf32>)
    -> (tensor<2x3x4xf32>, tensor<?x3x?xf32>, tensor<6x?xf32>) {
  %shape = tamp.constant dense<[2, 1, 4]> : tensor<3xi64>
  // CHECK: tamp.expand %{{.*}}, %{{.*}} : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  %0 = tamp.expand %x, %shape : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  // CHECK: tamp.expand %{{.*}}, %{{.*}} : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<?x3x?xf32>
  %1 = tamp.expand %x, %s : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<?x3x?xf32>
  %repeats = tamp.constant dense<[3, 2]> : tensor<2xi64>
  // CHECK: tamp.tile %{{.*}}, %{{.*}} : (tensor<2x?xf32>, tensor<2xi64>) -> tensor<6x?xf32>
  %2 = tamp.tile %y, %repeats : (tensor<2x?xf32>, tensor<2xi64>) -> tensor<6x?xf32>
  return %0, %1, %2 : tensor<2x3x4xf32>, tensor<?x3x?xf32>, tensor<6x?xf32>
}

// CHECK-LABEL: func @gather_scatter
func.func @gather_scatter(%x: tensor<5x6x7xf32>, %i: tensor<2x3xi64>, %j: tensor<2x6x7xi32>,
                          %nd: tensor<2x3x4x5xf32>, %ndi: tensor<?x7x2xi64>,
                          %si: tensor<3x1xi64>, %su: tensor<3x6x7xf32>)
    -> (tensor<5x2x3x7xf32>, tensor<2x6x7xf32>, tensor<2x7x5xf32>, tensor<5x6x7xf32>, tensor<5x6x7xf32>) {
  // CHECK: tamp.gather %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<5x6x7xf32>, tensor<2x3xi64>) -> tensor<5x2x3x7xf32>
  %0 = tamp.gather %x, %i {axis = 1 : i64} : (tensor<5x6x7xf32>, tensor<2x3xi64>) -> tensor<5x2x3x7xf32>
  // CHECK: tamp.gather_elements %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<5x6x7xf32>, tensor<2x6x7xi32>) -> tensor<2x6x7xf32>
  %1 = tamp.gather_elements %x, %j {axis = 0 : i64} : (tensor<5x6x7xf32>, tensor<2x6x7xi32>) -> tensor<2x6x7xf32>
  // CHECK: tamp.gather_nd %{{.*}}, %{{.*}} {batch_dims = 1 : i64} : (tensor<2x3x4x5xf32>, tensor<?x7x2xi64>) -> tensor<2x7x5xf32>
  %2 = tamp.gather_nd %nd, %ndi {batch_dims = 1 : i64} : (tensor<2x3x4x5xf32>, tensor<?x7x2xi64>) -> tensor<2x7x5xf32>
  // CHECK: tamp.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64, reduction = #tamp.scatter_reduction<add>}
  %3 = tamp.scatter_elements %x, %j, %1 {axis = 0 : i64, reduction = #tamp.scatter_reduction<add>} : (tensor<5x6x7xf32>, tensor<2x6x7xi32>, tensor<2x6x7xf32>) -> tensor<5x6x7xf32>
  // CHECK: tamp.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} : (tensor<5x6x7xf32>, tensor<3x1xi64>, tensor<3x6x7xf32>) -> tensor<5x6x7xf32>
  %4 = tamp.scatter_nd %x, %si, %su : (tensor<5x6x7xf32>, tensor<3x1xi64>, tensor<3x6x7xf32>) -> tensor<5x6x7xf32>
  return %0, %1, %2, %3, %4 : tensor<5x2x3x7xf32>, tensor<2x6x7xf32>, tensor<2x7x5xf32>, tensor<5x6x7xf32>, tensor<5x6x7xf32>
}

// CHECK-LABEL: func @pad
func.func @pad(%x: tensor<2x3xf32>, %v: tensor<f32>) -> (tensor<5x2xf32>, tensor<5x2xf32>) {
  %pads = tamp.constant dense<[1, 0, 2, -1]> : tensor<4xi64>
  // CHECK: tamp.pad %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>) -> tensor<5x2xf32>
  %0 = tamp.pad %x, %pads, %v : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>) -> tensor<5x2xf32>
  // CHECK: tamp.pad %{{.*}}, %{{.*}} {mode = #tamp.pad_mode<reflect>} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<5x2xf32>
  %1 = tamp.pad %x, %pads {mode = #tamp.pad_mode<reflect>} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<5x2xf32>
  return %0, %1 : tensor<5x2xf32>, tensor<5x2xf32>
}

// CHECK-LABEL: func @resize
func.func @resize(%x: tensor<1x3x5x7xf32>, %roi: tensor<8xf32>) -> (tensor<1x3x10x10xf32>, tensor<1x3x8x8xf32>, tensor<?x?x?x?xf32>) {
  %scales = tamp.constant dense<[1.0, 1.0, 2.0, 1.5]> : tensor<4xf32>
  // CHECK: tamp.resize %{{.*}} scales %{{.*}} {mode = #tamp.resize_mode<linear>} : (tensor<1x3x5x7xf32>, tensor<4xf32>) -> tensor<1x3x10x10xf32>
  %0 = tamp.resize %x scales %scales {mode = #tamp.resize_mode<linear>} : (tensor<1x3x5x7xf32>, tensor<4xf32>) -> tensor<1x3x10x10xf32>
  %sizes = tamp.constant dense<[1, 3, 8, 8]> : tensor<4xi64>
  // CHECK: tamp.resize %{{.*}} sizes %{{.*}} : (tensor<1x3x5x7xf32>, tensor<4xi64>) -> tensor<1x3x8x8xf32>
  %1 = tamp.resize %x sizes %sizes : (tensor<1x3x5x7xf32>, tensor<4xi64>) -> tensor<1x3x8x8xf32>
  // CHECK: tamp.resize %{{.*}} roi %{{.*}} scales %{{.*}} {coordinate_transform = #tamp.coordinate_transform<tf_crop_and_resize>}
  %2 = tamp.resize %x roi %roi scales %scales {coordinate_transform = #tamp.coordinate_transform<tf_crop_and_resize>} : (tensor<1x3x5x7xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  return %0, %1, %2 : tensor<1x3x10x10xf32>, tensor<1x3x8x8xf32>, tensor<?x?x?x?xf32>
}

// The aspect-ratio policy over the spatial axes only: min(8/5, 8/7) = 8/7
// gives round(5 * 8/7) = 6 and 8; N and C keep their sizes.
// CHECK-LABEL: func @resize_policy_axes
func.func @resize_policy_axes(%x: tensor<1x3x5x7xf32>) -> tensor<1x3x6x8xf32> {
  %sizes = tamp.constant dense<[1, 3, 8, 8]> : tensor<4xi64>
  // CHECK: tamp.resize %{{.*}} sizes %{{.*}} {aspect_ratio_policy = #tamp.aspect_ratio_policy<not_larger>, axes = array<i64: 2, 3>} : (tensor<1x3x5x7xf32>, tensor<4xi64>) -> tensor<1x3x6x8xf32>
  %0 = tamp.resize %x sizes %sizes {aspect_ratio_policy = #tamp.aspect_ratio_policy<not_larger>, axes = array<i64: 2, 3>} : (tensor<1x3x5x7xf32>, tensor<4xi64>) -> tensor<1x3x6x8xf32>
  return %0 : tensor<1x3x6x8xf32>
}

// CHECK-LABEL: func @shape_fill_range
func.func @shape_fill_range(%x: tensor<2x?x4x5xf32>) -> (tensor<4xi64>, tensor<2xi64>, tensor<2x3xf32>, tensor<3xi64>) {
  // CHECK: tamp.shape %{{.*}} : (tensor<2x?x4x5xf32>) -> tensor<4xi64>
  %0 = tamp.shape %x : (tensor<2x?x4x5xf32>) -> tensor<4xi64>
  // CHECK: tamp.shape %{{.*}} {end = -1 : i64, start = 1 : i64} : (tensor<2x?x4x5xf32>) -> tensor<2xi64>
  %1 = tamp.shape %x {start = 1 : i64, end = -1 : i64} : (tensor<2x?x4x5xf32>) -> tensor<2xi64>
  %dims = tamp.constant dense<[2, 3]> : tensor<2xi64>
  // CHECK: tamp.fill %{{.*}} {value = 1.000000e+00 : f32} : (tensor<2xi64>) -> tensor<2x3xf32>
  %2 = tamp.fill %dims {value = 1.0 : f32} : (tensor<2xi64>) -> tensor<2x3xf32>
  %start = tamp.constant dense<1> : tensor<i64>
  %limit = tamp.constant dense<10> : tensor<i64>
  %delta = tamp.constant dense<3> : tensor<i64>
  // CHECK: tamp.range %{{.*}}, %{{.*}}, %{{.*}} : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<3xi64>
  %3 = tamp.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<3xi64>
  return %0, %1, %2, %3 : tensor<4xi64>, tensor<2xi64>, tensor<2x3xf32>, tensor<3xi64>
}

// CHECK-LABEL: func @topk_and_blocks
func.func @topk_and_blocks(%x: tensor<3x10xf32>, %y: tensor<1x8x2x3xf32>)
    -> (tensor<3x4xf32>, tensor<3x4xi64>, tensor<1x8x2x3xf32>) {
  %k = tamp.constant dense<[4]> : tensor<1xi64>
  // CHECK: tamp.topk %{{.*}}, %{{.*}} {axis = -1 : i64, largest = false} : (tensor<3x10xf32>, tensor<1xi64>) -> (tensor<3x4xf32>, tensor<3x4xi64>)
  %values, %indices = tamp.topk %x, %k {axis = -1 : i64, largest = false} : (tensor<3x10xf32>, tensor<1xi64>) -> (tensor<3x4xf32>, tensor<3x4xi64>)
  // CHECK: tamp.depth_to_space %{{.*}} {blocksize = 2 : i64, mode = #tamp.depth_to_space_mode<crd>} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  %0 = tamp.depth_to_space %y {blocksize = 2 : i64, mode = #tamp.depth_to_space_mode<crd>} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  // CHECK: tamp.space_to_depth %{{.*}} {blocksize = 2 : i64} : (tensor<1x2x4x6xf32>) -> tensor<1x8x2x3xf32>
  %1 = tamp.space_to_depth %0 {blocksize = 2 : i64} : (tensor<1x2x4x6xf32>) -> tensor<1x8x2x3xf32>
  return %values, %indices, %1 : tensor<3x4xf32>, tensor<3x4xi64>, tensor<1x8x2x3xf32>
}

// CHECK-LABEL: func @trilu_one_hot_nonzero
func.func @trilu_one_hot_nonzero(%x: tensor<2x4x4xf32>, %k: tensor<i64>, %i: tensor<2x3xi64>, %v: tensor<2xf32>)
    -> (tensor<2x4x4xf32>, tensor<2x4x4xf32>, tensor<5x2x3xf32>, tensor<3x?xi64>) {
  // CHECK: tamp.trilu %{{.*}}, %{{.*}} {upper = false} : (tensor<2x4x4xf32>, tensor<i64>) -> tensor<2x4x4xf32>
  %0 = tamp.trilu %x, %k {upper = false} : (tensor<2x4x4xf32>, tensor<i64>) -> tensor<2x4x4xf32>
  // CHECK: tamp.trilu %{{.*}} : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %1 = tamp.trilu %x : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %depth = tamp.constant dense<5> : tensor<i64>
  // CHECK: tamp.one_hot %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<2x3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<5x2x3xf32>
  %2 = tamp.one_hot %i, %depth, %v {axis = 0 : i64} : (tensor<2x3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<5x2x3xf32>
  // CHECK: tamp.nonzero %{{.*}} : (tensor<2x4x4xf32>) -> tensor<3x?xi64>
  %3 = tamp.nonzero %x : (tensor<2x4x4xf32>) -> tensor<3x?xi64>
  return %0, %1, %2, %3 : tensor<2x4x4xf32>, tensor<2x4x4xf32>, tensor<5x2x3xf32>, tensor<3x?xi64>
}
