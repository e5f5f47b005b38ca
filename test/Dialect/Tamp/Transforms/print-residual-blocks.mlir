// RUN: tamp-opt %s --tamp-print-residual-blocks --split-input-file -o /dev/null | FileCheck %s

// ResNet basic blocks: the identity block is found with its ReLU after the
// join, up to the fork; the downsampling block, whose shortcut is a strided
// 1x1 convolution, is not a residual block. Parameters: the two 8x8x3x3
// kernels and the batch-norm constant only the block uses.

// CHECK-LABEL: @resnet: 1 residual block
// CHECK-NEXT: #0 'block1_add': input 'stem_relu', output 'block1_relu', 7 ops, 1160 parameters, relative change 0.125
// CHECK-NOT: #1
func.func @resnet(%image: tensor<1x3x8x8xf32>) -> tensor<1x16x2x2xf32> {
  %w0 = tamp.constant dense<0.1> : tensor<8x3x3x3xf32>
  %w1 = tamp.constant dense<0.1> : tensor<8x8x3x3xf32>
  %w2 = tamp.constant dense<0.1> : tensor<8x8x3x3xf32>
  %w3 = tamp.constant dense<0.1> : tensor<16x8x3x3xf32>
  %w4 = tamp.constant dense<0.1> : tensor<16x16x3x3xf32>
  %wp = tamp.constant dense<0.1> : tensor<16x8x1x1xf32>
  %c8 = tamp.constant dense<1.0> : tensor<8xf32>
  %c16 = tamp.constant dense<1.0> : tensor<16xf32>
  %s0 = tamp.conv %image, %w0 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x4x4xf32> loc("stem_conv")
  %x = tamp.clamp %s0 {min = 0.0 : f64} : tensor<1x8x4x4xf32> loc("stem_relu")
  // The identity block: x + bn(conv(relu(bn(conv(x))))), then ReLU.
  %a0 = tamp.conv %x, %w1 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x4x4xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x4x4xf32>
  %a1 = tamp.batch_norm %a0, %c8, %c8, %c8, %c8 {epsilon = 1.0e-5 : f32} : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %a2 = tamp.clamp %a1 {min = 0.0 : f64} : tensor<1x8x4x4xf32>
  %a3 = tamp.conv %a2, %w2 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x4x4xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x4x4xf32>
  %a4 = tamp.batch_norm %a3, %c8, %c8, %c8, %c8 {epsilon = 1.0e-5 : f32} : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %j1 = tamp.add %a4, %x {tamp.block_calibration = {relative_change = 0.125 : f64, samples = 2 : i64}} : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> loc("block1_add")
  %z1 = tamp.clamp %j1 {min = 0.0 : f64} : tensor<1x8x4x4xf32> loc("block1_relu")
  // The downsampling block: stride 2 and 16 channels on both paths.
  %b0 = tamp.conv %z1, %w3 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x2x2xf32>
  %b1 = tamp.clamp %b0 {min = 0.0 : f64} : tensor<1x16x2x2xf32>
  %b2 = tamp.conv %b1, %w4 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x16x2x2xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x2x2xf32>
  %p = tamp.conv %z1, %wp {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<16x8x1x1xf32>) -> tensor<1x16x2x2xf32>
  %j2 = tamp.add %b2, %p : (tensor<1x16x2x2xf32>, tensor<1x16x2x2xf32>) -> tensor<1x16x2x2xf32> loc("block2_add")
  %z2 = tamp.clamp %j2 {min = 0.0 : f64} : tensor<1x16x2x2xf32>
  return %z2 : tensor<1x16x2x2xf32>
}

// -----

// Post-LN transformer sublayers, z = LayerNorm(x + f(x)): the attention
// branch also reads the mask, which does not depend on x (a single entry
// all the same); the FFN's input is the attention block's output.

