// RUN: tamp-opt %s --tamp-prune-layers=count=1 -verify-diagnostics | FileCheck %s --check-prefix=ONE
// RUN: tamp-opt %s --tamp-prune-layers=count=2 -o %t.two 2>&1 | FileCheck %s --check-prefix=TWO-REMARKS
// RUN: FileCheck %s --check-prefix=TWO < %t.two
// RUN: tamp-opt %s --tamp-prune-layers=count=3 2>/dev/null | FileCheck %s --check-prefix=ALL
// RUN: tamp-opt %s --tamp-compress-pipeline=prune-layers=1 2>/dev/null | FileCheck %s --check-prefix=ONE
// RUN: tamp-opt %s --tamp-prune-layers=count=0 | FileCheck %s --check-prefix=NONE
// RUN: tamp-opt %s --tamp-prune-layers="count=1 rank-by=relative_change" 2>&1 -o /dev/null | FileCheck %s --check-prefix=RELATIVE

// A post-LN encoder: attention (#0, output change 0.2), FFN (#1, 0.01)
// and a second attention sublayer (#2, 0.05) whose input is the FFN's
// output. Removal goes by increasing output change (or relative change with
// rank-by); the remarks name the blocks' joins by their ONNX node names
// where they have one.

// ONE-LABEL: func.func @encoder
// ONE: %[[H0:.*]] = tamp.layer_norm %arg0
// ONE: %[[M:.*]] = tamp.neg %arg1
// ONE: tamp.linear %[[H0]]
// ONE: %[[H1:.*]] = tamp.layer_norm
// The FFN is gone with its weights; the second attention reads h1.
// ONE-NOT: tamp.gelu
// ONE: %[[S2:.*]] = tamp.linear %[[H1]], %{{.*}} : (tensor<2x4xf32>, tensor<4x4xf32>)
// ONE: tamp.add %[[S2]], %[[M]]
// ONE: tamp.add %{{.*}}, %[[H1]] {tamp.block_calibration = {output_change = 5.000000e-02 : f64
// ONE: %[[H3:.*]] = tamp.layer_norm
// ONE: return %[[H3]]

// TWO-REMARKS: remark: removed residual block #1 (output change 0.01, relative change 0.3, 64 parameters)
// TWO-REMARKS: remark: {{.*}}removed residual block #2 'attention2_add' (output change 0.05, relative change 0.2, 16 parameters)
// TWO-LABEL: func.func @encoder
// TWO: tamp.neg
// TWO: %[[H1:.*]] = tamp.layer_norm
// TWO-NEXT: return %[[H1]]

// Without any attention block left, the mask is dead too; only the
// constants of the first LayerNorm remain.
// ALL-LABEL: func.func @encoder
// ALL-NEXT: tamp.constant dense<1.000000e+00> : tensor<4xf32>
// ALL-NEXT: tamp.constant dense<0.000000e+00> : tensor<4xf32>
// ALL-NEXT: %[[H0:.*]] = tamp.layer_norm %arg0
// ALL-NEXT: return %[[H0]]

// NONE: tamp.gelu

// RELATIVE: remark: {{.*}}removed residual block #0 'attention1_add' (output change 0.2, relative change 0.1, 16 parameters)

func.func @encoder(%x: tensor<2x4xf32>, %mask: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %gamma = tamp.constant dense<1.0> : tensor<4xf32>
  %beta = tamp.constant dense<0.0> : tensor<4xf32>
  %wa = tamp.constant dense<0.25> : tensor<4x4xf32>
  %wb = tamp.constant dense<0.75> : tensor<4x4xf32>
  %w1 = tamp.constant dense<0.5> : tensor<8x4xf32>
  %w2 = tamp.constant dense<0.5> : tensor<4x8xf32>
  %h0 = tamp.layer_norm %x, %gamma, %beta {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %m = tamp.neg %mask : tensor<2x4xf32>
  %s1 = tamp.linear %h0, %wa : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %sm1 = tamp.add %s1, %m : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %p1 = tamp.softmax %sm1 {axis = 1 : i64} : tensor<2x4xf32>
  %c1 = tamp.mul %p1, %h0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %a1 = tamp.add %c1, %h0 {tamp.block_calibration = {output_change = 0.2 : f64, relative_change = 0.1 : f64, samples = 4 : i64}} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32> loc("attention1_add")
  %h1 = tamp.layer_norm %a1, %gamma, %beta {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %up = tamp.linear %h1, %w1 : (tensor<2x4xf32>, tensor<8x4xf32>) -> tensor<2x8xf32>
  %act = tamp.gelu %up : tensor<2x8xf32>
  %down = tamp.linear %act, %w2 : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  // expected-remark @below {{removed residual block #1 (output change 0.01, relative change 0.3, 64 parameters)}}
  %f = tamp.add %h1, %down {tamp.block_calibration = {output_change = 0.01 : f64, relative_change = 0.3 : f64, samples = 4 : i64}} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %h2 = tamp.layer_norm %f, %gamma, %beta {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %s2 = tamp.linear %h2, %wb : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %sm2 = tamp.add %s2, %m : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %p2 = tamp.softmax %sm2 {axis = 1 : i64} : tensor<2x4xf32>
  %c2 = tamp.mul %p2, %h2 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %a2 = tamp.add %c2, %h2 {tamp.block_calibration = {output_change = 0.05 : f64, relative_change = 0.2 : f64, samples = 4 : i64}} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32> loc("attention2_add")
  %h3 = tamp.layer_norm %a2, %gamma, %beta {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %h3 : tensor<2x4xf32>
}
