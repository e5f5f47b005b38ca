// RUN: tamp-opt --tamp-cpu-pipeline %s | FileCheck %s --check-prefix=POW

// Integer and float powers with integer exponents become generated
// functions instead of being left for a libm that has none.
// POW-LABEL: module
// POW-NOT: math.
// POW: llvm.func {{.*}}@__mlir_math_ipowi_i32
module {
  func.func @pow(%x: tensor<4xi32> {tamp.name = "x"}) -> (tensor<4xi32> {tamp.name = "y"}) {
    %e = tensor.empty() : tensor<4xi32>
    %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : tensor<4xi32>) outs(%e : tensor<4xi32>) {
    ^bb0(%in: i32, %out: i32):
      %p = math.ipowi %in, %in : i32
      linalg.yield %p : i32
    } -> tensor<4xi32>
    return %0 : tensor<4xi32>
  }
}
