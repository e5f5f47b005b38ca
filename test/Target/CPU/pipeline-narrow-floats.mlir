// RUN: tamp-opt --tamp-cpu-pipeline %s | FileCheck %s
// RUN: tamp-opt --tamp-cpu-pipeline %s | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=IR

// 8- and 4-bit floats and sub-byte integers reach LLVM: constants of them
// become globals of same-width integers, their loads and stores move
// integers, and their conversions are integer arithmetic.
// CHECK: llvm.mlir.global private constant @[[W:.*]](dense<{{.*}}> : tensor<4xf8E4M3FN>) {{.*}} : !llvm.array<4 x i8>
// CHECK: llvm.func internal @narrow_entry
// CHECK-NOT: {{(tensor|memref|linalg|scf|cf|arith|math|vector|bufferization)\.[a-z_]+}}
// CHECK-NOT: f4E2M1FN
// The weights' bytes are their f8E4M3FN encodings (1, -1, 2, 0).
// IR: @[[W:.*]] = private constant [4 x i8] c"8\B8@\00"
func.func @narrow(%x: tensor<4xf32> {tamp.name = "x"}, %q: tensor<4xi4> {tamp.name = "q"}) -> (tensor<4xf32>, tensor<4xf4E2M1FN>) {
  %w = arith.constant dense<[1.0, -1.0, 2.0, 0.0]> : tensor<4xf8E4M3FN>
  %e = tensor.empty() : tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x, %w, %q : tensor<4xf32>, tensor<4xf8E4M3FN>, tensor<4xi4>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f8E4M3FN, %c: i4, %o: f32):
    %bw = arith.extf %b : f8E4M3FN to f32
    %cw = arith.sitofp %c : i4 to f32
    %s = arith.addf %a, %bw : f32
    %r = arith.addf %s, %cw : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %e4 = tensor.empty() : tensor<4xf4E2M1FN>
  %t = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%sum : tensor<4xf32>) outs(%e4 : tensor<4xf4E2M1FN>) {
  ^bb0(%a: f32, %o: f4E2M1FN):
    %n = arith.truncf %a : f32 to f4E2M1FN
    linalg.yield %n : f4E2M1FN
  } -> tensor<4xf4E2M1FN>
  return %sum, %t : tensor<4xf32>, tensor<4xf4E2M1FN>
}
