// RUN: tamp-opt %s --tamp-compress-pipeline="sparsity=2:4" | FileCheck %s --check-prefix=SPARSE
// RUN: tamp-opt %s --tamp-compress-pipeline="sparsity=0.75 sparsity-score=activation" | FileCheck %s --check-prefix=RATIO
// RUN: tamp-opt %s --tamp-compress-pipeline="sparsity=2:4 quantize=w8 symmetric=true" | FileCheck %s --check-prefix=W8
// RUN: not tamp-opt %s --tamp-compress-pipeline="sparsity=half" 2>&1 | FileCheck %s --check-prefix=BAD

// Sparsity runs before quantization. Alone, the batch-1 layer gets the
// compressed 2:4 form; a ratio is unstructured sparsity.
// SPARSE: tamp.sparse_linear {{.*}}format = "2:4", pattern = "2:4", score = "magnitude"
// RATIO: tamp.linear {{.*}}format = "dense", pattern = "unstructured", score = "activation", sparsity = 7.500000e-01
// With quantization the sparse weight stays dense for the quantizer: its
// int8 codes hold the zeros.
// W8: %[[CODES:.*]] = tamp.constant dense<{{\[}}[127, 0, -95, 0, 0, 0, 64, 32], [0, 0, 113, 127, 99, 0, 71, 0]]> : tensor<2x8xi8>
// W8: tamp.dequantize %[[CODES]]
// W8: tamp.linear {{.*}}tamp.sparsity = {format = "dense", pattern = "2:4"
// BAD: tamp-sparsify: pattern must be N:M with 1 <= N < M (e.g. 2:4) or 'unstructured', got 'half'
func.func @linear(%x: tensor<1x8xf32>) -> tensor<1x2xf32> {
  %w = tamp.constant dense<[[4.0, 0.5, -3.0, 0.1, 0.5, 0.2, 2.0, 1.0],
                            [1.0, 0.5, 8.0, 9.0, 7.0, 2.0, 5.0, 3.0]]> : tensor<2x8xf32>
  %y = tamp.linear %x, %w {tamp.calibration = {operand0 = {abs_mean = dense<1.0> : tensor<8xf32>}}}
      : (tensor<1x8xf32>, tensor<2x8xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
