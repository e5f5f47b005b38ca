// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file -verify-diagnostics %s
// Math ops, or operand types, that the lowering reports instead of
// mis-compiling.

func.func @log_sum_exp_integer(%x: tensor<3xi32>) -> tensor<i32> {
  // expected-error @+2 {{cannot lower tamp.reduce_log_sum_exp: logarithmic reductions of integers are not supported}}
  // expected-error @+1 {{failed to legalize operation 'tamp.reduce_log_sum_exp'}}
  %0 = tamp.reduce_log_sum_exp %x {axes = array<i64>, keepdims = false} : (tensor<3xi32>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

func.func @log_sum_integer(%x: tensor<2x3xui8>) -> tensor<2xui8> {
  // expected-error @+2 {{cannot lower tamp.reduce_log_sum: logarithmic reductions of integers are not supported}}
  // expected-error @+1 {{failed to legalize operation 'tamp.reduce_log_sum'}}
  %0 = tamp.reduce_log_sum %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xui8>) -> tensor<2xui8>
  return %0 : tensor<2xui8>
}
