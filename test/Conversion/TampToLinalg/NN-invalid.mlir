// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file -verify-diagnostics %s
// NN ops, or attribute combinations, that the lowering reports instead of
// mis-compiling.

func.func @conv_3d_grouped(%x: tensor<1x4x5x5x5xf32>, %w: tensor<4x2x2x2x2xf32>) -> tensor<1x4x4x4x4xf32> {
  // expected-error @+2 {{cannot lower tamp.conv: grouped 3-D convolutions are not lowered}}
  // expected-error @+1 {{failed to legalize operation 'tamp.conv'}}
  %0 = tamp.conv %x, %w {strides = array<i64: 1, 1, 1>, dilations = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>, group = 2 : i64} : (tensor<1x4x5x5x5xf32>, tensor<4x2x2x2x2xf32>) -> tensor<1x4x4x4x4xf32>
  return %0 : tensor<1x4x4x4x4xf32>
}

// -----

func.func @conv_transpose_dynamic_kernel(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x?x3xf32>) -> tensor<1x3x?x6xf32> {
  // expected-error @+2 {{cannot lower tamp.conv_transpose: expects static kernel sizes}}
  // expected-error @+1 {{failed to legalize operation 'tamp.conv_transpose'}}
  %0 = tamp.conv_transpose %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>} : (tensor<1x2x4x4xf32>, tensor<2x3x?x3xf32>) -> tensor<1x3x?x6xf32>
  return %0 : tensor<1x3x?x6xf32>
}

// -----

func.func @conv_transpose_grouped_dynamic_channels(%x: tensor<1x?x4x4xf32>, %w: tensor<?x3x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+2 {{cannot lower tamp.conv_transpose: grouped transposed convolutions need a static number of input channels}}
  // expected-error @+1 {{failed to legalize operation 'tamp.conv_transpose'}}
  %0 = tamp.conv_transpose %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>, group = 2 : i64} : (tensor<1x?x4x4xf32>, tensor<?x3x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

