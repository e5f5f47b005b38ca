// RUN: tamp-opt %s | tamp-opt | FileCheck %s
// Round trip of the NN ops. Every result type below is static, so the
// verifier checks it against the inferred type; nn-ops-invalid.mlir shows
// the exact inferred types in its mismatch diagnostics.

// CHECK-LABEL: func.func @conv_2d
func.func @conv_2d(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>)
    -> (tensor<1x8x32x32xf32>, tensor<1x8x15x15xf32>, tensor<1x8x28x28xf32>, tensor<1x8x32x34xf32>) {
  // CHECK: tamp.conv %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x32x32xf32>
  %same = tamp.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x32x32xf32>
  // (32 - 3) / 2 + 1 = 15
  // CHECK: tamp.conv %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x15x15xf32>
  %strided = tamp.conv %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x15x15xf32>
  // Dilation 2 makes the 3x3 kernel span 5: 32 - 5 + 1 = 28.
  // CHECK: -> tensor<1x8x28x28xf32>
  %dilated = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x28x28xf32>
  // Asymmetric pads (begins 0, 1; ends 2, 3): H = 32 + 2 - 2 = 32, W = 32 + 4 - 2 = 34.
  // CHECK: pads = array<i64: 0, 1, 2, 3>
  // CHECK-SAME: -> tensor<1x8x32x34xf32>
  %asymmetric = tamp.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 1, 2, 3>}
      : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x32x34xf32>
  return %same, %strided, %dilated, %asymmetric
      : tensor<1x8x32x32xf32>, tensor<1x8x15x15xf32>, tensor<1x8x28x28xf32>, tensor<1x8x32x34xf32>
}

