// RUN: tamp-opt %s -split-input-file -verify-diagnostics

// Pins the result types that inference computes. Each op declares a 0-D
// result on purpose, which no inferred type matches, so that the verifier
// reports the inferred type.

func.func @constant() {
  // expected-error @+2 {{inferred type(s) 'tensor<2x2xi8>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "tamp.constant"() {value = dense<1> : tensor<2x2xi8>} : () -> tensor<i8>
  return
}

// -----

func.func @reshape_inferred_dim(%x: tensor<2x3x4xf32>) {
  %s = tamp.constant dense<[-1, 4]> : tensor<2xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<6x4xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<f32>
  return
}

// -----

// A copied dynamic dimension cancels out, so -1 is still known.
func.func @reshape_copy_dynamic(%x: tensor<?x3x4xf32>) {
  %s = tamp.constant dense<[0, -1]> : tensor<2xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<?x12xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reshape %x, %s : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<f32>
  return
}

// -----

func.func @reshape_copy_middle(%x: tensor<2x3x4xf32>) {
  %s = tamp.constant dense<[4, 0, -1]> : tensor<3xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<4x3x2xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reshape %x, %s : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<f32>
  return
}

// -----

func.func @reshape_allowzero(%x: tensor<0x4xf32>) {
  %s = tamp.constant dense<[3, 0]> : tensor<2xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<3x0xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reshape %x, %s {allowzero = true} : (tensor<0x4xf32>, tensor<2xi64>) -> tensor<f32>
  return
}

// -----

func.func @reshape_unknown(%x: tensor<2x3x4xf32>, %s: tensor<3xi64>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x?x?xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reshape %x, %s : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<f32>
  return
}

// -----

func.func @flatten(%x: tensor<2x3x4x5xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<6x20xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.flatten %x {axis = 2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<f32>
  return
}
// -----
func.func @flatten_front(%x: tensor<2x3x4x5xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<1x120xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.flatten %x {axis = 0 : i64} : (tensor<2x3x4x5xf32>) -> tensor<f32>
  return
}
// -----
func.func @flatten_back(%x: tensor<2x3x4x5xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<120x1xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.flatten %x {axis = 4 : i64} : (tensor<2x3x4x5xf32>) -> tensor<f32>
  return
}
// -----
func.func @flatten_dynamic(%x: tensor<?x3x4xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x12xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.flatten %x {axis = -2 : i64} : (tensor<?x3x4xf32>) -> tensor<f32>
  return
}

// -----

// Without axes only static size-1 dimensions go.
func.func @squeeze_all(%x: tensor<1x3x1x?xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<3x?xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.squeeze %x {axes = array<i64>} : (tensor<1x3x1x?xf32>) -> tensor<f32>
  return
}
// -----
func.func @squeeze_dynamic_axis(%x: tensor<1x3x1x?xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<1x3x1xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.squeeze %x {axes = array<i64: -1>} : (tensor<1x3x1x?xf32>) -> tensor<f32>
  return
}

// -----

// Axes index the result: -1 is its last dimension.
func.func @unsqueeze(%x: tensor<3x4xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<1x3x4x1xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.unsqueeze %x {axes = array<i64: 0, -1>} : (tensor<3x4xf32>) -> tensor<f32>
  return
}

// -----

func.func @transpose(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<4x2x3xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<f32>
  return
}

// -----

// Non-axis sizes merge (a dynamic size takes the other's static size).
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<?x4xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x7xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<?x4xf32>) -> tensor<f32>
  return
}
// -----
func.func @concat_dynamic(%a: tensor<2x3xf32>, %b: tensor<2x?xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x?xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.concat %a, %b {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x?xf32>) -> tensor<f32>
  return
}

// -----

func.func @split(%x: tensor<?x10xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x3xf32>', 'tensor<?x7xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = tamp.split %x {axis = 1 : i64, sizes = array<i64: 3, 7>} : (tensor<?x10xf32>) -> (tensor<f32>, tensor<f32>)
  return
}

// -----

