// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file -verify-diagnostics %s
// Quantized storage types the lowering does not handle yet.

func.func @quantize_float8(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf8E4M3FN> {
  // expected-error @+2 {{cannot lower tamp.quantize: quantizing to floating-point storage types is not supported yet}}
  // expected-error @+1 {{failed to legalize operation 'tamp.quantize'}}
  %0 = tamp.quantize %x, %s : (tensor<4xf32>, tensor<f32>) -> tensor<4xf8E4M3FN>
  return %0 : tensor<4xf8E4M3FN>
}

// -----

func.func @dequantize_float8(%x: tensor<4xf8E4M3FN>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+2 {{cannot lower tamp.dequantize: dequantizing floating-point storage types is not supported yet}}
  // expected-error @+1 {{failed to legalize operation 'tamp.dequantize'}}
  %0 = tamp.dequantize %x, %s : (tensor<4xf8E4M3FN>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
