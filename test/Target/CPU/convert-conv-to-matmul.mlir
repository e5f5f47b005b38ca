// RUN: tamp-opt --pass-pipeline='builtin.module(func.func(tamp-cpu-convert-conv-to-matmul))' -split-input-file %s | FileCheck %s

// A strided, dilated 3x3 convolution with a dynamic batch: per image, the
// patches [C*Kh*Kw, Oh*Ow] are a copy through the convolution's input map,
// and the filter [F, C*Kh*Kw] times them accumulates into the image's output.
// CHECK-DAG: #[[PATCH:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3 * 2 + d1, d4 * 2 + d2 * 2)>
// CHECK-DAG: #[[IDENTITY:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @strided
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x10x11xf32>, %[[W:.*]]: tensor<8x3x3x3xf32>, %[[INIT:.*]]: tensor<?x8x4x4xf32>)
// CHECK-DAG: %[[FILTER:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2, 3]] : tensor<8x3x3x3xf32> into tensor<8x27xf32>
// CHECK-DAG: %[[OUT:.*]] = tensor.collapse_shape %[[INIT]] {{\[}}[0], [1], [2, 3]] : tensor<?x8x4x4xf32> into tensor<?x8x16xf32>
// CHECK-DAG: %[[N:.*]] = tensor.dim %[[INIT]], %c0
// CHECK: %[[LOOP:.*]] = scf.for %[[IMG:.*]] = %{{.*}} to %[[N]] step %{{.*}} iter_args(%[[ACC:.*]] = %[[OUT]])
// CHECK: %[[IMAGE:.*]] = tensor.extract_slice %[[X]][%[[IMG]], 0, 0, 0] [1, 3, 10, 11] [1, 1, 1, 1] : tensor<?x3x10x11xf32> to tensor<3x10x11xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<3x3x3x4x4xf32>
// CHECK: %[[COPY:.*]] = linalg.generic {indexing_maps = [#[[PATCH]], #[[IDENTITY]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[IMAGE]] : tensor<3x10x11xf32>) outs(%[[EMPTY]] : tensor<3x3x3x4x4xf32>)
// CHECK: %[[PATCHES:.*]] = tensor.collapse_shape %[[COPY]] {{\[}}[0, 1, 2], [3, 4]] : tensor<3x3x3x4x4xf32> into tensor<27x16xf32>
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[ACC]][%[[IMG]], 0, 0] [1, 8, 16] [1, 1, 1] : tensor<?x8x16xf32> to tensor<8x16xf32>
// CHECK: %[[PRODUCT:.*]] = linalg.matmul ins(%[[FILTER]], %[[PATCHES]] : tensor<8x27xf32>, tensor<27x16xf32>) outs(%[[SLICE]] : tensor<8x16xf32>)
// CHECK: %[[UPDATED:.*]] = tensor.insert_slice %[[PRODUCT]] into %[[ACC]][%[[IMG]], 0, 0] [1, 8, 16] [1, 1, 1]
// CHECK: scf.yield %[[UPDATED]]
// CHECK: %[[RESULT:.*]] = tensor.expand_shape %[[LOOP]] {{\[}}[0], [1], [2, 3]] output_shape [%[[N]], 8, 4, 4] : tensor<?x8x16xf32> into tensor<?x8x4x4xf32>
// CHECK: return %[[RESULT]]
// CHECK-NOT: linalg.conv_2d
func.func @strided(%x: tensor<?x3x10x11xf32>, %w: tensor<8x3x3x3xf32>, %init: tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : tensor<?x3x10x11xf32>, tensor<8x3x3x3xf32>) outs(%init : tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32>
  return %0 : tensor<?x8x4x4xf32>
}

// -----

