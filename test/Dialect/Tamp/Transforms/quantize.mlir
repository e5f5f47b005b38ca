// RUN: tamp-opt %s --tamp-quantize --split-input-file | FileCheck %s
// RUN: tamp-opt %s --tamp-quantize="activation-type=i8 keep-float=^fc$" --split-input-file | FileCheck %s --check-prefix=OPTS

// A conv -> relu -> max_pool -> reshape -> linear chain stays integer: the
// conv's result takes the linear's input parameters (range [0, 1] of the
// calibration: u8 scale 1/255, zero point 0), the ops between carry them,
// and only the function's float input is quantized (qcast). The weights
// become per-channel symmetric int8 constants, the bias i32 at
// input_scale * weight_scale; the float constants are gone.

// CHECK-LABEL: func.func @chain
// CHECK-NOT: arith.constant dense<{{.*}}> : tensor<2x1x1x1xf32>
// CHECK: %[[X:.*]] = quant.qcast %arg0 : tensor<1x1x4x4xf32> to tensor<1x1x4x4x!quant.uniform<u8:f32, 0.0078431377187371254:127>>
// CHECK: %[[W:.*]] = arith.constant dense_resource<quantized_weight> : tensor<2x1x1x1xi8>
// CHECK: %[[QW:.*]] = quant.scast %[[W]] : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.0078740157186985015,0.0039370078593492508}>>
// CHECK: %[[B:.*]] = arith.constant dense<[1619, -6477]> : tensor<2xi32>
// CHECK: %[[C:.*]] = tamp.conv %[[X]], %[[QW]], %[[B]]
// CHECK-SAME: -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.0039215688593685627>>
// CHECK-NOT: tamp.calibration
// CHECK: %[[R:.*]] = tamp.clamp %[[C]] {min = 0.000000e+00 : f64} : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.0039215688593685627>>
// CHECK: %[[P:.*]] = tamp.max_pool %[[R]] {{.*}} -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.0039215688593685627>>
// CHECK: %[[F:.*]] = tamp.reshape %[[P]], {{.*}} -> tensor<1x8x!quant.uniform<u8:f32, 0.0039215688593685627>>
// CHECK: %[[FW:.*]] = quant.scast {{.*}} : tensor<2x8xi8> to tensor<2x8x!quant.uniform<i8<-127:127>:f32:0, {0.0019685039296746254,0.0019685039296746254}>>
// CHECK: %[[Y:.*]] = tamp.linear %[[F]], %[[FW]] : {{.*}} -> tensor<1x2xf32>
// CHECK: return %[[Y]]
// CHECK: quantized_weight: "0x010000007F81"

// With i8 activations the same ranges give zero points shifted by -128, and
// the op named fc stays float: the conv's result is then float too.
// OPTS-LABEL: func.func @chain
// OPTS: quant.qcast %arg0 : tensor<1x1x4x4xf32> to tensor<1x1x4x4x!quant.uniform<i8:f32, 0.0078431377187371254:-1>>
// OPTS: tamp.conv {{.*}} -> tensor<1x2x4x4xf32>
// OPTS: tamp.clamp {{.*}} : tensor<1x2x4x4xf32>
// OPTS: tamp.linear {{.*}} : (tensor<1x8xf32>, tensor<2x8xf32>) -> tensor<1x2xf32>
func.func @chain(%x: tensor<1x1x4x4xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[[[1.0]]], [[[-0.5]]]]> : tensor<2x1x1x1xf32>
  %b = arith.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %conv = tamp.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
      tamp.calibration = {samples = 4 : i64, operand0 = {minmax = array<f64: -1.0, 1.0>, percentile = array<f64: -0.5, 0.5>}}}
      : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %relu = tamp.clamp %conv {min = 0.0 : f64} : tensor<1x2x4x4xf32>
  %pool = tamp.max_pool %relu {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %shape = arith.constant dense<[1, 8]> : tensor<2xi64>
  %flat = tamp.reshape %pool, %shape : (tensor<1x2x2x2xf32>, tensor<2xi64>) -> tensor<1x8xf32>
  %fc = arith.constant dense<0.25> : tensor<2x8xf32>
  %out = tamp.linear %flat, %fc {tamp.calibration = {samples = 4 : i64, operand0 = {minmax = array<f64: 0.0, 1.0>}}}
      : (tensor<1x8xf32>, tensor<2x8xf32>) -> tensor<1x2xf32> loc("fc")
  return %out : tensor<1x2xf32>
}

// -----

// A result used twice (here by a float add) stays float; an op without
// calibration stays float; activation-by-activation matmul quantizes both
// operands.
// CHECK-LABEL: func.func @boundaries
// CHECK: quant.qcast %arg0 : tensor<2x4xf32> to tensor<2x4x!quant.uniform<u8:f32, 0.0078431377187371254:127>>
// CHECK: %[[L:.*]] = tamp.linear {{.*}} -> tensor<2x4xf32>
// CHECK: tamp.add %[[L]], %[[L]]
// CHECK: %[[A:.*]] = quant.qcast %[[L]] : tensor<2x4xf32> to tensor<2x4x!quant.uniform<u8:f32, 0.0078431377187371254:127>>
// CHECK: %[[B:.*]] = quant.qcast %arg1 : tensor<4x3xf32> to tensor<4x3x!quant.uniform<u8:f32, 0.0039215688593685627>>
// CHECK: tamp.matmul %[[A]], %[[B]] : {{.*}} -> tensor<2x3xf32>
// CHECK: tamp.linear %arg0, %cst : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
func.func @boundaries(%x: tensor<2x4xf32>, %y: tensor<4x3xf32>) -> (tensor<2x4xf32>, tensor<2x3xf32>, tensor<2x4xf32>) {
  %w = arith.constant dense<0.5> : tensor<4x4xf32>
  %l = tamp.linear %x, %w {tamp.calibration = {operand0 = {minmax = array<f64: -1.0, 1.0>}}} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %sum = tamp.add %l, %l : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %m = tamp.matmul %l, %y {tamp.calibration = {operand0 = {minmax = array<f64: -1.0, 1.0>}, operand1 = {minmax = array<f64: 0.0, 1.0>}}} : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %plain = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %sum, %m, %plain : tensor<2x4xf32>, tensor<2x3xf32>, tensor<2x4xf32>
}

// -----

// A layer that already has an activation epilogue (tamp-fuse-activation ran
// first) stays float: integer kernels have no such epilogue.

// CHECK-LABEL: func.func @fused_activation
// CHECK-NOT: quant.qcast
// CHECK: tamp.linear %arg0, %{{.*}} {activation = #tamp.activation<gelu>{{.*}}} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
func.func @fused_activation(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 0.5], [-0.5, 1.0]]> : tensor<2x2xf32>
  %y = tamp.linear %x, %w {activation = #tamp.activation<gelu>,
      tamp.calibration = {samples = 4 : i64, operand0 = {minmax = array<f64: -1.0, 1.0>}, result0 = {minmax = array<f64: -1.0, 1.0>}}}
      : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
