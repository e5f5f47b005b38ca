// RUN: tamp-opt %s --tamp-quantize-weights="bits=4 group-size=4" --tamp-convert-to-linalg --tamp-cpu-fuse-elementwise | FileCheck %s

// A quantized weight is unpacked and dequantized in one loop nest: the
// generic reads the packed bytes, shifts the code out of its byte, subtracts
// the zero point and scales; only the [rows, groups] zero points unpack in a
// generic of their own (it is read per group, not per element). The matmul
// then reads the float weight.
// CHECK-LABEL: func.func @linear
// CHECK: %[[ZP:.*]] = linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<2x2xi4>)
// CHECK: %[[W:.*]] = linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %[[ZP]] : tensor<2x4xi8>, tensor<2x2xf32>, tensor<2x2xi4>) outs(%{{.*}} : tensor<2x8xf32>)
// CHECK: arith.shrui
// CHECK: arith.trunci %{{.*}} : i16 to i4
// CHECK: arith.uitofp %{{.*}} : i4 to f32
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: linalg.matmul {{.*}} ins(%arg0, %[[W]] : tensor<1x8xf32>, tensor<2x8xf32>)
func.func @linear(%x: tensor<1x8xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<[[0.0, 1.0, 2.0, 3.0, -4.0, -2.0, 1.0, 0.5],
                            [0.25, -0.5, 0.75, -1.0, 8.0, 4.0, 2.0, 1.0]]> : tensor<2x8xf32>
  %y = tamp.linear %x, %w : (tensor<1x8xf32>, tensor<2x8xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
