// RUN: tamp-opt --tamp-cpu-vectorize-integer-matmul -split-input-file %s | FileCheck %s
// RUN: tamp-opt --tamp-cpu-vectorize-integer-matmul=dot-product=generic -split-input-file %s | FileCheck %s --check-prefix=GENERIC
// RUN: not tamp-opt --tamp-cpu-vectorize-integer-matmul=dot-product=sdot %s 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// UNKNOWN: unknown dot-product 'sdot' (expected avx512-vnni or generic)

// Without VNNI the same blocks add the four byte products of each lane in
// portable vector code: byte t of every group (a shuffle), widened
// (unsigned and signed), multiplied and added.
// GENERIC-LABEL: func.func @constant_rhs
// GENERIC-NOT: llvm.call_intrinsic
// GENERIC: vector.shuffle %{{.*}}, %{{.*}} [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60] : vector<64xi8>, vector<64xi8>
// GENERIC: arith.extui %{{.*}} : vector<16xi8> to vector<16xi32>
// GENERIC: arith.extsi %{{.*}} : vector<16xi8> to vector<16xi32>
// GENERIC: arith.muli
// GENERIC: arith.addi
// GENERIC: vector.shuffle %{{.*}}, %{{.*}} [3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 43, 47, 51, 55, 59, 63]

// A constant right operand [K, N] (a linear layer's packed weight) is
// interleaved at compile time into [K/4, N*4]; the activations are flipped
// to unsigned (one pass) and broadcast four bytes at a time; the accumulators
// start at C - 128 * colsum(B). Blocks of 4 rows x 2 vectors of 16 lanes.
// CHECK-LABEL: func.func @constant_rhs
// CHECK-DAG: %[[B:.*]] = arith.constant dense_resource<vnni_weight> : tensor<2x128xi8>
// CHECK-DAG: %[[CORR:.*]] = arith.constant dense<3072> : tensor<32xi32>
// CHECK: %[[FLIP:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<8x8xi8>)
// CHECK: arith.xori
// CHECK: scf.for %[[I:.*]] = %c0 to %c8 step %c4
// CHECK: scf.for %[[J:.*]] = %c0{{.*}} to %c32 step %c32
// CHECK-COUNT-8: vector.transfer_read %[[CORR]]
// CHECK: scf.for %[[K:.*]] = %c0{{.*}} to %c2{{.*}} step %c1{{.*}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// CHECK-COUNT-2: vector.transfer_read %[[B]]{{.*}} : tensor<2x128xi8>, vector<64xi8>
// CHECK: vector.transfer_read %[[FLIP]]{{.*}} : tensor<8x8xi8>, vector<4xi8>
// CHECK: vector.bitcast %{{.*}} : vector<4xi8> to vector<1xi32>
// CHECK: vector.broadcast %{{.*}} : i32 to vector<16xi32>
// CHECK: %[[QUAD:.*]] = vector.bitcast %{{.*}} : vector<16xi32> to vector<64xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %[[QUAD]], %{{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK-COUNT-8: vector.transfer_write
// CHECK-NOT: linalg.matmul
func.func @constant_rhs(%a: tensor<8x8xi8>, %c: tensor<8x32xi32>) -> tensor<8x32xi32> {
  %b = arith.constant dense<3> : tensor<8x32xi8>
  %0 = linalg.matmul ins(%a, %b : tensor<8x8xi8>, tensor<8x32xi8>) outs(%c : tensor<8x32xi32>) -> tensor<8x32xi32>
  return %0 : tensor<8x32xi32>
}

// -----

