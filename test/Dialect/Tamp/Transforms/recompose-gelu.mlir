// RUN: tamp-opt %s --tamp-recompose-gelu --split-input-file | FileCheck %s

// As BERT exporters write it: (x * (erf(x / sqrt2) + 1)) * 0.5.

// CHECK-LABEL: func.func @erf_div
// CHECK-SAME: tamp.fusion = {gelu_recomposed = 1 : i64}
// CHECK: %[[Y:.*]] = tamp.gelu %arg0 : tensor<2x8xf32>
// CHECK-NOT: tamp.erf
// CHECK: return %[[Y]]
func.func @erf_div(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %sqrt2 = tamp.constant dense<1.41421354> : tensor<f32>
  %one = tamp.constant dense<1.0> : tensor<f32>
  %half = tamp.constant dense<0.5> : tensor<f32>
  %t = tamp.div %x, %sqrt2 : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %e = tamp.erf %t : tensor<2x8xf32>
  %a = tamp.add %e, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %m = tamp.mul %x, %a : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y = tamp.mul %m, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// Multiplying by 1/sqrt2, with (0.5 * x) as one factor.

// CHECK-LABEL: func.func @erf_mul_half_first
// CHECK: tamp.gelu %arg0 : tensor<8xf32>
// CHECK-NOT: tamp.erf
func.func @erf_mul_half_first(%x: tensor<8xf32>) -> tensor<8xf32> {
  %r = tamp.constant dense<0.707106769> : tensor<f32>
  %one = tamp.constant dense<1.0> : tensor<f32>
  %half = tamp.constant dense<0.5> : tensor<f32>
  %hx = tamp.mul %half, %x : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %t = tamp.mul %r, %x : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %e = tamp.erf %t : tensor<8xf32>
  %a = tamp.add %one, %e : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %y = tamp.mul %hx, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// 0.5 first, then x.

// CHECK-LABEL: func.func @erf_half_then_x
// CHECK: tamp.gelu %arg0 : tensor<8xf32>
func.func @erf_half_then_x(%x: tensor<8xf32>) -> tensor<8xf32> {
  %sqrt2 = tamp.constant dense<1.41421354> : tensor<1xf32>
  %one = tamp.constant dense<1.0> : tensor<f32>
  %half = tamp.constant dense<0.5> : tensor<f32>
  %t = tamp.div %x, %sqrt2 : (tensor<8xf32>, tensor<1xf32>) -> tensor<8xf32>
  %e = tamp.erf %t : tensor<8xf32>
  %a = tamp.add %e, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m = tamp.mul %a, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %y = tamp.mul %m, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// The tanh approximation, the cube as pow(x, 3).

// CHECK-LABEL: func.func @tanh_pow
// CHECK: tamp.gelu %arg0 {approximate = #tamp.gelu_approximation<tanh>} : tensor<8xf32>
// CHECK-NOT: tamp.tanh
func.func @tanh_pow(%x: tensor<8xf32>) -> tensor<8xf32> {
  %three = tamp.constant dense<3.0> : tensor<f32>
  %c = tamp.constant dense<0.044715> : tensor<f32>
  %k = tamp.constant dense<0.797884583> : tensor<f32>
  %one = tamp.constant dense<1.0> : tensor<f32>
  %half = tamp.constant dense<0.5> : tensor<f32>
  %cube = tamp.pow %x, %three : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %cc = tamp.mul %cube, %c : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %inner = tamp.add %x, %cc : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %arg = tamp.mul %k, %inner : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %t = tamp.tanh %arg : tensor<8xf32>
  %a = tamp.add %t, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %hx = tamp.mul %x, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %y = tamp.mul %hx, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// The cube as x * (x * x).

// CHECK-LABEL: func.func @tanh_products
// CHECK: tamp.gelu %arg0 {approximate = #tamp.gelu_approximation<tanh>}
func.func @tanh_products(%x: tensor<8xf32>) -> tensor<8xf32> {
  %c = tamp.constant dense<0.044715> : tensor<f32>
  %k = tamp.constant dense<0.797884583> : tensor<f32>
  %one = tamp.constant dense<1.0> : tensor<f32>
  %half = tamp.constant dense<0.5> : tensor<f32>
  %sq = tamp.mul %x, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %cube = tamp.mul %x, %sq : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %cc = tamp.mul %c, %cube : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %inner = tamp.add %cc, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %arg = tamp.mul %inner, %k : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %t = tamp.tanh %arg : tensor<8xf32>
  %a = tamp.add %one, %t : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %m = tamp.mul %x, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y = tamp.mul %half, %m : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// 0.6 is not one half.

// CHECK-LABEL: func.func @wrong_half
// CHECK-NOT: tamp.gelu
// CHECK: tamp.erf
func.func @wrong_half(%x: tensor<8xf32>) -> tensor<8xf32> {
  %sqrt2 = tamp.constant dense<1.41421354> : tensor<f32>
  %one = tamp.constant dense<1.0> : tensor<f32>
  %half = tamp.constant dense<0.6> : tensor<f32>
  %t = tamp.div %x, %sqrt2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e = tamp.erf %t : tensor<8xf32>
  %a = tamp.add %e, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m = tamp.mul %x, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y = tamp.mul %m, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// erf(x / 2) is not GELU's argument.

// CHECK-LABEL: func.func @wrong_scale
// CHECK-NOT: tamp.gelu
func.func @wrong_scale(%x: tensor<8xf32>) -> tensor<8xf32> {
  %two = tamp.constant dense<2.0> : tensor<f32>
  %one = tamp.constant dense<1.0> : tensor<f32>
  %half = tamp.constant dense<0.5> : tensor<f32>
  %t = tamp.div %x, %two : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e = tamp.erf %t : tensor<8xf32>
  %a = tamp.add %e, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m = tamp.mul %x, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y = tamp.mul %m, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// The intermediate product is also returned.

// CHECK-LABEL: func.func @intermediate_used
// CHECK-NOT: tamp.gelu
func.func @intermediate_used(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %sqrt2 = tamp.constant dense<1.41421354> : tensor<f32>
  %one = tamp.constant dense<1.0> : tensor<f32>
  %half = tamp.constant dense<0.5> : tensor<f32>
  %t = tamp.div %x, %sqrt2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e = tamp.erf %t : tensor<8xf32>
  %a = tamp.add %e, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m = tamp.mul %x, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y = tamp.mul %m, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %y, %m : tensor<8xf32>, tensor<8xf32>
}
