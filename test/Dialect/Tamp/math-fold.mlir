// RUN: tamp-opt %s --canonicalize | FileCheck %s
// Integer constant folding of the binary math ops (the shape arithmetic of
// ONNX graphs) and their identity folds.

// CHECK-LABEL: func.func @fold_add_sub_mul
func.func @fold_add_sub_mul() -> (tensor<3xi64>, tensor<3xi64>, tensor<3xi64>) {
  %a = tamp.constant dense<[1, 2, 3]> : tensor<3xi64>
  %b = tamp.constant dense<[10, 20, 30]> : tensor<3xi64>
  // A splat operand broadcasts.
  %two = tamp.constant dense<2> : tensor<3xi64>
  %add = tamp.add %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %sub = tamp.sub %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %mul = tamp.mul %b, %two : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  // CHECK-DAG: %[[ADD:.*]] = tamp.constant dense<[11, 22, 33]> : tensor<3xi64>
  // CHECK-DAG: %[[SUB:.*]] = tamp.constant dense<[-9, -18, -27]> : tensor<3xi64>
  // CHECK-DAG: %[[MUL:.*]] = tamp.constant dense<[20, 40, 60]> : tensor<3xi64>
  // CHECK-NOT: tamp.add
  // CHECK-NOT: tamp.sub
  // CHECK-NOT: tamp.mul
  // CHECK: return %[[ADD]], %[[SUB]], %[[MUL]]
  return %add, %sub, %mul : tensor<3xi64>, tensor<3xi64>, tensor<3xi64>
}

// CHECK-LABEL: func.func @fold_scalar_broadcast
func.func @fold_scalar_broadcast() -> tensor<1x3xi32> {
  // A 0-D constant broadcasts to the [1, 3] result (Shape -> Mul patterns).
  %a = tamp.constant dense<[[4, 5, 6]]> : tensor<1x3xi32>
  %s = tamp.constant dense<3> : tensor<i32>
  %mul = tamp.mul %a, %s : (tensor<1x3xi32>, tensor<i32>) -> tensor<1x3xi32>
  // CHECK: %[[C:.*]] = tamp.constant dense<{{\[}}[12, 15, 18]]> : tensor<1x3xi32>
  // CHECK-NEXT: return %[[C]]
  return %mul : tensor<1x3xi32>
}

// CHECK-LABEL: func.func @fold_div
func.func @fold_div() -> (tensor<4xi32>, tensor<2xui8>) {
  // Signed division truncates towards zero.
  %a = tamp.constant dense<[7, -7, 9, -9]> : tensor<4xi32>
  %b = tamp.constant dense<[2, 2, -4, -4]> : tensor<4xi32>
  %div = tamp.div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // Unsigned: 200 / 3, not -56 / 3.
  %u = tamp.constant dense<[200, 9]> : tensor<2xui8>
  %v = tamp.constant dense<[3, 2]> : tensor<2xui8>
  %udiv = tamp.div %u, %v : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xui8>
  // CHECK-DAG: %[[DIV:.*]] = tamp.constant dense<[3, -3, -2, 2]> : tensor<4xi32>
  // CHECK-DAG: %[[UDIV:.*]] = tamp.constant dense<[66, 4]> : tensor<2xui8>
  // CHECK-NOT: tamp.div
  // CHECK: return %[[DIV]], %[[UDIV]]
  return %div, %udiv : tensor<4xi32>, tensor<2xui8>
}

// CHECK-LABEL: func.func @no_fold_div
func.func @no_fold_div() -> (tensor<2xi32>, tensor<1xi8>) {
  // Division by zero and the overflowing INT_MIN / -1 stay for the runtime.
  %a = tamp.constant dense<[4, 5]> : tensor<2xi32>
  %zero = tamp.constant dense<[1, 0]> : tensor<2xi32>
  // CHECK: tamp.div %{{.*}}, %{{.*}} : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  %byZero = tamp.div %a, %zero : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  %min = tamp.constant dense<-128> : tensor<1xi8>
  %minusOne = tamp.constant dense<-1> : tensor<1xi8>
  // CHECK: tamp.div %{{.*}}, %{{.*}} : (tensor<1xi8>, tensor<1xi8>) -> tensor<1xi8>
  %overflow = tamp.div %min, %minusOne : (tensor<1xi8>, tensor<1xi8>) -> tensor<1xi8>
  return %byZero, %overflow : tensor<2xi32>, tensor<1xi8>
}

