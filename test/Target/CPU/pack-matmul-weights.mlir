// RUN: tamp-opt --tamp-cpu-pack-matmul-weights -split-input-file %s | FileCheck %s

#a = affine_map<(m, n, k) -> (m, k)>
#bt = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>

// A transposed-B matmul with a constant weight reads the weight transposed
// at compile time: [[1, 2, 3], [4, 5, 6]] becomes [[1, 4], [2, 5], [3, 6]].
// CHECK-LABEL: func.func @constant_weight
// CHECK: %[[W:.*]] = arith.constant dense_resource<weight_packed> : tensor<3x2xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %[[W]] : tensor<4x3xf32>, tensor<3x2xf32>)
// CHECK-NOT: indexing_maps
func.func @constant_weight(%x: tensor<4x3xf32>, %init: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense_resource<weight> : tensor<2x3xf32>
  %0 = linalg.matmul indexing_maps = [#a, #bt, #c] ins(%x, %w : tensor<4x3xf32>, tensor<2x3xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}
// CHECK: weight_packed: "0x400000000000803F00008040000000400000A040000040400000C040"

{-#
  dialect_resources: {
    builtin: {
      weight: "0x040000000000803F0000004000004040000080400000A0400000C040"
    }
  }
#-}

// -----

#a = affine_map<(m, n, k) -> (m, k)>
#bt = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>

// A weight that is not a constant stays as it is.
// CHECK-LABEL: func.func @runtime_weight
// CHECK: linalg.matmul indexing_maps
func.func @runtime_weight(%x: tensor<4x3xf32>, %w: tensor<2x3xf32>, %init: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %0 = linalg.matmul indexing_maps = [#a, #bt, #c] ins(%x, %w : tensor<4x3xf32>, tensor<2x3xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}