// CHECK-LABEL: func.func @conv_auto_pad
func.func @conv_auto_pad(%x: tensor<1x3x31x31xf32>, %w: tensor<8x3x3x3xf32>)
    -> (tensor<1x8x16x16xf32>, tensor<1x8x16x16xf32>, tensor<1x8x15x15xf32>) {
  // SAME: ceil(31 / 2) = 16.
  // CHECK: auto_pad = #tamp.auto_pad<same_upper>
  // CHECK-SAME: -> tensor<1x8x16x16xf32>
  %upper = tamp.conv %x, %w {auto_pad = #tamp.auto_pad<same_upper>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x3x31x31xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x16x16xf32>
  // CHECK: auto_pad = #tamp.auto_pad<same_lower>
  %lower = tamp.conv %x, %w {auto_pad = #tamp.auto_pad<same_lower>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x3x31x31xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x16x16xf32>
  // VALID: ceil((31 - 3 + 1) / 2) = 15.
  // CHECK: auto_pad = #tamp.auto_pad<valid>
  // CHECK-SAME: -> tensor<1x8x15x15xf32>
  %valid = tamp.conv %x, %w {auto_pad = #tamp.auto_pad<valid>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x3x31x31xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x15x15xf32>
  return %upper, %lower, %valid : tensor<1x8x16x16xf32>, tensor<1x8x16x16xf32>, tensor<1x8x15x15xf32>
}

// CHECK-LABEL: func.func @conv_grouped
func.func @conv_grouped(%x: tensor<1x8x16x16xf32>, %dw: tensor<8x1x3x3xf32>,
                        %x1: tensor<2x4x10xf32>, %w1: tensor<6x2x3xf32>)
    -> (tensor<1x8x16x16xf32>, tensor<2x6x8xf32>) {
  // Depthwise: group = C.
  // CHECK: group = 8 : i64
  // CHECK-SAME: -> tensor<1x8x16x16xf32>
  %depthwise = tamp.conv %x, %dw {group = 8 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x8x16x16xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x16x16xf32>
  // 1-D, two groups of two input channels each.
  // CHECK: group = 2 : i64
  // CHECK-SAME: (tensor<2x4x10xf32>, tensor<6x2x3xf32>) -> tensor<2x6x8xf32>
  %conv1d = tamp.conv %x1, %w1 {group = 2 : i64, strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 0, 0>}
      : (tensor<2x4x10xf32>, tensor<6x2x3xf32>) -> tensor<2x6x8xf32>
  return %depthwise, %conv1d : tensor<1x8x16x16xf32>, tensor<2x6x8xf32>
}

// CHECK-LABEL: func.func @conv_3d_dynamic_integer
func.func @conv_3d_dynamic_integer(%x: tensor<1x2x8x8x8xf32>, %w: tensor<4x2x3x3x3xf32>,
                                   %xd: tensor<?x3x?x32xf32>, %wd: tensor<8x3x3x3xf32>,
                                   %wk: tensor<8x3x?x3xf32>,
                                   %xi: tensor<1x3x8x8xi32>, %wi: tensor<4x3x3x3xi32>)
    -> (tensor<1x4x4x4x4xf32>, tensor<?x8x?x30xf32>, tensor<?x8x?x32xf32>, tensor<1x4x6x6xi32>) {
  // CHECK: (tensor<1x2x8x8x8xf32>, tensor<4x2x3x3x3xf32>) -> tensor<1x4x4x4x4xf32>
  %conv3d = tamp.conv %x, %w {strides = array<i64: 2, 2, 2>, dilations = array<i64: 1, 1, 1>, pads = array<i64: 1, 1, 1, 1, 1, 1>}
      : (tensor<1x2x8x8x8xf32>, tensor<4x2x3x3x3xf32>) -> tensor<1x4x4x4x4xf32>
  // Dynamic batch and height stay dynamic; the static width is inferred.
  // CHECK: (tensor<?x3x?x32xf32>, tensor<8x3x3x3xf32>) -> tensor<?x8x?x30xf32>
  %dynamic = tamp.conv %xd, %wd {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<?x3x?x32xf32>, tensor<8x3x3x3xf32>) -> tensor<?x8x?x30xf32>
  // SAME padding does not need the kernel size, so a dynamic kernel height is fine.
  // CHECK: (tensor<?x3x?x32xf32>, tensor<8x3x?x3xf32>) -> tensor<?x8x?x32xf32>
  %dynamicKernel = tamp.conv %xd, %wk {auto_pad = #tamp.auto_pad<same_upper>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<?x3x?x32xf32>, tensor<8x3x?x3xf32>) -> tensor<?x8x?x32xf32>
  // ConvInteger imports as an i32 convolution.
  // CHECK: (tensor<1x3x8x8xi32>, tensor<4x3x3x3xi32>) -> tensor<1x4x6x6xi32>
  %integer = tamp.conv %xi, %wi {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x3x8x8xi32>, tensor<4x3x3x3xi32>) -> tensor<1x4x6x6xi32>
  return %conv3d, %dynamic, %dynamicKernel, %integer
      : tensor<1x4x4x4x4xf32>, tensor<?x8x?x30xf32>, tensor<?x8x?x32xf32>, tensor<1x4x6x6xi32>
}

// CHECK-LABEL: func.func @conv_transpose
func.func @conv_transpose(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<2xf32>,
                          %wg: tensor<4x3x3x3xf32>, %bg: tensor<6xf32>)
    -> (tensor<1x2x11x11xf32>, tensor<1x2x10x10xf32>, tensor<1x6x7x7xf32>, tensor<1x2x10x10xf32>, tensor<1x2x11x11xf32>) {
  // 2 * (5 - 1) + 0 + (3 - 1) + 1 = 11
  // CHECK: tamp.conv_transpose %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x11x11xf32>
  %plain = tamp.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>}
      : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x11x11xf32>
  // 2 * 4 + 1 + 3 - 1 - 1 = 10
  // CHECK: output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>
  // CHECK-SAME: -> tensor<1x2x10x10xf32>
  %padded = tamp.conv_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>}
      : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x10x10xf32>
  // Two groups: M = 3 * 2; 1 * 4 + 3 = 7.
  // CHECK: group = 2 : i64
  // CHECK-SAME: -> tensor<1x6x7x7xf32>
  %grouped = tamp.conv_transpose %x, %wg, %bg {group = 2 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>}
      : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x7x7xf32>
  // SAME: input * stride.
  // CHECK: auto_pad = #tamp.auto_pad<same_lower>
  // CHECK-SAME: -> tensor<1x2x10x10xf32>
  %same = tamp.conv_transpose %x, %w {auto_pad = #tamp.auto_pad<same_lower>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>}
      : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x10x10xf32>
  // CHECK: auto_pad = #tamp.auto_pad<valid>
  // CHECK-SAME: -> tensor<1x2x11x11xf32>
  %valid = tamp.conv_transpose %x, %w {auto_pad = #tamp.auto_pad<valid>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>}
      : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x11x11xf32>
  return %plain, %padded, %grouped, %same, %valid
      : tensor<1x2x11x11xf32>, tensor<1x2x10x10xf32>, tensor<1x6x7x7xf32>, tensor<1x2x10x10xf32>, tensor<1x2x11x11xf32>
}

// CHECK-LABEL: func.func @conv_transpose_dynamic
func.func @conv_transpose_dynamic(%x: tensor<?x4x?x5xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<?x2x?x12xf32> {
  // 2 * 4 + 1 + 2 * 2 + 1 = 14 minus pads 1 + 1 = 12; output_padding 1 < max(2, 2).
  // CHECK: (tensor<?x4x?x5xf32>, tensor<4x2x3x3xf32>) -> tensor<?x2x?x12xf32>
  %0 = tamp.conv_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>}
      : (tensor<?x4x?x5xf32>, tensor<4x2x3x3xf32>) -> tensor<?x2x?x12xf32>
  return %0 : tensor<?x2x?x12xf32>
}

// CHECK-LABEL: func.func @batch_norm
func.func @batch_norm(%x: tensor<2x3x8x8xf32>, %c: tensor<3xf32>, %y: tensor<?x?xf16>, %d: tensor<?xf16>)
    -> (tensor<2x3x8x8xf32>, tensor<?x?xf16>) {
  // CHECK: tamp.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 9.99999974E-6 : f32} : (tensor<2x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x8x8xf32>
  %0 = tamp.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-5 : f32}
      : (tensor<2x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x8x8xf32>
  // CHECK: tamp.batch_norm {{.*}} {epsilon = 0.000000e+00 : f32} : (tensor<?x?xf16>, tensor<?xf16>, tensor<?xf16>, tensor<?xf16>, tensor<?xf16>) -> tensor<?x?xf16>
  %1 = tamp.batch_norm %y, %d, %d, %d, %d {epsilon = 0.0 : f32}
      : (tensor<?x?xf16>, tensor<?xf16>, tensor<?xf16>, tensor<?xf16>, tensor<?xf16>) -> tensor<?x?xf16>
  return %0, %1 : tensor<2x3x8x8xf32>, tensor<?x?xf16>
}

// CHECK-LABEL: func.func @max_pool
func.func @max_pool(%x: tensor<1x8x32x32xf32>, %xi: tensor<1x8x32xi8>, %x3: tensor<1x2x9x9x9xf32>)
    -> (tensor<1x8x16x16xf32>, tensor<1x8x15x15xf32>, tensor<1x8x16x16xf32>, tensor<1x8x16xi8>, tensor<1x2x3x3x3xf32>, tensor<1x8x28x28xf32>) {
  // (32 + 2 - 3) / 2 + 1 = 16
  // CHECK: tamp.max_pool %{{.*}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x32x32xf32>) -> tensor<1x8x16x16xf32>
  %padded = tamp.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x8x32x32xf32>) -> tensor<1x8x16x16xf32>
  // Floor: (32 - 3) / 2 + 1 = 15; ceil: ceil(29 / 2) + 1 = 16.
  // CHECK: -> tensor<1x8x15x15xf32>
  %floor = tamp.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x8x32x32xf32>) -> tensor<1x8x15x15xf32>
  // CHECK: ceil_mode = true
  // CHECK-SAME: -> tensor<1x8x16x16xf32>
  %ceil = tamp.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true}
      : (tensor<1x8x32x32xf32>) -> tensor<1x8x16x16xf32>
  // 1-D integer pool with SAME padding: ceil(32 / 2) = 16.
  // CHECK: auto_pad = #tamp.auto_pad<same_upper>
  // CHECK-SAME: (tensor<1x8x32xi8>) -> tensor<1x8x16xi8>
  %integer = tamp.max_pool %xi {auto_pad = #tamp.auto_pad<same_upper>, kernel_shape = array<i64: 2>, strides = array<i64: 2>, dilations = array<i64: 1>, pads = array<i64: 0, 0>}
      : (tensor<1x8x32xi8>) -> tensor<1x8x16xi8>
  // CHECK: (tensor<1x2x9x9x9xf32>) -> tensor<1x2x3x3x3xf32>
  %pool3d = tamp.max_pool %x3 {kernel_shape = array<i64: 3, 3, 3>, strides = array<i64: 3, 3, 3>, dilations = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>}
      : (tensor<1x2x9x9x9xf32>) -> tensor<1x2x3x3x3xf32>
  // Dilation 2 spans 5: 32 - 5 + 1 = 28.
  // CHECK: dilations = array<i64: 2, 2>
  // CHECK-SAME: -> tensor<1x8x28x28xf32>
  %dilated = tamp.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x8x32x32xf32>) -> tensor<1x8x28x28xf32>
  return %padded, %floor, %ceil, %integer, %pool3d, %dilated
      : tensor<1x8x16x16xf32>, tensor<1x8x15x15xf32>, tensor<1x8x16x16xf32>, tensor<1x8x16xi8>, tensor<1x2x3x3x3xf32>, tensor<1x8x28x28xf32>
}

// CHECK-LABEL: func.func @max_pool_with_indices
func.func @max_pool_with_indices(%x: tensor<1x1x5x5xf32>, %xi: tensor<?x4x9xi8>)
    -> (tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, tensor<?x4x3xi8>, tensor<?x4x3xi64>) {
  // The indices take the pooled shape: (5 + 4 - 5) / 1 + 1 = 5.
  // CHECK: tamp.max_pool_with_indices %{{.*}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 5, 5>, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 1, 1>} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>)
  %padded:2 = tamp.max_pool_with_indices %x {kernel_shape = array<i64: 5, 5>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 2, 2, 2, 2>}
      : (tensor<1x1x5x5xf32>) -> (tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>)
  // CHECK: tamp.max_pool_with_indices %{{.*}} {column_major_indices = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  %strided:2 = tamp.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, column_major_indices = true}
      : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  // Integer input, dynamic batch.
  // CHECK: (tensor<?x4x9xi8>) -> (tensor<?x4x3xi8>, tensor<?x4x3xi64>)
  %integer:2 = tamp.max_pool_with_indices %xi {kernel_shape = array<i64: 3>, strides = array<i64: 3>, dilations = array<i64: 1>, pads = array<i64: 0, 0>}
      : (tensor<?x4x9xi8>) -> (tensor<?x4x3xi8>, tensor<?x4x3xi64>)
  return %padded#0, %padded#1, %strided#0, %strided#1, %integer#0, %integer#1
      : tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, tensor<?x4x3xi8>, tensor<?x4x3xi64>
}

// CHECK-LABEL: func.func @avg_pool
func.func @avg_pool(%x: tensor<?x8x7x7xf32>) -> (tensor<?x8x1x1xf32>, tensor<?x8x4x4xf32>, tensor<?x8x3x3xf32>) {
  // Global average pool.
  // CHECK: tamp.avg_pool %{{.*}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 7, 7>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<?x8x7x7xf32>) -> tensor<?x8x1x1xf32>
  %global = tamp.avg_pool %x {kernel_shape = array<i64: 7, 7>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<?x8x7x7xf32>) -> tensor<?x8x1x1xf32>
  // (7 + 1 - 2) / 2 + 1 = 4
  // CHECK: count_include_pad = true
  // CHECK-SAME: -> tensor<?x8x4x4xf32>
  %includePad = tamp.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 1, 1>, count_include_pad = true}
      : (tensor<?x8x7x7xf32>) -> tensor<?x8x4x4xf32>
  // Ceil mode drops a last window that would start in the end padding:
  // ceil((7 + 1 - 3) / 3) + 1 = 3, and the third window starts at 6 < 7 + 0.
  // CHECK: ceil_mode = true
  // CHECK-SAME: -> tensor<?x8x3x3xf32>
  %ceil = tamp.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 3, 3>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 1, 1>, ceil_mode = true}
      : (tensor<?x8x7x7xf32>) -> tensor<?x8x3x3xf32>
  return %global, %includePad, %ceil : tensor<?x8x1x1xf32>, tensor<?x8x4x4xf32>, tensor<?x8x3x3xf32>
}

