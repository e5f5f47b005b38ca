// RUN: tamp-opt %s --tamp-fold-qdq --split-input-file | FileCheck %s

// A QDQ linear layer (onnxruntime's quantize_static): the input pair becomes
// qcast/dcast, the per-channel int8 weight a quant.scast, the int32 bias at
// x_scale * w_scale[o] the kernel's bias, and the result takes the type of
// the quantize after it; the ReLU between two quantizes with the same
// parameters runs on the quantized values.

// CHECK-LABEL: func.func @linear
// CHECK-NOT: tamp.quantize
// CHECK-NOT: tamp.dequantize
// CHECK: %[[X:.*]] = quant.qcast %arg0 : tensor<2x4xf32> to tensor<2x4x!quant.uniform<u8:f32, 5.000000e-01:128>>
// CHECK: %[[B:.*]] = tamp.constant dense<[8, -16, 32]> : tensor<3xi32>
// CHECK: %[[WS:.*]] = quant.scast %{{.*}} : tensor<3x4xi8> to tensor<3x4x!quant.uniform<i8:f32:0, {2.500000e-01,1.250000e-01,6.250000e-02}>>
// CHECK: %[[Y:.*]] = tamp.linear %[[X]], %[[WS]], %[[B]] : ({{.*}}) -> tensor<2x3x!quant.uniform<u8:f32, 1.000000e+00:10>>
// CHECK: %[[R:.*]] = tamp.clamp %[[Y]] {min = 0.000000e+00 : f64} : tensor<2x3x!quant.uniform<u8:f32, 1.000000e+00:10>>
// CHECK: %[[F:.*]] = quant.dcast %[[R]] : tensor<2x3x!quant.uniform<u8:f32, 1.000000e+00:10>> to tensor<2x3xf32>
// CHECK: return %[[F]]
// CHECK: quantized_weight: "0x01000000010203040506070809FAFBFC"
func.func @linear(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %s = tamp.constant dense<0.5> : tensor<f32>
  %zp = tamp.constant dense<128> : tensor<ui8>
  %w = tamp.constant dense<[[1, 2, 3, 4], [5, 6, 7, 8], [9, -6, -5, -4]]> : tensor<3x4xi8>
  %ws = tamp.constant dense<[0.25, 0.125, 0.0625]> : tensor<3xf32>
  %wzp = tamp.constant dense<0> : tensor<3xi8>
  %b = tamp.constant dense<[8, -16, 32]> : tensor<3xi32>
  %bs = tamp.constant dense<[0.125, 0.0625, 0.03125]> : tensor<3xf32>
  %bzp = tamp.constant dense<0> : tensor<3xi32>
  %os = tamp.constant dense<1.0> : tensor<f32>
  %ozp = tamp.constant dense<10> : tensor<ui8>
  %q = tamp.quantize %x, %s, %zp : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  %dq = tamp.dequantize %q, %s, %zp : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
  %fw = tamp.dequantize %w, %ws, %wzp {axis = 0 : i64} : (tensor<3x4xi8>, tensor<3xf32>, tensor<3xi8>) -> tensor<3x4xf32>
  %fb = tamp.dequantize %b, %bs, %bzp {axis = 0 : i64} : (tensor<3xi32>, tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  %y = tamp.linear %dq, %fw, %fb : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %qy = tamp.quantize %y, %os, %ozp : (tensor<2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
  %dy = tamp.dequantize %qy, %os, %ozp : (tensor<2x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xf32>
  %relu = tamp.clamp %dy {min = 0.0 : f64} : tensor<2x3xf32>
  %qr = tamp.quantize %relu, %os, %ozp : (tensor<2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
  %dr = tamp.dequantize %qr, %os, %ozp : (tensor<2x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xf32>
  return %dr : tensor<2x3xf32>
}

// -----

// The QOperator form (QLinearConv, MaxPool kept on uint8): the conv's bias
// scale is the tamp.mul of the input and weight scales, the max_pool
// between the quantize and its two dequantizes runs on the quantized type,
// and the signed per-tensor weight gives a per-tensor weight type.

// CHECK-LABEL: func.func @conv_qoperator
// CHECK: %[[X:.*]] = quant.qcast %arg0 : tensor<1x2x4x4xf32> to tensor<1x2x4x4x!quant.uniform<i8:f32, 2.500000e-01:-3>>
// CHECK: %[[W:.*]] = quant.scast %{{.*}} : tensor<2x2x1x1xi8> to tensor<2x2x1x1x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK: %[[C:.*]] = tamp.conv %[[X]], %[[W]], %{{.*}} {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01:1>>
// CHECK: %[[P:.*]] = tamp.max_pool %[[C]] {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-01:1>>
// CHECK: %[[D1:.*]] = quant.dcast %[[P]]
// CHECK: %[[D2:.*]] = quant.dcast %[[P]]
// CHECK: tamp.add %[[D1]], %[[D2]]
func.func @conv_qoperator(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %s = tamp.constant dense<0.25> : tensor<f32>
  %zp = tamp.constant dense<-3> : tensor<i8>
  %w = tamp.constant dense<[[[[1]], [[2]]], [[[-3]], [[4]]]]> : tensor<2x2x1x1xi8>
  %ws = tamp.constant dense<0.5> : tensor<f32>
  %b = tamp.constant dense<[100, -100]> : tensor<2xi32>
  %os = tamp.constant dense<0.5> : tensor<f32>
  %ozp = tamp.constant dense<1> : tensor<i8>
  %q = tamp.quantize %x, %s, %zp : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xi8>
  %dq = tamp.dequantize %q, %s, %zp : (tensor<1x2x4x4xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xf32>
  %fw = tamp.dequantize %w, %ws : (tensor<2x2x1x1xi8>, tensor<f32>) -> tensor<2x2x1x1xf32>
  %bs = tamp.mul %s, %ws : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %fb = tamp.dequantize %b, %bs : (tensor<2xi32>, tensor<f32>) -> tensor<2xf32>
  %c = tamp.conv %dq, %fw, %fb {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %qc = tamp.quantize %c, %os, %ozp : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xi8>
  %pool = tamp.max_pool %qc {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x2x4x4xi8>) -> tensor<1x2x2x2xi8>
  %d1 = tamp.dequantize %pool, %os, %ozp : (tensor<1x2x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2x2x2xf32>
  %d2 = tamp.dequantize %pool, %os, %ozp : (tensor<1x2x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2x2x2xf32>
  %sum = tamp.add %d1, %d2 : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %sum : tensor<1x2x2x2xf32>
}

// -----

// A matmul by a dequantized constant [K, N] weight quantized per column
// becomes tamp.linear with the weight transposed to [N, K] (per row); a
// matmul of two dequantized activations takes both quantized. Results not
// quantized again stay float.

// CHECK-LABEL: func.func @matmuls
// CHECK: %[[A:.*]] = quant.qcast %arg0 : tensor<2x2x3xf32> to tensor<2x2x3x!quant.uniform<u8:f32, 1.000000e+00>>
// CHECK: %[[W:.*]] = quant.scast %{{.*}} : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
// CHECK: %[[L:.*]] = tamp.linear %[[A]], %[[W]] : ({{.*}}) -> tensor<2x2x2xf32>
// CHECK: %[[B:.*]] = quant.qcast %arg1 : tensor<2x3x2xf32> to tensor<2x3x2x!quant.uniform<u8:f32, 1.000000e+00>>
// CHECK: %[[M:.*]] = tamp.matmul %[[A]], %[[B]] : ({{.*}}) -> tensor<2x2x2xf32>
// CHECK: return %[[L]], %[[M]]
// CHECK: quantized_weight: "0x01000000010305020406"
func.func @matmuls(%a: tensor<2x2x3xf32>, %b: tensor<2x3x2xf32>) -> (tensor<2x2x2xf32>, tensor<2x2x2xf32>) {
  %s = tamp.constant dense<1.0> : tensor<f32>
  %zp = tamp.constant dense<0> : tensor<ui8>
  %w = tamp.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi8>
  %ws = tamp.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %qa = tamp.quantize %a, %s, %zp : (tensor<2x2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x2x3xui8>
  %da = tamp.dequantize %qa, %s, %zp : (tensor<2x2x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x2x3xf32>
  %fw = tamp.dequantize %w, %ws {axis = 1 : i64} : (tensor<3x2xi8>, tensor<2xf32>) -> tensor<3x2xf32>
  %l = tamp.matmul %da, %fw : (tensor<2x2x3xf32>, tensor<3x2xf32>) -> tensor<2x2x2xf32>
  %qb = tamp.quantize %b, %s, %zp : (tensor<2x3x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3x2xui8>
  %db = tamp.dequantize %qb, %s, %zp : (tensor<2x3x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3x2xf32>
  %m = tamp.matmul %da, %db : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  return %l, %m : tensor<2x2x2xf32>, tensor<2x2x2xf32>
}

// -----

// A float op's quantized result that feeds both an integer kernel and a
// float op: the kernel takes the qcast, the float op the rounded values
// through tamp.quantize/tamp.dequantize (a quant.dcast of the quant.qcast
// would fold back to the unrounded value).

// CHECK-LABEL: func.func @round_trip
// CHECK: %[[SUM:.*]] = tamp.add
// CHECK: %[[Q:.*]] = quant.qcast %[[SUM]] : tensor<2x4xf32> to tensor<2x4x!quant.uniform<u8:f32, 2.500000e-01:3>>
// CHECK: %[[S:.*]] = tamp.constant dense<2.500000e-01> : tensor<f32>
// CHECK: %[[ZP:.*]] = tamp.constant dense<3> : tensor<ui8>
// CHECK: %[[RQ:.*]] = tamp.quantize %[[SUM]], %[[S]], %[[ZP]] : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
// CHECK: %[[RD:.*]] = tamp.dequantize %[[RQ]], %[[S]], %[[ZP]] : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
// CHECK: tamp.linear %[[Q]]
// CHECK: tamp.sigmoid %[[RD]]
func.func @round_trip(%x: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<2x4xf32>) {
  %s = tamp.constant dense<0.25> : tensor<f32>
  %zp = tamp.constant dense<3> : tensor<ui8>
  %q = tamp.quantize %x, %s, %zp : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  %dq = tamp.dequantize %q, %s, %zp : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
  %sum = tamp.add %dq, %dq : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %qs = tamp.quantize %sum, %s, %zp : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  %ds = tamp.dequantize %qs, %s, %zp : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
  %w = tamp.constant dense<1> : tensor<3x4xi8>
  %ws = tamp.constant dense<0.5> : tensor<f32>
  %fw = tamp.dequantize %w, %ws : (tensor<3x4xi8>, tensor<f32>) -> tensor<3x4xf32>
  %y = tamp.linear %ds, %fw : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %z = tamp.sigmoid %ds : tensor<2x4xf32>
  return %y, %z : tensor<2x3xf32>, tensor<2x4xf32>
}

// -----

// What the integer kernels do not take stays float: an asymmetric weight
// (zero point 1), an unsigned weight, a weight quantized per input channel,
// a blocked weight, a bias at another scale than x_scale * w_scale. Their
// inputs still become qcast/dcast pairs.

// CHECK-LABEL: func.func @unsupported_weights
// CHECK-COUNT-5: tamp.linear %{{.*}}, %{{.*}} : (tensor<2x4xf32>, tensor<3x4xf32>{{.*}}) -> tensor<2x3xf32>
// CHECK-NOT: quant.scast
func.func @unsupported_weights(%x: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %s = tamp.constant dense<0.5> : tensor<f32>
  %zp = tamp.constant dense<128> : tensor<ui8>
  %q = tamp.quantize %x, %s, %zp : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  %dq = tamp.dequantize %q, %s, %zp : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
  %w = tamp.constant dense<1> : tensor<3x4xi8>
  %ws = tamp.constant dense<0.25> : tensor<f32>
  %one = tamp.constant dense<1> : tensor<i8>
  %asymmetric = tamp.dequantize %w, %ws, %one : (tensor<3x4xi8>, tensor<f32>, tensor<i8>) -> tensor<3x4xf32>
  %y0 = tamp.linear %dq, %asymmetric : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %uw = tamp.constant dense<1> : tensor<3x4xui8>
  %unsigned = tamp.dequantize %uw, %ws : (tensor<3x4xui8>, tensor<f32>) -> tensor<3x4xf32>
  %y1 = tamp.linear %dq, %unsigned : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %cs = tamp.constant dense<[0.25, 0.5, 0.25, 0.5]> : tensor<4xf32>
  %columns = tamp.dequantize %w, %cs {axis = 1 : i64} : (tensor<3x4xi8>, tensor<4xf32>) -> tensor<3x4xf32>
  %y2 = tamp.linear %dq, %columns : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %bks = tamp.constant dense<0.25> : tensor<3x2xf32>
  %blocked = tamp.dequantize %w, %bks {axis = 1 : i64, block_size = 2 : i64} : (tensor<3x4xi8>, tensor<3x2xf32>) -> tensor<3x4xf32>
  %y3 = tamp.linear %dq, %blocked : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %symmetric = tamp.dequantize %w, %ws : (tensor<3x4xi8>, tensor<f32>) -> tensor<3x4xf32>
  %b = tamp.constant dense<1> : tensor<3xi32>
  %bs = tamp.constant dense<0.5> : tensor<f32>
  %fb = tamp.dequantize %b, %bs : (tensor<3xi32>, tensor<f32>) -> tensor<3xf32>
  %y4 = tamp.linear %dq, %symmetric, %fb : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y0, %y1, %y2, %y3, %y4 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Activations that the kernels do not take stay as imported: a scale that
// is not a constant, a per-axis activation, 16-bit storage, and a
// dequantize whose parameters differ from its quantize's.

// CHECK-LABEL: func.func @unsupported_activations
// CHECK-NOT: quant.
// CHECK-COUNT-4: tamp.quantize
// CHECK-NOT: quant.
func.func @unsupported_activations(%x: tensor<2x4xf32>, %scale: tensor<f32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  %zp = tamp.constant dense<0> : tensor<ui8>
  %q0 = tamp.quantize %x, %scale, %zp : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  %d0 = tamp.dequantize %q0, %scale, %zp : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
  %rows = tamp.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %q1 = tamp.quantize %x, %rows {axis = 0 : i64} : (tensor<2x4xf32>, tensor<2xf32>) -> tensor<2x4xi8>
  %d1 = tamp.dequantize %q1, %rows {axis = 0 : i64} : (tensor<2x4xi8>, tensor<2xf32>) -> tensor<2x4xf32>
  %s = tamp.constant dense<0.5> : tensor<f32>
  %q2 = tamp.quantize %x, %s : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x4xi16>
  %d2 = tamp.dequantize %q2, %s : (tensor<2x4xi16>, tensor<f32>) -> tensor<2x4xf32>
  %other = tamp.constant dense<0.25> : tensor<f32>
  %q3 = tamp.quantize %x, %s, %zp : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  %d3 = tamp.dequantize %q3, %other, %zp : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
  return %d0, %d1, %d2, %d3 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Float models come out unchanged.

// CHECK-LABEL: func.func @float
// CHECK-NEXT: %[[W:.*]] = tamp.constant
// CHECK-NEXT: %[[L:.*]] = tamp.linear %arg0, %[[W]]
// CHECK-NEXT: %[[R:.*]] = tamp.clamp %[[L]]
// CHECK-NEXT: return %[[R]]
func.func @float(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = tamp.constant dense<0.5> : tensor<3x4xf32>
  %l = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %r = tamp.clamp %l {min = 0.0 : f64} : tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// -----

// What tamp-quantize leaves after a float bias add and ReLU: the cast moves
// above the clamp and stays ahead of its new reader.
// CHECK-LABEL: func.func @cast_above_relu
// CHECK: %[[SUM:.*]] = tamp.add
// CHECK: %[[Q:.*]] = quant.qcast %[[SUM]] : tensor<2x3xf32> to tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK: %[[R:.*]] = tamp.clamp %[[Q]] {min = 0.000000e+00 : f64} : tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK: return %[[R]]
func.func @cast_above_relu(%x: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3x!quant.uniform<u8:f32, 0.1>> {
  %sum = tamp.add %x, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %relu = tamp.clamp %sum {min = 0.0 : f64} : tensor<2x3xf32>
  %q = quant.qcast %relu : tensor<2x3xf32> to tensor<2x3x!quant.uniform<u8:f32, 0.1>>
  return %q : tensor<2x3x!quant.uniform<u8:f32, 0.1>>
}
