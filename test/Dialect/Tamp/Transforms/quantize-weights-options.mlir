// RUN: tamp-opt %s --tamp-quantize-weights="ops=conv" | FileCheck %s --check-prefix=CONV
// RUN: tamp-opt %s --tamp-quantize-weights="ops=tamp.linear" | FileCheck %s --check-prefix=LINEAR
// RUN: tamp-opt %s --tamp-quantize-weights="keep-float=^classifier" | FileCheck %s --check-prefix=KEEP

// `ops` selects ops by name (with or without the dialect prefix);
// `keep-float` keeps ops whose location names (ONNX node names) match.

// CONV-LABEL: func.func @model
// CONV: tamp.dequantize
// CONV: tamp.conv
// CONV-NOT: tamp.dequantize
// CONV: tamp.linear %{{.*}}, %{{.*}} : (tensor<1x32xf32>, tensor<2x32xf32>)

// LINEAR-LABEL: func.func @model
// LINEAR-NOT: tamp.dequantize
// LINEAR: tamp.conv
// LINEAR: tamp.dequantize
// LINEAR: tamp.linear

// KEEP-LABEL: func.func @model
// KEEP: tamp.dequantize
// KEEP: tamp.conv
// KEEP-NOT: tamp.dequantize
// KEEP: tamp.linear
func.func @model(%x: tensor<1x1x5x5xf32>) -> tensor<1x2xf32> {
  %k = tamp.constant dense<0.5> : tensor<2x1x2x2xf32>
  %c = tamp.conv %x, %k {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x1x5x5xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x4x4xf32> loc("features/conv")
  %shape = tamp.constant dense<[1, 32]> : tensor<2xi64>
  %flat = tamp.reshape %c, %shape : (tensor<1x2x4x4xf32>, tensor<2xi64>) -> tensor<1x32xf32>
  %w = tamp.constant dense<0.25> : tensor<2x32xf32>
  %y = tamp.linear %flat, %w : (tensor<1x32xf32>, tensor<2x32xf32>) -> tensor<1x2xf32> loc(fused["classifier/fc", "x.onnx":1:1])
  return %y : tensor<1x2xf32>
}