// CHECK-LABEL: @post_ln: 2 residual blocks
// CHECK-NEXT: #0 'attention_add': input 'embeddings_ln', output 'attention_ln', 6 ops, 16 parameters, no statistics
// CHECK-NEXT: #1 'ffn_add': input 'attention_ln', output 'ffn_ln', 5 ops, 64 parameters, no statistics
func.func @post_ln(%x: tensor<2x4xf32>, %mask: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %gamma = tamp.constant dense<1.0> : tensor<4xf32>
  %beta = tamp.constant dense<0.0> : tensor<4xf32>
  %wa = tamp.constant dense<0.25> : tensor<4x4xf32>
  %w1 = tamp.constant dense<0.5> : tensor<8x4xf32>
  %w2 = tamp.constant dense<0.5> : tensor<4x8xf32>
  %h0 = tamp.layer_norm %x, %gamma, %beta {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32> loc("embeddings_ln")
  %m = tamp.neg %mask : tensor<2x4xf32>
  %scores = tamp.linear %h0, %wa : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %masked = tamp.add %scores, %m : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %probs = tamp.softmax %masked {axis = 1 : i64} : tensor<2x4xf32>
  %context = tamp.mul %probs, %h0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %a = tamp.add %context, %h0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32> loc("attention_add")
  %h1 = tamp.layer_norm %a, %gamma, %beta {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32> loc("attention_ln")
  %up = tamp.linear %h1, %w1 : (tensor<2x4xf32>, tensor<8x4xf32>) -> tensor<2x8xf32>
  %act = tamp.gelu %up : tensor<2x8xf32>
  %down = tamp.linear %act, %w2 : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  %f = tamp.add %h1, %down : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32> loc("ffn_add")
  %h2 = tamp.layer_norm %f, %gamma, %beta {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32> loc("ffn_ln")
  return %h2 : tensor<2x4xf32>
}

// -----

// Pre-LN, z = x + f(LayerNorm(x)), from a function argument: the join
// forks, so the block ends there.

// CHECK-LABEL: @pre_ln: 2 residual blocks
// CHECK-NEXT: #0 'add_1': input argument 'hidden', output 'add_1', 3 ops, 16 parameters, no statistics
// CHECK-NEXT: #1 'add_2': input 'add_1', output 'add_2', 3 ops, 16 parameters, no statistics
func.func @pre_ln(%x: tensor<2x4xf32> {tamp.name = "hidden"}) -> tensor<2x4xf32> {
  %gamma = tamp.constant dense<1.0> : tensor<4xf32>
  %beta = tamp.constant dense<0.0> : tensor<4xf32>
  %w1 = tamp.constant dense<0.25> : tensor<4x4xf32>
  %w2 = tamp.constant dense<0.5> : tensor<4x4xf32>
  %n1 = tamp.layer_norm %x, %gamma, %beta {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %f1 = tamp.linear %n1, %w1 : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %h = tamp.add %x, %f1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32> loc("add_1")
  %n2 = tamp.layer_norm %h, %gamma, %beta {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %f2 = tamp.linear %n2, %w2 : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %z = tamp.add %h, %f2 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32> loc("add_2")
  return %z : tensor<2x4xf32>
}

// -----

// The skip path may reach x through shape-preserving ops (here a scaling
// by a constant, removed with the block); the bias add of a layer is not a
// block. The parameters count the weights only the block uses: here also
// the bias and the scale.

// CHECK-LABEL: @scaled_skip: 1 residual block
// CHECK-NEXT: #0 'join': input argument #0, output 'join', 3 ops, 21 parameters, no statistics
func.func @scaled_skip(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = tamp.constant dense<0.25> : tensor<4x4xf32>
  %b = tamp.constant dense<0.5> : tensor<4xf32>
  %half = tamp.constant dense<0.5> : tensor<f32>
  %l = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %lb = tamp.add %l, %b : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %skip = tamp.mul %x, %half : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x4xf32>
  %z = tamp.add %skip, %lb : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32> loc("join")
  return %z : tensor<2x4xf32>
}

// -----

// The exit stops at the next layer with weights even when it keeps the
// shape, and a same-shape projection is no identity shortcut.

// CHECK-LABEL: @next_layer: 1 residual block
// CHECK-NEXT: #0 'join': input argument #0, output 'join', 2 ops
func.func @next_layer(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = tamp.constant dense<0.25> : tensor<4x4xf32>
  %f = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %z = tamp.add %x, %f : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32> loc("join")
  %next = tamp.linear %z, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %g = tamp.linear %next, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %projection = tamp.linear %next, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %not_a_block = tamp.add %projection, %g : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %not_a_block : tensor<2x4xf32>
}

// -----

// Not residual blocks: a branch value also returned (two exits), a branch
// sharing a value computed from its input with ops outside it (two exits
// again), and a join that broadcasts x to another type.

// CHECK-LABEL: @not_blocks: 0 residual blocks
// CHECK-NOT: #0
func.func @not_blocks(%x: tensor<2x4xf32>, %y: tensor<1x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  %w = tamp.constant dense<0.25> : tensor<4x4xf32>
  %l = tamp.linear %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %r = tamp.clamp %l {min = 0.0 : f64} : tensor<2x4xf32>
  %two_exits = tamp.add %x, %r : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %side = tamp.tanh %two_exits : tensor<2x4xf32>
  %e = tamp.exp %two_exits : tensor<2x4xf32>
  %g = tamp.mul %e, %side : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %two_entries = tamp.add %two_exits, %g : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %ly = tamp.linear %y, %w : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32>
  %broadcast = tamp.add %ly, %x : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %l, %two_entries, %side, %broadcast : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}
