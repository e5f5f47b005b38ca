// RUN: tamp-opt %s --tamp-sparsify="pattern=2:4 format=compressed" | FileCheck %s

// tamp.sparse_linear has no activation epilogue: a linear layer with a fused
// ReLU is sparsified in place (its zeros kept in the dense weight) instead of
// losing the ReLU.
// CHECK-LABEL: func.func @fused_relu
// CHECK-NOT: tamp.sparse_linear
// CHECK: %[[W:.*]] = tamp.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 3.000000e+00, 4.000000e+00]]>
// CHECK: tamp.linear %arg0, %[[W]] {activation = #tamp.activation<clamp>, activation_min = 0.000000e+00 : f64
func.func @fused_relu(%x: tensor<1x4xf32>) -> tensor<1x1xf32> {
  %w = tamp.constant dense<[[1.0, 2.0, 3.0, 4.0]]> : tensor<1x4xf32>
  %y = tamp.linear %x, %w {activation = #tamp.activation<clamp>, activation_min = 0.0 : f64} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
