// RUN: tamp-opt %s | tamp-opt | FileCheck %s
// Round trip of the math ops. Ops whose assembly names only the operand type
// get their result type from inference; the others declare it, and the
// verifier checks it against the inferred one (math-ops-invalid.mlir shows
// the inferred types in mismatch diagnostics).

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<2x?xf32>, %i: tensor<4xi32>, %b: tensor<3xi1>)
    -> (tensor<2x?xf32>, tensor<4xi32>, tensor<3xi1>) {
  // CHECK: %[[ABS:.*]] = tamp.abs %{{.*}} : tensor<4xi32>
  %abs = tamp.abs %i : tensor<4xi32>
  // CHECK: %[[NEG:.*]] = tamp.neg %[[ABS]] : tensor<4xi32>
  %neg = tamp.neg %abs : tensor<4xi32>
  // CHECK: tamp.sqrt %{{.*}} : tensor<2x?xf32>
  %0 = tamp.sqrt %x : tensor<2x?xf32>
  // CHECK: tamp.exp
  %1 = tamp.exp %0 : tensor<2x?xf32>
  // CHECK: tamp.log
  %2 = tamp.log %1 : tensor<2x?xf32>
  // CHECK: tamp.reciprocal
  %3 = tamp.reciprocal %2 : tensor<2x?xf32>
  // CHECK: tamp.erf
  %4 = tamp.erf %3 : tensor<2x?xf32>
  // CHECK: tamp.floor
  %5 = tamp.floor %4 : tensor<2x?xf32>
  // CHECK: tamp.ceil
  %6 = tamp.ceil %5 : tensor<2x?xf32>
  // CHECK: tamp.round
  %7 = tamp.round %6 : tensor<2x?xf32>
  // CHECK: tamp.sin
  %8 = tamp.sin %7 : tensor<2x?xf32>
  // CHECK: tamp.cos
  %9 = tamp.cos %8 : tensor<2x?xf32>
  // CHECK: tamp.tanh
  %10 = tamp.tanh %9 : tensor<2x?xf32>
  // CHECK: tamp.sigmoid
  %11 = tamp.sigmoid %10 : tensor<2x?xf32>
  // CHECK: tamp.softplus
  %12 = tamp.softplus %11 : tensor<2x?xf32>
  // CHECK: tamp.mish
  %13 = tamp.mish %12 : tensor<2x?xf32>
  // CHECK: tamp.hard_swish %{{.*}} : tensor<2x?xf32>
  %14 = tamp.hard_swish %13 : tensor<2x?xf32>
  // CHECK: tamp.not %{{.*}} : tensor<3xi1>
  %not = tamp.not %b : tensor<3xi1>
  return %14, %neg, %not : tensor<2x?xf32>, tensor<4xi32>, tensor<3xi1>
}

// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<2x3xf32>, %slope: tensor<3xf32>, %channel: tensor<2x1xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  // CHECK: tamp.clamp %{{.*}} {min = 0.000000e+00 : f64} : tensor<2x3xf32>
  %relu = tamp.clamp %x {min = 0.0 : f64} : tensor<2x3xf32>
  // CHECK: tamp.clamp %{{.*}} {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<2x3xf32>
  %relu6 = tamp.clamp %relu {min = 0.0 : f64, max = 6.0 : f64} : tensor<2x3xf32>
  // Equal bounds are allowed.
  // CHECK: tamp.clamp %{{.*}} {max = 1.000000e+00 : f64, min = 1.000000e+00 : f64} : tensor<2x3xf32>
  %pinned = tamp.clamp %relu6 {min = 1.0 : f64, max = 1.0 : f64} : tensor<2x3xf32>
  // CHECK: tamp.leaky_relu %{{.*}} {alpha = 1.000000e-01 : f32} : tensor<2x3xf32>
  %0 = tamp.leaky_relu %pinned {alpha = 0.1 : f32} : tensor<2x3xf32>
  // CHECK: tamp.elu %{{.*}} {alpha = 1.000000e+00 : f32}
  %1 = tamp.elu %0 {alpha = 1.0 : f32} : tensor<2x3xf32>
  // CHECK: tamp.selu %{{.*}} {alpha = 1.500000e+00 : f32, gamma = 2.000000e+00 : f32}
  %2 = tamp.selu %1 {alpha = 1.5 : f32, gamma = 2.0 : f32} : tensor<2x3xf32>
  // CHECK: tamp.hard_sigmoid %{{.*}} {alpha = 2.500000e-01 : f32, beta = 5.000000e-01 : f32}
  %3 = tamp.hard_sigmoid %2 {alpha = 0.25 : f32, beta = 0.5 : f32} : tensor<2x3xf32>
  // CHECK: tamp.gelu %{{.*}} : tensor<2x3xf32>
  %4 = tamp.gelu %3 : tensor<2x3xf32>
  // CHECK: tamp.gelu %{{.*}} {approximate = #tamp.gelu_approximation<tanh>} : tensor<2x3xf32>
  %5 = tamp.gelu %4 {approximate = #tamp.gelu_approximation<tanh>} : tensor<2x3xf32>
  // The slope broadcasts to the input, along trailing or leading dimensions.
  // CHECK: tamp.prelu %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %6 = tamp.prelu %5, %slope : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: tamp.prelu %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %7 = tamp.prelu %5, %channel : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  return %pinned, %6, %7 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @broadcasting
func.func @broadcasting(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>, %c: tensor<?x4xf32>, %d: tensor<1x4xf32>,
                        %s: tensor<f32>, %i: tensor<5xi64>, %j: tensor<1xi64>)
    -> (tensor<2x3x4xf32>, tensor<?x4xf32>, tensor<2x1x4xf32>, tensor<5xi64>, tensor<2x3x4xi1>) {
  // [2, 1, 4] and [3, 1] stretch to [2, 3, 4].
  // CHECK: tamp.add %{{.*}}, %{{.*}} : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %add = tamp.add %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  // A dynamic size against 1 stays dynamic.
  // CHECK: tamp.sub %{{.*}}, %{{.*}} : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  %sub = tamp.sub %c, %d : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  // A scalar broadcasts to anything.
  // CHECK: tamp.mul %{{.*}}, %{{.*}} : (tensor<2x1x4xf32>, tensor<f32>) -> tensor<2x1x4xf32>
  %mul = tamp.mul %a, %s : (tensor<2x1x4xf32>, tensor<f32>) -> tensor<2x1x4xf32>
  // CHECK: tamp.div
  %div = tamp.div %mul, %s : (tensor<2x1x4xf32>, tensor<f32>) -> tensor<2x1x4xf32>
  // CHECK: tamp.pow
  %pow = tamp.pow %div, %d : (tensor<2x1x4xf32>, tensor<1x4xf32>) -> tensor<2x1x4xf32>
  // CHECK: tamp.min %{{.*}}, %{{.*}} : (tensor<5xi64>, tensor<1xi64>) -> tensor<5xi64>
  %min = tamp.min %i, %j : (tensor<5xi64>, tensor<1xi64>) -> tensor<5xi64>
  // CHECK: tamp.max
  %max = tamp.max %min, %j : (tensor<5xi64>, tensor<1xi64>) -> tensor<5xi64>
  // CHECK: tamp.mod %{{.*}}, %{{.*}} : (tensor<5xi64>, tensor<1xi64>) -> tensor<5xi64>
  %mod = tamp.mod %max, %j : (tensor<5xi64>, tensor<1xi64>) -> tensor<5xi64>
  // CHECK: tamp.mod %{{.*}}, %{{.*}} {fmod = true} : (tensor<2x1x4xf32>, tensor<1x4xf32>) -> tensor<2x1x4xf32>
  %fmod = tamp.mod %pow, %d {fmod = true} : (tensor<2x1x4xf32>, tensor<1x4xf32>) -> tensor<2x1x4xf32>
  // Comparisons produce i1 with the broadcast shape.
  // CHECK: tamp.less %{{.*}}, %{{.*}} : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xi1>
  %less = tamp.less %fmod, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xi1>
  // CHECK: tamp.less_equal
  %le = tamp.less_equal %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xi1>
  // CHECK: tamp.greater
  %gt = tamp.greater %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xi1>
  // CHECK: tamp.greater_equal
  %ge = tamp.greater_equal %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xi1>
  // CHECK: tamp.equal
  %eq = tamp.equal %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xi1>
  // CHECK: tamp.and %{{.*}}, %{{.*}} : (tensor<2x3x4xi1>, tensor<2x3x4xi1>) -> tensor<2x3x4xi1>
  %and = tamp.and %less, %le : (tensor<2x3x4xi1>, tensor<2x3x4xi1>) -> tensor<2x3x4xi1>
  // CHECK: tamp.or
  %or = tamp.or %and, %gt : (tensor<2x3x4xi1>, tensor<2x3x4xi1>) -> tensor<2x3x4xi1>
  // CHECK: tamp.xor
  %xor = tamp.xor %or, %ge : (tensor<2x3x4xi1>, tensor<2x3x4xi1>) -> tensor<2x3x4xi1>
  %any = tamp.xor %xor, %eq : (tensor<2x3x4xi1>, tensor<2x3x4xi1>) -> tensor<2x3x4xi1>
  return %add, %sub, %fmod, %mod, %any : tensor<2x3x4xf32>, tensor<?x4xf32>, tensor<2x1x4xf32>, tensor<5xi64>, tensor<2x3x4xi1>
}

// CHECK-LABEL: func.func @where
func.func @where(%cond: tensor<2x1xi1>, %a: tensor<3xf32>, %b: tensor<f32>) -> tensor<2x3xf32> {
  // CHECK: tamp.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %0 = tamp.where %cond, %a, %b : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x3x4xf32>, %d: tensor<?x3xf32>)
    -> (tensor<2x1x4xf32>, tensor<2x4xf32>, tensor<1x1x1xf32>, tensor<f32>, tensor<?x1xf32>, tensor<3xf32>) {
  // keepdims defaults to true.
  // CHECK: tamp.reduce_sum %{{.*}} {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %keep = tamp.reduce_sum %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  // CHECK: tamp.reduce_mean %{{.*}} {axes = array<i64: -2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
  %drop = tamp.reduce_mean %x {axes = array<i64: -2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
  // Empty axes reduce everything.
  // CHECK: tamp.reduce_max %{{.*}} {axes = array<i64>} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  %all = tamp.reduce_max %x {axes = array<i64>} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  // CHECK: tamp.reduce_min %{{.*}} {axes = array<i64>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<f32>
  %scalar = tamp.reduce_min %x {axes = array<i64>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<f32>
  // CHECK: tamp.reduce_prod %{{.*}} {axes = array<i64: 1>} : (tensor<?x3xf32>) -> tensor<?x1xf32>
  %dynamic = tamp.reduce_prod %d {axes = array<i64: 1>} : (tensor<?x3xf32>) -> tensor<?x1xf32>
  // CHECK: tamp.reduce_l1 %{{.*}} {axes = array<i64: 0>, keepdims = false} : (tensor<?x3xf32>) -> tensor<3xf32>
  %0 = tamp.reduce_l1 %d {axes = array<i64: 0>, keepdims = false} : (tensor<?x3xf32>) -> tensor<3xf32>
  // CHECK: tamp.reduce_l2
  %1 = tamp.reduce_l2 %d {axes = array<i64: 0>, keepdims = false} : (tensor<?x3xf32>) -> tensor<3xf32>
  // CHECK: tamp.reduce_sum_square
  %2 = tamp.reduce_sum_square %d {axes = array<i64: 0>, keepdims = false} : (tensor<?x3xf32>) -> tensor<3xf32>
  // CHECK: tamp.reduce_log_sum
  %3 = tamp.reduce_log_sum %d {axes = array<i64: 0>, keepdims = false} : (tensor<?x3xf32>) -> tensor<3xf32>
  // CHECK: tamp.reduce_log_sum_exp %{{.*}} {axes = array<i64: 0, 1>, keepdims = false} : (tensor<?x3xf32>) -> tensor<f32>
  %4 = tamp.reduce_log_sum_exp %d {axes = array<i64: 0, 1>, keepdims = false} : (tensor<?x3xf32>) -> tensor<f32>
  return %keep, %drop, %all, %scalar, %dynamic, %3 : tensor<2x1x4xf32>, tensor<2x4xf32>, tensor<1x1x1xf32>, tensor<f32>, tensor<?x1xf32>, tensor<3xf32>
}

// CHECK-LABEL: func.func @arg_reductions
func.func @arg_reductions(%x: tensor<2x3x4xf32>, %i: tensor<5xi8>)
    -> (tensor<2x1x4xi64>, tensor<2x3xi64>, tensor<i64>) {
  // CHECK: tamp.argmax %{{.*}} {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x1x4xi64>
  %keep = tamp.argmax %x {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x1x4xi64>
  // CHECK: tamp.argmax %{{.*}} {axis = -1 : i64, keepdims = false, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x3xi64>
  %drop = tamp.argmax %x {axis = -1 : i64, keepdims = false, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x3xi64>
  // CHECK: tamp.argmin %{{.*}} {axis = 0 : i64, keepdims = false} : (tensor<5xi8>) -> tensor<i64>
  %min = tamp.argmin %i {axis = 0 : i64, keepdims = false} : (tensor<5xi8>) -> tensor<i64>
  return %keep, %drop, %min : tensor<2x1x4xi64>, tensor<2x3xi64>, tensor<i64>
}

// CHECK-LABEL: func.func @along_axis
func.func @along_axis(%x: tensor<2x3xf32>, %i: tensor<4xi32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xi32>) {
  // CHECK: tamp.cumsum %{{.*}} {axis = 0 : i64, exclusive = true, reverse = true} : tensor<4xi32>
  %cumsum = tamp.cumsum %i {axis = 0 : i64, exclusive = true, reverse = true} : tensor<4xi32>
  // CHECK: tamp.softmax %{{.*}} {axis = -1 : i64} : tensor<2x3xf32>
  %softmax = tamp.softmax %x {axis = -1 : i64} : tensor<2x3xf32>
  // CHECK: tamp.log_softmax %{{.*}} {axis = 0 : i64} : tensor<2x3xf32>
  %log = tamp.log_softmax %x {axis = 0 : i64} : tensor<2x3xf32>
  return %softmax, %log, %cumsum : tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xi32>
}

// CHECK-LABEL: func.func @matmul
func.func @matmul(%m: tensor<3x4xf32>, %n: tensor<4x5xf32>, %v: tensor<4xf32>,
                  %ba: tensor<2x1x3x4xf32>, %bb: tensor<6x4x5xf32>, %dyn: tensor<?x?x4xf32>,
                  %ia: tensor<2x3xi8>, %ib: tensor<3x2xi8>)
    -> (tensor<3x5xf32>, tensor<5xf32>, tensor<3xf32>, tensor<f32>, tensor<2x6x3x5xf32>, tensor<?x?x5xf32>, tensor<2x2xi8>) {
  // CHECK: tamp.matmul %{{.*}}, %{{.*}} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  %mm = tamp.matmul %m, %n : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  // A 1-D lhs is a row vector whose added dimension is dropped again.
  // CHECK: tamp.matmul %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  %vm = tamp.matmul %v, %n : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  // A 1-D rhs is a column vector.
  // CHECK: tamp.matmul %{{.*}}, %{{.*}} : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
  %mv = tamp.matmul %m, %v : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
  // Two vectors give a scalar.
  // CHECK: tamp.matmul %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %dot = tamp.matmul %v, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  // Batch dimensions [2, 1] and [6] broadcast to [2, 6].
  // CHECK: tamp.matmul %{{.*}}, %{{.*}} : (tensor<2x1x3x4xf32>, tensor<6x4x5xf32>) -> tensor<2x6x3x5xf32>
  %batched = tamp.matmul %ba, %bb : (tensor<2x1x3x4xf32>, tensor<6x4x5xf32>) -> tensor<2x6x3x5xf32>
  // CHECK: tamp.matmul %{{.*}}, %{{.*}} : (tensor<?x?x4xf32>, tensor<4x5xf32>) -> tensor<?x?x5xf32>
  %dynamic = tamp.matmul %dyn, %n : (tensor<?x?x4xf32>, tensor<4x5xf32>) -> tensor<?x?x5xf32>
  // CHECK: tamp.matmul %{{.*}}, %{{.*}} : (tensor<2x3xi8>, tensor<3x2xi8>) -> tensor<2x2xi8>
  %integer = tamp.matmul %ia, %ib : (tensor<2x3xi8>, tensor<3x2xi8>) -> tensor<2x2xi8>
  return %mm, %vm, %mv, %dot, %batched, %dynamic, %integer
      : tensor<3x5xf32>, tensor<5xf32>, tensor<3xf32>, tensor<f32>, tensor<2x6x3x5xf32>, tensor<?x?x5xf32>, tensor<2x2xi8>
}

// CHECK-LABEL: func.func @linear
func.func @linear(%x: tensor<?x8x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>, %v: tensor<4xf32>)
    -> (tensor<?x8x3xf32>, tensor<?x8x3xf32>, tensor<3xf32>) {
  // CHECK: tamp.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x8x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x8x3xf32>
  %0 = tamp.linear %x, %w, %b : (tensor<?x8x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x8x3xf32>
  // CHECK: tamp.linear %{{.*}}, %{{.*}} : (tensor<?x8x4xf32>, tensor<3x4xf32>) -> tensor<?x8x3xf32>
  %1 = tamp.linear %x, %w : (tensor<?x8x4xf32>, tensor<3x4xf32>) -> tensor<?x8x3xf32>
  // CHECK: tamp.linear %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<3x4xf32>) -> tensor<3xf32>
  %2 = tamp.linear %v, %w : (tensor<4xf32>, tensor<3x4xf32>) -> tensor<3xf32>
  return %0, %1, %2 : tensor<?x8x3xf32>, tensor<?x8x3xf32>, tensor<3xf32>
}

// CHECK-LABEL: func.func @einsum
func.func @einsum(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %m: tensor<3x3xf32>, %c: tensor<1x4x5xf32>, %d: tensor<?x4xf32>)
    -> (tensor<2x3x5xf32>, tensor<3xf32>, tensor<f32>, tensor<4x3x2xf32>, tensor<2x3x5xf32>, tensor<4x?xf32>) {
  // CHECK: tamp.einsum %{{.*}}, %{{.*}} {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %bmm = tamp.einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  // Diagonal, trace, transpose.
  // CHECK: {equation = "ii->i"} : (tensor<3x3xf32>) -> tensor<3xf32>
  %diag = tamp.einsum %m {equation = "ii->i"} : (tensor<3x3xf32>) -> tensor<3xf32>
  // CHECK: {equation = "ii->"} : (tensor<3x3xf32>) -> tensor<f32>
  %trace = tamp.einsum %m {equation = "ii->"} : (tensor<3x3xf32>) -> tensor<f32>
  // CHECK: {equation = " abc -> cba "} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %transpose = tamp.einsum %a {equation = " abc -> cba "} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  // A size-1 dimension broadcasts against the same label.
  // CHECK: {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<1x4x5xf32>) -> tensor<2x3x5xf32>
  %broadcast = tamp.einsum %a, %c {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<1x4x5xf32>) -> tensor<2x3x5xf32>
  // CHECK: {equation = "ij->ji"} : (tensor<?x4xf32>) -> tensor<4x?xf32>
  %dynamic = tamp.einsum %d {equation = "ij->ji"} : (tensor<?x4xf32>) -> tensor<4x?xf32>
  return %bmm, %diag, %trace, %transpose, %broadcast, %dynamic
      : tensor<2x3x5xf32>, tensor<3xf32>, tensor<f32>, tensor<4x3x2xf32>, tensor<2x3x5xf32>, tensor<4x?xf32>
}

// CHECK-LABEL: func.func @sparse_linear
func.func @sparse_linear(%x: tensor<?x8xf32>, %v: tensor<2x2x3xf32>, %i: tensor<2x2x3xi8>, %b: tensor<3xf32>)
    -> (tensor<?x3xf32>, tensor<?x3xf32>) {
  // CHECK: tamp.sparse_linear %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {group_size = 4 : i64} : (tensor<?x8xf32>, tensor<2x2x3xf32>, tensor<2x2x3xi8>, tensor<3xf32>) -> tensor<?x3xf32>
  %0 = tamp.sparse_linear %x, %v, %i, %b {group_size = 4 : i64} : (tensor<?x8xf32>, tensor<2x2x3xf32>, tensor<2x2x3xi8>, tensor<3xf32>) -> tensor<?x3xf32>
  // CHECK: tamp.sparse_linear %{{.*}}, %{{.*}}, %{{.*}} {group_size = 4 : i64} : (tensor<?x8xf32>, tensor<2x2x3xf32>, tensor<2x2x3xi8>) -> tensor<?x3xf32>
  %1 = tamp.sparse_linear %x, %v, %i {group_size = 4 : i64} : (tensor<?x8xf32>, tensor<2x2x3xf32>, tensor<2x2x3xi8>) -> tensor<?x3xf32>
  return %0, %1 : tensor<?x3xf32>, tensor<?x3xf32>
}
