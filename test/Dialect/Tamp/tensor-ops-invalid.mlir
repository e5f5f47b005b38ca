// RUN: tamp-opt %s -split-input-file -verify-diagnostics

// Inference errors are followed by the verifier's "failed to infer returned
// types" on the same op.

func.func @constant_vector() {
  // expected-error @+1 {{constant value must be a ranked tensor}}
  %0 = tamp.constant dense<1.0> : vector<2xf32>
  return
}

// -----

func.func @cast_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{all non-scalar operands/results must have the same shape}}
  %0 = tamp.cast %x : tensor<2x3xf32> to tensor<3x2xi8>
  return
}

// -----

func.func @cast_round_mode(%x: tensor<2xf32>) {
  // expected-error @+1 {{'tamp.cast' op round_mode only applies to f8E8M0FNU results}}
  %0 = tamp.cast %x {round_mode = #tamp.round_mode<nearest>} : tensor<2xf32> to tensor<2xf16>
  return
}

// -----

// Strings are only constants and compared for equality: casts and data
// movement reject them through their type constraints.
func.func @cast_string(%s: tensor<2x!tamp.string>) {
  // expected-error @+1 {{'tamp.cast' op operand #0 must be ranked tensor of non-string type values, but got 'tensor<2x!tamp.string>'}}
  %0 = tamp.cast %s : tensor<2x!tamp.string> to tensor<2xf32>
  return
}

// -----

func.func @reshape_string(%s: tensor<2x!tamp.string>) {
  %shape = tamp.constant dense<[1, 2]> : tensor<2xi64>
  // expected-error @+1 {{'tamp.reshape' op operand #0 must be ranked tensor of non-string type values, but got 'tensor<2x!tamp.string>'}}
  %0 = tamp.reshape %s, %shape : (tensor<2x!tamp.string>, tensor<2xi64>) -> tensor<1x2x!tamp.string>
  return
}

// -----

func.func @reshape_shape_rank(%x: tensor<6xf32>, %s: tensor<1x2xi64>) {
  // expected-error @+2 {{shape must be a 1-D tensor}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reshape %x, %s : (tensor<6xf32>, tensor<1x2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_shape_length(%x: tensor<6xf32>, %s: tensor<?xi64>) {
  // expected-error @+2 {{shape must have a static length}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reshape %x, %s : (tensor<6xf32>, tensor<?xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_two_inferred(%x: tensor<6xf32>) {
  %s = tamp.constant dense<[-1, -1]> : tensor<2xi64>
  // expected-error @+2 {{shape may contain at most one -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reshape %x, %s : (tensor<6xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_negative(%x: tensor<6xf32>) {
  %s = tamp.constant dense<[-2, 3]> : tensor<2xi64>
  // expected-error @+2 {{shape entry 0 is -2; sizes must be >= -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reshape %x, %s : (tensor<6xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_copy_out_of_range(%x: tensor<6xf32>) {
  %s = tamp.constant dense<[6, 0]> : tensor<2xi64>
  // expected-error @+2 {{shape entry 1 is 0 (copy the input's size) but the input has rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reshape %x, %s : (tensor<6xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_allowzero_inferred(%x: tensor<0x4xf32>) {
  %s = tamp.constant dense<[0, -1]> : tensor<2xi64>
  // expected-error @+2 {{with allowzero, shape cannot contain both 0 and -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reshape %x, %s {allowzero = true} : (tensor<0x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_indivisible(%x: tensor<2x3xf32>) {
  %s = tamp.constant dense<[4, -1]> : tensor<2xi64>
  // expected-error @+2 {{cannot reshape 6 elements into a shape whose other dimensions hold 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<?x3xf32>) {
  %s = tamp.constant dense<[0, 4]> : tensor<2xi64>
  // expected-error @+2 {{cannot reshape 3 elements into 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reshape %x, %s : (tensor<?x3xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  return
}

// -----

func.func @flatten_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{axis 3 is out of range [-2, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.flatten %x {axis = 3 : i64} : (tensor<2x3xf32>) -> tensor<?x?xf32>
  return
}

// -----

func.func @squeeze_size(%x: tensor<1x3xf32>) {
  // expected-error @+2 {{cannot squeeze dimension 1 of size 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.squeeze %x {axes = array<i64: -1>} : (tensor<1x3xf32>) -> tensor<1xf32>
  return
}

// -----

func.func @squeeze_axis(%x: tensor<1x3xf32>) {
  // expected-error @+2 {{axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.squeeze %x {axes = array<i64: 2>} : (tensor<1x3xf32>) -> tensor<1x3xf32>
  return
}

// -----

func.func @unsqueeze_repeated(%x: tensor<3xf32>) {
  // expected-error @+2 {{axis -3 is repeated}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.unsqueeze %x {axes = array<i64: 0, -3>} : (tensor<3xf32>) -> tensor<1x1x3xf32>
  return
}

// -----

func.func @transpose_length(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{perm has 3 entries for an input of rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_repeated(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{perm is not a permutation of [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.transpose %x {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @concat_scalars(%x: tensor<f32>) {
  // expected-error @+2 {{cannot concatenate 0-D tensors}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.concat %x, %x {axis = 0 : i64} : (tensor<f32>, tensor<f32>) -> tensor<2xf32>
  return
}

// -----

func.func @concat_axis(%x: tensor<2xf32>) {
  // expected-error @+2 {{axis 1 is out of range for rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.concat %x, %x {axis = 1 : i64} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @concat_rank(%x: tensor<2xf32>, %y: tensor<2x1xf32>) {
  // expected-error @+2 {{input 1 has rank 2, expected 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.concat %x, %y {axis = 0 : i64} : (tensor<2xf32>, tensor<2x1xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @concat_size(%x: tensor<2x3xf32>, %y: tensor<2x4xf32>) {
  // expected-error @+2 {{input 1 has size 4 in dimension 1, expected 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @split_scalar(%x: tensor<f32>) {
  // expected-error @+2 {{cannot split a 0-D tensor}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.split %x {axis = 0 : i64, sizes = array<i64: 1>} : (tensor<f32>) -> tensor<f32>
  return
}

// -----

func.func @split_no_sizes(%x: tensor<4xf32>) {
  // expected-error @+2 {{split needs at least one size}}
  // expected-error @+1 {{failed to infer returned types}}
  tamp.split %x {axis = 0 : i64, sizes = array<i64>} : (tensor<4xf32>) -> ()
  return
}

// -----

func.func @split_negative(%x: tensor<4xf32>) {
  // expected-error @+2 {{split size -1 is negative}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = tamp.split %x {axis = 0 : i64, sizes = array<i64: 5, -1>} : (tensor<4xf32>) -> (tensor<5xf32>, tensor<?xf32>)
  return
}

// -----

func.func @split_sum(%x: tensor<2x4xf32>) {
  // expected-error @+2 {{split sizes sum to 5 but dimension 1 has size 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = tamp.split %x {axis = -1 : i64, sizes = array<i64: 2, 3>} : (tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x3xf32>)
  return
}

// -----

func.func @slice_rank(%x: tensor<4xf32>, %i: tensor<i64>) {
  // expected-error @+2 {{starts, ends, axes and steps must be 1-D}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.slice %x, %i, %i, %i, %i : (tensor<4xf32>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xf32>
  return
}

// -----

func.func @slice_lengths(%x: tensor<4xf32>, %i: tensor<1xi64>, %j: tensor<2xi64>) {
  // expected-error @+2 {{starts, ends, axes and steps must have the same length}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.slice %x, %i, %i, %i, %j : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<2xi64>) -> tensor<?xf32>
  return
}

// -----

func.func @slice_zero_step(%x: tensor<4xf32>, %i: tensor<1xi64>) {
  %zero = tamp.constant dense<[0]> : tensor<1xi64>
  // expected-error @+2 {{slice steps cannot be 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.slice %x, %i, %i, %i, %zero : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  return
}

// -----

func.func @slice_axes(%x: tensor<4xf32>, %i: tensor<2xi64>) {
  %axes = tamp.constant dense<[0, -1]> : tensor<2xi64>
  // expected-error @+2 {{axis -1 is repeated}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.slice %x, %i, %i, %axes, %i : (tensor<4xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<?xf32>
  return
}

// -----

func.func @expand_shape_length(%x: tensor<4xf32>, %s: tensor<?xi64>) {
  // expected-error @+2 {{shape must have a static length}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.expand %x, %s : (tensor<4xf32>, tensor<?xi64>) -> tensor<?xf32>
  return
}

// -----

func.func @expand_negative(%x: tensor<4xf32>) {
  %s = tamp.constant dense<[-1, 4]> : tensor<2xi64>
  // expected-error @+2 {{shape entries must be non-negative}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.expand %x, %s : (tensor<4xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  return
}

// -----

func.func @expand_incompatible(%x: tensor<4xf32>) {
  %s = tamp.constant dense<[2, 3]> : tensor<2xi64>
  // expected-error @+2 {{the input does not broadcast to the shape}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.expand %x, %s : (tensor<4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  return
}

// -----

func.func @tile_length(%x: tensor<4x2xf32>, %r: tensor<3xi64>) {
  // expected-error @+2 {{repeats must be a 1-D tensor of length 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.tile %x, %r : (tensor<4x2xf32>, tensor<3xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @tile_negative(%x: tensor<4x2xf32>) {
  %r = tamp.constant dense<[1, -2]> : tensor<2xi64>
  // expected-error @+2 {{repeats entry 1 is negative}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.tile %x, %r : (tensor<4x2xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @gather_scalar(%x: tensor<f32>, %i: tensor<i64>) {
  // expected-error @+2 {{gather input must have rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather %x, %i {axis = 0 : i64} : (tensor<f32>, tensor<i64>) -> tensor<f32>
  return
}

// -----

func.func @gather_axis(%x: tensor<4xf32>, %i: tensor<i64>) {
  // expected-error @+2 {{axis -2 is out of range for rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather %x, %i {axis = -2 : i64} : (tensor<4xf32>, tensor<i64>) -> tensor<f32>
  return
}

// -----

func.func @gather_index(%x: tensor<4x3xf32>) {
  %i = tamp.constant dense<[0, -5]> : tensor<2xi64>
  // expected-error @+2 {{index -5 is out of range for axis size 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather %x, %i {axis = 0 : i64} : (tensor<4x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return
}

// -----

func.func @gather_elements_scalar(%x: tensor<f32>, %i: tensor<i64>) {
  // expected-error @+2 {{gather_elements input must have rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather_elements %x, %i {axis = 0 : i64} : (tensor<f32>, tensor<i64>) -> tensor<f32>
  return
}

// -----

func.func @gather_elements_rank(%x: tensor<4x3xf32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{indices must have the input's rank}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather_elements %x, %i {axis = 0 : i64} : (tensor<4x3xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_nd_scalar(%x: tensor<4xf32>, %i: tensor<i64>) {
  // expected-error @+2 {{gather_nd input and indices must have rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather_nd %x, %i : (tensor<4xf32>, tensor<i64>) -> tensor<f32>
  return
}

// -----

func.func @gather_nd_batch_dims(%x: tensor<2x4xf32>, %i: tensor<2x1xi64>) {
  // expected-error @+2 {{batch_dims 2 must be in [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather_nd %x, %i {batch_dims = 2 : i64} : (tensor<2x4xf32>, tensor<2x1xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_nd_dynamic_tuple(%x: tensor<2x4xf32>, %i: tensor<2x?xi64>) {
  // expected-error @+2 {{the last dimension of indices must be static}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather_nd %x, %i : (tensor<2x4xf32>, tensor<2x?xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_nd_tuple(%x: tensor<2x4xf32>, %i: tensor<5x2xi64>) {
  // expected-error @+2 {{index tuples have 2 entries; expected 1 to 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<2x4xf32>, tensor<5x2xi64>) -> tensor<5xf32>
  return
}

// -----

func.func @gather_nd_batch(%x: tensor<2x4xf32>, %i: tensor<3x1xi64>) {
  // expected-error @+2 {{batch dimension 0 differs between input and indices}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<2x4xf32>, tensor<3x1xi64>) -> tensor<3xf32>
  return
}

// -----

func.func @scatter_elements_scalar(%x: tensor<f32>, %i: tensor<i64>) {
  // expected-error @+2 {{scatter_elements input must have rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.scatter_elements %x, %i, %x {axis = 0 : i64} : (tensor<f32>, tensor<i64>, tensor<f32>) -> tensor<f32>
  return
}

// -----

func.func @scatter_elements_rank(%x: tensor<4x2xf32>, %i: tensor<2xi64>, %u: tensor<2xf32>) {
  // expected-error @+2 {{indices must have the input's rank}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<4x2xf32>, tensor<2xi64>, tensor<2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @scatter_elements_updates(%x: tensor<4x2xf32>, %i: tensor<2x2xi64>, %u: tensor<2x1xf32>) {
  // expected-error @+2 {{updates must have the shape of indices}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<4x2xf32>, tensor<2x2xi64>, tensor<2x1xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @scatter_elements_type(%x: tensor<4x2xf32>, %i: tensor<2x2xi64>, %u: tensor<2x2xf16>) {
  // expected-error @+2 {{updates must have the input's element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<4x2xf32>, tensor<2x2xi64>, tensor<2x2xf16>) -> tensor<4x2xf32>
  return
}

// -----

func.func @scatter_nd_scalar_indices(%x: tensor<4xf32>, %i: tensor<i64>, %u: tensor<f32>) {
  // expected-error @+2 {{scatter_nd indices must have rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.scatter_nd %x, %i, %u : (tensor<4xf32>, tensor<i64>, tensor<f32>) -> tensor<4xf32>
  return
}

// -----

func.func @scatter_nd_type(%x: tensor<4xf32>, %i: tensor<2x1xi64>, %u: tensor<2xi32>) {
  // expected-error @+2 {{updates must have the input's element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.scatter_nd %x, %i, %u : (tensor<4xf32>, tensor<2x1xi64>, tensor<2xi32>) -> tensor<4xf32>
  return
}

// -----

func.func @scatter_nd_tuple(%x: tensor<4xf32>, %i: tensor<2x2xi64>, %u: tensor<2xf32>) {
  // expected-error @+2 {{index tuples have 2 entries for an input of rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.scatter_nd %x, %i, %u : (tensor<4xf32>, tensor<2x2xi64>, tensor<2xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @scatter_nd_updates(%x: tensor<4x3xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) {
  // expected-error @+2 {{updates must have shape indices.shape[:-1] + input.shape[indices.shape[-1]:]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.scatter_nd %x, %i, %u : (tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @pad_length(%x: tensor<4x3xf32>, %p: tensor<2xi64>) {
  // expected-error @+2 {{pads must be a 1-D tensor of length 4 (2 * rank)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.pad %x, %p : (tensor<4x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @pad_value_type(%x: tensor<4xf32>, %p: tensor<2xi64>, %v: tensor<f16>) {
  // expected-error @+2 {{pad value must have the input's element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.pad %x, %p, %v : (tensor<4xf32>, tensor<2xi64>, tensor<f16>) -> tensor<?xf32>
  return
}

// -----

func.func @pad_value_shape(%x: tensor<4xf32>, %p: tensor<2xi64>, %v: tensor<2xf32>) {
  // expected-error @+2 {{pad value must hold exactly one element}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.pad %x, %p, %v : (tensor<4xf32>, tensor<2xi64>, tensor<2xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @pad_negative(%x: tensor<4xf32>) {
  %p = tamp.constant dense<[-3, -2]> : tensor<2xi64>
  // expected-error @+2 {{pads make dimension 0 (size 4) negative}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.pad %x, %p : (tensor<4xf32>, tensor<2xi64>) -> tensor<?xf32>
  return
}

// -----

func.func @resize_neither(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+1 {{exactly one of scales and sizes must be given}}
  %0 = tamp.resize %x : (tensor<1x1x4x4xf32>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @resize_both(%x: tensor<1x1x4x4xf32>, %scales: tensor<4xf32>, %sizes: tensor<4xi64>) {
  // expected-error @+1 {{exactly one of scales and sizes must be given}}
  %0 = tamp.resize %x scales %scales sizes %sizes : (tensor<1x1x4x4xf32>, tensor<4xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @resize_scales_length(%x: tensor<1x1x4x4xf32>, %scales: tensor<2xf32>) {
  // expected-error @+1 {{scales must be a 1-D tensor of length 4}}
  %0 = tamp.resize %x scales %scales : (tensor<1x1x4x4xf32>, tensor<2xf32>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @resize_sizes_length(%x: tensor<1x1x4x4xf32>, %sizes: tensor<2xi64>) {
  // expected-error @+1 {{sizes must be a 1-D tensor of length 4}}
  %0 = tamp.resize %x sizes %sizes : (tensor<1x1x4x4xf32>, tensor<2xi64>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @resize_scales_positive(%x: tensor<1x1x4x4xf32>) {
  %scales = tamp.constant dense<[1.0, 1.0, 0.0, 2.0]> : tensor<4xf32>
  // expected-error @+1 {{scales must be positive}}
  %0 = tamp.resize %x scales %scales : (tensor<1x1x4x4xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @resize_sizes_negative(%x: tensor<1x1x4x4xf32>) {
  %sizes = tamp.constant dense<[1, 1, -8, 8]> : tensor<4xi64>
  // expected-error @+1 {{sizes must be non-negative}}
  %0 = tamp.resize %x sizes %sizes : (tensor<1x1x4x4xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @resize_roi(%x: tensor<1x1x4x4xf32>, %roi: tensor<4xf32>, %scales: tensor<4xf32>) {
  // expected-error @+1 {{roi must be a 1-D tensor of length 8 (2 * rank)}}
  %0 = tamp.resize %x roi %roi scales %scales : (tensor<1x1x4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @resize_axes_stretch(%x: tensor<1x1x4x4xf32>, %sizes: tensor<4xi64>) {
  // expected-error @+1 {{axes only apply to sizes with an aspect-ratio policy other than stretch}}
  %0 = tamp.resize %x sizes %sizes {axes = array<i64: 2, 3>} : (tensor<1x1x4x4xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @resize_axes_scales(%x: tensor<1x1x4x4xf32>, %scales: tensor<4xf32>) {
  // expected-error @+1 {{axes only apply to sizes with an aspect-ratio policy other than stretch}}
  %0 = tamp.resize %x scales %scales {aspect_ratio_policy = #tamp.aspect_ratio_policy<not_larger>, axes = array<i64: 2, 3>} : (tensor<1x1x4x4xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @resize_axes_unsorted(%x: tensor<1x1x4x4xf32>, %sizes: tensor<4xi64>) {
  // expected-error @+1 {{axes must be sorted, distinct and in [0, 4)}}
  %0 = tamp.resize %x sizes %sizes {aspect_ratio_policy = #tamp.aspect_ratio_policy<not_larger>, axes = array<i64: 3, 2>} : (tensor<1x1x4x4xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @resize_axes_range(%x: tensor<1x1x4x4xf32>, %sizes: tensor<4xi64>) {
  // expected-error @+1 {{axes must be sorted, distinct and in [0, 4)}}
  %0 = tamp.resize %x sizes %sizes {aspect_ratio_policy = #tamp.aspect_ratio_policy<not_smaller>, axes = array<i64: -1>} : (tensor<1x1x4x4xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @fill_value(%s: tensor<2xi64>) {
  // expected-error @+2 {{fill value must be a scalar}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.fill %s {value = dense<1.0> : tensor<2xf32>} : (tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @fill_shape_rank(%s: tensor<i64>) {
  // expected-error @+2 {{shape must be a 1-D tensor}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.fill %s {value = 1.0 : f32} : (tensor<i64>) -> tensor<?xf32>
  return
}

// -----

func.func @fill_negative() {
  %s = tamp.constant dense<[2, -3]> : tensor<2xi64>
  // expected-error @+2 {{shape entries must be non-negative}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.fill %s {value = 1.0 : f32} : (tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @range_rank(%a: tensor<1xi64>) {
  // expected-error @+2 {{range operands must be 0-D}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.range %a, %a, %a : (tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xi64>
  return
}

// -----

func.func @range_zero_delta(%a: tensor<i64>) {
  %zero = tamp.constant dense<0> : tensor<i64>
  // expected-error @+2 {{range delta cannot be 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.range %a, %a, %zero : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return
}

// -----

func.func @range_zero_float_delta(%a: tensor<f32>) {
  %zero = tamp.constant dense<0.0> : tensor<f32>
  // expected-error @+2 {{range delta cannot be 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.range %a, %a, %zero : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return
}

// -----

func.func @topk_scalar(%x: tensor<f32>, %k: tensor<1xi64>) {
  // expected-error @+2 {{topk input must have rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = tamp.topk %x, %k {axis = 0 : i64} : (tensor<f32>, tensor<1xi64>) -> (tensor<f32>, tensor<i64>)
  return
}

// -----

func.func @topk_k_shape(%x: tensor<5xf32>, %k: tensor<2xi64>) {
  // expected-error @+2 {{k must hold exactly one element}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = tamp.topk %x, %k {axis = 0 : i64} : (tensor<5xf32>, tensor<2xi64>) -> (tensor<?xf32>, tensor<?xi64>)
  return
}

// -----

func.func @topk_negative(%x: tensor<5xf32>) {
  %k = tamp.constant dense<[-1]> : tensor<1xi64>
  // expected-error @+2 {{k (-1) is negative}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = tamp.topk %x, %k {axis = 0 : i64} : (tensor<5xf32>, tensor<1xi64>) -> (tensor<?xf32>, tensor<?xi64>)
  return
}

// -----

func.func @topk_too_large(%x: tensor<5xf32>) {
  %k = tamp.constant dense<[6]> : tensor<1xi64>
  // expected-error @+2 {{k (6) exceeds the axis size 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = tamp.topk %x, %k {axis = -1 : i64} : (tensor<5xf32>, tensor<1xi64>) -> (tensor<?xf32>, tensor<?xi64>)
  return
}

// -----

func.func @depth_to_space_rank(%x: tensor<4x2x2xf32>) {
  // expected-error @+2 {{input must be 4-D (NCHW)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.depth_to_space %x {blocksize = 2 : i64} : (tensor<4x2x2xf32>) -> tensor<?x?x?xf32>
  return
}

// -----

func.func @depth_to_space_blocksize(%x: tensor<1x4x2x2xf32>) {
  // expected-error @+2 {{blocksize 0 must be positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.depth_to_space %x {blocksize = 0 : i64} : (tensor<1x4x2x2xf32>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @depth_to_space_channels(%x: tensor<1x6x2x2xf32>) {
  // expected-error @+2 {{channels (6) are not divisible by blocksize^2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.depth_to_space %x {blocksize = 2 : i64} : (tensor<1x6x2x2xf32>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @space_to_depth_rank(%x: tensor<4x4xf32>) {
  // expected-error @+2 {{input must be 4-D (NCHW)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.space_to_depth %x {blocksize = 2 : i64} : (tensor<4x4xf32>) -> tensor<?x?xf32>
  return
}

// -----

func.func @space_to_depth_blocksize(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+2 {{blocksize -2 must be positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.space_to_depth %x {blocksize = -2 : i64} : (tensor<1x1x4x4xf32>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @space_to_depth_spatial(%x: tensor<1x1x4x5xf32>) {
  // expected-error @+2 {{dimension 3 (size 5) is not divisible by blocksize 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.space_to_depth %x {blocksize = 2 : i64} : (tensor<1x1x4x5xf32>) -> tensor<?x?x?x?xf32>
  return
}

// -----

func.func @trilu_rank(%x: tensor<4xf32>) {
  // expected-error @+2 {{trilu input must have rank >= 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.trilu %x : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @trilu_k(%x: tensor<4x4xf32>, %k: tensor<2xi64>) {
  // expected-error @+2 {{k must hold exactly one element}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.trilu %x, %k : (tensor<4x4xf32>, tensor<2xi64>) -> tensor<4x4xf32>
  return
}

// -----

func.func @one_hot_depth_shape(%i: tensor<3xi64>, %d: tensor<2xi64>, %v: tensor<2xf32>) {
  // expected-error @+2 {{depth must hold exactly one element}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.one_hot %i, %d, %v {axis = -1 : i64} : (tensor<3xi64>, tensor<2xi64>, tensor<2xf32>) -> tensor<3x?xf32>
  return
}

// -----

func.func @one_hot_values(%i: tensor<3xi64>, %d: tensor<i64>, %v: tensor<3xf32>) {
  // expected-error @+2 {{values must be a 1-D tensor [off, on]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.one_hot %i, %d, %v {axis = -1 : i64} : (tensor<3xi64>, tensor<i64>, tensor<3xf32>) -> tensor<3x?xf32>
  return
}

// -----

func.func @one_hot_axis(%i: tensor<3xi64>, %d: tensor<i64>, %v: tensor<2xf32>) {
  // expected-error @+2 {{axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.one_hot %i, %d, %v {axis = 2 : i64} : (tensor<3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<3x?xf32>
  return
}

// -----

func.func @one_hot_depth(%i: tensor<3xi64>, %v: tensor<2xf32>) {
  %d = tamp.constant dense<0.5> : tensor<f32>
  // expected-error @+2 {{depth (0) must be positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.one_hot %i, %d, %v {axis = -1 : i64} : (tensor<3xi64>, tensor<f32>, tensor<2xf32>) -> tensor<3x?xf32>
  return
}
