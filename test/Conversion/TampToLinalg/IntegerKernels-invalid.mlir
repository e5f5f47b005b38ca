// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file -verify-diagnostics %s

!w = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>

func.func @runtime_weight(%x: tensor<3x4x!quant.uniform<u8:f32, 0.05:10>>, %w: tensor<2x4x!w>) -> tensor<3x2xf32> {
  // expected-error @+2 {{cannot lower tamp.linear: the weight of a quantized linear layer must be a constant}}
  // expected-error @+1 {{failed to legalize operation 'tamp.linear'}}
  %y = tamp.linear %x, %w : (tensor<3x4x!quant.uniform<u8:f32, 0.05:10>>, tensor<2x4x!w>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

!w = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>

func.func @huge_ratio(%x: tensor<3x4x!quant.uniform<u8:f32, 1.0e10:10>>) -> tensor<3x2x!quant.uniform<i8:f32, 1.0e-10>> {
  %c = arith.constant dense<1> : tensor<2x4xi8>
  %w = quant.scast %c : tensor<2x4xi8> to tensor<2x4x!w>
  // expected-error @+2 {{is out of the fixed-point range}}
  // expected-error @+1 {{failed to legalize operation 'tamp.linear'}}
  %y = tamp.linear %x, %w : (tensor<3x4x!quant.uniform<u8:f32, 1.0e10:10>>, tensor<2x4x!w>) -> tensor<3x2x!quant.uniform<i8:f32, 1.0e-10>>
  return %y : tensor<3x2x!quant.uniform<i8:f32, 1.0e-10>>
}

// -----

func.func @per_axis_qcast(%x: tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>> {
  // expected-error @+2 {{cannot lower quant.qcast: only per-tensor 8-bit quantization of f32 tensors is lowered}}
  // expected-error @+1 {{failed to legalize operation 'quant.qcast'}}
  %q = quant.qcast %x : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>
  return %q : tensor<2x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>
}

// -----

func.func @broadcast_batch(%a: tensor<2x3x4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<1x4x5x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x3x5xf32> {
  // expected-error @+2 {{cannot lower tamp.matmul: quantized matmul needs a 2-D right-hand side or equal batch dimensions}}
  // expected-error @+1 {{failed to legalize operation 'tamp.matmul'}}
  %y = tamp.matmul %a, %b : (tensor<2x3x4x!quant.uniform<i8:f32, 0.1>>, tensor<1x4x5x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}
