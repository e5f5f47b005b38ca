// RUN: tamp-opt %s --tamp-compress-pipeline="quantize=w4 group-size=4" | FileCheck %s --check-prefix=W4
// RUN: tamp-opt %s --tamp-compress-pipeline="quantize=w8a8" | FileCheck %s --check-prefix=W8A8
// RUN: tamp-opt %s --tamp-compress-pipeline="quantize=dynamic" | FileCheck %s --check-prefix=DYNAMIC
// RUN: tamp-opt %s --tamp-compress-pipeline="quantize=w4 keep-float=^fc$" | FileCheck %s --check-prefix=KEEP
// RUN: tamp-opt %s --tamp-compress-pipeline | FileCheck %s --check-prefix=NONE
// RUN: not tamp-opt %s --tamp-compress-pipeline="quantize=w5" 2>&1 | FileCheck %s --check-prefix=BAD

// The named pipeline runs what `tamp compile --quantize=...` runs, from the
// calibration statistics on the ops: an embedding lookup and a linear layer.

// A lookup in a quantized table gathers the packed rows, their scales and
// zero points, and dequantizes only those rows.
// W4: %[[ROWS:.*]] = tamp.gather %{{.*}}, %arg0 {axis = 0 : i64} : (tensor<3x4xi8>, tensor<2xi64>) -> tensor<2x4xi8>
// W4: %[[CODES:.*]] = tamp.unpack_bits %[[ROWS]] : (tensor<2x4xi8>) -> tensor<2x8xui4>
// W4: %[[SCALES:.*]] = tamp.gather %{{.*}}, %arg0 {axis = 0 : i64} : (tensor<3x2xf32>, tensor<2xi64>) -> tensor<2x2xf32>
// W4: %[[ZP_ROWS:.*]] = tamp.gather %{{.*}}, %arg0 {axis = 0 : i64} : (tensor<3x1xi8>, tensor<2xi64>) -> tensor<2x1xi8>
// W4: %[[ZP:.*]] = tamp.unpack_bits %[[ZP_ROWS]]
// W4: %[[X:.*]] = tamp.dequantize %[[CODES]], %[[SCALES]], %[[ZP]] {block_size = 4 : i64} : (tensor<2x8xui4>, tensor<2x2xf32>, tensor<2x2xui4>) -> tensor<2x8xf32>
// W4-NOT: tensor<3x8xf32>
// W4: tamp.unpack_bits %{{.*}} : (tensor<2x4xi8>) -> tensor<2x8xui4>
// W4: tamp.linear %[[X]]

// Static int8: the linear layer's input is quantized with its calibrated
// range, the embedding table stored as int8 rows.
// W8A8: %[[ROWS:.*]] = tamp.gather %{{.*}}, %arg0 {axis = 0 : i64} : (tensor<3x8xi8>, tensor<2xi64>) -> tensor<2x8xi8>
// W8A8: %[[BLOCKS:.*]] = tamp.unsqueeze %{{.*}} {axes = array<i64: 1>} : (tensor<3xf32>) -> tensor<3x1xf32>
// W8A8: %[[SCALES:.*]] = tamp.gather %[[BLOCKS]], %arg0 {axis = 0 : i64} : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<2x1xf32>
// W8A8: tamp.dequantize %[[ROWS]], %[[SCALES]] {block_size = 8 : i64} : (tensor<2x8xi8>, tensor<2x1xf32>) -> tensor<2x8xf32>
// W8A8: quant.qcast %{{.*}} : tensor<2x8xf32> to tensor<2x8x!quant.uniform<u8:f32,
// W8A8: tamp.linear {{.*}} -> tensor<2x2xf32>

// DYNAMIC: tamp.dynamic_quantize
// DYNAMIC: tamp.linear_integer

// The layer named fc stays float; the table is still quantized.
// KEEP: tamp.gather %{{.*}}, %arg0 {axis = 0 : i64} : (tensor<3x4xi8>, tensor<2xi64>) -> tensor<2x4xi8>
// KEEP: %[[W:.*]] = tamp.constant dense<{{.*}}> : tensor<2x8xf32>
// KEEP: tamp.linear %{{.*}}, %[[W]]

// NONE-NOT: tamp.dequantize
// NONE-NOT: quant.

// BAD: for the --quantize option: Cannot find option named 'w5'!
func.func @embed_then_linear(%ids: tensor<2xi64>) -> tensor<2x2xf32> {
  %table = tamp.constant dense<[[0.5, -1.0, 0.25, 2.0, -0.75, 1.5, 0.0, 1.0],
                                [1.0, 0.5, -0.5, -2.0, 0.75, 0.25, 1.25, -1.0],
                                [0.0, 0.125, 0.5, 1.0, -1.5, -0.25, 0.5, 2.0]]> : tensor<3x8xf32>
  %x = tamp.gather %table, %ids {axis = 0 : i64} : (tensor<3x8xf32>, tensor<2xi64>) -> tensor<2x8xf32>
  %w = tamp.constant dense<[[0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8],
                            [0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]]> : tensor<2x8xf32>
  %y = tamp.linear %x, %w {tamp.calibration = {
         operand0 = {min = -2.0 : f64, max = 2.0 : f64,
                     minmax = array<f64: -2.0, 2.0>, percentile = array<f64: -2.0, 2.0>,
                     entropy = array<f64: -2.0, 2.0>, mse = array<f64: -2.0, 2.0>},
         result0 = {min = -4.0 : f64, max = 4.0 : f64,
                    minmax = array<f64: -4.0, 4.0>, percentile = array<f64: -4.0, 4.0>,
                    entropy = array<f64: -4.0, 4.0>, mse = array<f64: -4.0, 4.0>},
         samples = 1 : i64}}
      : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x2xf32> loc("fc")
  return %y : tensor<2x2xf32>
}
