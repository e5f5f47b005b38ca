// RUN: tamp-opt %s --split-input-file --tamp-quantize-weights="bits=4 group-size=4 ops=gather" | FileCheck %s
// RUN: tamp-opt %s --split-input-file --tamp-quantize-weights="bits=8 symmetric=true ops=gather" | FileCheck %s --check-prefix=ROW

// A [batch, sequence] lookup in a quantized table dequantizes only the
// looked-up rows: the packed codes, scales and zero points are gathered and
// dequantized in blocks along the result's last dimension.
// CHECK-LABEL: func.func @token_embeddings
// CHECK: %[[ROWS:.*]] = tamp.gather %{{.*}}, %arg0 {axis = 0 : i64} : (tensor<4x4xi8>, tensor<2x3xi64>) -> tensor<2x3x4xi8>
// CHECK: %[[CODES:.*]] = tamp.unpack_bits %[[ROWS]] : (tensor<2x3x4xi8>) -> tensor<2x3x8xui4>
// CHECK: %[[SCALES:.*]] = tamp.gather %{{.*}}, %arg0 {axis = 0 : i64} : (tensor<4x2xf32>, tensor<2x3xi64>) -> tensor<2x3x2xf32>
// CHECK: %[[ZP_ROWS:.*]] = tamp.gather %{{.*}}, %arg0 {axis = 0 : i64} : (tensor<4x1xi8>, tensor<2x3xi64>) -> tensor<2x3x1xi8>
// CHECK: %[[ZP:.*]] = tamp.unpack_bits %[[ZP_ROWS]] : (tensor<2x3x1xi8>) -> tensor<2x3x2xui4>
// CHECK: %[[X:.*]] = tamp.dequantize %[[CODES]], %[[SCALES]], %[[ZP]] {axis = 2 : i64, block_size = 4 : i64}
// CHECK-SAME: -> tensor<2x3x8xf32>
// CHECK-NOT: tensor<4x8xf32>
// CHECK: return %[[X]]
// One scale per row (8 bits, per channel) becomes one block per row.
// ROW-LABEL: func.func @token_embeddings
// ROW: %[[ROWS:.*]] = tamp.gather %{{.*}}, %arg0 {axis = 0 : i64} : (tensor<4x8xi8>, tensor<2x3xi64>) -> tensor<2x3x8xi8>
// ROW: %[[BLOCKS:.*]] = tamp.unsqueeze %{{.*}} {axes = array<i64: 1>} : (tensor<4xf32>) -> tensor<4x1xf32>
// ROW: %[[SCALES:.*]] = tamp.gather %[[BLOCKS]], %arg0 {axis = 0 : i64} : (tensor<4x1xf32>, tensor<2x3xi64>) -> tensor<2x3x1xf32>
// ROW: tamp.dequantize %[[ROWS]], %[[SCALES]] {axis = 2 : i64, block_size = 8 : i64} : (tensor<2x3x8xi8>, tensor<2x3x1xf32>) -> tensor<2x3x8xf32>
func.func @token_embeddings(%ids: tensor<2x3xi64>) -> tensor<2x3x8xf32> {
  %table = tamp.constant dense<[[0.5, -1.0, 0.25, 2.0, -0.75, 1.5, 0.0, 1.0],
                                [1.0, 0.5, -0.5, -2.0, 0.75, 0.25, 1.25, -1.0],
                                [0.0, 0.125, 0.5, 1.0, -1.5, -0.25, 0.5, 2.0],
                                [0.3, 0.2, 0.1, 0.0, -0.1, -0.2, -0.3, -0.4]]> : tensor<4x8xf32>
  %x = tamp.gather %table, %ids {axis = 0 : i64} : (tensor<4x8xf32>, tensor<2x3xi64>) -> tensor<2x3x8xf32>
  return %x : tensor<2x3x8xf32>
}

// -----

// A lookup along axis 1 quantizes the table with its gathered slices as
// rows (a transpose back to the table's layout follows the dequantization),
// and the whole table is dequantized, then gathered.
// CHECK-LABEL: func.func @column_lookup
// CHECK: %[[ROWS:.*]] = tamp.dequantize %{{.*}} -> tensor<4x8xf32>
// CHECK: %[[TABLE:.*]] = tamp.transpose %[[ROWS]]
// CHECK: tamp.gather %[[TABLE]], %arg0 {axis = 1 : i64} : (tensor<8x4xf32>, tensor<3xi64>) -> tensor<8x3xf32>
func.func @column_lookup(%ids: tensor<3xi64>) -> tensor<8x3xf32> {
  %table = tamp.constant dense<1.0> : tensor<8x4xf32>
  %x = tamp.gather %table, %ids {axis = 1 : i64} : (tensor<8x4xf32>, tensor<3xi64>) -> tensor<8x3xf32>
  return %x : tensor<8x3xf32>
}
