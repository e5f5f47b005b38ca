// RUN: tamp-opt --split-input-file --tamp-reconstruct="damping=0" %s | FileCheck %s

// Inputs x in {1, 2} (equally often) and original outputs y = 3x + 1:
// E[x^2] = 2.5, E[x] = 1.5, E[xy] = 9, E[y] = 5.5. The least-squares fit
// recovers weight 3 and a new bias 1.
// CHECK-LABEL: func.func @linear
// CHECK-DAG: %[[W:.*]] = tamp.constant dense<3.000000e+00> : tensor<1x1xf32>
// CHECK-DAG: %[[B:.*]] = tamp.constant dense<{{1.0000[0-9]*|1.000000e\+00}}> : tensor<1xf32>
// CHECK: tamp.linear %arg0, %[[W]], %[[B]] :
// CHECK-NOT: tamp.reconstruction
func.func @linear(%x: tensor<2x1xf32>) -> tensor<2x1xf32> {
  %w = tamp.constant dense<0.5> : tensor<1x1xf32>
  %y = tamp.linear %x, %w {tamp.reconstruction = {gram = dense<[[2.5, 1.5], [1.5, 1.0]]> : tensor<2x2xf64>, cross = dense<[[9.0], [5.5]]> : tensor<2x1xf64>, rows = 2 : i64}} : (tensor<2x1xf32>, tensor<1x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

// A sparse weight keeps its zeros: row 0 is re-fit on input 1 only. With
// independent unit-variance inputs and targets y0 = 2 x0 + 5 x1, y1 = x0,
// row 0 becomes [0, 5], row 1 (dense) [1, 0].
// CHECK-LABEL: func.func @sparse
// CHECK: tamp.constant dense<{{\[\[}}0.000000e+00, 5.000000e+00], [1.000000e+00, 0.000000e+00]]>
func.func @sparse(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = tamp.constant dense<[[0.0, 4.0], [1.0, 1.0]]> : tensor<2x2xf32>
  %y = tamp.linear %x, %w {tamp.reconstruction = {gram = dense<[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]> : tensor<3x3xf64>, cross = dense<[[2.0, 1.0], [5.0, 0.0], [0.0, 0.0]]> : tensor<3x2xf64>, rows = 4 : i64}} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

