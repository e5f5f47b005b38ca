// RUN: tamp-opt %s --tamp-recompose-attention --split-input-file | FileCheck %s

// BERT's export: K is reshaped to heads and transposed with [0, 2, 3, 1];
// with the swap of its last two dimensions that is [0, 2, 1, 3], the
// transpose that the query and value get.

// CHECK-LABEL: func.func @bert
// CHECK-SAME: tamp.fusion = {attention_recomposed = 1 : i64}
// CHECK: %[[K:.*]] = tamp.transpose %arg1 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x8x2x4xf32>) -> tensor<1x2x8x4xf32>
// CHECK: %[[Y:.*]] = tamp.attention %arg0, %[[K]], %arg2, %arg3 {scale = 5.000000e-01 : f32} : (tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>, tensor<1x1x1x8xf32>) -> tensor<1x2x8x4xf32>
// CHECK-NOT: tamp.softmax
// CHECK-NOT: tamp.matmul
// CHECK: return %[[Y]]
func.func @bert(%q: tensor<1x2x8x4xf32>, %k: tensor<1x8x2x4xf32>, %v: tensor<1x2x8x4xf32>, %mask: tensor<1x1x1x8xf32>) -> tensor<1x2x8x4xf32> {
  %c = tamp.constant dense<0.5> : tensor<f32>
  %kt = tamp.transpose %k {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x8x2x4xf32>) -> tensor<1x2x4x8xf32>
  %s = tamp.matmul %q, %kt : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x8x8xf32>
  %ss = tamp.mul %s, %c : (tensor<1x2x8x8xf32>, tensor<f32>) -> tensor<1x2x8x8xf32>
  %sm = tamp.add %ss, %mask : (tensor<1x2x8x8xf32>, tensor<1x1x1x8xf32>) -> tensor<1x2x8x8xf32>
  %p = tamp.softmax %sm {axis = -1 : i64} : tensor<1x2x8x8xf32>
  %o = tamp.matmul %p, %v : (tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
  return %o : tensor<1x2x8x4xf32>
}

// -----

// A transpose that only swaps the last two dimensions cancels; the scale
// divides the query; the mask is the left operand; no batch dimensions.

// CHECK-LABEL: func.func @scaled_query
// CHECK: tamp.attention %arg0, %arg1, %arg2, %arg3 {scale = 2.500000e-01 : f32} : (tensor<6x4xf32>, tensor<5x4xf32>, tensor<5x3xf32>, tensor<6x5xf32>) -> tensor<6x3xf32>
func.func @scaled_query(%q: tensor<6x4xf32>, %k: tensor<5x4xf32>, %v: tensor<5x3xf32>, %mask: tensor<6x5xf32>) -> tensor<6x3xf32> {
  %c = tamp.constant dense<4.0> : tensor<1xf32>
  %qs = tamp.div %q, %c : (tensor<6x4xf32>, tensor<1xf32>) -> tensor<6x4xf32>
  %kt = tamp.transpose %k {perm = array<i64: 1, 0>} : (tensor<5x4xf32>) -> tensor<4x5xf32>
  %s = tamp.matmul %qs, %kt : (tensor<6x4xf32>, tensor<4x5xf32>) -> tensor<6x5xf32>
  %sm = tamp.add %mask, %s : (tensor<6x5xf32>, tensor<6x5xf32>) -> tensor<6x5xf32>
  %p = tamp.softmax %sm {axis = 1 : i64} : tensor<6x5xf32>
  %o = tamp.matmul %p, %v : (tensor<6x5xf32>, tensor<5x3xf32>) -> tensor<6x3xf32>
  return %o : tensor<6x3xf32>
}

// -----

// No scale and no mask; K^T is an argument, transposed for the op.

// CHECK-LABEL: func.func @plain
// CHECK: %[[K:.*]] = tamp.transpose %arg1 {perm = array<i64: 0, 2, 1>} : (tensor<2x4x5xf32>) -> tensor<2x5x4xf32>
// CHECK: tamp.attention %arg0, %[[K]], %arg2 {scale = 1.000000e+00 : f32}
func.func @plain(%q: tensor<2x6x4xf32>, %kt: tensor<2x4x5xf32>, %v: tensor<2x5x3xf32>) -> tensor<2x6x3xf32> {
  %s = tamp.matmul %q, %kt : (tensor<2x6x4xf32>, tensor<2x4x5xf32>) -> tensor<2x6x5xf32>
  %p = tamp.softmax %s {axis = 2 : i64} : tensor<2x6x5xf32>
  %o = tamp.matmul %p, %v : (tensor<2x6x5xf32>, tensor<2x5x3xf32>) -> tensor<2x6x3xf32>
  return %o : tensor<2x6x3xf32>
}

// -----

// A softmax over the query axis is not attention.

// CHECK-LABEL: func.func @softmax_axis
// CHECK-NOT: tamp.attention
func.func @softmax_axis(%q: tensor<2x6x4xf32>, %kt: tensor<2x4x5xf32>, %v: tensor<2x6x3xf32>) -> tensor<2x5x3xf32> {
  %s = tamp.matmul %q, %kt : (tensor<2x6x4xf32>, tensor<2x4x5xf32>) -> tensor<2x6x5xf32>
  %p = tamp.softmax %s {axis = 1 : i64} : tensor<2x6x5xf32>
  %pt = tamp.transpose %p {perm = array<i64: 0, 2, 1>} : (tensor<2x6x5xf32>) -> tensor<2x5x6xf32>
  %o = tamp.matmul %pt, %v : (tensor<2x5x6xf32>, tensor<2x6x3xf32>) -> tensor<2x5x3xf32>
  return %o : tensor<2x5x3xf32>
}

// -----

// The probabilities are also returned, and a per-head scale is no scalar.

// CHECK-LABEL: func.func @not_fusable
// CHECK-NOT: tamp.attention
func.func @not_fusable(%q: tensor<2x6x4xf32>, %kt: tensor<2x4x5xf32>, %v: tensor<2x5x3xf32>) -> (tensor<2x6x3xf32>, tensor<2x6x5xf32>, tensor<2x6x3xf32>) {
  %s = tamp.matmul %q, %kt : (tensor<2x6x4xf32>, tensor<2x4x5xf32>) -> tensor<2x6x5xf32>
  %p = tamp.softmax %s {axis = 2 : i64} : tensor<2x6x5xf32>
  %o = tamp.matmul %p, %v : (tensor<2x6x5xf32>, tensor<2x5x3xf32>) -> tensor<2x6x3xf32>
  %c = tamp.constant dense<[[[0.5]], [[0.25]]]> : tensor<2x1x1xf32>
  %s2 = tamp.matmul %q, %kt : (tensor<2x6x4xf32>, tensor<2x4x5xf32>) -> tensor<2x6x5xf32>
  %ss = tamp.mul %s2, %c : (tensor<2x6x5xf32>, tensor<2x1x1xf32>) -> tensor<2x6x5xf32>
  %p2 = tamp.softmax %ss {axis = 2 : i64} : tensor<2x6x5xf32>
  %o2 = tamp.matmul %p2, %v : (tensor<2x6x5xf32>, tensor<2x5x3xf32>) -> tensor<2x6x3xf32>
  return %o, %p, %o2 : tensor<2x6x3xf32>, tensor<2x6x5xf32>, tensor<2x6x3xf32>
}
