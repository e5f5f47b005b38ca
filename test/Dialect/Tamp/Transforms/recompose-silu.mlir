// RUN: tamp-opt %s --tamp-recompose-silu --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @silu
// CHECK-SAME: tamp.fusion = {silu_recomposed = 2 : i64}
// CHECK: %[[A:.*]] = tamp.silu %arg0 : tensor<4xf32>
// CHECK: %[[B:.*]] = tamp.silu %arg1 : tensor<4xf32>
// CHECK-NOT: tamp.sigmoid
// CHECK: return %[[A]], %[[B]]
func.func @silu(%x: tensor<4xf32>, %z: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %s = tamp.sigmoid %x : tensor<4xf32>
  %a = tamp.mul %x, %s : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %t = tamp.sigmoid %z : tensor<4xf32>
  %b = tamp.mul %t, %z : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// x * sigmoid(y) is a gate, not SiLU; a sigmoid that is also returned stays.

// CHECK-LABEL: func.func @not_silu
// CHECK-NOT: tamp.silu
func.func @not_silu(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %s = tamp.sigmoid %y : tensor<4xf32>
  %a = tamp.mul %x, %s : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %t = tamp.sigmoid %x : tensor<4xf32>
  %b = tamp.mul %x, %t : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a, %b, %t : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
