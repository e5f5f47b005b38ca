// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file %s | FileCheck %s
// Element-wise math: broadcasting linalg.generic ops whose bodies compute the
// ONNX semantics, with signedness taken from the tamp types.

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<2x?xf32>, %[[B:.*]]: tensor<?x1xf32>)
// CHECK: %[[DIM:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<2x?xf32>
// CHECK: %[[INIT:.*]] = tensor.empty(%[[DIM]]) : tensor<2x?xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<2x?xf32>, tensor<?x1xf32>) outs(%[[INIT]] : tensor<2x?xf32>)
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<2x?xf32>, %b: tensor<?x1xf32>) -> tensor<2x?xf32> {
  %0 = tamp.add %a, %b : (tensor<2x?xf32>, tensor<?x1xf32>) -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

// Dynamic sizes that both define a result dimension must agree at run time.
// CHECK-LABEL: func.func @sub_dynamic
// CHECK: %[[LHS:.*]] = tensor.dim %arg0
// CHECK: %[[RHS:.*]] = tensor.dim %arg1
// CHECK: %[[EQ:.*]] = arith.cmpi eq, %[[LHS]], %[[RHS]] : index
// CHECK: cf.assert %[[EQ]], "(tamp.sub): operand 1 has size that does not broadcast along dimension 0
// CHECK: linalg.generic
// CHECK: arith.subi
func.func @sub_dynamic(%a: tensor<?xi32>, %b: tensor<?xi32>) -> tensor<?xi32> {
  %0 = tamp.sub %a, %b : (tensor<?xi32>, tensor<?xi32>) -> tensor<?xi32>
  return %0 : tensor<?xi32>
}

// -----

// CHECK-LABEL: func.func @unary_float
// CHECK: math.absf
// CHECK: arith.negf
// CHECK: math.sqrt
// CHECK: math.exp
// CHECK: math.log
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: arith.divf %[[ONE]]
// CHECK: math.erf
// CHECK: math.floor
// CHECK: math.ceil
// CHECK: math.roundeven
// CHECK: math.sin
// CHECK: math.cos
// CHECK: math.tanh
func.func @unary_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tamp.abs %x : tensor<4xf32>
  %1 = tamp.neg %0 : tensor<4xf32>
  %2 = tamp.sqrt %1 : tensor<4xf32>
  %3 = tamp.exp %2 : tensor<4xf32>
  %4 = tamp.log %3 : tensor<4xf32>
  %5 = tamp.reciprocal %4 : tensor<4xf32>
  %6 = tamp.erf %5 : tensor<4xf32>
  %7 = tamp.floor %6 : tensor<4xf32>
  %8 = tamp.ceil %7 : tensor<4xf32>
  %9 = tamp.round %8 : tensor<4xf32>
  %10 = tamp.sin %9 : tensor<4xf32>
  %11 = tamp.cos %10 : tensor<4xf32>
  %12 = tamp.tanh %11 : tensor<4xf32>
  return %12 : tensor<4xf32>
}

// -----

// Trigonometric and hyperbolic functions map one to one onto math ops.
// CHECK-LABEL: func.func @unary_trigonometric
// CHECK: math.tan %{{.*}} : f32
// CHECK: math.acos %{{.*}} : f32
// CHECK: math.asin %{{.*}} : f32
// CHECK: math.atan %{{.*}} : f32
// CHECK: math.sinh %{{.*}} : f32
// CHECK: math.cosh %{{.*}} : f32
// CHECK: math.asinh %{{.*}} : f32
// CHECK: math.acosh %{{.*}} : f32
// CHECK: math.atanh %{{.*}} : f32
func.func @unary_trigonometric(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tamp.abs %x : tensor<4xf32>
  %1 = tamp.tan %0 : tensor<4xf32>
  %2 = tamp.acos %1 : tensor<4xf32>
  %3 = tamp.asin %2 : tensor<4xf32>
  %4 = tamp.atan %3 : tensor<4xf32>
  %5 = tamp.sinh %4 : tensor<4xf32>
  %6 = tamp.cosh %5 : tensor<4xf32>
  %7 = tamp.asinh %6 : tensor<4xf32>
  %8 = tamp.acosh %7 : tensor<4xf32>
  %9 = tamp.atanh %8 : tensor<4xf32>
  return %9 : tensor<4xf32>
}

