// RUN: tamp-opt --tamp-cpu-record-model-signature=model-name=net -split-input-file -verify-diagnostics %s | FileCheck %s

// Signedness comes from the tamp-level types, dynamic sizes become -1,
// unnamed results get a positional name, and non-scalar constants count as
// weights (3 x f32 = 12 bytes; the scalar does not count).
// CHECK-LABEL: module attributes
// CHECK-SAME: tamp.model = {entry = @main_graph,
// CHECK-SAME: inputs = [{dtype = 2 : i32, name = "pixels", shape = array<i64: -1, 3>}, {dtype = 9 : i32, name = "mask", shape = array<i64: 3>}],
// CHECK-SAME: name = "net",
// CHECK-SAME: outputs = [{dtype = 1 : i32, name = "output0", shape = array<i64>}],
// CHECK-SAME: weight_bytes = 12 : i64}
// CHECK: func.func @main_graph({{.*}}) -> tensor<f32> attributes {llvm.emit_c_interface}
// CHECK: func.func private @helper
module {
  func.func @main_graph(%pixels: tensor<?x3xui8> {tamp.name = "pixels"}, %mask: tensor<3xi1> {tamp.name = "mask"}) -> tensor<f32> {
    %w = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
    %s = arith.constant dense<0.0> : tensor<f32>
    return %s : tensor<f32>
  }
  func.func private @helper() {
    return
  }
}

// -----

// An existing record is kept (the CPU pipeline runs the pass again).
// CHECK-LABEL: module attributes
// CHECK-SAME: tamp.model = {name = "kept"}
module attributes {tamp.model = {name = "kept"}} {
  func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}

// -----

// expected-error @+1 {{several public functions (@f, @g); name the model's entry}}
module {
  func.func @f() {
    return
  }
  func.func @g() {
    return
  }
}

// -----

// ONNX's narrow types get their TensorProto codes: float8_e4m3fn 17,
// uint4 21, int2 26, float4_e2m1fn 23, bfloat16 16, float8_e8m0fnu 24.
// CHECK-LABEL: module attributes
// CHECK-SAME: inputs = [{dtype = 17 : i32, {{[^}]*}}}, {dtype = 21 : i32, {{[^}]*}}}, {dtype = 26 : i32, {{[^}]*}}}],
// CHECK-SAME: outputs = [{dtype = 23 : i32, {{[^}]*}}}, {dtype = 16 : i32, {{[^}]*}}}, {dtype = 24 : i32, {{[^}]*}}}]
module {
  func.func @f(%a: tensor<2xf8E4M3FN>, %b: tensor<2xui4>, %c: tensor<2xi2>)
      -> (tensor<2xf4E2M1FN>, tensor<bf16>, tensor<f8E8M0FNU>) {
    %0 = arith.constant dense<0.0> : tensor<2xf4E2M1FN>
    %1 = arith.constant dense<0.0> : tensor<bf16>
    %2 = arith.constant dense<1.0> : tensor<f8E8M0FNU>
    return %0, %1, %2 : tensor<2xf4E2M1FN>, tensor<bf16>, tensor<f8E8M0FNU>
  }
}

// -----

// Element types outside ONNX's have no ABI code.
module {
  // expected-error @+1 {{input 0 has type 'tensor<2xf8E3M4>', which compiled models cannot pass}}
  func.func @f(%x: tensor<2xf8E3M4>) {
    return
  }
}
