// RUN: tamp-opt --tamp-cpu-pipeline %s | FileCheck %s

// Trigonometric and hyperbolic math ops have no LLVM intrinsic; the pipeline
// turns them into libm calls.
// CHECK-LABEL: module
// CHECK-NOT: math.
// CHECK-DAG: llvm.func @tanf(f32) -> f32
// CHECK-DAG: llvm.func @acosf(f32) -> f32
// CHECK-DAG: llvm.func @asinf(f32) -> f32
// CHECK-DAG: llvm.func @atanf(f32) -> f32
// CHECK-DAG: llvm.func @sinhf(f32) -> f32
// CHECK-DAG: llvm.func @coshf(f32) -> f32
// CHECK-DAG: llvm.func @asinhf(f32) -> f32
// CHECK-DAG: llvm.func @acoshf(f32) -> f32
// CHECK-DAG: llvm.func @atanhf(f32) -> f32
module {
  func.func @trigonometric(%x: tensor<4xf32> {tamp.name = "x"}) -> (tensor<4xf32> {tamp.name = "y"}) {
    %e = tensor.empty() : tensor<4xf32>
    %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %1 = math.tan %in : f32
      %2 = math.acos %1 : f32
      %3 = math.asin %2 : f32
      %4 = math.atan %3 : f32
      %5 = math.sinh %4 : f32
      %6 = math.cosh %5 : f32
      %7 = math.asinh %6 : f32
      %8 = math.acosh %7 : f32
      %9 = math.atanh %8 : f32
      linalg.yield %9 : f32
    } -> tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}
