// RUN: tamp-opt %s --tamp-quantize-dynamic --split-input-file | FileCheck %s
// RUN: tamp-opt %s --tamp-quantize-dynamic="activation-type=u8 keep-float=skip" --split-input-file | FileCheck %s --check-prefix=OPTS

// A linear layer with a constant weight: the input is quantized at run time
// (tamp.dynamic_quantize), the weight per output channel at compile time,
// and tamp.linear_integer computes the f32 result with the float bias.
// CHECK-LABEL: func.func @linear
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1.000000e-01, 2.000000e-01]> : tensor<2xf32>
// CHECK: %[[Q:.*]], %[[S:.*]], %[[Z:.*]] = tamp.dynamic_quantize %arg0 : (tensor<3x4xf32>) -> (tensor<3x4xi8>, tensor<f32>, tensor<i8>)
// CHECK: %[[W:.*]] = quant.scast {{.*}} : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.0078740157186985015,0.015748031437397003}>>
// CHECK: %[[Y:.*]] = tamp.linear_integer %[[Q]], %[[S]], %[[Z]], %[[W]], %[[B]]
// CHECK-SAME: -> tensor<3x2xf32>
// CHECK: return %[[Y]]
// CHECK: quantized_weight: "0x010000007F81007F407F407F"

// OPTS-LABEL: func.func @linear
// OPTS: tamp.dynamic_quantize %arg0 : (tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>)
func.func @linear(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0, 0.0, 1.0], [1.0, 2.0, 1.0, 2.0]]> : tensor<2x4xf32>
  %b = arith.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %y = tamp.linear %x, %w, %b : (tensor<3x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// A weight that is not a constant, and an op kept float by name, stay as
// they are.
// CHECK-LABEL: func.func @kept
// CHECK: tamp.linear %arg0, %arg1
// OPTS-LABEL: func.func @kept
// OPTS: tamp.linear %arg0, %arg1
// OPTS: tamp.linear %arg0, %cst :
func.func @kept(%x: tensor<3x4xf32>, %w: tensor<2x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %y = tamp.linear %x, %w : (tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<3x2xf32>
  %c = arith.constant dense<1.0> : tensor<2x4xf32>
  %z = tamp.linear %x, %c : (tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<3x2xf32> loc("skip")
  return %y, %z : tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// A fused activation keeps the layer float (tamp.linear_integer has no
// epilogue).

// CHECK-LABEL: func.func @fused_activation
// CHECK-NOT: tamp.dynamic_quantize
// CHECK: tamp.linear %arg0, %{{.*}} {activation = #tamp.activation<sigmoid>}
func.func @fused_activation(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 0.5], [-0.5, 1.0]]> : tensor<2x2xf32>
  %y = tamp.linear %x, %w {activation = #tamp.activation<sigmoid>} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
