// RUN: tamp-opt %s --split-input-file --tamp-quantize-weights="bits=4 group-size=4" | FileCheck %s --check-prefix=INT4
// RUN: tamp-opt %s --split-input-file --tamp-quantize-weights="bits=3 symmetric=true" | FileCheck %s --check-prefix=INT3
// RUN: tamp-opt %s --split-input-file --tamp-quantize-weights="bits=8 symmetric=true" | FileCheck %s --check-prefix=INT8
// RUN: tamp-opt %s --split-input-file --tamp-quantize-weights="bits=2" | FileCheck %s --check-prefix=INT2

// Round to nearest on a tiny weight, exact codes.
//
// int4 asymmetric, groups of 4: row 0 group 0 [0, 1, 2, 3] has scale 0.2 and
// zero point 0 (codes 0 5 10 15); group 1 [-4, -2, 1, 0.5] has scale 1/3 and
// zero point 12 (codes 0 6 15 13: 0.5 / fl(1/3) is just below 1.5). Two codes
// per byte, the first in the low nibble: 0x50 = 80, 0xFA = -6, 0x60 = 96,
// 0xDF = -33. Zero points [0, 12] and [9, 0] pack to 0xC0 = -64 and 9.
// INT4-LABEL: func.func @linear
// INT4-NOT: tamp.constant dense<{{.*}}> : tensor<2x8xf32>
// INT4-DAG: %[[PACKED:.*]] = tamp.constant dense<{{\[}}[80, -6, 96, -33], [91, 15, 127, 36]]> : tensor<2x4xi8>
// INT4-DAG: %[[CODES:.*]] = tamp.unpack_bits %[[PACKED]] : (tensor<2x4xi8>) -> tensor<2x8xui4>
// INT4-DAG: %[[SCALES:.*]] = tamp.constant dense<{{\[}}[2.000000e-01, 0.333333343], [0.116666667, 0.533333361]]> : tensor<2x2xf32>
// INT4-DAG: %[[ZPPACKED:.*]] = tamp.constant dense<{{\[}}[-64], [9]]> : tensor<2x1xi8>
// INT4-DAG: %[[ZP:.*]] = tamp.unpack_bits %[[ZPPACKED]] : (tensor<2x1xi8>) -> tensor<2x2xui4>
// INT4: %[[W:.*]] = tamp.dequantize %[[CODES]], %[[SCALES]], %[[ZP]] {block_size = 4 : i64} : (tensor<2x8xui4>, tensor<2x2xf32>, tensor<2x2xui4>) -> tensor<2x8xf32>
// INT4: tamp.linear %arg0, %[[W]]
//
// int3 symmetric per output channel: row 0 has scale 4/3 and codes
// 0 1 1 2 -3 -1 1 0, eight 3-bit codes in three bytes (72, -44, 7).
// INT3-LABEL: func.func @linear
// INT3-DAG: %[[PACKED:.*]] = tamp.constant dense<{{\[}}[72, -44, 7], [0, -80, 4]]> : tensor<2x3xi8>
// INT3-DAG: %[[CODES:.*]] = tamp.unpack_bits %[[PACKED]] : (tensor<2x3xi8>) -> tensor<2x8xi3>
// INT3-DAG: %[[SCALES:.*]] = tamp.constant dense<[1.33333337, 2.66666675]> : tensor<2xf32>
// INT3: tamp.dequantize %[[CODES]], %[[SCALES]] {axis = 0 : i64} : (tensor<2x8xi3>, tensor<2xf32>) -> tensor<2x8xf32>
//
// int8 symmetric: one signed byte per code, nothing to unpack.
// INT8-LABEL: func.func @linear
// INT8-NOT: tamp.unpack_bits
// INT8: %[[CODES:.*]] = tamp.constant dense<{{\[}}[0, 32, 64, 95, -127, -64, 32, 16], [4, -8, 12, -16, 127, 64, 32, 16]]> : tensor<2x8xi8>
// INT8: %[[SCALES:.*]] = tamp.constant dense<[0.0314960629, 0.0629921257]> : tensor<2xf32>
// INT8: tamp.dequantize %[[CODES]], %[[SCALES]] {axis = 0 : i64} : (tensor<2x8xi8>, tensor<2xf32>) -> tensor<2x8xf32>
//
// int2 asymmetric per output channel: four codes per byte; the two zero
// points pack into one byte.
// INT2-LABEL: func.func @linear
// INT2-DAG: tamp.unpack_bits %{{.*}} : (tensor<2x2xi8>) -> tensor<2x8xui2>
// INT2-DAG: tamp.unpack_bits %{{.*}} : (tensor<1xi8>) -> tensor<2xui2>
// INT2: tamp.dequantize %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<2x8xui2>, tensor<2xf32>, tensor<2xui2>) -> tensor<2x8xf32>
func.func @linear(%x: tensor<1x8xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<[[0.0, 1.0, 2.0, 3.0, -4.0, -2.0, 1.0, 0.5],
                            [0.25, -0.5, 0.75, -1.0, 8.0, 4.0, 2.0, 1.0]]> : tensor<2x8xf32>
  %y = tamp.linear %x, %w : (tensor<1x8xf32>, tensor<2x8xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A convolution's [O, C, kh, kw] weight is quantized as [O, C * kh * kw] and
// reshaped back; groups run along the flattened reduction.
// INT4-LABEL: func.func @conv
// INT4: %[[CODES:.*]] = tamp.unpack_bits %{{.*}} : (tensor<4x4xi8>) -> tensor<4x8xui4>
// INT4: %[[W:.*]] = tamp.dequantize %[[CODES]], %{{.*}}, %{{.*}} {block_size = 4 : i64} : (tensor<4x8xui4>, tensor<4x2xf32>, tensor<4x2xui4>) -> tensor<4x8xf32>
// INT4: %[[SHAPE:.*]] = tamp.constant dense<[4, 2, 2, 2]> : tensor<4xi64>
// INT4: %[[CONVW:.*]] = tamp.reshape %[[W]], %[[SHAPE]] : (tensor<4x8xf32>, tensor<4xi64>) -> tensor<4x2x2x2xf32>
// INT4: tamp.conv %arg0, %[[CONVW]], %arg1
func.func @conv(%x: tensor<1x2x4x4xf32>, %b: tensor<4xf32>) -> tensor<1x4x3x3xf32> {
  %w = tamp.constant dense<[[[[1.0, -1.0], [0.5, 0.0]], [[2.0, 0.25], [-0.75, 1.5]]],
                            [[[0.0, 0.1], [0.2, 0.3]], [[0.4, 0.5], [0.6, 0.7]]],
                            [[[1.0, 1.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 1.0]]],
                            [[[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]]]> : tensor<4x2x2x2xf32>
  %y = tamp.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x2x4x4xf32>, tensor<4x2x2x2xf32>, tensor<4xf32>) -> tensor<1x4x3x3xf32>
  return %y : tensor<1x4x3x3xf32>
}

// -----

// A transposed convolution's [C, M, kh, kw] weight has its output channels
// along dimension 1: the matrix is [M, C * kh * kw], transposed back after
// dequantization. Weights in resource blobs give blobs named after them.
// INT8-LABEL: func.func @conv_transpose
// INT8-DAG: %[[CODES:.*]] = tamp.constant dense_resource<deconv_w.codes> : tensor<3x8xi8>
// INT8-DAG: %[[SCALES:.*]] = tamp.constant dense_resource<deconv_w.scales> : tensor<3xf32>
// INT8: %[[W:.*]] = tamp.dequantize %[[CODES]], %[[SCALES]] {axis = 0 : i64} : (tensor<3x8xi8>, tensor<3xf32>) -> tensor<3x8xf32>
// INT8: %[[R:.*]] = tamp.reshape %[[W]], %{{.*}} : (tensor<3x8xf32>, tensor<4xi64>) -> tensor<3x2x2x2xf32>
// INT8: %[[T:.*]] = tamp.transpose %[[R]] {perm = array<i64: 1, 0, 2, 3>} : (tensor<3x2x2x2xf32>) -> tensor<2x3x2x2xf32>
// INT8: tamp.conv_transpose %arg0, %[[T]]
// Row 0 of the matrix is [w[0, 0], w[1, 0]] = [1, 2, 3, 4, 1, 2, 3, 4]:
// codes 32 64 95 127 = 0x20 0x40 0x5F 0x7F.
// INT8: deconv_w.codes: "0x0800000020405F7F20405F7F
// INT8-NOT: deconv_w:
func.func @conv_transpose(%x: tensor<1x2x3x3xf32>) -> tensor<1x3x4x4xf32> {
  %w = tamp.constant dense_resource<deconv_w> : tensor<2x3x2x2xf32>
  %y = tamp.conv_transpose %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>}
      : (tensor<1x2x3x3xf32>, tensor<2x3x2x2xf32>) -> tensor<1x3x4x4xf32>
  return %y : tensor<1x3x4x4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      deconv_w: "0x040000000000803F000000400000404000008040000080BF000000C0000040C0000080C00000003F0000803E0000403F0000C03F0000803F000000400000404000008040000080BF000000C0000040C0000080C00000003F0000803E0000403F0000C03F"
    }
  }
#-}

// -----

// Weights that are not constants, and ops without a weight, are left alone.
// INT4-LABEL: func.func @not_constant
// INT4-NOT: tamp.dequantize
// INT4: tamp.linear %arg0, %arg1
// INT4: tamp.matmul
func.func @not_constant(%x: tensor<1x8xf32>, %w: tensor<2x8xf32>, %m: tensor<8x3xf32>) -> (tensor<1x2xf32>, tensor<1x3xf32>) {
  %y = tamp.linear %x, %w : (tensor<1x8xf32>, tensor<2x8xf32>) -> tensor<1x2xf32>
  %z = tamp.matmul %x, %m : (tensor<1x8xf32>, tensor<8x3xf32>) -> tensor<1x3xf32>
  return %y, %z : tensor<1x2xf32>, tensor<1x3xf32>
}
