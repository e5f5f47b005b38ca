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