// dim 0: [1, INT64_MAX) step 2 of 10 -> 5; dim 2: from -1 (29) down to
// INT64_MIN (clamped to -1) step -3 of 30 -> 10.
func.func @slice_clamped(%x: tensor<10x20x30xf32>) {
  %starts = tamp.constant dense<[1, -1]> : tensor<2xi64>
  %ends = tamp.constant dense<[9223372036854775807, -9223372036854775808]> : tensor<2xi64>
  %axes = tamp.constant dense<[0, 2]> : tensor<2xi64>
  %steps = tamp.constant dense<[2, -3]> : tensor<2xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<5x20x10xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.slice %x, %starts, %ends, %axes, %steps : (tensor<10x20x30xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<f32>
  return
}

// -----

// Backwards from 100 (clamped to 19) to -100 (clamped to -1): all 20; an
// bounded range on the dynamic dimension stays dynamic; [5, 2) is empty.
func.func @slice_reverse_and_empty(%x: tensor<20x?x8xf32>) {
  %starts = tamp.constant dense<[100, 0, 5]> : tensor<3xi32>
  %ends = tamp.constant dense<[-100, 2, 2]> : tensor<3xi32>
  %axes = tamp.constant dense<[0, 1, 2]> : tensor<3xi32>
  %steps = tamp.constant dense<[-1, 1, 1]> : tensor<3xi32>
  // expected-error @+2 {{inferred type(s) 'tensor<20x?x0xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.slice %x, %starts, %ends, %axes, %steps : (tensor<20x?x8xf32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>) -> tensor<f32>
  return
}

// -----

func.func @slice_unknown_axes(%x: tensor<4x5xf32>, %axes: tensor<1xi64>) {
  %one = tamp.constant dense<[1]> : tensor<1xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<?x?xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.slice %x, %one, %one, %axes, %one : (tensor<4x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<f32>
  return
}

// -----

func.func @slice_unknown_bounds(%x: tensor<4x5xf32>, %starts: tensor<1xi64>) {
  %one = tamp.constant dense<[1]> : tensor<1xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<4x?xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.slice %x, %starts, %one, %one, %one : (tensor<4x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<f32>
  return
}

// -----

func.func @expand(%x: tensor<3x1xf32>) {
  %s = tamp.constant dense<[2, 1, 4]> : tensor<3xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<2x3x4xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.expand %x, %s : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<f32>
  return
}
// -----
func.func @expand_unknown(%x: tensor<3x1xf32>, %s: tensor<3xi64>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x3x?xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.expand %x, %s : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<f32>
  return
}

// -----

func.func @tile(%x: tensor<2x?x5xf32>) {
  %r = tamp.constant dense<[3, 2, 0]> : tensor<3xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<6x?x0xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.tile %x, %r : (tensor<2x?x5xf32>, tensor<3xi64>) -> tensor<f32>
  return
}
// -----
func.func @tile_unknown(%x: tensor<2x?x0xf32>, %r: tensor<3xi64>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x?x0xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.tile %x, %r : (tensor<2x?x0xf32>, tensor<3xi64>) -> tensor<f32>
  return
}

// -----

func.func @gather(%x: tensor<5x6x7xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+2 {{inferred type(s) 'tensor<5x2x3x7xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather %x, %i {axis = -2 : i64} : (tensor<5x6x7xf32>, tensor<2x3xi64>) -> tensor<f32>
  return
}
// -----
func.func @gather_scalar_index(%x: tensor<5x6x7xf32>) {
  %i = tamp.constant dense<-5> : tensor<i64>
  // expected-error @+2 {{inferred type(s) 'tensor<6x7xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather %x, %i {axis = 0 : i64} : (tensor<5x6x7xf32>, tensor<i64>) -> tensor<f32>
  return
}

// -----

func.func @gather_elements(%x: tensor<3x4xf32>, %i: tensor<2x4xi32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x4xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather_elements %x, %i {axis = 0 : i64} : (tensor<3x4xf32>, tensor<2x4xi32>) -> tensor<f32>
  return
}

// -----

// Output: indices.shape[:-1] + data.shape[batch_dims + 2:], with the batch
// dimension merged from data.
func.func @gather_nd_batch(%x: tensor<2x3x4x5xf32>, %i: tensor<?x7x2xi64>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x7x5xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<2x3x4x5xf32>, tensor<?x7x2xi64>) -> tensor<f32>
  return
}
// -----
func.func @gather_nd_elements(%x: tensor<4x5xf32>, %i: tensor<3x2xi64>) {
  // expected-error @+2 {{inferred type(s) 'tensor<3xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather_nd %x, %i : (tensor<4x5xf32>, tensor<3x2xi64>) -> tensor<f32>
  return
}

// -----

func.func @scatter_elements(%x: tensor<3x4xf32>, %i: tensor<2x4xi64>, %u: tensor<2x4xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<3x4xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<3x4xf32>, tensor<2x4xi64>, tensor<2x4xf32>) -> tensor<f32>
  return
}
// -----
func.func @scatter_nd(%x: tensor<4x5x6xf32>, %i: tensor<3x1xi64>, %u: tensor<3x5x6xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<4x5x6xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.scatter_nd %x, %i, %u : (tensor<4x5x6xf32>, tensor<3x1xi64>, tensor<3x5x6xf32>) -> tensor<f32>
  return
}

// -----

// begin [1, 0, 4], end [2, -1, 0]: 2+1+2 = 5, 3+0-1 = 2, ? stays ?.
func.func @pad(%x: tensor<2x3x?xf32>) {
  %pads = tamp.constant dense<[1, 0, 4, 2, -1, 0]> : tensor<6xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<5x2x?xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.pad %x, %pads : (tensor<2x3x?xf32>, tensor<6xi64>) -> tensor<f32>
  return
}
// -----
func.func @pad_unknown(%x: tensor<2x3xf32>, %pads: tensor<4xi64>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x?xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.pad %x, %pads : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<f32>
  return
}

// -----

// floor(7 * 1.5) = 10; the dynamic dimension stays dynamic.
func.func @resize_scales(%x: tensor<?x3x5x7xf32>) {
  %scales = tamp.constant dense<[1.0, 1.0, 2.0, 1.5]> : tensor<4xf32>
  // expected-error @+2 {{inferred type(s) 'tensor<?x3x10x10xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.resize %x scales %scales : (tensor<?x3x5x7xf32>, tensor<4xf32>) -> tensor<f32>
  return
}

// -----

// With stretch, sizes are the result even where the input is dynamic.
func.func @resize_sizes_stretch(%x: tensor<?x3x5x7xf32>) {
  %sizes = tamp.constant dense<[1, 3, 8, 8]> : tensor<4xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<1x3x8x8xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.resize %x sizes %sizes : (tensor<?x3x5x7xf32>, tensor<4xi64>) -> tensor<f32>
  return
}

// -----

// The policy applies one scale to every dimension: not_larger takes the
// smallest ratio (8/4 vs 9/6 -> 1.5), not_smaller the largest (2).
func.func @resize_not_larger(%x: tensor<4x6xf32>) {
  %sizes = tamp.constant dense<[8, 9]> : tensor<2xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<6x9xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.resize %x sizes %sizes {aspect_ratio_policy = #tamp.aspect_ratio_policy<not_larger>} : (tensor<4x6xf32>, tensor<2xi64>) -> tensor<f32>
  return
}
// -----
func.func @resize_not_smaller(%x: tensor<4x6xf32>) {
  %sizes = tamp.constant dense<[8, 9]> : tensor<2xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<8x12xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.resize %x sizes %sizes {aspect_ratio_policy = #tamp.aspect_ratio_policy<not_smaller>} : (tensor<4x6xf32>, tensor<2xi64>) -> tensor<f32>
  return
}
// -----
func.func @resize_policy_dynamic(%x: tensor<?x6xf32>) {
  %sizes = tamp.constant dense<[8, 9]> : tensor<2xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<?x?xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.resize %x sizes %sizes {aspect_ratio_policy = #tamp.aspect_ratio_policy<not_smaller>} : (tensor<?x6xf32>, tensor<2xi64>) -> tensor<f32>
  return
}

// -----

// With axes, the policy's scale comes from those axes only (max(1/2, 3/4)
// = 0.75 gives round(1.5) = 2 and 3); the other dimensions take sizes as
// they are, even where the input is dynamic.
func.func @resize_policy_axes(%x: tensor<?x3x2x4xf32>) {
  %sizes = tamp.constant dense<[1, 3, 1, 3]> : tensor<4xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<1x3x2x3xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.resize %x sizes %sizes {aspect_ratio_policy = #tamp.aspect_ratio_policy<not_smaller>, axes = array<i64: 2, 3>} : (tensor<?x3x2x4xf32>, tensor<4xi64>) -> tensor<f32>
  return
}
// -----
func.func @resize_policy_axes_dynamic(%x: tensor<2x3x?x4xf32>) {
  %sizes = tamp.constant dense<[2, 3, 1, 3]> : tensor<4xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<2x3x?x?xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.resize %x sizes %sizes {aspect_ratio_policy = #tamp.aspect_ratio_policy<not_larger>, axes = array<i64: 2, 3>} : (tensor<2x3x?x4xf32>, tensor<4xi64>) -> tensor<f32>
  return
}

// -----

// Sizes completed from the input's shape keep what is known: the run-time
// batch stays dynamic, the constant sizes on the policy's axes give
// min(7/4, 8/4) = 1.75 -> 7 x 7.
func.func @resize_known_sizes(%x: tensor<?x3x4x4xf32>) {
  %shape = tamp.shape %x : (tensor<?x3x4x4xf32>) -> tensor<4xi64>
  %axes = tamp.constant dense<[2, 3]> : tensor<2xi64>
  %wide = tamp.constant dense<[7, 8]> : tensor<2xi64>
  %sizes = tamp.scatter_elements %shape, %axes, %wide {axis = 0 : i64} : (tensor<4xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<?x3x7x7xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.resize %x sizes %sizes {aspect_ratio_policy = #tamp.aspect_ratio_policy<not_larger>, axes = array<i64: 2, 3>} : (tensor<?x3x4x4xf32>, tensor<4xi64>) -> tensor<f32>
  return
}
// -----
func.func @resize_known_sizes_stretch(%x: tensor<?x3x4x4xf32>, %hw: tensor<2xi64>) {
  %shape = tamp.shape %x : (tensor<?x3x4x4xf32>) -> tensor<4xi64>
  %axes = tamp.constant dense<[-2, -1]> : tensor<2xi64>
  %sizes = tamp.scatter_elements %shape, %axes, %hw {axis = 0 : i64} : (tensor<4xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<?x3x?x?xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.resize %x sizes %sizes : (tensor<?x3x4x4xf32>, tensor<4xi64>) -> tensor<f32>
  return
}

// -----

func.func @shape(%x: tensor<2x?x4x5xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<4xi64>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.shape %x : (tensor<2x?x4x5xf32>) -> tensor<i64>
  return
}
// -----
func.func @shape_sliced(%x: tensor<2x?x4x5xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2xi64>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.shape %x {start = 1 : i64, end = -1 : i64} : (tensor<2x?x4x5xf32>) -> tensor<i64>
  return
}
// -----
func.func @shape_clamped(%x: tensor<2x?x4x5xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<4xi64>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.shape %x {start = -10 : i64, end = 100 : i64} : (tensor<2x?x4x5xf32>) -> tensor<i64>
  return
}
// -----
func.func @shape_empty(%x: tensor<2x?x4x5xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<0xi64>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.shape %x {start = 3 : i64, end = 1 : i64} : (tensor<2x?x4x5xf32>) -> tensor<i64>
  return
}

// -----

func.func @fill(%x: tensor<2x?x4x5xf32>) {
  %s = tamp.constant dense<[2, 3]> : tensor<2xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<2x3xi8>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.fill %s {value = 7 : i8} : (tensor<2xi64>) -> tensor<f32>
  return
}
// -----
func.func @fill_unknown(%s: tensor<2xi64>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x?xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.fill %s {value = 0.0 : f32} : (tensor<2xi64>) -> tensor<f32>
  return
}

// -----

// ceil((10 - 1) / 3) = 3; ceil((1 - 10) / -4) = 3; ceil(1 / 0.3) = 4;
// a range that walks away from its limit is empty.
func.func @range_int() {
  %start = tamp.constant dense<1> : tensor<i64>
  %limit = tamp.constant dense<10> : tensor<i64>
  %delta = tamp.constant dense<3> : tensor<i64>
  // expected-error @+2 {{inferred type(s) 'tensor<3xi64>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<i64>
  return
}
// -----
func.func @range_negative() {
  %start = tamp.constant dense<10> : tensor<i32>
  %limit = tamp.constant dense<1> : tensor<i32>
  %delta = tamp.constant dense<-4> : tensor<i32>
  // expected-error @+2 {{inferred type(s) 'tensor<3xi32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.range %start, %limit, %delta : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<i32>
  return
}
// -----
func.func @range_float() {
  %start = tamp.constant dense<0.0> : tensor<f32>
  %limit = tamp.constant dense<1.0> : tensor<f32>
  %delta = tamp.constant dense<0.3> : tensor<f32>
  // expected-error @+2 {{inferred type(s) 'tensor<4xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.range %start, %limit, %delta : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<f32>
  return
}
// -----
func.func @range_empty() {
  %start = tamp.constant dense<10> : tensor<i64>
  %limit = tamp.constant dense<1> : tensor<i64>
  %delta = tamp.constant dense<2> : tensor<i64>
  // expected-error @+2 {{inferred type(s) 'tensor<0xi64>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<i64>
  return
}
// -----
func.func @range_unknown(%limit: tensor<i64>) {
  %start = tamp.constant dense<0> : tensor<i64>
  %delta = tamp.constant dense<1> : tensor<i64>
  // expected-error @+2 {{inferred type(s) 'tensor<?xi64>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<i64>
  return
}

// -----

func.func @topk(%x: tensor<3x10xf32>) {
  %k = tamp.constant dense<[4]> : tensor<1xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<3x4xf32>', 'tensor<3x4xi64>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = tamp.topk %x, %k {axis = -1 : i64} : (tensor<3x10xf32>, tensor<1xi64>) -> (tensor<f32>, tensor<i64>)
  return
}
// -----
func.func @topk_unknown(%x: tensor<3x10xf32>, %k: tensor<1xi64>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x10xf32>', 'tensor<?x10xi64>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = tamp.topk %x, %k {axis = 0 : i64} : (tensor<3x10xf32>, tensor<1xi64>) -> (tensor<f32>, tensor<i64>)
  return
}

// -----

func.func @depth_to_space(%x: tensor<?x8x2x3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x2x4x6xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.depth_to_space %x {blocksize = 2 : i64} : (tensor<?x8x2x3xf32>) -> tensor<f32>
  return
}
// -----
func.func @space_to_depth(%x: tensor<1x3x4x?xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<1x12x2x?xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.space_to_depth %x {blocksize = 2 : i64} : (tensor<1x3x4x?xf32>) -> tensor<f32>
  return
}

// -----

func.func @trilu(%x: tensor<2x4x5xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x4x5xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.trilu %x : (tensor<2x4x5xf32>) -> tensor<f32>
  return
}

// -----

func.func @one_hot_last(%i: tensor<2x3xi64>, %v: tensor<2xi8>) {
  %depth = tamp.constant dense<[5]> : tensor<1xi64>
  // expected-error @+2 {{inferred type(s) 'tensor<2x3x5xi8>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.one_hot %i, %depth, %v {axis = -1 : i64} : (tensor<2x3xi64>, tensor<1xi64>, tensor<2xi8>) -> tensor<i8>
  return
}
// -----
func.func @one_hot_float_depth(%i: tensor<2x3xi64>, %v: tensor<2xf32>) {
  %depth = tamp.constant dense<4.0> : tensor<f32>
  // expected-error @+2 {{inferred type(s) 'tensor<4x2x3xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.one_hot %i, %depth, %v {axis = 0 : i64} : (tensor<2x3xi64>, tensor<f32>, tensor<2xf32>) -> tensor<f32>
  return
}
// -----
func.func @one_hot_unknown(%i: tensor<2x3xi64>, %depth: tensor<i64>, %v: tensor<2xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x?x3xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.one_hot %i, %depth, %v {axis = 1 : i64} : (tensor<2x3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<f32>
  return
}

// -----

// A 0-D input gives one coordinate row, as in onnxruntime; a constant input
// gives a static count.
func.func @nonzero(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x?xi64>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.nonzero %x : (tensor<2x3xf32>) -> tensor<i64>
  return
}
// -----
func.func @nonzero_scalar(%x: tensor<f32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<1x?xi64>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.nonzero %x : (tensor<f32>) -> tensor<i64>
  return
}
// -----
func.func @nonzero_constant() {
  %x = tamp.constant dense<[[0.0, 1.0, -2.0], [0.0, 0.5, 0.0]]> : tensor<2x3xf32>
  // expected-error @+2 {{inferred type(s) 'tensor<2x3xi64>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.nonzero %x : (tensor<2x3xf32>) -> tensor<i64>
  return
}