// CHECK-LABEL: func.func @layer_norm
func.func @layer_norm(%x: tensor<2x5x16xf32>, %s: tensor<16xf32>, %s2: tensor<5x16xf32>, %s1: tensor<1x16xf32>)
    -> (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>) {
  // CHECK: tamp.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {axis = -1 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %last = tamp.layer_norm %x, %s, %s {axis = -1 : i64, epsilon = 1.0e-5 : f32}
      : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  // CHECK: tamp.layer_norm %{{.*}}, %{{.*}} {axis = 1 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<2x5x16xf32>, tensor<5x16xf32>) -> tensor<2x5x16xf32>
  %twoDims = tamp.layer_norm %x, %s2 {axis = 1 : i64, epsilon = 1.0e-5 : f32}
      : (tensor<2x5x16xf32>, tensor<5x16xf32>) -> tensor<2x5x16xf32>
  // A [1, 16] scale broadcasts to the normalised [5, 16].
  // CHECK: (tensor<2x5x16xf32>, tensor<1x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %broadcast = tamp.layer_norm %x, %s1, %s {axis = -2 : i64, epsilon = 1.0e-5 : f32}
      : (tensor<2x5x16xf32>, tensor<1x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return %last, %twoDims, %broadcast : tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>
}

// CHECK-LABEL: func.func @group_norm
func.func @group_norm(%x: tensor<2x6x4x4xf32>, %c: tensor<6xf32>, %y: tensor<2x?x4xf32>, %d: tensor<?xf32>)
    -> (tensor<2x6x4x4xf32>, tensor<2x6x4x4xf32>, tensor<2x?x4xf32>) {
  // CHECK: tamp.group_norm %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 9.99999974E-6 : f32, num_groups = 3 : i64} : (tensor<2x6x4x4xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x6x4x4xf32>
  %grouped = tamp.group_norm %x, %c, %c {num_groups = 3 : i64, epsilon = 1.0e-5 : f32}
      : (tensor<2x6x4x4xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x6x4x4xf32>
  // Instance normalisation.
  // CHECK: num_groups = 6 : i64
  %instance = tamp.group_norm %x, %c, %c {num_groups = 6 : i64, epsilon = 1.0e-5 : f32}
      : (tensor<2x6x4x4xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x6x4x4xf32>
  // Dynamic channels are not checked against num_groups.
  // CHECK: num_groups = 4 : i64
  // CHECK-SAME: (tensor<2x?x4xf32>, tensor<?xf32>, tensor<?xf32>) -> tensor<2x?x4xf32>
  %dynamic = tamp.group_norm %y, %d, %d {num_groups = 4 : i64, epsilon = 1.0e-5 : f32}
      : (tensor<2x?x4xf32>, tensor<?xf32>, tensor<?xf32>) -> tensor<2x?x4xf32>
  return %grouped, %instance, %dynamic : tensor<2x6x4x4xf32>, tensor<2x6x4x4xf32>, tensor<2x?x4xf32>
}

// CHECK-LABEL: func.func @attention
func.func @attention(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x10x16xf32>, %v: tensor<2x4x10x32xf32>, %mask: tensor<2x1x1x10xf32>)
    -> (tensor<2x4x8x32xf32>, tensor<?x8x32xf32>) {
  // CHECK: tamp.attention %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {scale = 2.500000e-01 : f32} : (tensor<2x4x8x16xf32>, tensor<2x4x10x16xf32>, tensor<2x4x10x32xf32>, tensor<2x1x1x10xf32>) -> tensor<2x4x8x32xf32>
  %0 = tamp.attention %q, %k, %v, %mask {scale = 0.25 : f32}
      : (tensor<2x4x8x16xf32>, tensor<2x4x10x16xf32>, tensor<2x4x10x32xf32>, tensor<2x1x1x10xf32>) -> tensor<2x4x8x32xf32>
  %q3 = tamp.constant dense<1.0> : tensor<3x8x16xf32>
  %k3 = tamp.constant dense<1.0> : tensor<3x10x16xf32>
  %v3 = tamp.constant dense<1.0> : tensor<3x10x32xf32>
  // CHECK: tamp.attention %{{.*}}, %{{.*}}, %{{.*}} {scale = 1.000000e+00 : f32} : (tensor<3x8x16xf32>, tensor<3x10x16xf32>, tensor<3x10x32xf32>) -> tensor<?x8x32xf32>
  %1 = tamp.attention %q3, %k3, %v3 {scale = 1.0 : f32}
      : (tensor<3x8x16xf32>, tensor<3x10x16xf32>, tensor<3x10x32xf32>) -> tensor<?x8x32xf32>
  return %0, %1 : tensor<2x4x8x32xf32>, tensor<?x8x32xf32>
}

// CHECK-LABEL: func.func @epilogues
func.func @epilogues(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x1x1xf32>, %y: tensor<2x3xf32>, %lw: tensor<5x3xf32>) -> (tensor<1x4x8x8xf32>, tensor<2x5xf32>) {
  // CHECK: tamp.conv {{.*}} {activation = #tamp.activation<clamp>, activation_max = 6.000000e+00 : f64, activation_min = 0.000000e+00 : f64
  %0 = tamp.conv %x, %w {activation = #tamp.activation<clamp>, activation_min = 0.0 : f64, activation_max = 6.0 : f64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: tamp.linear {{.*}} {activation = #tamp.activation<gelu_tanh>}
  %1 = tamp.linear %y, %lw {activation = #tamp.activation<gelu_tanh>} : (tensor<2x3xf32>, tensor<5x3xf32>) -> tensor<2x5xf32>
  return %0, %1 : tensor<1x4x8x8xf32>, tensor<2x5xf32>
}
