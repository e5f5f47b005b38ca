// RUN: tamp-opt %s --tamp-fold-transpose-reshape --split-input-file | FileCheck %s

// Transposes that cancel disappear; two that do not become one.

// CHECK-LABEL: func.func @transposes
// CHECK-SAME: tamp.fusion = {transposes_folded = 3 : i64}
// CHECK: %[[T:.*]] = tamp.transpose %arg0 {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK-NOT: tamp.transpose
// CHECK: return %arg0, %[[T]]
func.func @transposes(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<4x2x3xf32>) {
  %a = tamp.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  %b = tamp.transpose %a {perm = array<i64: 0, 2, 1>} : (tensor<2x4x3xf32>) -> tensor<2x3x4xf32>
  %c = tamp.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %d = tamp.transpose %c {perm = array<i64: 2, 1, 0>} : (tensor<3x2x4xf32>) -> tensor<4x2x3xf32>
  return %b, %d : tensor<2x3x4xf32>, tensor<4x2x3xf32>
}

// -----

// Flatten, unsqueeze and reshape chains become one reshape, or nothing when
// the shape comes back.

// CHECK-LABEL: func.func @reshapes
// CHECK-SAME: tamp.fusion = {reshapes_folded = 3 : i64}
// CHECK: %[[S:.*]] = tamp.constant dense<[6, 1, 4]> : tensor<3xi64>
// CHECK: %[[R:.*]] = tamp.reshape %arg0, %[[S]] : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<6x1x4xf32>
// CHECK-NOT: tamp.flatten
// CHECK-NOT: tamp.unsqueeze
// CHECK-NOT: tamp.squeeze
// CHECK: return %[[R]], %arg0
func.func @reshapes(%x: tensor<2x3x4xf32>) -> (tensor<6x1x4xf32>, tensor<2x3x4xf32>) {
  %shape = tamp.constant dense<[6, 4]> : tensor<2xi64>
  %back = tamp.constant dense<[2, 3, 4]> : tensor<3xi64>
  %a = tamp.reshape %x, %shape : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %b = tamp.unsqueeze %a {axes = array<i64: 1>} : (tensor<6x4xf32>) -> tensor<6x1x4xf32>
  %f = tamp.flatten %x {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %g = tamp.reshape %f, %back : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  return %b, %g : tensor<6x1x4xf32>, tensor<2x3x4xf32>
}

// -----

// A dynamic result keeps its chain: its sizes are known only at run time.

// CHECK-LABEL: func.func @dynamic
// CHECK-NOT: tamp.fusion
// CHECK: tamp.flatten
// CHECK: tamp.unsqueeze
func.func @dynamic(%x: tensor<?x3x4xf32>) -> tensor<?x1x4xf32> {
  %f = tamp.flatten %x {axis = 2 : i64} : (tensor<?x3x4xf32>) -> tensor<?x4xf32>
  %u = tamp.unsqueeze %f {axes = array<i64: 1>} : (tensor<?x4xf32>) -> tensor<?x1x4xf32>
  return %u : tensor<?x1x4xf32>
}
