// RUN: tamp-opt %s -split-input-file -verify-diagnostics

func.func @clamp_bounds(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tamp.clamp' op min 6.000000e+00 is greater than max 0.000000e+00}}
  %0 = tamp.clamp %x {min = 6.0 : f64, max = 0.0 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @prelu_slope_shape(%x: tensor<2x3xf32>, %slope: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{slope does not broadcast to the input's shape}}
  // expected-error @+1 {{'tamp.prelu' op failed to infer returned types}}
  %0 = tamp.prelu %x, %slope : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @prelu_slope_stretches_input(%x: tensor<3xf32>, %slope: tensor<2x3xf32>) -> tensor<3xf32> {
  // Broadcasting is unidirectional: the input never grows.
  // expected-error @+2 {{slope does not broadcast to the input's shape}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.prelu %x, %slope : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @prelu_element_type(%x: tensor<2x3xf32>, %slope: tensor<3xf16>) -> tensor<2x3xf32> {
  // expected-error @+2 {{slope and input element types differ}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.prelu %x, %slope : (tensor<2x3xf32>, tensor<3xf16>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @add_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{shapes 2-D and 1-D are not broadcast-compatible: a static size differs and neither is 1}}
  // expected-error @+1 {{'tamp.add' op failed to infer returned types}}
  %0 = tamp.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @add_result_mismatch(%a: tensor<2x1xf32>, %b: tensor<3xf32>) -> tensor<2x1xf32> {
  // expected-error @+2 {{'tamp.add' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x1xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.add %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @sub_dynamic_against_static(%a: tensor<?x3xf32>, %b: tensor<4x1xf32>) -> tensor<5x3xf32> {
  // A dynamic size broadcast against 4 is inferred as 4.
  // expected-error @+2 {{'tamp.sub' op inferred type(s) 'tensor<4x3xf32>' are incompatible with return type(s) of operation 'tensor<5x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.sub %a, %b : (tensor<?x3xf32>, tensor<4x1xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// -----

func.func @less_result_type(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'tamp.less' op result #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = tamp.less %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @mul_element_types(%a: tensor<3xf32>, %b: tensor<3xi32>) -> tensor<3xf32> {
  // expected-error @+1 {{'tamp.mul' op requires the same element type for all operands}}
  %0 = tamp.mul %a, %b : (tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @mod_not_broadcastable(%a: tensor<3xi32>, %b: tensor<2xi32>) -> tensor<3xi32> {
  // expected-error @+2 {{shapes 1-D and 1-D are not broadcast-compatible}}
  // expected-error @+1 {{'tamp.mod' op failed to infer returned types}}
  %0 = tamp.mod %a, %b : (tensor<3xi32>, tensor<2xi32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

func.func @where_branch_types(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xf16>) -> tensor<3xf32> {
  // expected-error @+2 {{both branches must have the same element type}}
  // expected-error @+1 {{'tamp.where' op failed to infer returned types}}
  %0 = tamp.where %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @where_not_broadcastable(%c: tensor<2xi1>, %a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{condition and branches are not broadcast-compatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.where %c, %a, %b : (tensor<2xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @reduce_axis_range(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+2 {{axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'tamp.reduce_sum' op failed to infer returned types}}
  %0 = tamp.reduce_sum %x {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @reduce_axis_repeated(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // -1 and 1 name the same axis.
  // expected-error @+2 {{axis -1 is repeated}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reduce_mean %x {axes = array<i64: 1, -1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_keepdims_mismatch(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{'tamp.reduce_max' op inferred type(s) 'tensor<2x1xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.reduce_max %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @argmax_axis(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  // expected-error @+2 {{axis -3 is out of range for rank 2}}
  // expected-error @+1 {{'tamp.argmax' op failed to infer returned types}}
  %0 = tamp.argmax %x {axis = -3 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

func.func @argmin_result_shape(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  // expected-error @+2 {{'tamp.argmin' op inferred type(s) 'tensor<1x3xi64>' are incompatible with return type(s) of operation 'tensor<2x1xi64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.argmin %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'tamp.softmax' op failed to infer returned types}}
  %0 = tamp.softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @log_softmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{axis -3 is out of range for rank 2}}
  // expected-error @+1 {{'tamp.log_softmax' op failed to infer returned types}}
  %0 = tamp.log_softmax %x {axis = -3 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @cumsum_axis(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+2 {{axis 1 is out of range for rank 1}}
  // expected-error @+1 {{'tamp.cumsum' op failed to infer returned types}}
  %0 = tamp.cumsum %x {axis = 1 : i64} : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{matmul operands must have rank >= 1}}
  // expected-error @+1 {{'tamp.matmul' op failed to infer returned types}}
  %0 = tamp.matmul %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @matmul_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{contraction sizes differ: 3 vs 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_vector_contraction(%a: tensor<2x3xf32>, %v: tensor<4xf32>) -> tensor<2xf32> {
  // The 1-D rhs is promoted to [4, 1].
  // expected-error @+2 {{contraction sizes differ: 3 vs 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.matmul %a, %v : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x3x6xf32> {
  // expected-error @+2 {{batch dimensions are not broadcast-compatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.matmul %a, %b : (tensor<2x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x3x6xf32>
  return %0 : tensor<2x3x6xf32>
}

// -----

func.func @matmul_vector_result(%v: tensor<4xf32>, %b: tensor<3x4x5xf32>) -> tensor<3x1x5xf32> {
  // The row added to the 1-D lhs is removed from the result again.
  // expected-error @+2 {{'tamp.matmul' op inferred type(s) 'tensor<3x5xf32>' are incompatible with return type(s) of operation 'tensor<3x1x5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.matmul %v, %b : (tensor<4xf32>, tensor<3x4x5xf32>) -> tensor<3x1x5xf32>
  return %0 : tensor<3x1x5xf32>
}

// -----

func.func @linear_scalar_input(%x: tensor<f32>, %w: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{linear input must have rank >= 1}}
  // expected-error @+1 {{'tamp.linear' op failed to infer returned types}}
  %0 = tamp.linear %x, %w : (tensor<f32>, tensor<3x4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @linear_weight_rank(%x: tensor<2x4xf32>, %w: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+2 {{linear weight must be 2-D [out_features, in_features]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @linear_features(%x: tensor<2x4xf32>, %w: tensor<3x5xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{input features 4 do not match weight in_features 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<3x5xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @linear_weight_element_type(%x: tensor<2x4xf32>, %w: tensor<3x4xf16>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tamp.linear' op weight element type must match the input's}}
  %0 = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf16>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @linear_bias_element_type(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf16>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tamp.linear' op bias element type must match the input's}}
  %0 = tamp.linear %x, %w, %b : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf16>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @linear_bias_shape(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<1x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tamp.linear' op bias must be 1-D [out_features]}}
  %0 = tamp.linear %x, %w, %b : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @einsum_implicit(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+2 {{einsum equation must be explicit (contain '->')}}
  // expected-error @+1 {{'tamp.einsum' op failed to infer returned types}}
  %0 = tamp.einsum %a {equation = "ij"} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @einsum_term_labels(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // Ellipses are expanded by the importer.
  // expected-error @+2 {{einsum term '...j' must be letters only}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.einsum %a {equation = "...j->...j"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @einsum_output_labels(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{einsum output 'i1' must be letters only}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.einsum %a {equation = "ij->i1"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @einsum_operand_count(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{einsum equation names 2 operands but the op has 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.einsum %a {equation = "ij,jk->ik"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @einsum_element_types(%a: tensor<2x3xf32>, %b: tensor<3x4xf16>) -> tensor<2x4xf32> {
  // expected-error @+2 {{einsum operands must share an element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x4xf16>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @einsum_term_rank(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{einsum term 'ijk' has 3 labels for an operand of rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.einsum %a {equation = "ijk->i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @einsum_label_sizes(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{einsum label 'j' has sizes 3 and 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @einsum_unknown_output_label(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{einsum output label 'k' does not appear in any operand}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.einsum %a {equation = "ij->ik"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @einsum_repeated_output_label(%a: tensor<3x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+2 {{einsum output label 'i' is repeated}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.einsum %a {equation = "ij->ii"} : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @einsum_result_mismatch(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+2 {{'tamp.einsum' op inferred type(s) 'tensor<2x3x5xf32>' are incompatible with return type(s) of operation 'tensor<2x3x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tamp.einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Equality is the only comparison of strings; arithmetic and ordering
// reject them through their type constraints.
func.func @less_string(%a: tensor<2x!tamp.string>, %b: tensor<2x!tamp.string>) {
  // expected-error @+1 {{'tamp.less' op operand #0 must be ranked tensor of floating-point or integer values, but got 'tensor<2x!tamp.string>'}}
  %0 = tamp.less %a, %b : (tensor<2x!tamp.string>, tensor<2x!tamp.string>) -> tensor<2xi1>
  return
}

// -----

func.func @add_string(%a: tensor<2x!tamp.string>) {
  // expected-error @+1 {{'tamp.add' op operand #0 must be ranked tensor of floating-point or integer values, but got 'tensor<2x!tamp.string>'}}
  %0 = tamp.add %a, %a : (tensor<2x!tamp.string>, tensor<2x!tamp.string>) -> tensor<2x!tamp.string>
  return
}

// -----

func.func @equal_string_number(%a: tensor<2x!tamp.string>, %b: tensor<2xf32>) {
  // expected-error @+1 {{'tamp.equal' op requires the same element type for all operands}}
  %0 = tamp.equal %a, %b : (tensor<2x!tamp.string>, tensor<2xf32>) -> tensor<2xi1>
  return
}

// -----

func.func @sparse_linear_features(%x: tensor<1x6xf32>, %v: tensor<2x2x3xf32>, %i: tensor<2x2x3xi8>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'tamp.sparse_linear' op input features 6 differ from groups x group_size = 8}}
  %0 = tamp.sparse_linear %x, %v, %i {group_size = 4 : i64} : (tensor<1x6xf32>, tensor<2x2x3xf32>, tensor<2x2x3xi8>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @sparse_linear_kept(%x: tensor<1x4xf32>, %v: tensor<2x3x3xf32>, %i: tensor<2x3x3xi8>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'tamp.sparse_linear' op keeps 3 weights per group of 2}}
  %0 = tamp.sparse_linear %x, %v, %i {group_size = 2 : i64} : (tensor<1x4xf32>, tensor<2x3x3xf32>, tensor<2x3x3xi8>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @sparse_linear_indices_shape(%x: tensor<1x8xf32>, %v: tensor<2x2x3xf32>, %i: tensor<2x2x4xi8>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'tamp.sparse_linear' op indices must have the values' shape 2, 2, 3}}
  %0 = tamp.sparse_linear %x, %v, %i {group_size = 4 : i64} : (tensor<1x8xf32>, tensor<2x2x3xf32>, tensor<2x2x4xi8>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @sparse_linear_index_range(%x: tensor<1x4xf32>, %v: tensor<1x2x1xf32>) -> tensor<1x1xf32> {
  %i = tamp.constant dense<[[[0], [4]]]> : tensor<1x2x1xi8>
  // expected-error @+1 {{'tamp.sparse_linear' op index 4 lies outside its group of 4}}
  %0 = tamp.sparse_linear %x, %v, %i {group_size = 4 : i64} : (tensor<1x4xf32>, tensor<1x2x1xf32>, tensor<1x2x1xi8>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

func.func @sparse_linear_bias(%x: tensor<1x8xf32>, %v: tensor<2x2x3xf32>, %i: tensor<2x2x3xi8>, %b: tensor<4xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'tamp.sparse_linear' op bias must be 1-D [out_features]}}
  %0 = tamp.sparse_linear %x, %v, %i, %b {group_size = 4 : i64} : (tensor<1x8xf32>, tensor<2x2x3xf32>, tensor<2x2x3xi8>, tensor<4xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @sparse_linear_group_size(%x: tensor<1x8xf32>, %v: tensor<2x2x3xf32>, %i: tensor<2x2x3xi8>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'tamp.sparse_linear' op attribute 'group_size' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = tamp.sparse_linear %x, %v, %i {group_size = 0 : i64} : (tensor<1x8xf32>, tensor<2x2x3xf32>, tensor<2x2x3xi8>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}
