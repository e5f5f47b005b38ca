// RUN: tamp-opt %s --tamp-sparsify="pattern=unstructured ratio=0.5 format=dense" | FileCheck %s --check-prefix=MAGNITUDE
// RUN: tamp-opt %s --tamp-sparsify="pattern=unstructured ratio=0.5 score=activation format=dense" | FileCheck %s --check-prefix=WANDA
// RUN: tamp-opt %s --tamp-sparsify="pattern=unstructured ratio=0.625" | FileCheck %s --check-prefix=AUTO
// RUN: tamp-opt %s --tamp-sparsify="pattern=unstructured ratio=0.625 min-ell-sparsity=0.5" | FileCheck %s --check-prefix=ELL

// Unstructured magnitude sparsity ranks all weights of the layer: half of
// them go, three of row 0's. Activation-aware sparsity (abs_mean
// weighs input 3 by 100) ranks each row on its own, as Wanda does.
// MAGNITUDE: tamp.constant dense<{{\[}}[0.000000e+00, 0.000000e+00, 0.000000e+00, 8.000000e+00], [5.000000e+00, 6.000000e+00, 7.000000e+00, 0.000000e+00]]>
// MAGNITUDE: tamp.linear {{.*}}pattern = "unstructured", score = "magnitude", sparsity = 5.000000e-01 : f64
// WANDA: tamp.constant dense<{{\[}}[0.000000e+00, 0.000000e+00, 3.000000e+00, 8.000000e+00], [0.000000e+00, 0.000000e+00, 7.000000e+00, 1.000000e-01]]>
// WANDA: tamp.linear {{.*}}score = "activation", sparsity = 5.000000e-01

// At 62.5% the fullest row keeps 2 of 4 weights, so the ELL form is only
// 50% sparse: below the default min-ell-sparsity, the layer stays dense.
// With the bound lowered, each output's kept values and columns (i8 up to
// 128 columns), padded to two per output: row 0 keeps one, and a zero at
// column 0.
// AUTO: tamp.linear {{.*}}format = "dense"
// ELL-DAG: %[[V:.*]] = tamp.constant dense<{{\[}}{{\[}}[8.000000e+00, 6.000000e+00], [0.000000e+00, 7.000000e+00]]]> : tensor<1x2x2xf32>
// ELL-DAG: %[[I:.*]] = tamp.constant dense<{{\[}}{{\[}}[3, 1], [0, 2]]]> : tensor<1x2x2xi8>
// ELL: tamp.sparse_linear %arg0, %[[V]], %[[I]] {group_size = 4 : i64, tamp.calibration = {{.*}}, tamp.sparsity = {format = "ell", pattern = "unstructured", score = "magnitude", sparsity = 6.250000e-01 : f64}}
func.func @linear(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<[[1.0, 2.0, 3.0, 8.0], [5.0, 6.0, 7.0, 0.1]]> : tensor<2x4xf32>
  %y = tamp.linear %x, %w {tamp.calibration = {operand0 = {abs_mean = dense<[1.0, 1.0, 1.0, 100.0]> : tensor<4xf32>}}}
      : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
