// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file %s | FileCheck %s
// Quantize and dequantize: element-wise generics whose scale and zero point
// maps select the granularity (per tensor, per axis, blocked).

// Per axis: round half to even, add the zero point, saturate to the uint8
// range (selecting the bounds, which need not convert exactly).
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AXIS]], #[[AXIS]], #[[ID]]]
// CHECK-SAME: ins(%arg0, %arg1, %arg2 : tensor<?x4xf32>, tensor<4xf32>, tensor<4xi8>) outs(%{{.*}} : tensor<?x4xi8>)
// CHECK: %[[DIV:.*]] = arith.divf %{{.*}}, %{{.*}} : f32
// CHECK: %[[ROUND:.*]] = math.roundeven %[[DIV]] : f32
// CHECK: %[[ZP:.*]] = arith.uitofp %{{.*}} : i8 to f32
// CHECK: %[[Q:.*]] = arith.addf %[[ROUND]], %[[ZP]] : f32
// CHECK: arith.constant 2.550000e+02 : f32
// CHECK: arith.fptoui %{{.*}} : f32 to i8
// CHECK: arith.select
// CHECK: arith.select
func.func @quantize_per_axis(%x: tensor<?x4xf32>, %s: tensor<4xf32>, %z: tensor<4xui8>) -> tensor<?x4xui8> {
  %0 = tamp.quantize %x, %s, %z {axis = 1 : i64} : (tensor<?x4xf32>, tensor<4xf32>, tensor<4xui8>) -> tensor<?x4xui8>
  return %0 : tensor<?x4xui8>
}

// -----

// Per tensor with a scalar scale and no zero point: signed int8 bounds.
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @quantize_per_tensor
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[SCALAR]], #{{.*}}]
// CHECK: math.roundeven
// CHECK: arith.constant -1.280000e+02 : f32
// CHECK: arith.constant 1.270000e+02 : f32
// CHECK: arith.fptosi %{{.*}} : f32 to i8
func.func @quantize_per_tensor(%x: tensor<8xf32>, %s: tensor<f32>) -> tensor<8xi8> {
  %0 = tamp.quantize %x, %s : (tensor<8xf32>, tensor<f32>) -> tensor<8xi8>
  return %0 : tensor<8xi8>
}

// -----

