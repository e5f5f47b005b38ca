// RUN: tamp-opt %s -split-input-file --tamp-sparsify="pattern=2:4 format=dense" | FileCheck %s --check-prefix=DENSE
// RUN: tamp-opt %s -split-input-file --tamp-sparsify="pattern=2:4 score=activation format=dense" | FileCheck %s --check-prefix=WANDA
// RUN: tamp-opt %s -split-input-file --tamp-sparsify="pattern=2:4" | FileCheck %s --check-prefix=AUTO

// 2:4 keeps the two largest |w| of every four consecutive inputs of a row.
// With activation-aware scores (|w| * ||x_j||, ||x_j|| = sqrt(H_jj) from the
// calibration Hessian's diagonal) the small weights of the loud inputs 0
// and 3 win instead. At batch 1 the cost rule compresses the layer: values
// and i8 positions, [groups, kept, outputs].
// DENSE-LABEL: func.func @linear
// DENSE: %[[W:.*]] = tamp.constant dense<{{\[}}[4.000000e+00, 0.000000e+00, -3.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 2.000000e+00, 1.000000e+00], [0.000000e+00, 0.000000e+00, 8.000000e+00, 9.000000e+00, 7.000000e+00, 0.000000e+00, 5.000000e+00, 0.000000e+00]]> : tensor<2x8xf32>
// DENSE: tamp.linear %arg0, %[[W]], %arg1 {tamp.calibration = {{.*}}, tamp.sparsity = {format = "dense", pattern = "2:4", score = "magnitude", sparsity = 5.000000e-01 : f64}}
// WANDA: %[[W:.*]] = tamp.constant dense<{{\[}}[4.000000e+00, 0.000000e+00, 0.000000e+00, 1.000000e-01, 5.000000e-01, 0.000000e+00, 0.000000e+00, 1.000000e+00], [1.000000e+00, 0.000000e+00, 0.000000e+00, 9.000000e+00, 7.000000e+00, 0.000000e+00, 0.000000e+00, 3.000000e+00]]> : tensor<2x8xf32>
// WANDA: tamp.linear %arg0, %[[W]], %arg1 {{.*}}score = "activation"
// AUTO-DAG: %[[V:.*]] = tamp.constant dense<{{\[}}{{\[}}[4.000000e+00, 8.000000e+00], [-3.000000e+00, 9.000000e+00]], {{\[}}[2.000000e+00, 7.000000e+00], [1.000000e+00, 5.000000e+00]]]> : tensor<2x2x2xf32>
// AUTO-DAG: %[[I:.*]] = tamp.constant dense<{{\[}}{{\[}}[0, 2], [2, 3]], {{\[}}[2, 0], [3, 2]]]> : tensor<2x2x2xi8>
// AUTO: %[[Y:.*]] = tamp.sparse_linear %arg0, %[[V]], %[[I]], %arg1 {group_size = 4 : i64, tamp.calibration = {{.*}}, tamp.sparsity = {format = "2:4", pattern = "2:4", score = "magnitude", sparsity = 5.000000e-01 : f64}}
// AUTO-SAME: (tensor<1x8xf32>, tensor<2x2x2xf32>, tensor<2x2x2xi8>, tensor<2xf32>) -> tensor<1x2xf32>
// AUTO: return %[[Y]]
func.func @linear(%x: tensor<1x8xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<[[4.0, 0.5, -3.0, 0.1, 0.5, 0.2, 2.0, 1.0],
                            [1.0, 0.5, 8.0, 9.0, 7.0, 2.0, 5.0, 3.0]]> : tensor<2x8xf32>
  %y = tamp.linear %x, %w, %b {tamp.calibration = {hessian = dense<[
      [100.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
      [0.0, 0.0, 0.01, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 10000.0, 0.0, 0.0, 0.0, 0.0],
      [0.0, 0.0, 0.0, 0.0, 100.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0],
      [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.01, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 100.0]]> : tensor<8x8xf32>}}
      : (tensor<1x8xf32>, tensor<2x8xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// The cost rule keeps layers with more rows than max-compressed-rows dense
// (the dense kernel reuses each weight across rows).
// AUTO-LABEL: func.func @many_rows
// AUTO: tamp.linear {{.*}}tamp.sparsity = {format = "dense", pattern = "2:4"
// AUTO-NOT: tamp.sparse_linear
func.func @many_rows(%x: tensor<16x8xf32>) -> tensor<16x2xf32> {
  %w = tamp.constant dense<[[4.0, 0.5, -3.0, 0.1, 0.5, 0.2, 2.0, 1.0],
                            [1.0, 0.5, 8.0, 9.0, 7.0, 2.0, 5.0, 3.0]]> : tensor<2x8xf32>
  %y = tamp.linear %x, %w : (tensor<16x8xf32>, tensor<2x8xf32>) -> tensor<16x2xf32>
  return %y : tensor<16x2xf32>
}

// -----

// Convolutions group along the input channels at each kernel position and
// stay dense. By magnitude, kernel position 0 keeps channels 0 and 3 (3.0,
// 2.0); abs_mean (no Hessian) weighs input channel 1 by 10, so with
// activation-aware scores its 0.5 (score 5) beats channel 3's 2.0.
// DENSE-LABEL: func.func @conv
// DENSE: %[[W:.*]] = tamp.constant dense<{{\[}}{{\[}}{{\[}}[3.000000e+00, 0.000000e+00]], {{\[}}[0.000000e+00, 4.000000e+00]], {{\[}}[0.000000e+00, 0.000000e+00]], {{\[}}[2.000000e+00, 5.000000e+00]]]]> : tensor<1x4x1x2xf32>
// DENSE: tamp.conv {{.*}}, %[[W]]
// WANDA: %[[W:.*]] = tamp.constant dense<{{\[}}{{\[}}{{\[}}[3.000000e+00, 0.000000e+00]], {{\[}}[5.000000e-01, 4.000000e+00]], {{\[}}[0.000000e+00, 0.000000e+00]], {{\[}}[0.000000e+00, 5.000000e+00]]]]> : tensor<1x4x1x2xf32>
// WANDA: tamp.conv {{.*}}, %[[W]] {{.*}}tamp.sparsity = {format = "dense", pattern = "2:4", score = "activation", sparsity = 5.000000e-01 : f64}
func.func @conv(%x: tensor<1x4x3x3xf32>) -> tensor<1x1x3x2xf32> {
  %w = tamp.constant dense<[[[[3.0, 0.1]], [[0.5, 4.0]], [[1.0, 0.2]], [[2.0, 5.0]]]]> : tensor<1x4x1x2xf32>
  %y = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
      tamp.calibration = {operand0 = {abs_mean = dense<[1.0, 10.0, 1.0, 1.0]> : tensor<4xf32>}}}
      : (tensor<1x4x3x3xf32>, tensor<1x4x1x2xf32>) -> tensor<1x1x3x2xf32>
  return %y : tensor<1x1x3x2xf32>
}

// -----

// A grouped convolution's abs_mean counts the input channels of all groups:
// output 0 (group 0) weighs its inputs by channels 0-3, output 1 by 4-7.
// By magnitude, ties keep the first two of each group.
// DENSE-LABEL: func.func @grouped_conv
// DENSE: tamp.constant dense<{{\[}}{{\[}}{{\[}}[1.000000e+00]], {{\[}}[1.000000e+00]], {{\[}}[0.000000e+00]], {{\[}}[0.000000e+00]]], {{\[}}{{\[}}[1.000000e+00]], {{\[}}[1.000000e+00]], {{\[}}[0.000000e+00]], {{\[}}[0.000000e+00]]]]>
// WANDA-LABEL: func.func @grouped_conv
// WANDA: tamp.constant dense<{{\[}}{{\[}}{{\[}}[0.000000e+00]], {{\[}}[0.000000e+00]], {{\[}}[1.000000e+00]], {{\[}}[1.000000e+00]]], {{\[}}{{\[}}[1.000000e+00]], {{\[}}[1.000000e+00]], {{\[}}[0.000000e+00]], {{\[}}[0.000000e+00]]]]>
func.func @grouped_conv(%x: tensor<1x8x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = tamp.constant dense<1.0> : tensor<2x4x1x1xf32>
  %y = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2 : i64,
      tamp.calibration = {operand0 = {abs_mean = dense<[1.0, 2.0, 3.0, 4.0, 40.0, 30.0, 20.0, 10.0]> : tensor<8xf32>}}}
      : (tensor<1x8x2x2xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
