// RUN: tamp-opt --tamp-cpu-record-model-signature=model-name=2fast -verify-diagnostics %s
// RUN: not tamp-opt --tamp-cpu-record-model-signature=entry=missing %s 2>&1 | FileCheck %s --check-prefix=ENTRY

// The model name prefixes C symbols (2fast_entry would not compile).
// expected-error @+1 {{model name '2fast' is not a C identifier}}
module {
  func.func @f() {
    return
  }
}
// ENTRY: error: no function @missing to compile
