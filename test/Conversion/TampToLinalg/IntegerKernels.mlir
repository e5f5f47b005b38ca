// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file %s | FileCheck %s
// Quantized values become signless i8 (u8 storage moved by -128); quantized
// contractions become i8 x i8 -> i32 named ops onto the zero-point-corrected
// bias, then one fixed-point requantization (or dequantization) epilogue.

!w = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>

// Input zero point 10 - 128 = -118; weight sums 10 and -10: the init is
// bias - (-118) * sum = [1280, -1280]. Multipliers for 0.05 * 0.01 / 0.1 and
// 0.05 * 0.02 / 0.1: 1374389535 * 2^-38 and * 2^-37.
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xi8>) -> tensor<3x2xi8>
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[1, 2, 3, 4], [-1, -2, -3, -4]]> : tensor<2x4xi8>
// CHECK: %[[INIT:.*]] = arith.constant dense<[1280, -1280]> : tensor<2xi32>
// CHECK: %[[B:.*]] = linalg.broadcast ins(%[[INIT]] : tensor<2xi32>) outs(%{{.*}} : tensor<3x2xi32>) dimensions = [0]
// CHECK: %[[ACC:.*]] = linalg.matmul {{.*}} ins(%[[X]], %[[W]] : tensor<3x4xi8>, tensor<2x4xi8>) outs(%[[B]] : tensor<3x2xi32>)
// CHECK: %[[M:.*]] = arith.constant dense<1374389535> : tensor<2xi64>
// CHECK: %[[S:.*]] = arith.constant dense<[38, 37]> : tensor<2xi64>
// CHECK: linalg.generic {{.*}} #[[CH]], #[[CH]]
// CHECK-SAME: ins(%[[ACC]], %[[M]], %[[S]] : tensor<3x2xi32>, tensor<2xi64>, tensor<2xi64>) outs(%{{.*}} : tensor<3x2xi8>)
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.muli
// CHECK: arith.shli
// CHECK: arith.addi
// CHECK: arith.shrsi
// CHECK: arith.constant -5 : i64
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: arith.trunci %{{.*}} : i64 to i8
func.func @linear(%x: tensor<3x4x!quant.uniform<u8:f32, 0.05:10>>) -> tensor<3x2x!quant.uniform<i8:f32, 0.1:-5>> {
  %c = arith.constant dense<[[1, 2, 3, 4], [-1, -2, -3, -4]]> : tensor<2x4xi8>
  %w = quant.scast %c : tensor<2x4xi8> to tensor<2x4x!w>
  %bias = arith.constant dense<[100, -100]> : tensor<2xi32>
  %y = tamp.linear %x, %w, %bias : (tensor<3x4x!quant.uniform<u8:f32, 0.05:10>>, tensor<2x4x!w>, tensor<2xi32>) -> tensor<3x2x!quant.uniform<i8:f32, 0.1:-5>>
  return %y : tensor<3x2x!quant.uniform<i8:f32, 0.1:-5>>
}

// -----