// -----

// Integer abs/neg; unsigned abs is the identity; not flips bools.
// CHECK-LABEL: func.func @unary_integer
// CHECK: linalg.generic
// CHECK: math.absi
// CHECK: linalg.generic
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: arith.subi %[[ZERO]]
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT: linalg.yield %[[IN]] : i8
// CHECK: linalg.generic
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: arith.xori %{{.*}}, %[[TRUE]] : i1
func.func @unary_integer(%i: tensor<4xi32>, %u: tensor<4xui8>, %b: tensor<4xi1>)
    -> (tensor<4xi32>, tensor<4xui8>, tensor<4xi1>) {
  %0 = tamp.abs %i : tensor<4xi32>
  %1 = tamp.neg %0 : tensor<4xi32>
  %2 = tamp.abs %u : tensor<4xui8>
  %3 = tamp.not %b : tensor<4xi1>
  return %1, %2, %3 : tensor<4xi32>, tensor<4xui8>, tensor<4xi1>
}

// -----

// sigmoid = 1 / (1 + exp(-x)); softplus = max(x, 0) + log1p(exp(-|x|)).
// CHECK-LABEL: func.func @smooth_activations
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK: math.absf
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: math.log1p
// CHECK: linalg.generic
// CHECK: math.log1p
// CHECK: math.tanh
// CHECK: arith.mulf
func.func @smooth_activations(%x: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %0 = tamp.sigmoid %x : tensor<?xf32>
  %1 = tamp.softplus %x : tensor<?xf32>
  %2 = tamp.mish %x : tensor<?xf32>
  return %0, %1, %2 : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>
}

// -----

