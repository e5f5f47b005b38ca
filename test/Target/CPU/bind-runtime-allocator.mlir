// RUN: tamp-opt --tamp-cpu-bind-runtime-allocator -split-input-file -verify-diagnostics %s | FileCheck %s

// CHECK-LABEL: module
// CHECK-DAG: llvm.func @tamp_rt_alloc(i64) -> !llvm.ptr
// CHECK-DAG: llvm.func @tamp_rt_free(!llvm.ptr)
// CHECK-NOT: _mlir_memref_to_llvm
// CHECK: llvm.call @tamp_rt_alloc(%{{.*}}) : (i64) -> !llvm.ptr
// CHECK: llvm.call @tamp_rt_free(%{{.*}}) : (!llvm.ptr) -> ()
module {
  llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
  llvm.func @_mlir_memref_to_llvm_free(!llvm.ptr)
  llvm.func @f(%n: i64) {
    %p = llvm.call @_mlir_memref_to_llvm_alloc(%n) : (i64) -> !llvm.ptr
    llvm.call @_mlir_memref_to_llvm_free(%p) : (!llvm.ptr) -> ()
    llvm.return
  }
}

// -----

// An existing declaration of the runtime function is reused.
// CHECK-LABEL: module
// CHECK-COUNT-1: llvm.func @tamp_rt_alloc
// CHECK-NOT: llvm.func @tamp_rt_alloc
module {
  llvm.func @tamp_rt_alloc(i64) -> !llvm.ptr
  llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
  llvm.func @f(%n: i64) -> !llvm.ptr {
    %p = llvm.call @_mlir_memref_to_llvm_alloc(%n) : (i64) -> !llvm.ptr
    llvm.return %p : !llvm.ptr
  }
}

// -----

module {
  // expected-error @+1 {{aligned allocation has no tamp_rt counterpart}}
  llvm.func @_mlir_memref_to_llvm_aligned_alloc(i64, i64) -> !llvm.ptr
}

// -----

module {
  // expected-error @+1 {{'tamp_rt_free' is reserved for the runtime}}
  llvm.func @tamp_rt_free(i64)
  llvm.func @_mlir_memref_to_llvm_free(!llvm.ptr)
}
