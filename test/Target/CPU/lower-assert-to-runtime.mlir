// RUN: tamp-opt --tamp-cpu-lower-assert-to-runtime -split-input-file -verify-diagnostics %s | FileCheck %s

// A failed check calls the runtime, which ends the run; identical messages
// share one string.
// CHECK-LABEL: module
// CHECK-DAG: llvm.func @tamp_rt_fail(!llvm.ptr) attributes {passthrough = ["noreturn", "nounwind"]}
// CHECK-DAG: llvm.mlir.global private constant @[[MSG:tamp_assert_message[_0-9]*]]("node 'Add_1': sizes differ\00")
// CHECK-NOT: llvm.mlir.global
// CHECK-LABEL: func.func @checks
// CHECK: cf.cond_br %{{.*}}, ^[[OK:.*]], ^[[FAIL:.*]]
// CHECK: ^[[FAIL]]:
// CHECK-NEXT: %[[TEXT:.*]] = llvm.mlir.addressof @[[MSG]] : !llvm.ptr
// CHECK-NEXT: llvm.call @tamp_rt_fail(%[[TEXT]]) : (!llvm.ptr) -> ()
// CHECK-NEXT: llvm.unreachable
// CHECK: ^[[OK]]:
// CHECK: cf.cond_br
// CHECK: return
// CHECK-NOT: cf.assert
func.func @checks(%a: i1, %b: i1) {
  cf.assert %a, "node 'Add_1': sizes differ"
  cf.assert %b, "node 'Add_1': sizes differ"
  return
}

// -----

// The runtime's symbol cannot be taken by something else.
// expected-error @+1 {{'tamp_rt_fail' is reserved for the runtime's `void tamp_rt_fail(const char *)`}}
func.func private @tamp_rt_fail(i32)
func.func @check(%a: i1) {
  cf.assert %a, "failed"
  return
}