// CHECK-LABEL: func.func @piecewise_activations
// hard_swish: x * max(0, min(1, x / 6 + 1 / 2))
// CHECK: arith.constant 0.166666672 : f32
// CHECK: arith.minimumf
// CHECK: arith.maximumf
// CHECK: arith.mulf
// leaky_relu: alpha * x where x < 0
// CHECK: linalg.generic
// CHECK: %[[ALPHA:.*]] = arith.constant 1.000000e-01 : f32
// CHECK: %[[SCALED:.*]] = arith.mulf %[[ALPHA]], %[[X:.*]] : f32
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %[[X]]
// CHECK: arith.select %[[NEG]], %[[SCALED]], %[[X]]
// elu / selu: alpha * expm1(x) where x <= 0, then gamma *
// CHECK: linalg.generic
// CHECK: math.expm1
// CHECK: arith.cmpf ogt
// CHECK: linalg.generic
// CHECK: math.expm1
// CHECK: arith.select
// CHECK: arith.constant 3.000000e+00 : f32
// CHECK: arith.mulf
// hard_sigmoid
// CHECK: linalg.generic
// CHECK: arith.constant 2.000000e-01 : f32
// CHECK: arith.minimumf
// CHECK: arith.maximumf
func.func @piecewise_activations(%x: tensor<2x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = tamp.hard_swish %x : tensor<2x3xf32>
  %1 = tamp.leaky_relu %x {alpha = 0.1 : f32} : tensor<2x3xf32>
  %2 = tamp.elu %x {alpha = 1.0 : f32} : tensor<2x3xf32>
  %3 = tamp.selu %x {alpha = 1.5 : f32, gamma = 3.0 : f32} : tensor<2x3xf32>
  %4 = tamp.hard_sigmoid %x {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<2x3xf32>
  return %0, %1, %2, %3, %4 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @gelu
// CHECK: arith.constant 0.707106769 : f32
// CHECK: math.erf
// CHECK: linalg.generic
// CHECK: arith.constant 4.471500e-02 : f32
// CHECK: arith.constant 0.797884583 : f32
// CHECK: math.tanh
func.func @gelu(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = tamp.gelu %x : tensor<8xf32>
  %1 = tamp.gelu %x {approximate = #tamp.gelu_approximation<tanh>} : tensor<8xf32>
  return %0, %1 : tensor<8xf32>, tensor<8xf32>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @prelu
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]]
// CHECK: ^bb0(%[[X:.*]]: f32, %[[SLOPE:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[SCALED:.*]] = arith.mulf %[[SLOPE]], %[[X]]
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %[[X]]
// CHECK: arith.select %[[NEG]], %[[SCALED]], %[[X]]
func.func @prelu(%x: tensor<2x3xf32>, %slope: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = tamp.prelu %x, %slope : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Float clamp bounds are constants of the element type; ReLU is clamp {min = 0}.
// CHECK-LABEL: func.func @clamp_float
// CHECK: %[[LO:.*]] = arith.constant 0.000000e+00 : f16
// CHECK: %[[MAX:.*]] = arith.maximumf %{{.*}}, %[[LO]] : f16
// CHECK: %[[HI:.*]] = arith.constant 6.000000e+00 : f16
// CHECK: arith.minimumf %[[MAX]], %[[HI]] : f16
func.func @clamp_float(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = tamp.clamp %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// Integer clamp bounds round inwards and saturate to the type's range.
// CHECK-LABEL: func.func @clamp_integer
// CHECK: arith.constant -128 : i8
// CHECK: arith.maxsi
// CHECK: arith.constant 6 : i8
// CHECK: arith.minsi
// CHECK: linalg.generic
// CHECK: arith.constant 2 : i8
// CHECK: arith.maxui
func.func @clamp_integer(%x: tensor<4xi8>, %u: tensor<4xui8>) -> (tensor<4xi8>, tensor<4xui8>) {
  %0 = tamp.clamp %x {min = -1000.0 : f64, max = 6.5 : f64} : tensor<4xi8>
  %1 = tamp.clamp %u {min = 1.5 : f64} : tensor<4xui8>
  return %0, %1 : tensor<4xi8>, tensor<4xui8>
}

// -----

// CHECK-LABEL: func.func @arithmetic
// CHECK: arith.mulf
// CHECK: arith.divf
// CHECK: math.powf
// CHECK: arith.minimumf
// CHECK: arith.maximumf
// CHECK: linalg.generic
// CHECK-NOT: math.ipowi
// CHECK: arith.shrui
// CHECK: arith.minsi
// CHECK: arith.maxui
func.func @arithmetic(%a: tensor<3xf32>, %b: tensor<1xf32>, %i: tensor<3xi64>, %u: tensor<3xui16>)
    -> (tensor<3xf32>, tensor<3xi64>, tensor<3xui16>) {
  %0 = tamp.mul %a, %b : (tensor<3xf32>, tensor<1xf32>) -> tensor<3xf32>
  %1 = tamp.div %0, %b : (tensor<3xf32>, tensor<1xf32>) -> tensor<3xf32>
  %2 = tamp.pow %1, %b : (tensor<3xf32>, tensor<1xf32>) -> tensor<3xf32>
  %3 = tamp.min %2, %b : (tensor<3xf32>, tensor<1xf32>) -> tensor<3xf32>
  %4 = tamp.max %3, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %5 = tamp.pow %i, %i : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %6 = tamp.min %5, %i : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %7 = tamp.max %u, %u : (tensor<3xui16>, tensor<3xui16>) -> tensor<3xui16>
  return %4, %6, %7 : tensor<3xf32>, tensor<3xi64>, tensor<3xui16>
}

// -----

// Signed integer division truncates; the divisor 0 (undefined in ONNX) and -1
// (INT_MIN / -1 traps) are replaced by 1, and division by -1 is negation.
// CHECK-LABEL: func.func @div_signed
// CHECK: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[ONE:.*]] = arith.constant 1 : i32
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: %[[IS0:.*]] = arith.cmpi eq, %[[R]], %[[ZERO]]
// CHECK: %[[MINUS:.*]] = arith.constant -1 : i32
// CHECK: %[[ISM1:.*]] = arith.cmpi eq, %[[R]], %[[MINUS]]
// CHECK: %[[UNSAFE:.*]] = arith.ori %[[IS0]], %[[ISM1]]
// CHECK: %[[SAFE:.*]] = arith.select %[[UNSAFE]], %[[ONE]], %[[R]]
// CHECK: %[[Q:.*]] = arith.divsi %[[L]], %[[SAFE]]
// CHECK: %[[BYM1:.*]] = arith.cmpi eq, %[[R]]
// CHECK: %[[NEGL:.*]] = arith.subi %{{.*}}, %[[L]]
// CHECK: arith.select %[[BYM1]], %[[NEGL]], %[[Q]]
func.func @div_signed(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = tamp.div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @div_unsigned
// CHECK: %[[IS0:.*]] = arith.cmpi eq
// CHECK: %[[SAFE:.*]] = arith.select %[[IS0]]
// CHECK: arith.divui %{{.*}}, %[[SAFE]] : i8
func.func @div_unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = tamp.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Without fmod the remainder takes the divisor's sign: a non-zero remainder
// whose sign differs from the divisor's gets the divisor added.
// CHECK-LABEL: func.func @mod
// CHECK: %[[REM:.*]] = arith.remsi
// CHECK: %[[NZ:.*]] = arith.cmpi ne, %[[REM]]
// CHECK: %[[RNEG:.*]] = arith.cmpi slt, %[[REM]]
// CHECK: %[[DNEG:.*]] = arith.cmpi slt
// CHECK: %[[DIFF:.*]] = arith.xori %[[RNEG]], %[[DNEG]]
// CHECK: %[[ADJ:.*]] = arith.andi %[[NZ]], %[[DIFF]]
// CHECK: %[[SUM:.*]] = arith.addi %[[REM]]
// CHECK: arith.select %[[ADJ]], %[[SUM]], %[[REM]]
// fmod keeps the dividend's sign.
// CHECK: linalg.generic
// CHECK: %[[FREM:.*]] = arith.remf
// CHECK-NEXT: linalg.yield %[[FREM]]
// Unsigned remainders need no sign fix-up.
// CHECK: linalg.generic
// CHECK: %[[UREM:.*]] = arith.remui
// CHECK-NEXT: linalg.yield %[[UREM]]
func.func @mod(%a: tensor<4xi64>, %b: tensor<4xi64>, %x: tensor<4xf32>, %u: tensor<4xui32>)
    -> (tensor<4xi64>, tensor<4xf32>, tensor<4xui32>) {
  %0 = tamp.mod %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %1 = tamp.mod %x, %x {fmod = true} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = tamp.mod %u, %u : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  return %0, %1, %2 : tensor<4xi64>, tensor<4xf32>, tensor<4xui32>
}

// -----

// CHECK-LABEL: func.func @logical
// CHECK: arith.andi
// CHECK: arith.ori
// CHECK: arith.xori
func.func @logical(%a: tensor<2x3xi1>, %b: tensor<3xi1>) -> tensor<2x3xi1> {
  %0 = tamp.and %a, %b : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  %1 = tamp.or %0, %b : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  %2 = tamp.xor %1, %b : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  return %2 : tensor<2x3xi1>
}

// -----

// Float comparisons are ordered (false on NaN); integer ones follow the
// signedness of the tamp type.
// CHECK-LABEL: func.func @compare
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpf olt
// CHECK: arith.cmpi sle
// CHECK: arith.cmpi ugt
// CHECK: arith.cmpi uge
// CHECK: arith.cmpi eq, %{{.*}}, %{{.*}} : i1
func.func @compare(%x: tensor<4xf32>, %i: tensor<4xi32>, %u: tensor<4xui32>, %b: tensor<4xi1>)
    -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = tamp.equal %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %1 = tamp.less %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %2 = tamp.less_equal %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  %3 = tamp.greater %u, %u : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
  %4 = tamp.greater_equal %u, %u : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
  %5 = tamp.equal %b, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @where
// CHECK: linalg.generic {indexing_maps = [#[[ROW]], #[[ID]], #[[SCALAR]], #[[ID]]]
// CHECK: ^bb0(%[[C:.*]]: i1, %[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: arith.select %[[C]], %[[L]], %[[R]] : i8
func.func @where(%c: tensor<3xi1>, %a: tensor<?x3xui8>, %b: tensor<ui8>) -> tensor<?x3xui8> {
  %0 = tamp.where %c, %a, %b : (tensor<3xi1>, tensor<?x3xui8>, tensor<ui8>) -> tensor<?x3xui8>
  return %0 : tensor<?x3xui8>
}

// -----

// A constant exponent of 2 squares instead of calling powf.
// CHECK-LABEL: func.func @pow_square
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[X]], %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[SQ]]
// CHECK-NOT: math.powf
func.func @pow_square(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %two = arith.constant dense<2.0> : tensor<1xf32>
  %0 = tamp.pow %x, %two : (tensor<?x8xf32>, tensor<1xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// Integer powers square and multiply over the exponent's bits (4 for i4),
// then patch negative exponents (1 or -1 for bases 1 and -1, else 0).
// CHECK-LABEL: func.func @pow_integer
// CHECK: ^bb0(%[[BASE:.*]]: i4, %[[EXP:.*]]: i4, %{{.*}}: i4):
// CHECK-COUNT-4: arith.select %{{.*}}, %{{.*}}, %{{.*}} : i4
// CHECK-NOT: arith.muli
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[EXP]]
// CHECK: %[[POW:.*]] = arith.select %[[NEG]]
// CHECK-NEXT: linalg.yield %[[POW]]
func.func @pow_integer(%a: tensor<4xi4>, %b: tensor<4xi4>) -> tensor<4xi4> {
  %0 = tamp.pow %a, %b : (tensor<4xi4>, tensor<4xi4>) -> tensor<4xi4>
  return %0 : tensor<4xi4>
}

// -----

// Bitwise ops on integers; shifts of at least the bit width shift every bit
// out (0, or copies of the sign bit for signed right shifts).
// CHECK-LABEL: func.func @bitwise
// CHECK: linalg.generic
// CHECK: %[[ONES:.*]] = arith.constant -1 : i32
// CHECK: arith.xori %{{.*}}, %[[ONES]] : i32
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: i8, %[[S:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[SHL:.*]] = arith.shli %[[X]], %[[S]] : i8
// CHECK: %[[W:.*]] = arith.constant 8 : i8
// CHECK: %[[IN:.*]] = arith.cmpi ult, %[[S]], %[[W]] : i8
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK: arith.select %[[IN]], %[[SHL]], %[[ZERO]] : i8
// CHECK: linalg.generic
// CHECK: arith.shrui
// CHECK: arith.select
// CHECK: linalg.generic
// CHECK: %[[IN2:.*]] = arith.cmpi ult
// CHECK: %[[SIGN:.*]] = arith.constant 31 : i32
// CHECK: %[[AMOUNT:.*]] = arith.select %[[IN2]], %{{.*}}, %[[SIGN]] : i32
// CHECK: arith.shrsi %{{.*}}, %[[AMOUNT]] : i32
func.func @bitwise(%a: tensor<4xi32>, %x: tensor<4xui8>, %s: tensor<4xui8>) -> (tensor<4xi32>, tensor<4xui8>, tensor<4xui8>, tensor<4xi32>) {
  %0 = tamp.not %a : tensor<4xi32>
  %1 = tamp.shift_left %x, %s : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %2 = tamp.shift_right %x, %s : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %3 = tamp.shift_right %a, %0 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0, %1, %2, %3 : tensor<4xi32>, tensor<4xui8>, tensor<4xui8>, tensor<4xi32>
}

// -----

// Strings are addresses of NUL-terminated text (i64); equal compares them
// with the C library's strcmp, declared once.
// CHECK: llvm.func @strcmp(!llvm.ptr, !llvm.ptr) -> i32
// CHECK-LABEL: func.func @string_equal
// CHECK-SAME: (%{{.*}}: tensor<3xi64>, %{{.*}}: tensor<1xi64>) -> (tensor<3xi1>, tensor<3xi1>)
// CHECK: linalg.generic
// CHECK: ^bb0(%[[A:.*]]: i64, %[[B:.*]]: i64, %{{.*}}: i1):
// CHECK-DAG: %[[PA:.*]] = llvm.inttoptr %[[A]] : i64 to !llvm.ptr
// CHECK-DAG: %[[PB:.*]] = llvm.inttoptr %[[B]] : i64 to !llvm.ptr
// CHECK: %[[ORDER:.*]] = llvm.call @strcmp(%[[PA]], %[[PB]])
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: arith.cmpi eq, %[[ORDER]], %[[ZERO]] : i32
// CHECK-NOT: llvm.func @strcmp
func.func @string_equal(%a: tensor<3x!tamp.string>, %b: tensor<1x!tamp.string>) -> (tensor<3xi1>, tensor<3xi1>) {
  %0 = tamp.equal %a, %b : (tensor<3x!tamp.string>, tensor<1x!tamp.string>) -> tensor<3xi1>
  %1 = tamp.equal %b, %a : (tensor<1x!tamp.string>, tensor<3x!tamp.string>) -> tensor<3xi1>
  return %0, %1 : tensor<3xi1>, tensor<3xi1>
}
