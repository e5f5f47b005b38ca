// RUN: tamp-opt --tamp-cpu-emit-model-abi=shared-library -split-input-file -verify-diagnostics %s | FileCheck %s
// RUN: tamp-opt --tamp-cpu-emit-model-abi -split-input-file -verify-diagnostics %s | FileCheck %s --check-prefix=OBJECT

// Only shared libraries export the alias that tamp_model_load looks up.
// OBJECT-NOT: llvm.mlir.alias

// One input and two outputs: the wrapper passes args[0] to the C interface,
// which fills a struct of two descriptors copied to args[1] and args[2].
// CHECK-LABEL: module {
// CHECK: llvm.mlir.global private constant @__constant_4xf32(dense<1.000000e+00> : tensor<4xf32>) {addr_space = 0 : i32, alignment = 64 : i64}
// CHECK: llvm.func internal @net(
// CHECK: llvm.func internal @_mlir_ciface_net(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-NOT: tamp.name
// CHECK: llvm.func internal @tiny_entry(%[[ARGS:.*]]: !llvm.ptr) {
// CHECK: %[[RESULTS:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>, struct<(ptr, ptr, i64)>)>
// CHECK: %[[SLOT0:.*]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[INPUT:.*]] = llvm.load %[[SLOT0]] : !llvm.ptr -> !llvm.ptr
// CHECK: llvm.call @_mlir_ciface_net(%[[RESULTS]], %[[INPUT]])
// CHECK: %[[PACKED:.*]] = llvm.load %[[RESULTS]]
// CHECK: %[[FIRST:.*]] = llvm.extractvalue %[[PACKED]][0]
// CHECK: llvm.getelementptr %[[ARGS]][1]
// CHECK: llvm.store %[[FIRST]]
// CHECK: %[[SECOND:.*]] = llvm.extractvalue %[[PACKED]][1]
// CHECK: llvm.getelementptr %[[ARGS]][2]
// CHECK: llvm.store %[[SECOND]]
// CHECK: llvm.mlir.global private constant @model_name("tiny\00")
// CHECK: llvm.mlir.global private constant @model_inputs_name("x\00")
// CHECK: llvm.mlir.global private constant @model_inputs_shape(dense<-1> : tensor<1xi64>)
// CHECK: llvm.mlir.global private constant @model_inputs() {{.*}} : !llvm.array<1 x struct<(ptr, i32, i32, ptr)>>
// Rank 0: no shape array, a null pointer.
// CHECK: llvm.mlir.global private constant @model_outputs() {{.*}} : !llvm.array<2 x struct<(ptr, i32, i32, ptr)>>
// CHECK: llvm.mlir.zero : !llvm.ptr
// CHECK: llvm.mlir.global private constant @model_manifest("{\0A  \22abi_version\22: 1,
// CHECK: llvm.mlir.global external constant @tiny_descriptor() {{.*}} : !llvm.struct<(i32, i32, i32, i32, ptr, ptr, ptr, ptr, i64, ptr)>
// CHECK-DAG: llvm.mlir.constant(1 : i32) : i32
// CHECK-DAG: llvm.mlir.constant(2 : i32) : i32
// CHECK-DAG: llvm.mlir.addressof @tiny_entry : !llvm.ptr
// CHECK-DAG: llvm.mlir.constant(16 : i64) : i64
// CHECK: llvm.mlir.alias external @tamp_model_descriptor : !llvm.struct<(i32, i32, i32, i32, ptr, ptr, ptr, ptr, i64, ptr)> {
// CHECK-NEXT: llvm.mlir.addressof @tiny_descriptor
// CHECK-NOT: tamp.model
module attributes {tamp.model = {entry = @net, name = "tiny", weight_bytes = 16 : i64,
    inputs = [{dtype = 1 : i32, name = "x", shape = array<i64: -1>}],
    outputs = [{dtype = 1 : i32, name = "y", shape = array<i64: -1>},
               {dtype = 7 : i32, name = "count", shape = array<i64>}]}} {
  llvm.mlir.global private constant @__constant_4xf32(dense<1.0> : tensor<4xf32>) {addr_space = 0 : i32} : !llvm.array<4 x f32>
  llvm.func @net(%a: !llvm.ptr, %b: !llvm.ptr, %c: i64, %d: i64, %e: i64) -> !llvm.struct<(struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>, struct<(ptr, ptr, i64)>)> {
    %0 = llvm.mlir.poison : !llvm.struct<(struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>, struct<(ptr, ptr, i64)>)>
    llvm.return %0 : !llvm.struct<(struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>, struct<(ptr, ptr, i64)>)>
  }
  llvm.func @_mlir_ciface_net(%results: !llvm.ptr, %x: !llvm.ptr {tamp.name = "x"}) {
    llvm.return
  }
}

// -----

// The manifest text is taken from the module when given. A single result is written in place.
// CHECK-LABEL: module {
// CHECK: llvm.func internal @one_entry(%[[ARGS:.*]]: !llvm.ptr) {
// CHECK-NOT: llvm.alloca
// CHECK: %[[SLOT:.*]] = llvm.getelementptr %[[ARGS]][1]
// CHECK: %[[OUT:.*]] = llvm.load %[[SLOT]]
// CHECK: %[[SLOT0:.*]] = llvm.getelementptr %[[ARGS]][0]
// CHECK: %[[IN:.*]] = llvm.load %[[SLOT0]]
// CHECK: llvm.call @_mlir_ciface_f(%[[OUT]], %[[IN]])
// CHECK-NEXT: llvm.return
// CHECK: @model_manifest("{\22name\22: \22one\22}\00")
module attributes {tamp.manifest = "{\"name\": \"one\"}", tamp.model = {entry = @f, name = "one", weight_bytes = 0 : i64,
    inputs = [{dtype = 1 : i32, name = "x", shape = array<i64: 2>}],
    outputs = [{dtype = 1 : i32, name = "y", shape = array<i64: 2>}]}} {
  llvm.func @_mlir_ciface_f(%result: !llvm.ptr, %x: !llvm.ptr) {
    llvm.return
  }
  llvm.func @f() {
    llvm.return
  }
}

// -----

// expected-error @+1 {{no 'tamp.model' attribute: run tamp-cpu-record-model-signature before lowering}}
module {
}

// -----

// expected-error @+1 {{entry @f has no LLVM C interface; lower it with convert-func-to-llvm first}}
module attributes {tamp.model = {entry = @f, name = "m", weight_bytes = 0 : i64, inputs = [], outputs = []}} {
  llvm.func @f() {
    llvm.return
  }
}
