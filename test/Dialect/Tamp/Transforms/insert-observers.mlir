// RUN: tamp-opt %s --tamp-insert-observers --split-input-file | FileCheck %s

// Each quantizable op's float activations (not its weight) become extra
// results named by op index and role, after the original results.

// CHECK-LABEL: func.func @conv_then_linear
// CHECK-SAME: -> (tensor<1x4xf32> {tamp.name = "logits"},
// CHECK-SAME: tensor<1x3x8x8xf32> {tamp.name = "tamp.observe.0.operand0"},
// CHECK-SAME: tensor<1x4x8x8xf32> {tamp.name = "tamp.observe.0.result0"},
// CHECK-SAME: tensor<1x256xf32> {tamp.name = "tamp.observe.1.operand0"},
// CHECK-SAME: tensor<1x4xf32> {tamp.name = "tamp.observe.1.result0"})
// CHECK: %[[CONV:.*]] = tamp.conv %[[X:[^,]*]],
// CHECK: %[[RELU:.*]] = tamp.clamp %[[CONV]]
// CHECK: %[[FLAT:.*]] = tamp.reshape %[[RELU]]
// CHECK: %[[OUT:.*]] = tamp.linear %[[FLAT]],
// CHECK: return %[[OUT]], %[[X]], %[[CONV]], %[[FLAT]], %[[OUT]]
func.func @conv_then_linear(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %fc: tensor<4x256xf32>)
    -> (tensor<1x4xf32> {tamp.name = "logits"}) {
  %conv = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  %relu = tamp.clamp %conv {min = 0.0 : f64} : tensor<1x4x8x8xf32>
  %shape = arith.constant dense<[1, 256]> : tensor<2xi64>
  %flat = tamp.reshape %relu, %shape : (tensor<1x4x8x8xf32>, tensor<2xi64>) -> tensor<1x256xf32>
  %out = tamp.linear %flat, %fc : (tensor<1x256xf32>, tensor<4x256xf32>) -> tensor<1x4xf32>
  return %out : tensor<1x4xf32>
}

// -----

// Both operands of an activation-by-activation matmul are observed.
// CHECK-LABEL: func.func @attention_scores
// CHECK-SAME: {tamp.name = "tamp.observe.0.operand0"}
// CHECK-SAME: {tamp.name = "tamp.observe.0.operand1"}
// CHECK-SAME: {tamp.name = "tamp.observe.0.result0"}
func.func @attention_scores(%q: tensor<2x8x16xf32>, %k: tensor<2x16x8xf32>) -> tensor<2x8x8xf32> {
  %s = tamp.matmul %q, %k : (tensor<2x8x16xf32>, tensor<2x16x8xf32>) -> tensor<2x8x8xf32>
  return %s : tensor<2x8x8xf32>
}

// -----

// Integer activations (an already-quantized model) and private functions
// are left alone.
// CHECK-LABEL: func.func @integer_matmul
// CHECK-SAME: -> tensor<2x2xi32> {
func.func @integer_matmul(%a: tensor<2x3xi32>, %b: tensor<3x2xi32>) -> tensor<2x2xi32> {
  %0 = tamp.matmul %a, %b : (tensor<2x3xi32>, tensor<3x2xi32>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}
// CHECK-LABEL: func.func private @helper
// CHECK-SAME: -> tensor<2x2xf32> {
func.func private @helper(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %0 = tamp.matmul %a, %b : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// With after-activation, a result feeding only a clamp is observed after it;
// quantized activations come back dequantized.
// RUN: tamp-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tamp-insert-observers{after-activation=true}))' | FileCheck %s --check-prefix=AFTER
// AFTER-LABEL: func.func @relu_after_linear
// AFTER: %[[LINEAR:.*]] = tamp.linear
// AFTER: %[[RELU:.*]] = tamp.clamp %[[LINEAR]]
// AFTER: %[[SEEN:.*]] = quant.dcast %[[RELU]] : tensor<1x4x!quant.uniform<u8:f32, 5.000000e-01>> to tensor<1x4xf32>
// AFTER: return %[[RELU]], %{{.*}}, %[[SEEN]] :
func.func @relu_after_linear(%x: tensor<1x8x!quant.uniform<u8:f32, 0.25>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.1>>)
    -> tensor<1x4x!quant.uniform<u8:f32, 0.5>> {
  %0 = tamp.linear %x, %w : (tensor<1x8x!quant.uniform<u8:f32, 0.25>>, tensor<4x8x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x4x!quant.uniform<u8:f32, 0.5>>
  %1 = tamp.clamp %0 {min = 0.0 : f64} : tensor<1x4x!quant.uniform<u8:f32, 0.5>>
  return %1 : tensor<1x4x!quant.uniform<u8:f32, 0.5>>
}
