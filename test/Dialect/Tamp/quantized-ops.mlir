// RUN: tamp-opt %s | tamp-opt | FileCheck %s

// Ops with integer kernels accept the quant dialect's uniform types: a
// per-tensor activation, a per-channel symmetric int8 weight, an i32 bias, and
// a requantized or float result. Values flow quantized through clamp,
// max_pool, reshape, transpose and concat.

!act = !quant.uniform<u8:f32, 0.05:128>
!relu = !quant.uniform<u8:f32, 0.025>
!w = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>

// CHECK-LABEL: func.func @conv_chain
// CHECK: tamp.conv {{.*}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, 2.500000e-02>>
// CHECK: tamp.clamp {{.*}} : tensor<1x2x4x4x!quant.uniform<u8:f32, 2.500000e-02>>
// CHECK: tamp.max_pool
// CHECK: tamp.reshape
// CHECK: tamp.linear {{.*}} -> tensor<1x2xf32>
func.func @conv_chain(%x: tensor<1x3x4x4x!act>, %w: tensor<2x3x1x1x!w>, %b: tensor<2xi32>, %fc: tensor<2x8x!w>) -> tensor<1x2xf32> {
  %0 = tamp.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x3x4x4x!act>, tensor<2x3x1x1x!w>, tensor<2xi32>) -> tensor<1x2x4x4x!relu>
  %1 = tamp.clamp %0 {min = 0.0 : f64} : tensor<1x2x4x4x!relu>
  %2 = tamp.max_pool %1 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x2x4x4x!relu>) -> tensor<1x2x2x2x!relu>
  %shape = arith.constant dense<[1, 8]> : tensor<2xi64>
  %3 = tamp.reshape %2, %shape : (tensor<1x2x2x2x!relu>, tensor<2xi64>) -> tensor<1x8x!relu>
  %4 = tamp.linear %3, %fc : (tensor<1x8x!relu>, tensor<2x8x!w>) -> tensor<1x2xf32>
  return %4 : tensor<1x2xf32>
}

// CHECK-LABEL: func.func @attention_like
// CHECK: tamp.transpose
// CHECK: tamp.matmul {{.*}} -> tensor<2x4x4x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK: tamp.concat {{.*}} -> tensor<2x8x4x!quant.uniform<i8:f32, 1.000000e-01:-3>>
func.func @attention_like(%q: tensor<2x4x8x!quant.uniform<i8:f32, 0.1:2>>, %k: tensor<2x4x8x!quant.uniform<i8:f32, 0.2:-1>>)
    -> tensor<2x8x4x!quant.uniform<i8:f32, 0.1:-3>> {
  %kt = tamp.transpose %k {perm = array<i64: 0, 2, 1>} : (tensor<2x4x8x!quant.uniform<i8:f32, 0.2:-1>>) -> tensor<2x8x4x!quant.uniform<i8:f32, 0.2:-1>>
  %s = tamp.matmul %q, %kt : (tensor<2x4x8x!quant.uniform<i8:f32, 0.1:2>>, tensor<2x8x4x!quant.uniform<i8:f32, 0.2:-1>>) -> tensor<2x4x4x!quant.uniform<i8:f32, 0.1:-3>>
  %c = tamp.concat %s, %s {axis = 1 : i64} : (tensor<2x4x4x!quant.uniform<i8:f32, 0.1:-3>>, tensor<2x4x4x!quant.uniform<i8:f32, 0.1:-3>>) -> tensor<2x8x4x!quant.uniform<i8:f32, 0.1:-3>>
  return %c : tensor<2x8x4x!quant.uniform<i8:f32, 0.1:-3>>
}

// Dynamic quantization: integer data with run-time scale and zero point.
// CHECK-LABEL: func.func @dynamic
// CHECK: tamp.dynamic_quantize
// CHECK: tamp.linear_integer
func.func @dynamic(%x: tensor<3x8xf32>, %w: tensor<2x8x!w>, %b: tensor<2xf32>) -> tensor<3x2xf32> {
  %q, %s, %z = tamp.dynamic_quantize %x : (tensor<3x8xf32>) -> (tensor<3x8xi8>, tensor<f32>, tensor<i8>)
  %y = tamp.linear_integer %q, %s, %z, %w, %b : (tensor<3x8xi8>, tensor<f32>, tensor<i8>, tensor<2x8x!w>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