// CHECK-LABEL: func.func @fold_min_max
func.func @fold_min_max() -> (tensor<3xi64>, tensor<3xi64>, tensor<2xui8>, tensor<2xui8>) {
  %a = tamp.constant dense<[-5, 7, 0]> : tensor<3xi64>
  %b = tamp.constant dense<[3, -2, 0]> : tensor<3xi64>
  %min = tamp.min %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %max = tamp.max %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  // 200 is the larger unsigned value (it would be -56 signed).
  %u = tamp.constant dense<[200, 1]> : tensor<2xui8>
  %v = tamp.constant dense<[3, 2]> : tensor<2xui8>
  %umin = tamp.min %u, %v : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xui8>
  %umax = tamp.max %u, %v : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xui8>
  // CHECK-DAG: %[[MIN:.*]] = tamp.constant dense<[-5, -2, 0]> : tensor<3xi64>
  // CHECK-DAG: %[[MAX:.*]] = tamp.constant dense<[3, 7, 0]> : tensor<3xi64>
  // CHECK-DAG: %[[UMIN:.*]] = tamp.constant dense<[3, 1]> : tensor<2xui8>
  // CHECK-DAG: %[[UMAX:.*]] = tamp.constant dense<[200, 2]> : tensor<2xui8>
  // CHECK-NOT: tamp.min
  // CHECK-NOT: tamp.max
  // CHECK: return %[[MIN]], %[[MAX]], %[[UMIN]], %[[UMAX]]
  return %min, %max, %umin, %umax : tensor<3xi64>, tensor<3xi64>, tensor<2xui8>, tensor<2xui8>
}

// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[I:.*]]: tensor<4xi32>)
func.func @identities(%x: tensor<2x3xf32>, %i: tensor<4xi32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xi32>, tensor<4xi32>, tensor<2x3xf32>) {
  %zero = tamp.constant dense<0> : tensor<4xi32>
  %one = tamp.constant dense<1.0> : tensor<f32>
  %mul = tamp.mul %x, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %div = tamp.div %mul, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %add = tamp.add %i, %zero : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %sub = tamp.sub %add, %zero : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %clamp = tamp.clamp %div : tensor<2x3xf32>
  // CHECK-NOT: tamp.mul
  // CHECK-NOT: tamp.div
  // CHECK-NOT: tamp.add
  // CHECK-NOT: tamp.sub
  // CHECK-NOT: tamp.clamp
  // CHECK: return %[[X]], %[[X]], %[[I]], %[[I]], %[[X]]
  return %mul, %div, %add, %sub, %clamp : tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xi32>, tensor<4xi32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @no_fold
func.func @no_fold(%x: tensor<3xi64>, %y: tensor<1x3xf32>) -> (tensor<3xi64>, tensor<3xf32>, tensor<2x3xf32>, tensor<1x3xf32>) {
  %c = tamp.constant dense<[1, 2, 3]> : tensor<3xi64>
  // A non-constant operand.
  // CHECK: tamp.add %{{.*}}, %{{.*}} : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %add = tamp.add %x, %c : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  // Float arithmetic is left to later passes.
  %a = tamp.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  // CHECK: tamp.add %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %fadd = tamp.add %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  // An identity that broadcasts changes the type, so it is kept.
  %ones = tamp.constant dense<1.0> : tensor<2x3xf32>
  // CHECK: tamp.mul %{{.*}}, %{{.*}} : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %widen = tamp.mul %y, %ones : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // A clamp with bounds is kept.
  // CHECK: tamp.clamp %{{.*}} {min = 0.000000e+00 : f64} : tensor<1x3xf32>
  %relu = tamp.clamp %y {min = 0.0 : f64} : tensor<1x3xf32>
  return %add, %fadd, %widen, %relu : tensor<3xi64>, tensor<3xf32>, tensor<2x3xf32>, tensor<1x3xf32>
}

// x + 0.0 is not x for floats (-0.0 + 0.0 = +0.0), so it is kept.
// CHECK-LABEL: func.func @float_add_zero_kept
func.func @float_add_zero_kept(%x: tensor<3xf32>) -> tensor<3xf32> {
  %zero = tamp.constant dense<0.0> : tensor<f32>
  // CHECK: tamp.add %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %add = tamp.add %x, %zero : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  return %add : tensor<3xf32>
}

// Integer negation folds (ONNX shape subgraphs negate axes).
// CHECK-LABEL: func.func @neg_fold
func.func @neg_fold() -> tensor<2xi64> {
  %c = tamp.constant dense<[1, -3]> : tensor<2xi64>
  // CHECK: %[[C:.*]] = tamp.constant dense<[-1, 3]> : tensor<2xi64>
  // CHECK-NOT: tamp.neg
  %n = tamp.neg %c : tensor<2xi64>
  // CHECK: return %[[C]]
  return %n : tensor<2xi64>
}
