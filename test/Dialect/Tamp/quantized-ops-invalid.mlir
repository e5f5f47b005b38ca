// RUN: tamp-opt %s -split-input-file -verify-diagnostics

!w = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>

func.func @float_bias(%x: tensor<1x8x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<2x8x!w>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{bias of a quantized op must be i32}}
  %0 = tamp.linear %x, %w, %b : (tensor<1x8x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x8x!w>, tensor<2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

func.func @asymmetric_weight(%x: tensor<1x8x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<2x8x!quant.uniform<i8:f32, 0.1:3>>) -> tensor<1x2xf32> {
  // expected-error @+1 {{weight must be symmetric (zero point 0)}}
  %0 = tamp.linear %x, %w : (tensor<1x8x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x8x!quant.uniform<i8:f32, 0.1:3>>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

func.func @weight_axis(%x: tensor<1x8x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<2x8x!quant.uniform<i8:f32:1, {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}>>) -> tensor<1x2xf32> {
  // expected-error @+1 {{weight must be quantized along its output-channel dimension 0, got dimension 1}}
  %0 = tamp.linear %x, %w : (tensor<1x8x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x8x!quant.uniform<i8:f32:1, {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}>>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

func.func @float_weight(%x: tensor<1x3x4x4x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<2x3x1x1xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{weight must be quantized when the input is}}
  %0 = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x3x4x4x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x3x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

func.func @wide_activation(%a: tensor<4x8x!quant.uniform<i16:f32, 0.05>>, %b: tensor<8x4x!quant.uniform<i16:f32, 0.05>>) -> tensor<4x4xf32> {
  // expected-error @+1 {{operand 0 must have 8-bit storage}}
  %0 = tamp.matmul %a, %b : (tensor<4x8x!quant.uniform<i16:f32, 0.05>>, tensor<8x4x!quant.uniform<i16:f32, 0.05>>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @per_axis_activation(%a: tensor<4x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>) -> tensor<4x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>> {
  // expected-error @+1 {{input must be quantized per tensor}}
  %0 = tamp.clamp %a {min = 0.0 : f64} : tensor<4x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>
  return %0 : tensor<4x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>
}

// -----

func.func @float_result_type(%a: tensor<4x8x!quant.uniform<i8:f32, 0.05>>, %b: tensor<8x4x!quant.uniform<i8:f32, 0.05>>) -> tensor<4x4xf16> {
  // expected-error @+1 {{a dequantized result must have the input's expressed type 'f32', got 'f16'}}
  %0 = tamp.matmul %a, %b : (tensor<4x8x!quant.uniform<i8:f32, 0.05>>, tensor<8x4x!quant.uniform<i8:f32, 0.05>>) -> tensor<4x4xf16>
  return %0 : tensor<4x4xf16>
}

// -----

func.func @concat_storage(%a: tensor<2x!quant.uniform<i8:f32, 0.05>>, %b: tensor<2x!quant.uniform<u8:f32, 0.05>>) -> tensor<4x!quant.uniform<i8:f32, 0.05>> {
  // expected-error @+1 {{quantized inputs must share a storage type}}
  %0 = tamp.concat %a, %b {axis = 0 : i64} : (tensor<2x!quant.uniform<i8:f32, 0.05>>, tensor<2x!quant.uniform<u8:f32, 0.05>>) -> tensor<4x!quant.uniform<i8:f32, 0.05>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.05>>
}

// -----

func.func @pool_changes_type(%a: tensor<1x1x2x2x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.1>> {
  // expected-error @+1 {{a quantized input must keep its element type}}
  %0 = tamp.max_pool %a {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x1x2x2x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.1>>
  return %0 : tensor<1x1x1x1x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @dynamic_zero_point(%x: tensor<3x8xf32>) -> tensor<3x8xi8> {
  // expected-error @+1 {{zero point element type must match the output's}}
  %q, %s, %z = tamp.dynamic_quantize %x : (tensor<3x8xf32>) -> (tensor<3x8xi8>, tensor<f32>, tensor<ui8>)
  return %q : tensor<3x8xi8>
}

// -----

func.func @linear_integer_features(%q: tensor<3x4xi8>, %s: tensor<f32>, %z: tensor<i8>, %w: tensor<2x8x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>>) -> tensor<3x2xf32> {
  // expected-error @+1 {{input features 4 do not match weight in_features 8}}
  %y = tamp.linear_integer %q, %s, %z, %w : (tensor<3x4xi8>, tensor<f32>, tensor<i8>, tensor<2x8x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