// A 1x1 convolution with unit strides needs no copy: the image is [C, H*W].
// CHECK-LABEL: func.func @pointwise
// CHECK: scf.for
// CHECK: %[[IMAGE:.*]] = tensor.extract_slice %{{.*}} : tensor<1x16x7x7xf32> to tensor<16x7x7xf32>
// CHECK: %[[PATCHES:.*]] = tensor.collapse_shape %[[IMAGE]] {{\[}}[0], [1, 2]] : tensor<16x7x7xf32> into tensor<16x49xf32>
// CHECK-NOT: linalg.generic
// CHECK: linalg.matmul ins(%{{.*}}, %[[PATCHES]] : tensor<32x16xf32>, tensor<16x49xf32>) outs(%{{.*}} : tensor<32x49xf32>)
func.func @pointwise(%x: tensor<1x16x7x7xf32>, %w: tensor<32x16x1x1xf32>, %init: tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x16x7x7xf32>, tensor<32x16x1x1xf32>) outs(%init : tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  return %0 : tensor<1x32x7x7xf32>
}

// -----

// Integer convolutions, dynamic filters and mixed element types stay.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: linalg.matmul
// CHECK-COUNT-3: linalg.conv_2d_nchw_fchw
func.func @left_alone(%xi: tensor<1x2x4x4xi32>, %wi: tensor<2x2x3x3xi32>, %oi: tensor<1x2x2x2xi32>,
                      %x: tensor<1x2x4x4xf32>, %wd: tensor<?x2x3x3xf32>, %od: tensor<1x?x2x2xf32>,
                      %wh: tensor<2x2x3x3xf16>, %o: tensor<1x2x2x2xf32>)
    -> (tensor<1x2x2x2xi32>, tensor<1x?x2x2xf32>, tensor<1x2x2x2xf32>) {
  %0 = linalg.conv_2d_nchw_fchw ins(%xi, %wi : tensor<1x2x4x4xi32>, tensor<2x2x3x3xi32>) outs(%oi : tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xi32>
  %1 = linalg.conv_2d_nchw_fchw ins(%x, %wd : tensor<1x2x4x4xf32>, tensor<?x2x3x3xf32>) outs(%od : tensor<1x?x2x2xf32>) -> tensor<1x?x2x2xf32>
  %2 = linalg.conv_2d_nchw_fchw ins(%x, %wh : tensor<1x2x4x4xf32>, tensor<2x2x3x3xf16>) outs(%o : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %0, %1, %2 : tensor<1x2x2x2xi32>, tensor<1x?x2x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// A quantized convolution (i8 input and filter into i32) becomes i8 matmuls
// accumulating in i32 the same way.
// CHECK-LABEL: func.func @integer_conv
// CHECK: scf.for
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x3x3x4x4xi8>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x18xi8>, tensor<18x16xi8>) outs(%{{.*}} : tensor<4x16xi32>)
// CHECK-NOT: linalg.conv_2d_nchw_fchw
func.func @integer_conv(%x: tensor<1x2x6x6xi8>, %w: tensor<4x2x3x3xi8>, %init: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x6x6xi8>, tensor<4x2x3x3xi8>) outs(%init : tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32>
  return %0 : tensor<1x4x4x4xi32>
}

// -----

// The convolution's element-wise epilogue (a fused sigmoid) moves into the
// per-image loop, onto the matmul, where vectorize-matmul finds it.

// CHECK-LABEL: func.func @epilogue
// CHECK: scf.for
// CHECK:   %[[MM:.*]] = linalg.matmul
// CHECK:   %[[ACT:.*]] = linalg.generic {{.*}} ins(%[[MM]] : tensor<4x64xf32>)
// CHECK:     math.exp
// CHECK:   tensor.insert_slice %[[ACT]]
// CHECK: %[[R:.*]] = tensor.expand_shape
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]
func.func @epilogue(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x1x1xf32>, %init: tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32> {
  %one = arith.constant 1.0 : f32
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<2x3x8x8xf32>, tensor<4x3x1x1xf32>) outs(%init : tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32>
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<2x4x8x8xf32>) outs(%e : tensor<2x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    %x1 = math.exp %n : f32
    %d = arith.addf %one, %x1 : f32
    %s = arith.divf %one, %d : f32
    linalg.yield %s : f32
  } -> tensor<2x4x8x8xf32>
  return %1 : tensor<2x4x8x8xf32>
}