// A depthwise convolution pads with the input's zero point and dequantizes
// its result: acc * input_scale * weight_scale[c] in f32.
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[ZP:.*]] = arith.constant 3 : i8
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZP]] : i8
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} ins(%[[P]], %{{.*}} : tensor<1x2x6x6xi8>, tensor<2x3x3xi8>) outs(%{{.*}} : tensor<1x2x4x4xi32>)
// CHECK: arith.constant dense<[5.000000e-03, 0.00999999977]> : tensor<2xf32>
// CHECK: arith.sitofp %{{.*}} : i32 to f32
// CHECK: arith.mulf
func.func @depthwise(%x: tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5:3>>) -> tensor<1x2x4x4xf32> {
  %c = arith.constant dense<1> : tensor<2x1x3x3xi8>
  %w = quant.scast %c : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>>
  %y = tamp.conv %x, %w {group = 2 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5:3>>, tensor<2x1x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Activation-by-activation batch matmul: batch_matmul on i8, then
// acc - zb * rowsum(a) - za * colsum(b) + K * za * zb.
// CHECK-LABEL: func.func @batch_matmul
// CHECK: %[[ACC:.*]] = linalg.batch_matmul ins(%arg0, %arg1 : tensor<2x3x4xi8>, tensor<2x4x5xi8>) outs(%{{.*}} : tensor<2x3x5xi32>)
// CHECK: %[[ROWS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0 : tensor<2x3x4xi8>) outs(%{{.*}} : tensor<2x3xi32>)
// CHECK: %[[COLS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg1 : tensor<2x4x5xi8>) outs(%{{.*}} : tensor<2x5xi32>)
// CHECK: linalg.generic {{.*}} ins(%[[ACC]], %[[ROWS]], %[[COLS]] : tensor<2x3x5xi32>, tensor<2x3xi32>, tensor<2x5xi32>)
// CHECK: arith.constant -3 : i32
// CHECK: arith.constant 2 : i32
// CHECK: arith.constant -6 : i32
func.func @batch_matmul(%a: tensor<2x3x4x!quant.uniform<i8:f32, 0.1:2>>, %b: tensor<2x4x5x!quant.uniform<i8:f32, 0.2:-3>>) -> tensor<2x3x5xf32> {
  %y = tamp.matmul %a, %b : (tensor<2x3x4x!quant.uniform<i8:f32, 0.1:2>>, tensor<2x4x5x!quant.uniform<i8:f32, 0.2:-3>>) -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}

// -----

// Dynamic batch dimensions (attention at a dynamic batch size) must agree at
// run time.
// CHECK-LABEL: func.func @dynamic_batch_matmul
// CHECK: cf.assert %{{.*}}, "(tamp.matmul): the batch dimensions differ"
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<?x8x16xi8>, tensor<?x16x8xi8>) outs(%{{.*}} : tensor<?x8x8xi32>)
func.func @dynamic_batch_matmul(%a: tensor<?x2x8x16x!quant.uniform<i8:f32, 0.1>>, %b: tensor<?x2x16x8x!quant.uniform<i8:f32, 0.2>>) -> tensor<?x2x8x8xf32> {
  %y = tamp.matmul %a, %b : (tensor<?x2x8x16x!quant.uniform<i8:f32, 0.1>>, tensor<?x2x16x8x!quant.uniform<i8:f32, 0.2>>) -> tensor<?x2x8x8xf32>
  return %y : tensor<?x2x8x8xf32>
}

// -----

// qcast rounds half to even, adds the zero point and saturates, in the
// lowered domain (u8 zero point 128 is 0); dcast subtracts it and scales;
// ReLU clamps at the quantized 0 and 6.
// CHECK-LABEL: func.func @boundaries
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK: arith.constant -1.280000e+02 : f32
// CHECK: arith.constant 1.270000e+02 : f32
// CHECK: arith.fptosi %{{.*}} : f32 to i8
// CHECK: arith.constant 0 : i8
// CHECK: arith.constant 120 : i8
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.subi
// CHECK: arith.sitofp
// CHECK: arith.mulf
func.func @boundaries(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<u8:f32, 0.05:128>>
  %r = tamp.clamp %q {min = 0.0 : f64, max = 6.0 : f64} : tensor<4x!quant.uniform<u8:f32, 0.05:128>>
  %y = quant.dcast %r : tensor<4x!quant.uniform<u8:f32, 0.05:128>> to tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Unsigned storage (bytes in a signless i8) becomes quantized by flipping
// its top bit.
// CHECK-LABEL: func.func @storage
// CHECK: arith.constant -128 : i8
// CHECK: arith.xori
func.func @storage(%x: tensor<4xi8>) -> tensor<4x!quant.uniform<u8:f32, 0.05:128>> {
  %q = quant.scast %x : tensor<4xi8> to tensor<4x!quant.uniform<u8:f32, 0.05:128>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.05:128>>
}

// -----

// Concat requantizes an input with other parameters: (q - zp_in) * 2 (the
// scale ratio 0.2 / 0.1 is 2^31 * 2^-30) + zp_out.
// CHECK-LABEL: func.func @concat
// CHECK: linalg.generic
// CHECK: arith.constant 1 : i64
// CHECK: arith.subi
// CHECK: arith.constant 1073741824 : i64
// CHECK: arith.constant 29 : i64
// CHECK: tensor.insert_slice
// CHECK: tensor.insert_slice
func.func @concat(%a: tensor<2x!quant.uniform<i8:f32, 0.1>>, %b: tensor<2x!quant.uniform<i8:f32, 0.2:1>>) -> tensor<4x!quant.uniform<i8:f32, 0.1>> {
  %c = tamp.concat %a, %b {axis = 0 : i64} : (tensor<2x!quant.uniform<i8:f32, 0.1>>, tensor<2x!quant.uniform<i8:f32, 0.2:1>>) -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return %c : tensor<4x!quant.uniform<i8:f32, 0.1>>
}

// -----

// Dynamic quantization: one min/max reduction, the parameters, the
// quantization; linear_integer shares the i8 matmul and corrects with the
// run-time zero point in its f32 epilogue.
// CHECK-LABEL: func.func @dynamic
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]} ins(%arg0 : tensor<3x4xf32>) outs(%{{.*}}, %{{.*}} : tensor<f32>, tensor<f32>)
// CHECK: arith.minimumf
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<f32>, tensor<i8>)
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} ins(%arg0, %{{.*}}, %{{.*}} : tensor<3x4xf32>, tensor<f32>, tensor<i8>) outs(%{{.*}} : tensor<3x4xi8>)
// CHECK: %[[ACC:.*]] = linalg.matmul {{.*}} ins(%[[Q]], %{{.*}} : tensor<3x4xi8>, tensor<2x4xi8>) outs(%{{.*}} : tensor<3x2xi32>)
// CHECK: linalg.generic {{.*}} ins(%[[ACC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<3x2xi32>, tensor<2xi32>, tensor<2xf32>, tensor<f32>, tensor<i8>, tensor<2xf32>)
// CHECK: arith.muli
// CHECK: arith.subi
// CHECK: arith.sitofp
// CHECK: arith.addf
func.func @dynamic(%x: tensor<3x4xf32>, %b: tensor<2xf32>) -> tensor<3x2xf32> {
  %c = arith.constant dense<[[1, 2, 3, 4], [-1, -2, -3, -4]]> : tensor<2x4xi8>
  %w = quant.scast %c : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>>
  %q, %s, %z = tamp.dynamic_quantize %x : (tensor<3x4xf32>) -> (tensor<3x4xi8>, tensor<f32>, tensor<i8>)
  %y = tamp.linear_integer %q, %s, %z, %w, %b : (tensor<3x4xi8>, tensor<f32>, tensor<i8>, tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
