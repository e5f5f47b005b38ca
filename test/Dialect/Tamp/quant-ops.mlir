// RUN: tamp-opt %s | tamp-opt | FileCheck %s
// Round trip of quantize and dequantize at every granularity. Dequantize
// infers its result type; quant-ops-invalid.mlir shows the inferred type in
// a mismatch diagnostic.

// CHECK-LABEL: func.func @quantize_per_tensor
func.func @quantize_per_tensor(%x: tensor<2x3xf32>, %s: tensor<f32>, %zp: tensor<i8>, %s1: tensor<1xf32>,
                               %zp1: tensor<1xui8>, %scalar: tensor<f32>)
    -> (tensor<2x3xi8>, tensor<2x3xui8>, tensor<2x3xi32>, tensor<i8>) {
  // CHECK: tamp.quantize %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
  %0 = tamp.quantize %x, %s, %zp : (tensor<2x3xf32>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
  // A 1-element scale is per tensor too.
  // CHECK: tamp.quantize %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<1xf32>, tensor<1xui8>) -> tensor<2x3xui8>
  %1 = tamp.quantize %x, %s1, %zp1 : (tensor<2x3xf32>, tensor<1xf32>, tensor<1xui8>) -> tensor<2x3xui8>
  // Without a zero point (bias quantization to i32).
  // CHECK: tamp.quantize %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi32>
  %2 = tamp.quantize %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi32>
  // Per tensor ignores the axis, so a scalar input keeps the default axis 1.
  // CHECK: tamp.quantize %{{.*}}, %{{.*}}, %{{.*}} : (tensor<f32>, tensor<f32>, tensor<i8>) -> tensor<i8>
  %3 = tamp.quantize %scalar, %s, %zp : (tensor<f32>, tensor<f32>, tensor<i8>) -> tensor<i8>
  return %0, %1, %2, %3 : tensor<2x3xi8>, tensor<2x3xui8>, tensor<2x3xi32>, tensor<i8>
}

// CHECK-LABEL: func.func @quantize_element_types
func.func @quantize_element_types(%x: tensor<4x?xf16>, %s: tensor<f16>)
    -> (tensor<4x?xi4>, tensor<4x?xui4>, tensor<4x?xi16>, tensor<4x?xui16>, tensor<4x?xf8E4M3FN>, tensor<4x?xf8E5M2>, tensor<4x?xi2>) {
  // CHECK: -> tensor<4x?xi4>
  %i4 = tamp.quantize %x, %s : (tensor<4x?xf16>, tensor<f16>) -> tensor<4x?xi4>
  // CHECK: -> tensor<4x?xui4>
  %ui4 = tamp.quantize %x, %s : (tensor<4x?xf16>, tensor<f16>) -> tensor<4x?xui4>
  // CHECK: -> tensor<4x?xi16>
  %i16 = tamp.quantize %x, %s : (tensor<4x?xf16>, tensor<f16>) -> tensor<4x?xi16>
  // CHECK: -> tensor<4x?xui16>
  %ui16 = tamp.quantize %x, %s : (tensor<4x?xf16>, tensor<f16>) -> tensor<4x?xui16>
  // CHECK: tamp.quantize %{{.*}}, %{{.*}} {saturate = false} : (tensor<4x?xf16>, tensor<f16>) -> tensor<4x?xf8E4M3FN>
  %e4m3 = tamp.quantize %x, %s {saturate = false} : (tensor<4x?xf16>, tensor<f16>) -> tensor<4x?xf8E4M3FN>
  // CHECK: -> tensor<4x?xf8E5M2>
  %e5m2 = tamp.quantize %x, %s : (tensor<4x?xf16>, tensor<f16>) -> tensor<4x?xf8E5M2>
  // CHECK: -> tensor<4x?xi2>
  %i2 = tamp.quantize %x, %s : (tensor<4x?xf16>, tensor<f16>) -> tensor<4x?xi2>
  return %i4, %ui4, %i16, %ui16, %e4m3, %e5m2, %i2
      : tensor<4x?xi4>, tensor<4x?xui4>, tensor<4x?xi16>, tensor<4x?xui16>, tensor<4x?xf8E4M3FN>, tensor<4x?xf8E5M2>, tensor<4x?xi2>
}

// CHECK-LABEL: func.func @float4
func.func @float4(%x: tensor<3x4xf32>, %s: tensor<3xf32>, %zp: tensor<3xf4E2M1FN>,
                  %q: tensor<32x2xf4E2M1FN>, %qs: tensor<2x2xbf16>)
    -> (tensor<3x4xf4E2M1FN>, tensor<32x2xbf16>) {
  // The 4-bit float f4E2M1FN (ONNX FLOAT4E2M1) stores like an 8-bit float.
  // CHECK: tamp.quantize %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<3x4xf32>, tensor<3xf32>, tensor<3xf4E2M1FN>) -> tensor<3x4xf4E2M1FN>
  %0 = tamp.quantize %x, %s, %zp {axis = 0 : i64} : (tensor<3x4xf32>, tensor<3xf32>, tensor<3xf4E2M1FN>) -> tensor<3x4xf4E2M1FN>
  // Blocked, as in MXFP4 weights (blocks of 16 along dimension 0).
  // CHECK: tamp.dequantize %{{.*}}, %{{.*}} {axis = 0 : i64, block_size = 16 : i64} : (tensor<32x2xf4E2M1FN>, tensor<2x2xbf16>) -> tensor<32x2xbf16>
  %1 = tamp.dequantize %q, %qs {axis = 0 : i64, block_size = 16 : i64} : (tensor<32x2xf4E2M1FN>, tensor<2x2xbf16>) -> tensor<32x2xbf16>
  return %0, %1 : tensor<3x4xf4E2M1FN>, tensor<32x2xbf16>
}

// CHECK-LABEL: func.func @quantize_per_axis
func.func @quantize_per_axis(%x: tensor<8x3xf32>, %s8: tensor<8xf32>, %zp8: tensor<8xi8>, %s3: tensor<3xf32>,
                             %xd: tensor<?x3xf32>, %sd: tensor<?xf32>)
    -> (tensor<8x3xi8>, tensor<8x3xi8>, tensor<8x3xi8>, tensor<?x3xi8>) {
  // CHECK: tamp.quantize %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<8x3xf32>, tensor<8xf32>, tensor<8xi8>) -> tensor<8x3xi8>
  %rows = tamp.quantize %x, %s8, %zp8 {axis = 0 : i64} : (tensor<8x3xf32>, tensor<8xf32>, tensor<8xi8>) -> tensor<8x3xi8>
  // The default axis is 1.
  // CHECK: tamp.quantize %{{.*}}, %{{.*}} : (tensor<8x3xf32>, tensor<3xf32>) -> tensor<8x3xi8>
  %columns = tamp.quantize %x, %s3 : (tensor<8x3xf32>, tensor<3xf32>) -> tensor<8x3xi8>
  // CHECK: tamp.quantize %{{.*}}, %{{.*}} {axis = -2 : i64} : (tensor<8x3xf32>, tensor<8xf32>) -> tensor<8x3xi8>
  %negative = tamp.quantize %x, %s8 {axis = -2 : i64} : (tensor<8x3xf32>, tensor<8xf32>) -> tensor<8x3xi8>
  // CHECK: tamp.quantize %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<?x3xf32>, tensor<?xf32>) -> tensor<?x3xi8>
  %dynamic = tamp.quantize %xd, %sd {axis = 0 : i64} : (tensor<?x3xf32>, tensor<?xf32>) -> tensor<?x3xi8>
  return %rows, %columns, %negative, %dynamic : tensor<8x3xi8>, tensor<8x3xi8>, tensor<8x3xi8>, tensor<?x3xi8>
}

// CHECK-LABEL: func.func @quantize_blocked
func.func @quantize_blocked(%w: tensor<4x64xf32>, %s: tensor<4x2xf32>, %zp: tensor<4x2xi4>,
                            %ragged: tensor<4x70xf32>, %s3: tensor<4x3xf32>)
    -> (tensor<4x64xi4>, tensor<4x70xui8>) {
  // CHECK: tamp.quantize %{{.*}}, %{{.*}}, %{{.*}} {block_size = 32 : i64} : (tensor<4x64xf32>, tensor<4x2xf32>, tensor<4x2xi4>) -> tensor<4x64xi4>
  %0 = tamp.quantize %w, %s, %zp {block_size = 32 : i64} : (tensor<4x64xf32>, tensor<4x2xf32>, tensor<4x2xi4>) -> tensor<4x64xi4>
  // The last block is partial: ceil(70 / 32) = 3.
  // CHECK: tamp.quantize %{{.*}}, %{{.*}} {axis = -1 : i64, block_size = 32 : i64} : (tensor<4x70xf32>, tensor<4x3xf32>) -> tensor<4x70xui8>
  %1 = tamp.quantize %ragged, %s3 {axis = -1 : i64, block_size = 32 : i64} : (tensor<4x70xf32>, tensor<4x3xf32>) -> tensor<4x70xui8>
  return %0, %1 : tensor<4x64xi4>, tensor<4x70xui8>
}

// CHECK-LABEL: func.func @dequantize
func.func @dequantize(%q: tensor<2x3xi8>, %s: tensor<f32>, %zp: tensor<i8>,
                      %f8: tensor<5xf8E4M3FN>, %sb: tensor<bf16>,
                      %bias: tensor<16xi32>, %s16: tensor<16xf32>,
                      %w: tensor<4x?xui4>, %ws: tensor<4x?xf16>, %wzp: tensor<4x?xui4>)
    -> (tensor<2x3xf32>, tensor<5xbf16>, tensor<16xf32>, tensor<4x?xf16>) {
  // CHECK: tamp.dequantize %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xi8>, tensor<f32>, tensor<i8>) -> tensor<2x3xf32>
  %0 = tamp.dequantize %q, %s, %zp : (tensor<2x3xi8>, tensor<f32>, tensor<i8>) -> tensor<2x3xf32>
  // The result takes the scale's element type.
  // CHECK: tamp.dequantize %{{.*}}, %{{.*}} : (tensor<5xf8E4M3FN>, tensor<bf16>) -> tensor<5xbf16>
  %1 = tamp.dequantize %f8, %sb : (tensor<5xf8E4M3FN>, tensor<bf16>) -> tensor<5xbf16>
  // CHECK: tamp.dequantize %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<16xi32>, tensor<16xf32>) -> tensor<16xf32>
  %2 = tamp.dequantize %bias, %s16 {axis = 0 : i64} : (tensor<16xi32>, tensor<16xf32>) -> tensor<16xf32>
  // Blocked with a dynamic blocked dimension.
  // CHECK: tamp.dequantize %{{.*}}, %{{.*}}, %{{.*}} {block_size = 128 : i64} : (tensor<4x?xui4>, tensor<4x?xf16>, tensor<4x?xui4>) -> tensor<4x?xf16>
  %3 = tamp.dequantize %w, %ws, %wzp {block_size = 128 : i64} : (tensor<4x?xui4>, tensor<4x?xf16>, tensor<4x?xui4>) -> tensor<4x?xf16>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<5xbf16>, tensor<16xf32>, tensor<4x?xf16>
}

// Packed sub-byte integers: the last dimension holds ceil(M * bits / 8)
// bytes; leading dimensions may be dynamic.
// CHECK-LABEL: func.func @unpack_bits
func.func @unpack_bits(%b4: tensor<16x32xi8>, %b3: tensor<?x3xui8>, %b2: tensor<5xi8>)
    -> (tensor<16x64xi4>, tensor<?x8xi3>, tensor<17xui2>) {
  // CHECK: tamp.unpack_bits %{{.*}} : (tensor<16x32xi8>) -> tensor<16x64xi4>
  %0 = tamp.unpack_bits %b4 : (tensor<16x32xi8>) -> tensor<16x64xi4>
  // CHECK: tamp.unpack_bits %{{.*}} : (tensor<?x3xui8>) -> tensor<?x8xi3>
  %1 = tamp.unpack_bits %b3 : (tensor<?x3xui8>) -> tensor<?x8xi3>
  // 17 2-bit values need 5 bytes; the high bits of the last one are unused.
  // CHECK: tamp.unpack_bits %{{.*}} : (tensor<5xi8>) -> tensor<17xui2>
  %2 = tamp.unpack_bits %b2 : (tensor<5xi8>) -> tensor<17xui2>
  return %0, %1, %2 : tensor<16x64xi4>, tensor<?x8xi3>, tensor<17xui2>
}

// CHECK-LABEL: func.func @dequantize_int3
func.func @dequantize_int3(%q: tensor<4x8xi3>, %s: tensor<4x1xf32>) -> tensor<4x8xf32> {
  // CHECK: tamp.dequantize %{{.*}}, %{{.*}} {block_size = 8 : i64} : (tensor<4x8xi3>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %0 = tamp.dequantize %q, %s {block_size = 8 : i64} : (tensor<4x8xi3>, tensor<4x1xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
