// RUN: tamp-opt --tamp-cpu-pipeline %s | FileCheck %s
// RUN: tamp-opt --tamp-cpu-pipeline %s | mlir-translate --mlir-to-llvmir -o /dev/null

// Tensor ops the tamp lowering produces (pad, concat, reshapes, transposes,
// element extraction, f16 inputs, scf.if selecting a returned input) all
// reach the LLVM dialect.
// CHECK-NOT: {{(tensor|memref|linalg|scf|cf|arith|math|vector|bufferization)\.[a-z_]+}}
// CHECK: llvm.func internal @misc_entry
// CHECK-NOT: {{(tensor|memref|linalg|scf|cf|arith|math|vector|bufferization)\.[a-z_]+}}
func.func @misc(%x: tensor<2x3xf32> {tamp.name = "x"}, %i: tensor<2xi64> {tamp.name = "i"}, %h: tensor<3xf16> {tamp.name = "h"}) -> (tensor<4x5xf32>, tensor<4x3xf32>, tensor<6xf32>, tensor<3x2xf32>, tensor<f32>, tensor<3xf32>, tensor<2x3xf32>) {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[1, 1] high[1, 1] {
  ^bb0(%a: index, %b: index):
    tensor.yield %z : f32
  } : tensor<2x3xf32> to tensor<4x5xf32>
  %c = tensor.concat dim(0) %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %f = tensor.collapse_shape %x [[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  %e = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%x : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
  %c0 = arith.constant 0 : index
  %i0 = tensor.extract %i[%c0] : tensor<2xi64>
  %idx = arith.index_cast %i0 : i64 to index
  %v = tensor.extract %x[%c0, %idx] : tensor<2x3xf32>
  %s = tensor.from_elements %v : tensor<f32>
  %e3 = tensor.empty() : tensor<3xf32>
  %hf = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%h : tensor<3xf16>) outs(%e3 : tensor<3xf32>) {
  ^bb0(%a: f16, %o: f32):
    %w = arith.extf %a : f16 to f32
    %r = math.erf %w : f32
    linalg.yield %r : f32
  } -> tensor<3xf32>
  %cond = arith.cmpf ogt, %v, %z : f32
  %sel = scf.if %cond -> tensor<2x3xf32> {
    scf.yield %x : tensor<2x3xf32>
  } else {
    %e2 = tensor.empty() : tensor<2x3xf32>
    %fill = linalg.fill ins(%z : f32) outs(%e2 : tensor<2x3xf32>) -> tensor<2x3xf32>
    scf.yield %fill : tensor<2x3xf32>
  }
  return %p, %c, %f, %t, %s, %hf, %sel : tensor<4x5xf32>, tensor<4x3xf32>, tensor<6xf32>, tensor<3x2xf32>, tensor<f32>, tensor<3xf32>, tensor<2x3xf32>
}
