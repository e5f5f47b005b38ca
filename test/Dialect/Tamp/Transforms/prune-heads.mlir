// RUN: tamp-opt --tamp-prune-heads="ratio=0.5" %s | FileCheck %s
// RUN: tamp-opt --tamp-prune-analysis %s -o /dev/null | FileCheck %s --check-prefix=GROUPS

// Two heads of size 2: the projections' rows 0-1 (head 0) are small, so
// head 0 goes from the query, key and value projections, the reshapes now
// split into one head, and the output projection loses columns 0-1.
// GROUPS: group 0 'q': 2 heads of 2 channels, prunable
// GROUPS: producers:
// GROUPS-NEXT: q (tamp.linear) operand 1 dim 0 stride 2
// GROUPS-NEXT: k (tamp.linear) operand 1 dim 0 stride 2
// GROUPS-NEXT: v (tamp.linear) operand 1 dim 0 stride 2
// GROUPS: consumers:
// GROUPS-NEXT: o (tamp.linear) operand 1 dim 1 stride 2

// CHECK-LABEL: func.func @attention
// CHECK: %[[Q:.*]] = tamp.linear {{.*}}tamp.kept_output_channels = array<i64: 2, 3>{{.*}} -> tensor<1x3x2xf32>
// CHECK: %[[SHAPE:.*]] = tamp.constant dense<[1, 3, 1, 2]> : tensor<4xi64>
// CHECK: tamp.reshape %[[Q]], %[[SHAPE]] {{.*}} -> tensor<1x3x1x2xf32>
// CHECK: tamp.softmax {{.*}} : tensor<1x1x3x3xf32>
// CHECK: %[[MERGE:.*]] = tamp.constant dense<[1, 3, 2]> : tensor<3xi64>
// CHECK: tamp.reshape %{{.*}}, %[[MERGE]]
// CHECK: tamp.linear {{.*}}tamp.kept_input_channels = array<i64: 2, 3>{{.*}} : (tensor<1x3x2xf32>, tensor<4x2xf32>) -> tensor<1x3x4xf32>
func.func @attention(%x: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
  %wq = tamp.constant dense<[[0.1, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.1], [1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0]]> : tensor<4x4xf32>
  %wo = tamp.constant dense<1.0> : tensor<4x4xf32>
  %split = tamp.constant dense<[1, 3, 2, 2]> : tensor<4xi64>
  %merge = tamp.constant dense<[1, 3, 4]> : tensor<3xi64>
  %q = tamp.linear %x, %wq : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32> loc("q")
  %k = tamp.linear %x, %wq : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32> loc("k")
  %v = tamp.linear %x, %wq : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32> loc("v")
  %qh = tamp.reshape %q, %split : (tensor<1x3x4xf32>, tensor<4xi64>) -> tensor<1x3x2x2xf32>
  %kh = tamp.reshape %k, %split : (tensor<1x3x4xf32>, tensor<4xi64>) -> tensor<1x3x2x2xf32>
  %vh = tamp.reshape %v, %split : (tensor<1x3x4xf32>, tensor<4xi64>) -> tensor<1x3x2x2xf32>
  %qt = tamp.transpose %qh {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x3x2x2xf32>) -> tensor<1x2x3x2xf32>
  %kt = tamp.transpose %kh {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x2x2xf32>) -> tensor<1x2x2x3xf32>
  %vt = tamp.transpose %vh {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x3x2x2xf32>) -> tensor<1x2x3x2xf32>
  %s = tamp.matmul %qt, %kt : (tensor<1x2x3x2xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x3x3xf32>
  %p = tamp.softmax %s {axis = 3 : i64} : tensor<1x2x3x3xf32>
  %a = tamp.matmul %p, %vt : (tensor<1x2x3x3xf32>, tensor<1x2x3x2xf32>) -> tensor<1x2x3x2xf32>
  %at = tamp.transpose %a {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x2x3x2xf32>) -> tensor<1x3x2x2xf32>
  %m = tamp.reshape %at, %merge : (tensor<1x3x2x2xf32>, tensor<3xi64>) -> tensor<1x3x4xf32>
  %y = tamp.linear %m, %wo : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32> loc("o")
  return %y : tensor<1x3x4xf32>
}