// Blocked: the scale is read at the axis index divided by the block size.
// CHECK-DAG: #[[BLOCK:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 4)>
// CHECK-LABEL: func.func @dequantize_blocked
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[BLOCK]], #[[BLOCK]], #{{.*}}]
// CHECK: %[[X:.*]] = arith.sitofp %{{.*}} : i8 to f32
// CHECK: %[[ZP:.*]] = arith.sitofp %{{.*}} : i8 to f32
// CHECK: %[[D:.*]] = arith.subf %[[X]], %[[ZP]] : f32
// CHECK: arith.mulf %[[D]], %{{.*}} : f32
func.func @dequantize_blocked(%x: tensor<2x8xi8>, %s: tensor<2x2xf32>, %z: tensor<2x2xi8>) -> tensor<2x8xf32> {
  %0 = tamp.dequantize %x, %s, %z {axis = 1 : i64, block_size = 4 : i64} : (tensor<2x8xi8>, tensor<2x2xf32>, tensor<2x2xi8>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// f16 scales compute in f32 and truncate the result.
// CHECK-LABEL: func.func @dequantize_f16
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.mulf
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @dequantize_f16(%x: tensor<4xui8>, %s: tensor<1xf16>) -> tensor<4xf16> {
  %0 = tamp.dequantize %x, %s : (tensor<4xui8>, tensor<1xf16>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// Float8 storage: no rounding before the conversion, which rounds to nearest
// even; saturation clamps to +-57344 (NaN propagating) before it.
// CHECK-LABEL: func.func @quantize_float8
// CHECK: ^bb0(%[[X:.*]]: f32, %[[S:.*]]: f32, %[[Z:.*]]: f8E5M2, %{{.*}}: f8E5M2):
// CHECK: %[[DIV:.*]] = arith.divf %[[X]], %[[S]] : f32
// CHECK-NOT: math.roundeven
// CHECK: %[[ZP:.*]] = arith.extf %[[Z]] : f8E5M2 to f32
// CHECK: %[[Q:.*]] = arith.addf %[[DIV]], %[[ZP]] : f32
// CHECK: %[[MAX:.*]] = arith.constant 5.734400e+04 : f32
// CHECK: arith.maximumf %[[Q]], %{{.*}} : f32
// CHECK: %[[C:.*]] = arith.minimumf %{{.*}}, %[[MAX]] : f32
// CHECK: %[[R:.*]] = arith.truncf %[[C]] : f32 to f8E5M2
// CHECK: linalg.yield %[[R]] : f8E5M2
func.func @quantize_float8(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<f8E5M2>) -> tensor<4xf8E5M2> {
  %0 = tamp.quantize %x, %s, %z : (tensor<4xf32>, tensor<f32>, tensor<f8E5M2>) -> tensor<4xf8E5M2>
  return %0 : tensor<4xf8E5M2>
}

// -----

// Without saturation overflow is left to the truncation (Inf for E5M2).
// CHECK-LABEL: func.func @quantize_float8_no_saturate
// CHECK: %[[DIV:.*]] = arith.divf
// CHECK-NOT: arith.minimumf
// CHECK: arith.truncf %[[DIV]] : f32 to f8E4M3FN
func.func @quantize_float8_no_saturate(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf8E4M3FN> {
  %0 = tamp.quantize %x, %s {saturate = false} : (tensor<4xf32>, tensor<f32>) -> tensor<4xf8E4M3FN>
  return %0 : tensor<4xf8E4M3FN>
}

// -----

// Float4 storage per axis always saturates (to +-6), and NaN becomes 0.
// CHECK-LABEL: func.func @quantize_float4_per_axis
// CHECK: arith.constant 6.000000e+00 : f32
// CHECK: arith.cmpf uno
// CHECK: arith.truncf %{{.*}} : f32 to f4E2M1FN
func.func @quantize_float4_per_axis(%x: tensor<3x4xf32>, %s: tensor<3xf32>) -> tensor<3x4xf4E2M1FN> {
  %0 = tamp.quantize %x, %s {axis = 0 : i64, saturate = false} : (tensor<3x4xf32>, tensor<3xf32>) -> tensor<3x4xf4E2M1FN>
  return %0 : tensor<3x4xf4E2M1FN>
}

// -----

// int4 storage saturates to [-8, 7]; NaN selects the lower bound.
// CHECK-LABEL: func.func @quantize_int4
// CHECK: math.roundeven
// CHECK: %[[ZP:.*]] = arith.sitofp %{{.*}} : i4 to f32
// CHECK: %[[Q:.*]] = arith.addf %{{.*}}, %[[ZP]] : f32
// CHECK: %[[LOW:.*]] = arith.constant -8.000000e+00 : f32
// CHECK: %[[HIGH:.*]] = arith.constant 7.000000e+00 : f32
// CHECK: %[[ISLOW:.*]] = arith.cmpf ule, %[[Q]], %[[LOW]] : f32
// CHECK: arith.fptosi %{{.*}} : f32 to i4
// CHECK: %[[LOWI:.*]] = arith.constant -8 : i4
// CHECK: arith.select %[[ISLOW]], %[[LOWI]], %{{.*}} : i4
func.func @quantize_int4(%x: tensor<2x4xf32>, %s: tensor<2x2xf32>, %z: tensor<2x2xi4>) -> tensor<2x4xi4> {
  %0 = tamp.quantize %x, %s, %z {axis = 1 : i64, block_size = 2 : i64} : (tensor<2x4xf32>, tensor<2x2xf32>, tensor<2x2xi4>) -> tensor<2x4xi4>
  return %0 : tensor<2x4xi4>
}

// -----

// Narrow float and sub-byte integer storage dequantizes through f32.
// CHECK-LABEL: func.func @dequantize_narrow
// CHECK: %[[X:.*]] = arith.extf %{{.*}} : f8E4M3FNUZ to f32
// CHECK: %[[Z:.*]] = arith.extf %{{.*}} : f8E4M3FNUZ to f32
// CHECK: %[[D:.*]] = arith.subf %[[X]], %[[Z]] : f32
// CHECK: %[[Y:.*]] = arith.mulf %[[D]], %{{.*}} : f32
// CHECK: arith.truncf %[[Y]] : f32 to f16
// CHECK: arith.uitofp %{{.*}} : i2 to f32
func.func @dequantize_narrow(%x: tensor<4xf8E4M3FNUZ>, %s: tensor<f16>, %z: tensor<f8E4M3FNUZ>, %u: tensor<4xui2>, %t: tensor<f32>) -> (tensor<4xf16>, tensor<4xf32>) {
  %0 = tamp.dequantize %x, %s, %z : (tensor<4xf8E4M3FNUZ>, tensor<f16>, tensor<f8E4M3FNUZ>) -> tensor<4xf16>
  %1 = tamp.dequantize %u, %t : (tensor<4xui2>, tensor<f32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf16>, tensor<4xf32>
}

// -----

// int4 unpacks from the byte holding its bits: element j reads byte
// j * 4 floordiv 8 and shifts by (j * 4) mod 8; the dequantization that
// follows is its own generic here and fuses in the target pipeline.
// CHECK-DAG: #[[BYTE4:.*]] = affine_map<(d0, d1) -> (d0, (d1 * 4) floordiv 8)>
// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @unpack_int4
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<2x8xi4>
// CHECK: linalg.generic {indexing_maps = [#[[BYTE4]], #[[ID4]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%arg0 : tensor<2x4xi8>) outs(%[[EMPTY]] : tensor<2x8xi4>)
// CHECK: ^bb0(%[[BYTE:.*]]: i8, %{{.*}}: i4):
// CHECK: %[[WORD:.*]] = arith.extui %[[BYTE]] : i8 to i16
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[BIT:.*]] = arith.muli %[[J]], %c4
// CHECK: %[[OFFSET:.*]] = arith.remui %[[BIT]], %c8
// CHECK: %[[SHIFT:.*]] = arith.index_castui %[[OFFSET]] : index to i16
// CHECK: %[[SHIFTED:.*]] = arith.shrui %[[WORD]], %[[SHIFT]] : i16
// CHECK: %[[CODE:.*]] = arith.trunci %[[SHIFTED]] : i16 to i4
// CHECK: linalg.yield %[[CODE]] : i4
// CHECK: arith.sitofp %{{.*}} : i4 to f32
func.func @unpack_int4(%b: tensor<2x4xi8>, %s: tensor<2xf32>) -> tensor<2x8xf32> {
  %q = tamp.unpack_bits %b : (tensor<2x4xi8>) -> tensor<2x8xi4>
  %0 = tamp.dequantize %q, %s {axis = 0 : i64} : (tensor<2x8xi4>, tensor<2xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// int3 values may straddle two bytes: the generic reads the bytes of the
// first and the last bit and joins them into one 16-bit word. Unsigned
// results keep their bits (the type converter makes them signless).
// CHECK-DAG: #[[FIRST:.*]] = affine_map<(d0) -> ((d0 * 3) floordiv 8)>
// CHECK-DAG: #[[LAST:.*]] = affine_map<(d0) -> ((d0 * 3 + 2) floordiv 8)>
// CHECK-LABEL: func.func @unpack_uint3
// CHECK: linalg.generic {indexing_maps = [#[[FIRST]], #[[LAST]], #{{.*}}]
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<3xi8>, tensor<3xi8>) outs(%{{.*}} : tensor<8xi3>)
// CHECK: ^bb0(%[[LO:.*]]: i8, %[[HI:.*]]: i8, %{{.*}}: i3):
// CHECK: %[[LOW:.*]] = arith.extui %[[LO]] : i8 to i16
// CHECK: %[[HIGH:.*]] = arith.extui %[[HI]] : i8 to i16
// CHECK: %[[UP:.*]] = arith.shli %[[HIGH]], %{{.*}} : i16
// CHECK: %[[WORD:.*]] = arith.ori %[[LOW]], %[[UP]] : i16
// CHECK: arith.shrui %[[WORD]], %{{.*}} : i16
// CHECK: arith.trunci %{{.*}} : i16 to i3
func.func @unpack_uint3(%b: tensor<3xui8>) -> tensor<8xui3> {
  %0 = tamp.unpack_bits %b : (tensor<3xui8>) -> tensor<8xui3>
  return %0 : tensor<8xui3>
}

// -----

// Dynamic leading dimensions come from the input.
// CHECK-LABEL: func.func @unpack_int2_dynamic
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0 : tensor<?x2xi8>
// CHECK: tensor.empty(%[[N]]) : tensor<?x7xi2>
// CHECK: arith.trunci %{{.*}} : i16 to i2
func.func @unpack_int2_dynamic(%b: tensor<?x2xi8>) -> tensor<?x7xi2> {
  %0 = tamp.unpack_bits %b : (tensor<?x2xi8>) -> tensor<?x7xi2>
  return %0 : tensor<?x7xi2>
}
