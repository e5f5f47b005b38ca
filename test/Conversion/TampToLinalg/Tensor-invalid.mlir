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

func.func @resize_crop_runtime_roi(%x: tensor<1x1x2x2xf32>, %roi: tensor<8xf32>) -> tensor<1x1x4x4xf32> {
  %s = tamp.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  // expected-error @+2 {{cannot lower tamp.resize: tf_crop_and_resize needs a constant roi}}
  // expected-error @+1 {{failed to legalize operation 'tamp.resize'}}
  %0 = tamp.resize %x roi %roi scales %s {mode = #tamp.resize_mode<linear>, coordinate_transform = #tamp.coordinate_transform<tf_crop_and_resize>} : (tensor<1x1x2x2xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

func.func @resize_runtime_scales(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+2 {{cannot lower tamp.resize: scales must be constants}}
  // expected-error @+1 {{failed to legalize operation 'tamp.resize'}}
  %0 = tamp.resize %x scales %s : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}
