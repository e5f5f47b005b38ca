// RUN: tamp-opt --tamp-cpu-pipeline=model-name=dyn %s | FileCheck %s
// RUN: tamp-opt --tamp-cpu-pipeline=model-name=dyn %s | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM
// RUN: tamp-opt --tamp-cpu-pipeline="model-name=dyn parallel=false" %s | FileCheck %s --check-prefix=SERIAL
// RUN: tamp-opt --tamp-cpu-pipeline=model-name=dyn %s | FileCheck %s --check-prefix=POLY
// RUN: tamp-opt --tamp-cpu-pipeline=model-name=dyn %s | FileCheck %s --check-prefix=NOLIBM
// POLY: llvm.intr.fma
// NOLIBM-NOT: @tanhf
// NOLIBM-NOT: @fmaf

// linalg on tensors to LLVM-dialect IR under the model ABI. Results that
// the function does not own (an input, a constant) are returned as copies
// the caller owns; every buffer comes from tamp_rt_alloc; the run-time size
// check calls tamp_rt_fail; tanh is a polynomial (no libm call) whose
// fma is LLVM's intrinsic.
// CHECK-NOT: memref.
// CHECK-NOT: cf.assert
// CHECK-DAG: llvm.func @tamp_rt_fail(!llvm.ptr)
// CHECK-DAG: llvm.func @tamp_rt_alloc(i64) -> !llvm.ptr
// CHECK-DAG: llvm.mlir.global private constant @__constant_2xf32(dense_resource<w> : tensor<2xf32>) {{.*}}alignment = 64
// The element-wise loop runs in chunks on the session's threads.
// CHECK-DAG: llvm.func @tamp_rt_parallel_for(!llvm.ptr, !llvm.ptr, i64)
// CHECK: llvm.func internal @dyn_parallel_body(
// CHECK: llvm.func internal @dyn_parallel_body_trampoline(
// CHECK: llvm.func internal @dyn_parallel_launch(
// CHECK: llvm.call @tamp_rt_parallel_for
// CHECK: llvm.func internal @dyn(
// SERIAL-NOT: parallel

// CHECK-COUNT-3: llvm.call @tamp_rt_alloc
// CHECK: llvm.func internal @dyn_entry(
// CHECK: llvm.mlir.global external constant @dyn_descriptor()
// CHECK-NOT: llvm.mlir.alias

// The weights stay a read-only, 64-byte aligned global.
// LLVM: @__constant_2xf32 = private constant [2 x float] [float 1.000000e+00, float 2.000000e+00], align 64
// LLVM: @dyn_descriptor = constant { i32, i32, i32, i32, ptr, ptr, ptr, ptr, i64, ptr } { i32 1, i32 2, i32 3, i32 0, ptr @model_name, ptr @model_inputs, ptr @model_outputs, ptr @dyn_entry, i64 8, ptr @model_manifest }
module {
  func.func @dyn(%a: tensor<?xf32> {tamp.name = "a"}, %b: tensor<?xf32> {tamp.name = "b"}) -> (tensor<?xf32> {tamp.name = "s"}, tensor<2xf32> {tamp.name = "k"}, tensor<?xf32> {tamp.name = "same"}) {
    %c0 = arith.constant 0 : index
    %da = tensor.dim %a, %c0 : tensor<?xf32>
    %db = tensor.dim %b, %c0 : tensor<?xf32>
    %eq = arith.cmpi eq, %da, %db : index
    cf.assert %eq, "node 'Add_7' (tamp.add): sizes differ"
    %k = arith.constant dense_resource<w> : tensor<2xf32>
    %e = tensor.empty(%da) : tensor<?xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a, %b : tensor<?xf32>, tensor<?xf32>) outs(%e : tensor<?xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %s = arith.addf %x, %y : f32
      %t = math.tanh %s : f32
      linalg.yield %t : f32
    } -> tensor<?xf32>
    return %r, %k, %a : tensor<?xf32>, tensor<2xf32>, tensor<?xf32>
  }
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F00000040"
    }
  }
#-}
