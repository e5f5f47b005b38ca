// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file -verify-diagnostics %s
// Tensor ops, or attribute combinations, that the lowering reports instead of
// mis-compiling.

// A string constant that stays inside the function reaches its pattern.
func.func @string_constant() -> tensor<1xi1> {
  // expected-error @+2 {{cannot lower tamp.constant: string constants have no lowering}}
  // expected-error @+1 {{failed to legalize operation 'tamp.constant'}}
  %0 = tamp.constant dense<["a"]> : tensor<1x!tamp.string>
  %1 = tamp.equal %0, %0 : (tensor<1x!tamp.string>, tensor<1x!tamp.string>) -> tensor<1xi1>
  return %1 : tensor<1xi1>
}

// -----

func.func @reflect_single_element(%x: tensor<1xf32>) -> tensor<3xf32> {
  %p = tamp.constant dense<[1, 1]> : tensor<2xi64>
  // expected-error @+2 {{cannot lower tamp.pad: too few elements to pad in this mode along dimension 0}}
  // expected-error @+1 {{failed to legalize operation 'tamp.pad'}}
  %0 = tamp.pad %x, %p {mode = #tamp.pad_mode<reflect>} : (tensor<1xf32>, tensor<2xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @cast_to_float8(%x: tensor<4xf32>) -> tensor<4xf8E4M3FN> {
  // expected-error @+2 {{cannot lower tamp.cast: casts to 8-bit and smaller floats are not supported yet}}
  // expected-error @+1 {{failed to legalize operation 'tamp.cast'}}
  %0 = tamp.cast %x : tensor<4xf32> to tensor<4xf8E4M3FN>
  return %0 : tensor<4xf8E4M3FN>
}

// -----

func.func @gather_nd(%x: tensor<2x2xf32>, %i: tensor<2x1xi64>) -> tensor<2x2xf32> {
  // expected-error @+2 {{cannot lower tamp.gather_nd: this op has no lowering yet}}
  // expected-error @+1 {{failed to legalize operation 'tamp.gather_nd'}}
  %0 = tamp.gather_nd %x, %i : (tensor<2x2xf32>, tensor<2x1xi64>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
