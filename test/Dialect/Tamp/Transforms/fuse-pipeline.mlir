// RUN: tamp-opt %s --tamp-fuse-pipeline="stage=pre-compression" | FileCheck %s --check-prefix=PRE
// RUN: tamp-opt %s --tamp-fuse-pipeline="stage=post-compression" | FileCheck %s --check-prefix=POST
// RUN: tamp-opt %s --tamp-fuse-pipeline | FileCheck %s --check-prefix=ALL

// Before compression the convolution and its normalisation become one layer
// and the ReLU stays an op (quantization places its ranges around it); after
// compression the ReLU moves into the layer's epilogue (alone, that stage
// finds the normalisation between them and fuses nothing).

// PRE: tamp.fusion = {batchnorm_folded = 1 : i64}
// PRE: tamp.conv
// PRE-NOT: activation
// PRE: tamp.clamp

// POST-NOT: tamp.fusion
// POST: tamp.batch_norm
// POST: tamp.clamp

// ALL: tamp.fusion = {activation_fused = 1 : i64, batchnorm_folded = 1 : i64}
// ALL: tamp.conv {{.*}}activation = #tamp.activation<clamp>
// ALL-NOT: tamp.batch_norm
// ALL-NOT: tamp.clamp
func.func @conv_bn_relu(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = tamp.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = tamp.constant dense<1.0> : tensor<2xf32>
  %c = tamp.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %b = tamp.batch_norm %c, %p, %p, %p, %p {epsilon = 1.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %y = tamp.clamp %b {min = 0.0 : f64} : tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
