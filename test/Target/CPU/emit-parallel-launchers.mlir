// RUN: tamp-opt --tamp-cpu-emit-parallel-launchers -split-input-file -verify-diagnostics %s | FileCheck %s

// The launcher packs its captures into a stack context for the runtime; the
// trampoline unpacks them for the body's chunk.
// CHECK: llvm.func @tamp_rt_parallel_for(!llvm.ptr, !llvm.ptr, i64)
// CHECK-LABEL: llvm.func internal @body_trampoline
// CHECK-SAME: (%[[CTX:.*]]: !llvm.ptr, %[[BEGIN:.*]]: i64, %[[END:.*]]: i64)
// CHECK: %[[PACKED:.*]] = llvm.load %[[CTX]] : !llvm.ptr -> !llvm.struct<(ptr, f32)>
// CHECK: %[[P:.*]] = llvm.extractvalue %[[PACKED]][0]
// CHECK: %[[F:.*]] = llvm.extractvalue %[[PACKED]][1]
// CHECK: llvm.call @body(%[[BEGIN]], %[[END]], %[[P]], %[[F]])
// CHECK-LABEL: llvm.func internal @launch
// CHECK-SAME: (%[[COUNT:.*]]: i64, %[[ARG_P:.*]]: !llvm.ptr, %[[ARG_F:.*]]: f32)
// CHECK-NOT: tamp.parallel_body
// CHECK: %[[CONTEXT:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(ptr, f32)>
// CHECK: llvm.insertvalue %[[ARG_P]]
// CHECK: llvm.insertvalue %[[ARG_F]]
// CHECK: llvm.store %{{.*}}, %[[CONTEXT]]
// CHECK: %[[TRAMPOLINE:.*]] = llvm.mlir.addressof @body_trampoline
// CHECK: llvm.call @tamp_rt_parallel_for(%[[TRAMPOLINE]], %[[CONTEXT]], %[[COUNT]])
module {
  llvm.func @body(%begin: i64, %end: i64, %p: !llvm.ptr, %f: f32) {
    llvm.return
  }
  llvm.func @launch(i64, !llvm.ptr, f32) attributes {tamp.parallel_body = @body}
}

// -----

// Nothing captured: a null context.
// CHECK-LABEL: llvm.func internal @launch
// CHECK: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK: llvm.call @tamp_rt_parallel_for(%{{.*}}, %[[NULL]], %{{.*}})
module {
  llvm.func @body(%begin: i64, %end: i64) {
    llvm.return
  }
  llvm.func @launch(i64) attributes {tamp.parallel_body = @body}
}

// -----

module {
  llvm.func @body(%begin: i64, %end: i64, %f: f64) {
    llvm.return
  }
  // expected-error @+1 {{expected a launcher declaration `(i64 count, captures...)` whose body is `(i64 begin, i64 end, captures...)`}}
  llvm.func @launch(i64, f32) attributes {tamp.parallel_body = @body}
}
