// RUN: tamp-opt %s -split-input-file -verify-diagnostics

func.func @quantize_result_shape(%x: tensor<2x3xf32>, %s: tensor<f32>) -> tensor<3x2xi8> {
  // expected-error @+1 {{'tamp.quantize' op result type 'tensor<3x2xi8>' must have the input's shape 'tensor<2x3xf32>'}}
  %0 = tamp.quantize %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<3x2xi8>
  return %0 : tensor<3x2xi8>
}

// -----

func.func @quantize_result_rank(%x: tensor<2x3xf32>, %s: tensor<f32>) -> tensor<6xi8> {
  // expected-error @+1 {{'tamp.quantize' op result type 'tensor<6xi8>' must have the input's shape}}
  %0 = tamp.quantize %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<6xi8>
  return %0 : tensor<6xi8>
}

// -----

func.func @quantize_float_result(%x: tensor<2x3xf32>, %s: tensor<f32>) -> tensor<2x3xf16> {
  // expected-error @+1 {{'tamp.quantize' op result element type must be a 2-, 3-, 4-, 8-, 16- or 32-bit integer, an 8-bit float or f4E2M1FN, got 'f16'}}
  %0 = tamp.quantize %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// -----

func.func @quantize_wide_result(%x: tensor<2x3xf32>, %s: tensor<f32>) -> tensor<2x3xi64> {
  // expected-error @+1 {{result element type must be a 2-, 3-, 4-, 8-, 16- or 32-bit integer, an 8-bit float or f4E2M1FN, got 'i64'}}
  %0 = tamp.quantize %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

func.func @quantize_bool_result(%x: tensor<2x3xf32>, %s: tensor<f32>) -> tensor<2x3xi1> {
  // expected-error @+1 {{result element type must be a 2-, 3-, 4-, 8-, 16- or 32-bit integer, an 8-bit float or f4E2M1FN, got 'i1'}}
  %0 = tamp.quantize %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi1>
  return %0 : tensor<2x3xi1>
}

// -----

func.func @quantize_float6_result(%x: tensor<2x3xf32>, %s: tensor<f32>) -> tensor<2x3xf6E3M2FN> {
  // Of the sub-byte floats only f4E2M1FN stores quantized values.
  // expected-error @+1 {{'tamp.quantize' op result element type must be a 2-, 3-, 4-, 8-, 16- or 32-bit integer, an 8-bit float or f4E2M1FN, got 'f6E3M2FN'}}
  %0 = tamp.quantize %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf6E3M2FN>
  return %0 : tensor<2x3xf6E3M2FN>
}

// -----

func.func @quantize_float4_zero_point_type(%x: tensor<2x3xf32>, %s: tensor<f32>, %zp: tensor<f8E4M3FN>) -> tensor<2x3xf4E2M1FN> {
  // expected-error @+1 {{'tamp.quantize' op zero_point element type 'f8E4M3FN' must be the quantized element type 'f4E2M1FN'}}
  %0 = tamp.quantize %x, %s, %zp : (tensor<2x3xf32>, tensor<f32>, tensor<f8E4M3FN>) -> tensor<2x3xf4E2M1FN>
  return %0 : tensor<2x3xf4E2M1FN>
}

// -----

func.func @quantize_zero_point_type(%x: tensor<2x3xf32>, %s: tensor<f32>, %zp: tensor<ui8>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'tamp.quantize' op zero_point element type 'ui8' must be the quantized element type 'i8'}}
  %0 = tamp.quantize %x, %s, %zp : (tensor<2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @quantize_zero_point_shape(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %zp: tensor<2xi8>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'tamp.quantize' op zero_point type 'tensor<2xi8>' must have the scale's shape 'tensor<3xf32>'}}
  %0 = tamp.quantize %x, %s, %zp : (tensor<2x3xf32>, tensor<3xf32>, tensor<2xi8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @quantize_negative_block_size(%x: tensor<2x4xf32>, %s: tensor<2x2xf32>) -> tensor<2x4xi8> {
  // expected-error @+1 {{'tamp.quantize' op block_size must be non-negative, got -2}}
  %0 = tamp.quantize %x, %s {block_size = -2 : i64} : (tensor<2x4xf32>, tensor<2x2xf32>) -> tensor<2x4xi8>
  return %0 : tensor<2x4xi8>
}

// -----

func.func @quantize_scale_rank(%x: tensor<2x4xf32>, %s: tensor<2x2xf32>) -> tensor<2x4xi8> {
  // expected-error @+1 {{'tamp.quantize' op scale must be a scalar or 1-D (per axis) unless block_size is set, got 'tensor<2x2xf32>'}}
  %0 = tamp.quantize %x, %s : (tensor<2x4xf32>, tensor<2x2xf32>) -> tensor<2x4xi8>
  return %0 : tensor<2x4xi8>
}

// -----

func.func @quantize_axis(%x: tensor<2x4xf32>, %s: tensor<4xf32>) -> tensor<2x4xi8> {
  // expected-error @+1 {{'tamp.quantize' op axis 2 is out of range for rank 2}}
  %0 = tamp.quantize %x, %s {axis = 2 : i64} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xi8>
  return %0 : tensor<2x4xi8>
}

// -----

func.func @quantize_per_axis_scalar_input(%x: tensor<f32>, %s: tensor<3xf32>) -> tensor<i8> {
  // A scalar has no axis to quantize along.
  // expected-error @+1 {{'tamp.quantize' op axis 1 is out of range for rank 0}}
  %0 = tamp.quantize %x, %s : (tensor<f32>, tensor<3xf32>) -> tensor<i8>
  return %0 : tensor<i8>
}

// -----

func.func @quantize_per_axis_size(%x: tensor<2x4xf32>, %s: tensor<2xf32>) -> tensor<2x4xi8> {
  // expected-error @+1 {{'tamp.quantize' op per-axis scale has 2 elements but input dimension 1 has 4}}
  %0 = tamp.quantize %x, %s : (tensor<2x4xf32>, tensor<2xf32>) -> tensor<2x4xi8>
  return %0 : tensor<2x4xi8>
}

// -----

func.func @quantize_blocked_rank(%x: tensor<2x64xf32>, %s: tensor<4xf32>) -> tensor<2x64xi4> {
  // expected-error @+1 {{'tamp.quantize' op blocked scale must have the input's rank 2, got 'tensor<4xf32>'}}
  %0 = tamp.quantize %x, %s {block_size = 32 : i64} : (tensor<2x64xf32>, tensor<4xf32>) -> tensor<2x64xi4>
  return %0 : tensor<2x64xi4>
}

// -----

func.func @quantize_blocked_axis_dim(%x: tensor<2x70xf32>, %s: tensor<2x2xf32>) -> tensor<2x70xi4> {
  // ceil(70 / 32) = 3 blocks.
  // expected-error @+1 {{'tamp.quantize' op blocked scale dimension 1 must be 3, got 2}}
  %0 = tamp.quantize %x, %s {block_size = 32 : i64} : (tensor<2x70xf32>, tensor<2x2xf32>) -> tensor<2x70xi4>
  return %0 : tensor<2x70xi4>
}

// -----

func.func @quantize_blocked_other_dim(%x: tensor<2x64xf32>, %s: tensor<3x2xf32>) -> tensor<2x64xi4> {
  // expected-error @+1 {{'tamp.quantize' op blocked scale dimension 0 must be 2, got 3}}
  %0 = tamp.quantize %x, %s {block_size = 32 : i64} : (tensor<2x64xf32>, tensor<3x2xf32>) -> tensor<2x64xi4>
  return %0 : tensor<2x64xi4>
}

// -----

func.func @quantize_blocked_axis(%x: tensor<2x64xf32>, %s: tensor<2x2xf32>) -> tensor<2x64xi4> {
  // expected-error @+1 {{'tamp.quantize' op axis -3 is out of range for rank 2}}
  %0 = tamp.quantize %x, %s {axis = -3 : i64, block_size = 32 : i64} : (tensor<2x64xf32>, tensor<2x2xf32>) -> tensor<2x64xi4>
  return %0 : tensor<2x64xi4>
}

// -----

func.func @dequantize_result_mismatch(%q: tensor<2x3xi8>, %s: tensor<f32>) -> tensor<2x3xf16> {
  // expected-error @+2 {{'tamp.dequantize' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf16>'}}
  // expected-error @+1 {{'tamp.dequantize' op failed to infer returned types}}
  %0 = tamp.dequantize %q, %s : (tensor<2x3xi8>, tensor<f32>) -> tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// -----

func.func @dequantize_float_input(%q: tensor<2x3xf32>, %s: tensor<f32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tamp.dequantize' op input element type must be a 2-, 3-, 4-, 8-, 16- or 32-bit integer, an 8-bit float or f4E2M1FN, got 'f32'}}
  %0 = tamp.dequantize %q, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @dequantize_float4_per_axis_size(%q: tensor<4x3xf4E2M1FN>, %s: tensor<4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'tamp.dequantize' op per-axis scale has 4 elements but input dimension 1 has 3}}
  %0 = tamp.dequantize %q, %s : (tensor<4x3xf4E2M1FN>, tensor<4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @dequantize_zero_point_type(%q: tensor<2x3xi8>, %s: tensor<f32>, %zp: tensor<ui8>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tamp.dequantize' op zero_point element type 'ui8' must be the quantized element type 'i8'}}
  %0 = tamp.dequantize %q, %s, %zp : (tensor<2x3xi8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @dequantize_per_axis_size(%q: tensor<2x3xi8>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tamp.dequantize' op per-axis scale has 3 elements but input dimension 0 has 2}}
  %0 = tamp.dequantize %q, %s {axis = -2 : i64} : (tensor<2x3xi8>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @dequantize_blocked_axis_dim(%q: tensor<64x8xi4>, %s: tensor<4x8xf16>) -> tensor<64x8xf16> {
  // expected-error @+1 {{'tamp.dequantize' op blocked scale dimension 0 must be 2, got 4}}
  %0 = tamp.dequantize %q, %s {axis = 0 : i64, block_size = 32 : i64} : (tensor<64x8xi4>, tensor<4x8xf16>) -> tensor<64x8xf16>
  return %0 : tensor<64x8xf16>
}

// -----

func.func @unpack_bits_width(%b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'tamp.unpack_bits' op result element type must be a 2-, 3- or 4-bit integer, got 'i8'}}
  %0 = tamp.unpack_bits %b : (tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @unpack_bits_input_type(%b: tensor<4xi16>) -> tensor<16xi4> {
  // expected-error @+1 {{'tamp.unpack_bits' op operand #0 must be ranked tensor of 8-bit signless integer or 8-bit unsigned integer values}}
  %0 = tamp.unpack_bits %b : (tensor<4xi16>) -> tensor<16xi4>
  return %0 : tensor<16xi4>
}

// -----

func.func @unpack_bits_byte_count(%b: tensor<2x4xi8>) -> tensor<2x12xi3> {
  // expected-error @+1 {{'tamp.unpack_bits' op 12 3-bit values pack into 5 bytes, but the input's last dimension has 4}}
  %0 = tamp.unpack_bits %b : (tensor<2x4xi8>) -> tensor<2x12xi3>
  return %0 : tensor<2x12xi3>
}

// -----

func.func @unpack_bits_leading(%b: tensor<2x4xi8>) -> tensor<3x8xi4> {
  // expected-error @+1 {{'tamp.unpack_bits' op result type 'tensor<3x8xi4>' must have the input's leading dimensions 'tensor<2x4xi8>'}}
  %0 = tamp.unpack_bits %b : (tensor<2x4xi8>) -> tensor<3x8xi4>
  return %0 : tensor<3x8xi4>
}

// -----

func.func @unpack_bits_rank(%b: tensor<2x4xi8>) -> tensor<16xi4> {
  // expected-error @+1 {{'tamp.unpack_bits' op input and result must have the same non-zero rank, got 'tensor<2x4xi8>' and 'tensor<16xi4>'}}
  %0 = tamp.unpack_bits %b : (tensor<2x4xi8>) -> tensor<16xi4>
  return %0 : tensor<16xi4>
}

// -----

func.func @unpack_bits_dynamic(%b: tensor<?xi8>) -> tensor<?xi4> {
  // expected-error @+1 {{'tamp.unpack_bits' op the last dimensions of input and result must be static}}
  %0 = tamp.unpack_bits %b : (tensor<?xi8>) -> tensor<?xi4>
  return %0 : tensor<?xi4>
}