// A constant left operand [M, K] (a convolution's filter): K = 6 is padded
// to 8 at compile time, the right operand (patches) is padded and
// interleaved, flipped, at run time; its 64 bytes are the unsigned operand,
// the filter's broadcast bytes the signed one; the correction is per row
// (128 * rowsum(A)). N = 20: one full 16-column block, then a masked one.
// CHECK-LABEL: func.func @constant_lhs
// CHECK-DAG: %[[A:.*]] = arith.constant dense_resource<vnni_filter> : tensor<2x8xi8>
// CHECK-DAG: %[[CORR:.*]] = arith.constant dense<[768, -768]> : tensor<2xi32>
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 0] high[2, 12]
// CHECK: %[[IL:.*]] = linalg.generic {{.*}} ins(%[[PAD]] : tensor<8x32xi8>) outs(%{{.*}} : tensor<2x32x4xi8>)
// CHECK: arith.xori
// CHECK: %[[P:.*]] = tensor.collapse_shape %[[IL]] {{\[}}[0], [1, 2]] : tensor<2x32x4xi8> into tensor<2x128xi8>
// CHECK: scf.for
// CHECK: tensor.extract %[[CORR]]
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %[[V:.*]], %{{.*}})
// CHECK: vector.transfer_read %{{.*}}[%{{.*}}, %{{.*}}], %{{.*}} : tensor<2x20xi32>, vector<16xi32>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : vector<16xi32>, tensor<2x20xi32>
func.func @constant_lhs(%b: tensor<6x20xi8>, %c: tensor<2x20xi32>) -> tensor<2x20xi32> {
  %a = arith.constant dense<[[1, 1, 1, 1, 1, 1], [-1, -1, -1, -1, -1, -1]]> : tensor<2x6xi8>
  %0 = linalg.matmul ins(%a, %b : tensor<2x6xi8>, tensor<6x20xi8>) outs(%c : tensor<2x20xi32>) -> tensor<2x20xi32>
  return %0 : tensor<2x20xi32>
}

// -----

// Two activations (attention's batch matmul): per batch, B is interleaved
// and flipped at run time, A broadcast as it is, and the correction is
// 128 * rowsum(A), computed at run time.
// CHECK-LABEL: func.func @batch_activations
// CHECK: scf.for %[[BATCH:.*]] = %c0 to %{{.*}} step %c1 iter_args(%[[C:.*]] = %arg2)
// CHECK: %[[A:.*]] = tensor.extract_slice %arg0[%[[BATCH]], 0, 0] [1, 4, 8] [1, 1, 1] : tensor<2x4x8xi8> to tensor<4x8xi8>
// CHECK: %[[ROWS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[A]] : tensor<4x8xi8>) outs(%{{.*}} : tensor<4xi32>)
// CHECK: arith.shli
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x16x4xi8>)
// CHECK: arith.xori
// CHECK: tensor.extract %[[ROWS]]
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK: tensor.insert_slice %{{.*}} into %[[C]][%[[BATCH]], 0, 0] [1, 4, 16] [1, 1, 1]
func.func @batch_activations(%a: tensor<2x4x8xi8>, %b: tensor<2x8x16xi8>, %c: tensor<2x4x16xi32>) -> tensor<2x4x16xi32> {
  %0 = linalg.batch_matmul ins(%a, %b : tensor<2x4x8xi8>, tensor<2x8x16xi8>) outs(%c : tensor<2x4x16xi32>) -> tensor<2x4x16xi32>
  return %0 : tensor<2x4x16xi32>
}

// -----

// A dynamic reduction size, or float operands: left as they are.
// CHECK-LABEL: func.func @untouched
// CHECK: linalg.matmul ins(%arg0, %arg1 : tensor<4x?xi8>, tensor<?x16xi8>)
// CHECK: linalg.matmul ins(%arg3, %cst : tensor<4x8xf32>, tensor<8x16xf32>)
// CHECK-NOT: llvm.call_intrinsic
func.func @untouched(%a: tensor<4x?xi8>, %b: tensor<?x16xi8>, %c: tensor<4x16xi32>, %f: tensor<4x8xf32>, %g: tensor<4x16xf32>) -> (tensor<4x16xi32>, tensor<4x16xf32>) {
  %0 = linalg.matmul ins(%a, %b : tensor<4x?xi8>, tensor<?x16xi8>) outs(%c : tensor<4x16xi32>) -> tensor<4x16xi32>
  %w = arith.constant dense<1.0> : tensor<8x16xf32>
  %1 = linalg.matmul ins(%f, %w : tensor<4x8xf32>, tensor<8x16xf32>) outs(%g : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0, %1 : tensor<4x16xi32>, tensor<4x16xf32>
}
