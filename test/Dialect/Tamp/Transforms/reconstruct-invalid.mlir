// RUN: tamp-opt --split-input-file --verify-diagnostics --tamp-reconstruct %s

func.func @wrong_size(%x: tensor<2x1xf32>) -> tensor<2x1xf32> {
  %w = tamp.constant dense<0.5> : tensor<1x1xf32>
  // expected-error @below {{tamp.reconstruction must hold `gram` (2x2) and `cross` (2x1) float tensors for this layer}}
  %y = tamp.linear %x, %w {tamp.reconstruction = {gram = dense<1.0> : tensor<3x3xf64>, cross = dense<1.0> : tensor<2x1xf64>}} : (tensor<2x1xf32>, tensor<1x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

func.func @not_definite(%x: tensor<2x1xf32>) -> tensor<2x1xf32> {
  %w = tamp.constant dense<0.5> : tensor<1x1xf32>
  // expected-error @below {{the reconstruction system is not positive definite; increase damping}}
  %y = tamp.linear %x, %w {tamp.reconstruction = {gram = dense<[[-1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf64>, cross = dense<1.0> : tensor<2x1xf64>}} : (tensor<2x1xf32>, tensor<1x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}
