// RUN: tamp-opt %s -split-input-file -verify-diagnostics

// The inferred result type is checked against the declared one.
func.func @conv_result_mismatch(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x31x31xf32> {
  // expected-error @+2 {{'tamp.conv' op inferred type(s) 'tensor<1x8x15x15xf32>' are incompatible with return type(s) of operation 'tensor<1x8x31x31xf32>'}}
  // expected-error @+1 {{'tamp.conv' op failed to infer returned types}}
  %0 = tamp.conv %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x31x31xf32>
  return %0 : tensor<1x8x31x31xf32>
}

// -----

func.func @conv_result_mismatch_dynamic(%x: tensor<?x3x?x32xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x30x32xf32> {
  // expected-error @+2 {{'tamp.conv' op inferred type(s) 'tensor<?x8x?x30xf32>' are incompatible with return type(s) of operation 'tensor<1x8x30x32xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<?x3x?x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x32xf32>
  return %0 : tensor<1x8x30x32xf32>
}

// -----

func.func @conv_input_rank(%x: tensor<3x32xf32>, %w: tensor<8x3xf32>) -> tensor<3x8xf32> {
  // expected-error @+1 {{input must have rank 3, 4 or 5 ([N, C, D1, ..., Dk]), got rank 2}}
  %0 = tamp.conv %x, %w {strides = array<i64>, dilations = array<i64>, pads = array<i64>} : (tensor<3x32xf32>, tensor<8x3xf32>) -> tensor<3x8xf32>
  return %0 : tensor<3x8xf32>
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3xf32>) -> tensor<1x8x30x30xf32> {
  // expected-error @+1 {{weight must have the input's rank 4, got rank 3}}
  %0 = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x32x32xf32>, tensor<8x3x3xf32>) -> tensor<1x8x30x30xf32>
  return %0 : tensor<1x8x30x30xf32>
}

// -----

func.func @conv_strides_length(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32> {
  // expected-error @+1 {{strides must have 2 elements (one per spatial dimension), got 1}}
  %0 = tamp.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32>
  return %0 : tensor<1x8x30x30xf32>
}

// -----

func.func @conv_dilations_length(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32> {
  // expected-error @+1 {{dilations must have 2 elements (one per spatial dimension), got 3}}
  %0 = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32>
  return %0 : tensor<1x8x30x30xf32>
}

// -----

func.func @conv_pads_length(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32> {
  // expected-error @+1 {{pads must have 4 elements (begins, then ends), got 2}}
  %0 = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32>
  return %0 : tensor<1x8x30x30xf32>
}

// -----

func.func @conv_zero_stride(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32> {
  // expected-error @+1 {{strides[1] = 0 must be at least 1}}
  %0 = tamp.conv %x, %w {strides = array<i64: 1, 0>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32>
  return %0 : tensor<1x8x30x30xf32>
}

// -----

func.func @conv_zero_dilation(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32> {
  // expected-error @+1 {{dilations[0] = 0 must be at least 1}}
  %0 = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 0, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32>
  return %0 : tensor<1x8x30x30xf32>
}

// -----

func.func @conv_negative_pad(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32> {
  // expected-error @+1 {{pads[3] = -1 must be at least 0}}
  %0 = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, -1>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32>
  return %0 : tensor<1x8x30x30xf32>
}

// -----

func.func @conv_auto_pad_with_pads(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x32x32xf32> {
  // expected-error @+1 {{pads must be zero when auto_pad is same_upper}}
  %0 = tamp.conv %x, %w {auto_pad = #tamp.auto_pad<same_upper>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x32x32xf32>
  return %0 : tensor<1x8x32x32xf32>
}

// -----

func.func @conv_empty_kernel(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x0x3xf32>) -> tensor<1x8x32x30xf32> {
  // expected-error @+1 {{kernel size 0 of spatial dimension 0 must be positive}}
  %0 = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x32x32xf32>, tensor<8x3x0x3xf32>) -> tensor<1x8x32x30xf32>
  return %0 : tensor<1x8x32x30xf32>
}

// -----

func.func @conv_window_too_large(%x: tensor<1x3x4x4xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x1x1xf32> {
  // Dilation 2 makes the kernel span 5 > 4.
  // expected-error @+1 {{window extent 5 of spatial dimension 0 exceeds the padded input size 4}}
  %0 = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x4x4xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x1x1xf32>
  return %0 : tensor<1x8x1x1xf32>
}

// -----

func.func @conv_valid_window_too_large(%x: tensor<1x3x2x8xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x1x6xf32> {
  // expected-error @+1 {{window extent 3 of spatial dimension 0 exceeds the padded input size 2}}
  %0 = tamp.conv %x, %w {auto_pad = #tamp.auto_pad<valid>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x2x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x1x6xf32>
  return %0 : tensor<1x8x1x6xf32>
}

// -----

func.func @conv_group_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'tamp.conv' op group must be positive, got 0}}
  %0 = tamp.conv %x, %w {group = 0 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_weight_element_type(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf16>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'tamp.conv' op weight element type 'f16' must match the input's 'f32'}}
  %0 = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf16>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_input_channels_not_divisible(%x: tensor<1x6x8x8xf32>, %w: tensor<8x?x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'tamp.conv' op input channels 6 are not divisible by group 4}}
  %0 = tamp.conv %x, %w {group = 4 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x6x8x8xf32>, tensor<8x?x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_output_channels_not_divisible(%x: tensor<1x4x8x8xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x6x6xf32> {
  // expected-error @+1 {{'tamp.conv' op output channels 3 are not divisible by group 2}}
  %0 = tamp.conv %x, %w {group = 2 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x4x8x8xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x6x6xf32>
  return %0 : tensor<1x3x6x6xf32>
}

// -----

func.func @conv_weight_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'tamp.conv' op weight dimension 1 is 4 but the input's 4 channels need 2}}
  %0 = tamp.conv %x, %w {group = 2 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_bias_element_type(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf16>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'tamp.conv' op bias element type 'f16' must match the input's 'f32'}}
  %0 = tamp.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>, tensor<8xf16>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_bias_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'tamp.conv' op bias must be 1-D with the 8 output channels, got 'tensor<4xf32>'}}
  %0 = tamp.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>, tensor<4xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_transpose_result_mismatch(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x2x10x10xf32> {
  // expected-error @+2 {{'tamp.conv_transpose' op inferred type(s) 'tensor<1x2x11x11xf32>' are incompatible with return type(s) of operation 'tensor<1x2x10x10xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.conv_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x10x10xf32>
  return %0 : tensor<1x2x10x10xf32>
}

// -----

func.func @conv_transpose_weight_rank(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3x3xf32>) -> tensor<1x2x7x7xf32> {
  // expected-error @+1 {{weight must have the input's rank 4, got rank 5}}
  %0 = tamp.conv_transpose %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3x3xf32>) -> tensor<1x2x7x7xf32>
  return %0 : tensor<1x2x7x7xf32>
}

// -----

func.func @conv_transpose_strides_length(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x2x7x7xf32> {
  // expected-error @+1 {{strides must have 2 elements (one per spatial dimension), got 3}}
  %0 = tamp.conv_transpose %x, %w {strides = array<i64: 1, 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x7x7xf32>
  return %0 : tensor<1x2x7x7xf32>
}

// -----

func.func @conv_transpose_output_padding_length(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x2x7x7xf32> {
  // expected-error @+1 {{output_padding must have 2 elements (one per spatial dimension), got 0}}
  %0 = tamp.conv_transpose %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x7x7xf32>
  return %0 : tensor<1x2x7x7xf32>
}

// -----

func.func @conv_transpose_negative_output_padding(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x2x7x7xf32> {
  // expected-error @+1 {{output_padding[0] = -1 must be at least 0}}
  %0 = tamp.conv_transpose %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: -1, 0>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x7x7xf32>
  return %0 : tensor<1x2x7x7xf32>
}

// -----

func.func @conv_transpose_output_padding_too_large(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x2x11x12xf32> {
  // expected-error @+1 {{output_padding[1] = 2 must be smaller than max(stride, dilation) = 2}}
  %0 = tamp.conv_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 1, 2>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x11x12xf32>
  return %0 : tensor<1x2x11x12xf32>
}

// -----

func.func @conv_transpose_pads_with_auto_pad(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  // expected-error @+1 {{pads must be zero when auto_pad is valid}}
  %0 = tamp.conv_transpose %x, %w {auto_pad = #tamp.auto_pad<valid>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x5x5xf32>
}

// -----

func.func @conv_transpose_empty_kernel(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x0xf32>) -> tensor<1x2x7x4xf32> {
  // expected-error @+1 {{kernel size 0 of spatial dimension 1 must be positive}}
  %0 = tamp.conv_transpose %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x0xf32>) -> tensor<1x2x7x4xf32>
  return %0 : tensor<1x2x7x4xf32>
}

// -----

func.func @conv_transpose_empty_output(%x: tensor<1x4x1x5xf32>, %w: tensor<4x2x1x1xf32>) -> tensor<1x2x1x5xf32> {
  // 1 * (1 - 1) + 0 + 0 + 1 - 1 - 1 = -1
  // expected-error @+1 {{output size -1 of spatial dimension 0 must be positive}}
  %0 = tamp.conv_transpose %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 0, 1, 0>, output_padding = array<i64: 0, 0>} : (tensor<1x4x1x5xf32>, tensor<4x2x1x1xf32>) -> tensor<1x2x1x5xf32>
  return %0 : tensor<1x2x1x5xf32>
}

// -----

func.func @conv_transpose_group(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x?x7x7xf32> {
  // With a non-positive group M is unknown, and the verifier rejects the group.
  // expected-error @+1 {{'tamp.conv_transpose' op group must be positive, got -1}}
  %0 = tamp.conv_transpose %x, %w {group = -1 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x?x7x7xf32>
  return %0 : tensor<1x?x7x7xf32>
}

// -----

func.func @conv_transpose_weight_channels(%x: tensor<1x4x5x5xf32>, %w: tensor<2x2x3x3xf32>) -> tensor<1x4x7x7xf32> {
  // expected-error @+1 {{'tamp.conv_transpose' op weight dimension 0 is 2 but the input's 4 channels need 4}}
  %0 = tamp.conv_transpose %x, %w {group = 2 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>} : (tensor<1x4x5x5xf32>, tensor<2x2x3x3xf32>) -> tensor<1x4x7x7xf32>
  return %0 : tensor<1x4x7x7xf32>
}

// -----

func.func @conv_transpose_bias_shape(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x4x7x7xf32> {
  // M = 2 * group = 4.
  // expected-error @+1 {{'tamp.conv_transpose' op bias must be 1-D with the 4 output channels, got 'tensor<2xf32>'}}
  %0 = tamp.conv_transpose %x, %w, %b {group = 2 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x4x7x7xf32>
  return %0 : tensor<1x4x7x7xf32>
}

// -----

func.func @batch_norm_rank(%x: tensor<4xf32>, %c: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tamp.batch_norm' op input must have rank >= 2 ([N, C, ...]), got rank 1}}
  %0 = tamp.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-5 : f32} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @batch_norm_parameter_shape(%x: tensor<2x3x4xf32>, %c: tensor<3xf32>, %v: tensor<4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'tamp.batch_norm' op variance must be 1-D with the input's channel count (dimension 1), got 'tensor<4xf32>'}}
  %0 = tamp.batch_norm %x, %c, %c, %c, %v {epsilon = 1.0e-5 : f32} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @batch_norm_parameter_element_type(%x: tensor<2x3x4xf32>, %c: tensor<3xf32>, %m: tensor<3xf16>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'tamp.batch_norm' op mean element type 'f16' must match the input's 'f32'}}
  %0 = tamp.batch_norm %x, %c, %c, %m, %c {epsilon = 1.0e-5 : f32} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf16>, tensor<3xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @batch_norm_epsilon(%x: tensor<2x3x4xf32>, %c: tensor<3xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'tamp.batch_norm' op epsilon must be non-negative, got -1}}
  %0 = tamp.batch_norm %x, %c, %c, %c, %c {epsilon = -1.0 : f32} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @max_pool_result_mismatch(%x: tensor<1x8x32x32xf32>) -> tensor<1x8x15x15xf32> {
  // Ceil mode rounds up: ceil((32 - 3) / 2) + 1 = 16.
  // expected-error @+2 {{'tamp.max_pool' op inferred type(s) 'tensor<1x8x16x16xf32>' are incompatible with return type(s) of operation 'tensor<1x8x15x15xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true} : (tensor<1x8x32x32xf32>) -> tensor<1x8x15x15xf32>
  return %0 : tensor<1x8x15x15xf32>
}

// -----

func.func @max_pool_rank(%x: tensor<8x32xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{input must have rank >= 3 ([N, C, D1, ...]), got rank 2}}
  %0 = tamp.max_pool %x {kernel_shape = array<i64>, strides = array<i64>, dilations = array<i64>, pads = array<i64>} : (tensor<8x32xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

func.func @max_pool_kernel_length(%x: tensor<1x8x32x32xf32>) -> tensor<1x8x16x16xf32> {
  // expected-error @+1 {{kernel_shape must have 2 elements (one per spatial dimension), got 1}}
  %0 = tamp.max_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x8x32x32xf32>) -> tensor<1x8x16x16xf32>
  return %0 : tensor<1x8x16x16xf32>
}

// -----

func.func @max_pool_zero_kernel(%x: tensor<1x8x32x32xf32>) -> tensor<1x8x16x16xf32> {
  // expected-error @+1 {{kernel_shape[0] = 0 must be at least 1}}
  %0 = tamp.max_pool %x {kernel_shape = array<i64: 0, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x8x32x32xf32>) -> tensor<1x8x16x16xf32>
  return %0 : tensor<1x8x16x16xf32>
}

// -----

func.func @max_pool_window_too_large(%x: tensor<1x8x2x32xf32>) -> tensor<1x8x1x30xf32> {
  // expected-error @+1 {{window extent 3 of spatial dimension 0 exceeds the padded input size 2}}
  %0 = tamp.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x8x2x32xf32>) -> tensor<1x8x1x30xf32>
  return %0 : tensor<1x8x1x30xf32>
}

// -----

func.func @max_pool_pad_too_large(%x: tensor<1x8x32x32xf32>) -> tensor<1x8x34x32xf32> {
  // expected-error @+1 {{'tamp.max_pool' op pads[2] = 2 must be smaller than the kernel extent 2 of spatial dimension 0}}
  %0 = tamp.max_pool %x {kernel_shape = array<i64: 2, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 0, 2, 0>} : (tensor<1x8x32x32xf32>) -> tensor<1x8x34x32xf32>
  return %0 : tensor<1x8x34x32xf32>
}

// -----

func.func @max_pool_with_indices_shape_mismatch(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x4x4xi64>) {
  // The indices must have the pooled shape.
  // expected-error @+2 {{'tamp.max_pool_with_indices' op inferred type(s) 'tensor<1x1x2x2xf32>', 'tensor<1x1x2x2xi64>' are incompatible with return type(s) of operation 'tensor<1x1x2x2xf32>', 'tensor<1x1x4x4xi64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = tamp.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x4x4xi64>)
  return %0#0, %0#1 : tensor<1x1x2x2xf32>, tensor<1x1x4x4xi64>
}

// -----

func.func @max_pool_with_indices_index_type(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi32>) {
  // expected-error @+1 {{'tamp.max_pool_with_indices' op result #1 must be ranked tensor of 64-bit signless integer values}}
  %0:2 = tamp.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi32>)
  return %0#0, %0#1 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi32>
}

// -----

func.func @max_pool_with_indices_rank(%x: tensor<8x32xf32>) -> (tensor<8x16xf32>, tensor<8x16xi64>) {
  // expected-error @+1 {{input must have rank >= 3 ([N, C, D1, ...]), got rank 2}}
  %0:2 = tamp.max_pool_with_indices %x {kernel_shape = array<i64>, strides = array<i64>, dilations = array<i64>, pads = array<i64>} : (tensor<8x32xf32>) -> (tensor<8x16xf32>, tensor<8x16xi64>)
  return %0#0, %0#1 : tensor<8x16xf32>, tensor<8x16xi64>
}

// -----

func.func @max_pool_with_indices_pad_too_large(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x7x5xf32>, tensor<1x1x7x5xi64>) {
  // expected-error @+1 {{'tamp.max_pool_with_indices' op pads[0] = 2 must be smaller than the kernel extent 2 of spatial dimension 0}}
  %0:2 = tamp.max_pool_with_indices %x {kernel_shape = array<i64: 2, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 2, 0, 1, 0>} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x7x5xf32>, tensor<1x1x7x5xi64>)
  return %0#0, %0#1 : tensor<1x1x7x5xf32>, tensor<1x1x7x5xi64>
}

// -----

func.func @avg_pool_pad_too_large(%x: tensor<1x8x32xf32>) -> tensor<1x8x34xf32> {
  // expected-error @+1 {{'tamp.avg_pool' op pads[0] = 3 must be smaller than the kernel extent 3 of spatial dimension 0}}
  %0 = tamp.avg_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 1>, dilations = array<i64: 2>, pads = array<i64: 3, 0>} : (tensor<1x8x32xf32>) -> tensor<1x8x34xf32>
  return %0 : tensor<1x8x34xf32>
}

// -----

func.func @avg_pool_result_mismatch(%x: tensor<1x8x7xf32>) -> tensor<1x8x3xf32> {
  // expected-error @+2 {{'tamp.avg_pool' op inferred type(s) 'tensor<1x8x4xf32>' are incompatible with return type(s) of operation 'tensor<1x8x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.avg_pool %x {auto_pad = #tamp.auto_pad<same_lower>, kernel_shape = array<i64: 3>, strides = array<i64: 2>, dilations = array<i64: 1>, pads = array<i64: 0, 0>} : (tensor<1x8x7xf32>) -> tensor<1x8x3xf32>
  return %0 : tensor<1x8x3xf32>
}

// -----

func.func @avg_pool_strides_length(%x: tensor<1x8x7xf32>) -> tensor<1x8x3xf32> {
  // expected-error @+1 {{strides must have 1 elements (one per spatial dimension), got 2}}
  %0 = tamp.avg_pool %x {kernel_shape = array<i64: 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1>, pads = array<i64: 0, 0>} : (tensor<1x8x7xf32>) -> tensor<1x8x3xf32>
  return %0 : tensor<1x8x3xf32>
}

// -----

func.func @layer_norm_rank(%x: tensor<f32>, %s: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'tamp.layer_norm' op input must have rank >= 1}}
  %0 = tamp.layer_norm %x, %s {axis = 0 : i64, epsilon = 1.0e-5 : f32} : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @layer_norm_axis(%x: tensor<2x16xf32>, %s: tensor<16xf32>) -> tensor<2x16xf32> {
  // expected-error @+1 {{'tamp.layer_norm' op axis -3 is out of range for rank 2}}
  %0 = tamp.layer_norm %x, %s {axis = -3 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x16xf32>, tensor<16xf32>) -> tensor<2x16xf32>
  return %0 : tensor<2x16xf32>
}

// -----

func.func @layer_norm_scale_shape(%x: tensor<2x5x16xf32>, %s: tensor<5x1xf32>) -> tensor<2x5x16xf32> {
  // [5, 1] does not broadcast to the normalised [16].
  // expected-error @+1 {{'tamp.layer_norm' op scale of type 'tensor<5x1xf32>' does not broadcast to the normalised dimensions of the input 'tensor<2x5x16xf32>'}}
  %0 = tamp.layer_norm %x, %s {axis = 2 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x5x16xf32>, tensor<5x1xf32>) -> tensor<2x5x16xf32>
  return %0 : tensor<2x5x16xf32>
}

// -----

func.func @layer_norm_bias_shape(%x: tensor<2x5x16xf32>, %s: tensor<16xf32>, %b: tensor<8xf32>) -> tensor<2x5x16xf32> {
  // expected-error @+1 {{'tamp.layer_norm' op bias of type 'tensor<8xf32>' does not broadcast to the normalised dimensions}}
  %0 = tamp.layer_norm %x, %s, %b {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<2x5x16xf32>
  return %0 : tensor<2x5x16xf32>
}

// -----

func.func @layer_norm_element_type(%x: tensor<2x16xf32>, %s: tensor<16xf32>, %b: tensor<16xbf16>) -> tensor<2x16xf32> {
  // expected-error @+1 {{'tamp.layer_norm' op bias element type 'bf16' must match the input's 'f32'}}
  %0 = tamp.layer_norm %x, %s, %b {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x16xf32>, tensor<16xf32>, tensor<16xbf16>) -> tensor<2x16xf32>
  return %0 : tensor<2x16xf32>
}

// -----

func.func @layer_norm_epsilon(%x: tensor<2x16xf32>, %s: tensor<16xf32>) -> tensor<2x16xf32> {
  // expected-error @+1 {{'tamp.layer_norm' op epsilon must be non-negative, got nan}}
  %0 = tamp.layer_norm %x, %s {axis = -1 : i64, epsilon = 0x7FC00000 : f32} : (tensor<2x16xf32>, tensor<16xf32>) -> tensor<2x16xf32>
  return %0 : tensor<2x16xf32>
}

// -----

func.func @group_norm_rank(%x: tensor<6xf32>, %c: tensor<6xf32>) -> tensor<6xf32> {
  // expected-error @+1 {{'tamp.group_norm' op input must have rank >= 2 ([N, C, ...]), got rank 1}}
  %0 = tamp.group_norm %x, %c, %c {num_groups = 2 : i64, epsilon = 1.0e-5 : f32} : (tensor<6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

func.func @group_norm_num_groups(%x: tensor<2x6x4xf32>, %c: tensor<6xf32>) -> tensor<2x6x4xf32> {
  // expected-error @+1 {{'tamp.group_norm' op num_groups must be positive, got 0}}
  %0 = tamp.group_norm %x, %c, %c {num_groups = 0 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x6x4xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x6x4xf32>
  return %0 : tensor<2x6x4xf32>
}

// -----

func.func @group_norm_not_divisible(%x: tensor<2x6x4xf32>, %c: tensor<6xf32>) -> tensor<2x6x4xf32> {
  // expected-error @+1 {{'tamp.group_norm' op input channels 6 are not divisible by num_groups 4}}
  %0 = tamp.group_norm %x, %c, %c {num_groups = 4 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x6x4xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x6x4xf32>
  return %0 : tensor<2x6x4xf32>
}

// -----

func.func @group_norm_scale_shape(%x: tensor<2x6x4xf32>, %c: tensor<6xf32>, %g: tensor<3xf32>) -> tensor<2x6x4xf32> {
  // Per-group scales are expanded to per-channel ones by the importer.
  // expected-error @+1 {{'tamp.group_norm' op scale must be 1-D with the input's channel count (dimension 1), got 'tensor<3xf32>'}}
  %0 = tamp.group_norm %x, %g, %c {num_groups = 3 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x6x4xf32>, tensor<3xf32>, tensor<6xf32>) -> tensor<2x6x4xf32>
  return %0 : tensor<2x6x4xf32>
}

// -----

func.func @group_norm_epsilon(%x: tensor<2x6x4xf32>, %c: tensor<6xf32>) -> tensor<2x6x4xf32> {
  // expected-error @+1 {{'tamp.group_norm' op epsilon must be non-negative, got -5.000000e-01}}
  %0 = tamp.group_norm %x, %c, %c {num_groups = 3 : i64, epsilon = -0.5 : f32} : (tensor<2x6x4xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x6x4xf32>
  return %0 : tensor<2x6x4xf32>
}

// -----

func.func @attention_key_features(%q: tensor<2x8x16xf32>, %k: tensor<2x10x8xf32>, %v: tensor<2x10x4xf32>) -> tensor<2x8x4xf32> {
  // expected-error @+1 {{query and key differ in their last (feature) dimension}}
  %0 = tamp.attention %q, %k, %v {scale = 1.0 : f32} : (tensor<2x8x16xf32>, tensor<2x10x8xf32>, tensor<2x10x4xf32>) -> tensor<2x8x4xf32>
  return %0 : tensor<2x8x4xf32>
}

// -----

func.func @attention_heads(%q: tensor<2x8x16xf32>, %k: tensor<3x10x16xf32>, %v: tensor<2x10x4xf32>) -> tensor<2x8x4xf32> {
  // expected-error @+1 {{query, key and value differ in leading dimension 0}}
  %0 = tamp.attention %q, %k, %v {scale = 1.0 : f32} : (tensor<2x8x16xf32>, tensor<3x10x16xf32>, tensor<2x10x4xf32>) -> tensor<2x8x4xf32>
  return %0 : tensor<2x8x4xf32>
}

// -----

func.func @attention_mask(%q: tensor<2x8x16xf32>, %k: tensor<2x10x16xf32>, %v: tensor<2x10x4xf32>, %m: tensor<2x8x8xf32>) -> tensor<2x8x4xf32> {
  // expected-error @+1 {{mask of type 'tensor<2x8x8xf32>' does not broadcast to the scores 'tensor<2x8x10xf32>'}}
  %0 = tamp.attention %q, %k, %v, %m {scale = 1.0 : f32} : (tensor<2x8x16xf32>, tensor<2x10x16xf32>, tensor<2x10x4xf32>, tensor<2x8x8xf32>) -> tensor<2x8x4xf32>
  return %0 : tensor<2x8x4xf32>
}

// -----

func.func @epilogue_bounds_without_clamp(%y: tensor<2x3xf32>, %w: tensor<5x3xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{activation_min and activation_max belong to the clamp activation, not gelu}}
  %0 = tamp.linear %y, %w {activation = #tamp.activation<gelu>, activation_min = 0.0 : f64} : (tensor<2x3xf32>, tensor<5x3xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @epilogue_clamp_unbounded(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x1x1xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{the clamp activation needs activation_min or activation_max}}
  %0 = tamp.conv %x, %w {activation = #tamp.activation<clamp>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

func.func @epilogue_inverted_bounds(%y: tensor<2x3xf32>, %w: tensor<5x3xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{activation_min 6.000000e+00 exceeds activation_max 0.000000e+00}}
  %0 = tamp.linear %y, %w {activation = #tamp.activation<clamp>, activation_min = 6.0 : f64, activation_max = 0.0 : f64} : (tensor<2x3xf32>, tensor<5x3xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @epilogue_integer(%x: tensor<1x3x8x8xi32>, %w: tensor<4x3x1x1xi32>) -> tensor<1x4x8x8xi32> {
  // expected-error @+1 {{only float tamp.conv ops have an activation epilogue}}
  %0 = tamp.conv %x, %w {activation = #tamp.activation<sigmoid>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xi32>, tensor<4x3x1x1xi32>) -> tensor<1x4x8x8xi32>
  return %0 : tensor<1x4x8x8xi32>
}
