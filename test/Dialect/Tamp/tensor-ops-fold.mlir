// RUN: tamp-opt %s --canonicalize --split-input-file | FileCheck %s

// An ONNX shape subgraph (Shape -> Gather -> Mul -> Unsqueeze -> Concat)
// folds to a constant, which gives the Reshape its target shape.
// CHECK-LABEL: func @shape_subgraph
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x4xf32>)
// CHECK: %[[SHAPE:.*]] = tamp.constant dense<[-1, 12]> : tensor<2xi64>
// CHECK: %[[R:.*]] = tamp.reshape %[[X]], %[[SHAPE]]
// CHECK: return %[[R]]
func.func @shape_subgraph(%x: tensor<?x3x4xf32>) -> tensor<?x12xf32> {
  %shape = tamp.shape %x {start = 1 : i64} : (tensor<?x3x4xf32>) -> tensor<2xi64>
  %i0 = tamp.constant dense<0> : tensor<i64>
  %i1 = tamp.constant dense<-1> : tensor<i64>
  %d0 = tamp.gather %shape, %i0 {axis = 0 : i64} : (tensor<2xi64>, tensor<i64>) -> tensor<i64>
  %d1 = tamp.gather %shape, %i1 {axis = 0 : i64} : (tensor<2xi64>, tensor<i64>) -> tensor<i64>
  %product = tamp.mul %d0, %d1 : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %vector = tamp.unsqueeze %product {axes = array<i64: 0>} : (tensor<i64>) -> tensor<1xi64>
  %minus_one = tamp.constant dense<[-1]> : tensor<1xi64>
  %target = tamp.concat %minus_one, %vector {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %r = tamp.reshape %x, %target : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<?x12xf32>
  return %r : tensor<?x12xf32>
}

// -----

// CHECK-LABEL: func @shape_partially_dynamic
// CHECK: %[[S:.*]] = tamp.shape
// CHECK: return %[[S]]
func.func @shape_partially_dynamic(%x: tensor<?x3x4xf32>) -> tensor<3xi64> {
  %0 = tamp.shape %x : (tensor<?x3x4xf32>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// CHECK-LABEL: func @cast_integers
// CHECK-DAG: tamp.constant dense<[1, -2, 44]> : tensor<3xi8>
// CHECK-DAG: tamp.constant dense<[1.000000e+00, -2.000000e+00, 3.000000e+02]> : tensor<3xf32>
// CHECK-DAG: tamp.constant dense<[1, 254, 44]> : tensor<3xui8>
// CHECK-DAG: tamp.constant dense<[false, true, true]> : tensor<3xi1>
// CHECK-DAG: tamp.constant dense<255> : tensor<2xi32>
// CHECK-NOT: tamp.cast
func.func @cast_integers() -> (tensor<3xi8>, tensor<3xf32>, tensor<3xui8>, tensor<3xi1>, tensor<2xi32>) {
  %c = tamp.constant dense<[1, -2, 300]> : tensor<3xi32>
  %0 = tamp.cast %c : tensor<3xi32> to tensor<3xi8>
  %1 = tamp.cast %c : tensor<3xi32> to tensor<3xf32>
  %2 = tamp.cast %c : tensor<3xi32> to tensor<3xui8>
  %zero_one = tamp.constant dense<[0, 1, -7]> : tensor<3xi32>
  %3 = tamp.cast %zero_one : tensor<3xi32> to tensor<3xi1>
  // Unsigned values widen with zeros.
  %u = tamp.constant dense<255> : tensor<2xui8>
  %4 = tamp.cast %u : tensor<2xui8> to tensor<2xi32>
  return %0, %1, %2, %3, %4 : tensor<3xi8>, tensor<3xf32>, tensor<3xui8>, tensor<3xi1>, tensor<2xi32>
}

// -----

// CHECK-LABEL: func @cast_floats
// CHECK-DAG: tamp.constant dense<[1, -2, 0]> : tensor<3xi32>
// CHECK-DAG: tamp.constant dense<[false, true, true]> : tensor<3xi1>
// CHECK-DAG: tamp.constant dense<[1.500000e+00, -2.750000e+00, 0.000000e+00]> : tensor<3xf16>
// CHECK-DAG: tamp.constant dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: tamp.constant dense<1.000000e+00> : tensor<2xf8E4M3FN>
// CHECK-NOT: tamp.cast
func.func @cast_floats() -> (tensor<3xi32>, tensor<3xi1>, tensor<3xf16>, tensor<2xf32>, tensor<2xf8E4M3FN>) {
  %f = tamp.constant dense<[1.5, -2.75, 0.0]> : tensor<3xf32>
  // Float to integer truncates towards zero.
  %0 = tamp.cast %f : tensor<3xf32> to tensor<3xi32>
  %nz = tamp.constant dense<[0.0, 0.5, -1.0]> : tensor<3xf32>
  %1 = tamp.cast %nz : tensor<3xf32> to tensor<3xi1>
  %2 = tamp.cast %f : tensor<3xf32> to tensor<3xf16>
  %b = tamp.constant dense<[false, true]> : tensor<2xi1>
  %3 = tamp.cast %b : tensor<2xi1> to tensor<2xf32>
  %one = tamp.constant dense<1.0> : tensor<2xf32>
  %4 = tamp.cast %one : tensor<2xf32> to tensor<2xf8E4M3FN>
  return %0, %1, %2, %3, %4 : tensor<3xi32>, tensor<3xi1>, tensor<3xf16>, tensor<2xf32>, tensor<2xf8E4M3FN>
}

// -----

// Out-of-range float to integer is undefined and overflow into an 8-bit
// float depends on `saturate`: neither folds. A cast to the same type does.
// CHECK-LABEL: func @cast_not_folded
// CHECK-SAME: (%[[X:.*]]: tensor<2xf32>)
// CHECK: %[[I:.*]] = tamp.cast %{{.*}} : tensor<1xf32> to tensor<1xi32>
// CHECK: %[[F8:.*]] = tamp.cast %{{.*}} : tensor<1xf32> to tensor<1xf8E4M3FN>
// CHECK: return %[[I]], %[[F8]], %[[X]]
func.func @cast_not_folded(%x: tensor<2xf32>) -> (tensor<1xi32>, tensor<1xf8E4M3FN>, tensor<2xf32>) {
  %big = tamp.constant dense<1.0e10> : tensor<1xf32>
  %0 = tamp.cast %big : tensor<1xf32> to tensor<1xi32>
  %large = tamp.constant dense<1000.0> : tensor<1xf32>
  %1 = tamp.cast %large : tensor<1xf32> to tensor<1xf8E4M3FN>
  %2 = tamp.cast %x : tensor<2xf32> to tensor<2xf32>
  return %0, %1, %2 : tensor<1xi32>, tensor<1xf8E4M3FN>, tensor<2xf32>
}

// -----

// Casts to float8e8m0 fold with their rounding mode: up, down, and nearest
// with ties (1.5 * 2^k) going up. Integers and half floats round the same.
// CHECK-LABEL: func @cast_e8m0
// CHECK-DAG: %[[UP:.*]] = tamp.constant dense<[1.250000e-01, 2.500000e-01, 2.000000e+00, 2.000000e+00, 4.000000e+00]> : tensor<5xf8E8M0FNU>
// CHECK-DAG: %[[DOWN:.*]] = tamp.constant dense<[6.250000e-02, 2.500000e-01, 1.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<5xf8E8M0FNU>
// CHECK-DAG: %[[NEAREST:.*]] = tamp.constant dense<[1.250000e-01, 2.500000e-01, 1.000000e+00, 2.000000e+00, 4.000000e+00]> : tensor<5xf8E8M0FNU>
// CHECK-DAG: %[[INT:.*]] = tamp.constant dense<[1.000000e+00, 4.000000e+00, 8.000000e+00]> : tensor<3xf8E8M0FNU>
// CHECK-DAG: %[[HALF:.*]] = tamp.constant dense<[1.250000e-01, 4.000000e+00]> : tensor<2xf8E8M0FNU>
// CHECK-NOT: tamp.cast
// CHECK: return %[[UP]], %[[DOWN]], %[[NEAREST]], %[[INT]], %[[HALF]]
func.func @cast_e8m0() -> (tensor<5xf8E8M0FNU>, tensor<5xf8E8M0FNU>, tensor<5xf8E8M0FNU>, tensor<3xf8E8M0FNU>, tensor<2xf8E8M0FNU>) {
  %f = tamp.constant dense<[0.124, 0.25, 1.1, 1.5, 3.0]> : tensor<5xf32>
  %0 = tamp.cast %f : tensor<5xf32> to tensor<5xf8E8M0FNU>
  %1 = tamp.cast %f {round_mode = #tamp.round_mode<down>} : tensor<5xf32> to tensor<5xf8E8M0FNU>
  %2 = tamp.cast %f {round_mode = #tamp.round_mode<nearest>} : tensor<5xf32> to tensor<5xf8E8M0FNU>
  %i = tamp.constant dense<[1, 3, 5]> : tensor<3xi32>
  %3 = tamp.cast %i : tensor<3xi32> to tensor<3xf8E8M0FNU>
  %h = tamp.constant dense<[0.124, 3.0]> : tensor<2xf16>
  %4 = tamp.cast %h : tensor<2xf16> to tensor<2xf8E8M0FNU>
  return %0, %1, %2, %3, %4 : tensor<5xf8E8M0FNU>, tensor<5xf8E8M0FNU>, tensor<5xf8E8M0FNU>, tensor<3xf8E8M0FNU>, tensor<2xf8E8M0FNU>
}

// -----

// Zero, negative and non-finite values, values below float32's normal range
// (where ONNX's reference departs from exact rounding) and values that
// overflow (which depend on saturate) are left to run time.
// CHECK-LABEL: func @cast_e8m0_not_folded
// CHECK-COUNT-7: tamp.cast
func.func @cast_e8m0_not_folded() -> (tensor<1xf8E8M0FNU>, tensor<1xf8E8M0FNU>, tensor<1xf8E8M0FNU>, tensor<1xf8E8M0FNU>, tensor<1xf8E8M0FNU>, tensor<1xf8E8M0FNU>, tensor<1xf8E8M0FNU>) {
  %zero = tamp.constant dense<0.0> : tensor<1xf32>
  %0 = tamp.cast %zero : tensor<1xf32> to tensor<1xf8E8M0FNU>
  %negative = tamp.constant dense<-2.0> : tensor<1xf32>
  %1 = tamp.cast %negative : tensor<1xf32> to tensor<1xf8E8M0FNU>
  %inf = tamp.constant dense<0x7F800000> : tensor<1xf32>
  %2 = tamp.cast %inf : tensor<1xf32> to tensor<1xf8E8M0FNU>
  %tiny = tamp.constant dense<1.0e-39> : tensor<1xf32>
  %3 = tamp.cast %tiny : tensor<1xf32> to tensor<1xf8E8M0FNU>
  %huge = tamp.constant dense<3.0e38> : tensor<1xf32>
  %4 = tamp.cast %huge : tensor<1xf32> to tensor<1xf8E8M0FNU>
  %zero_int = tamp.constant dense<0> : tensor<1xi32>
  %5 = tamp.cast %zero_int : tensor<1xi32> to tensor<1xf8E8M0FNU>
  %negative_int = tamp.constant dense<-4> : tensor<1xi32>
  %6 = tamp.cast %negative_int : tensor<1xi32> to tensor<1xf8E8M0FNU>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<1xf8E8M0FNU>, tensor<1xf8E8M0FNU>, tensor<1xf8E8M0FNU>, tensor<1xf8E8M0FNU>, tensor<1xf8E8M0FNU>, tensor<1xf8E8M0FNU>, tensor<1xf8E8M0FNU>
}

// -----

// Rounding down below 2^128 gives e8m0's largest value, 2^127.
// CHECK-LABEL: func @cast_e8m0_largest
// CHECK: tamp.constant dense<1.70141{{[0-9]*}}e+38> : tensor<1xf8E8M0FNU>
// CHECK-NOT: tamp.cast
func.func @cast_e8m0_largest() -> tensor<1xf8E8M0FNU> {
  %huge = tamp.constant dense<3.0e38> : tensor<1xf32>
  %0 = tamp.cast %huge {round_mode = #tamp.round_mode<down>} : tensor<1xf32> to tensor<1xf8E8M0FNU>
  return %0 : tensor<1xf8E8M0FNU>
}

// -----

// CHECK-LABEL: func @reshape_constants
// CHECK-DAG: tamp.constant dense<{{\[}}[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
// CHECK-DAG: tamp.constant dense_resource<weights> : tensor<3x2xf32>
// CHECK-DAG: tamp.constant dense<{{\[}}[1, 2, 3, 4, 5, 6]]> : tensor<1x6xi64>
// CHECK-DAG: tamp.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi64>
// CHECK-NOT: tamp.reshape
// CHECK-NOT: squeeze
func.func @reshape_constants() -> (tensor<2x3xi64>, tensor<3x2xf32>, tensor<1x6xi64>, tensor<6xi64>) {
  %c = tamp.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi64>
  %shape = tamp.constant dense<[2, 3]> : tensor<2xi64>
  %0 = tamp.reshape %c, %shape : (tensor<6xi64>, tensor<2xi64>) -> tensor<2x3xi64>
  // Weights keep sharing their blob.
  %w = tamp.constant dense_resource<weights> : tensor<6xf32>
  %wshape = tamp.constant dense<[3, -1]> : tensor<2xi64>
  %1 = tamp.reshape %w, %wshape : (tensor<6xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  %2 = tamp.unsqueeze %c {axes = array<i64: 0>} : (tensor<6xi64>) -> tensor<1x6xi64>
  %3 = tamp.squeeze %2 {axes = array<i64>} : (tensor<1x6xi64>) -> tensor<6xi64>
  return %0, %1, %2, %3 : tensor<2x3xi64>, tensor<3x2xf32>, tensor<1x6xi64>, tensor<6xi64>
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F0000004000004040000080400000A0400000C040"
    }
  }
#-}

// -----

// No-op data movement disappears; a reshape between equal dynamic types
// may reorder sizes and stays.
// CHECK-LABEL: func @identities
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>, %[[D:[^:]*]]: tensor<?x?xf32>
// CHECK: %[[KEPT:.*]] = tamp.reshape %[[D]]
// CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[KEPT]]
func.func @identities(%x: tensor<2x3xf32>, %d: tensor<?x?xf32>, %s: tensor<2xi64>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<?x?xf32>) {
  %0 = tamp.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  %1 = tamp.squeeze %x {axes = array<i64>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = tamp.unsqueeze %x {axes = array<i64>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = tamp.transpose %x {perm = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = tamp.concat %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %starts = tamp.constant dense<[0]> : tensor<1xi64>
  %ends = tamp.constant dense<[3]> : tensor<1xi64>
  %axes = tamp.constant dense<[1]> : tensor<1xi64>
  %steps = tamp.constant dense<[1]> : tensor<1xi64>
  %5 = tamp.slice %x, %starts, %ends, %axes, %steps : (tensor<2x3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x3xf32>
  %6 = tamp.reshape %d, %s : (tensor<?x?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func @transpose_constant
// CHECK: tamp.constant dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
// CHECK-NOT: tamp.transpose
func.func @transpose_constant() -> tensor<3x2xi32> {
  %c = tamp.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %0 = tamp.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x3xi32>) -> tensor<3x2xi32>
  return %0 : tensor<3x2xi32>
}

// -----

// CHECK-LABEL: func @concat_constants
// CHECK-DAG: tamp.constant dense<{{\[}}[1, 3, 4], [2, 5, 6]]> : tensor<2x3xi64>
// CHECK-DAG: tamp.constant dense<[7, 7, 8]> : tensor<3xi64>
// CHECK-NOT: tamp.concat
func.func @concat_constants() -> (tensor<2x3xi64>, tensor<3xi64>) {
  %a = tamp.constant dense<[[1], [2]]> : tensor<2x1xi64>
  %b = tamp.constant dense<[[3, 4], [5, 6]]> : tensor<2x2xi64>
  %0 = tamp.concat %a, %b {axis = -1 : i64} : (tensor<2x1xi64>, tensor<2x2xi64>) -> tensor<2x3xi64>
  %splat = tamp.constant dense<7> : tensor<2xi64>
  %eight = tamp.constant dense<[8]> : tensor<1xi64>
  %1 = tamp.concat %splat, %eight {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<3xi64>
  return %0, %1 : tensor<2x3xi64>, tensor<3xi64>
}

// -----

// CHECK-LABEL: func @slice_constants
// CHECK-DAG: tamp.constant dense<[9, 6, 3, 0]> : tensor<4xi64>
// CHECK-DAG: tamp.constant dense<{{\[}}[5, 4], [8, 7]]> : tensor<2x2xi64>
// CHECK-NOT: tamp.slice
func.func @slice_constants() -> (tensor<4xi64>, tensor<2x2xi64>) {
  %c = tamp.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]> : tensor<10xi64>
  %start = tamp.constant dense<[-1]> : tensor<1xi64>
  %end = tamp.constant dense<[-9223372036854775808]> : tensor<1xi64>
  %axis = tamp.constant dense<[0]> : tensor<1xi64>
  %step = tamp.constant dense<[-3]> : tensor<1xi64>
  %0 = tamp.slice %c, %start, %end, %axis, %step : (tensor<10xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4xi64>
  // Rows 1..2 of a 3x3 matrix, columns walked backwards from 2 to 1.
  %m = tamp.constant dense<[[0, 1, 2], [3, 4, 5], [6, 7, 8]]> : tensor<3x3xi64>
  %starts = tamp.constant dense<[1, 2]> : tensor<2xi32>
  %ends = tamp.constant dense<[3, 0]> : tensor<2xi32>
  %axes = tamp.constant dense<[0, 1]> : tensor<2xi32>
  %steps = tamp.constant dense<[1, -1]> : tensor<2xi32>
  %1 = tamp.slice %m, %starts, %ends, %axes, %steps : (tensor<3x3xi64>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<2x2xi64>
  return %0, %1 : tensor<4xi64>, tensor<2x2xi64>
}

// -----

// CHECK-LABEL: func @gather_constants
// CHECK-DAG: tamp.constant dense<{{\[}}[3, 1], [6, 4]]> : tensor<2x2xi64>
// CHECK-DAG: tamp.constant dense<4> : tensor<i64>
// CHECK-NOT: tamp.gather
func.func @gather_constants() -> (tensor<2x2xi64>, tensor<i64>) {
  %c = tamp.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %i = tamp.constant dense<[-1, 0]> : tensor<2xi32>
  %0 = tamp.gather %c, %i {axis = 1 : i64} : (tensor<2x3xi64>, tensor<2xi32>) -> tensor<2x2xi64>
  %shape = tamp.constant dense<[2, 3, 4]> : tensor<3xi64>
  %last = tamp.constant dense<2> : tensor<i64>
  %1 = tamp.gather %shape, %last {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  return %0, %1 : tensor<2x2xi64>, tensor<i64>
}

// A static fill folds to a splat constant (ONNX ConstantOfShape).
// CHECK-LABEL: func.func @fill_fold
func.func @fill_fold() -> tensor<2x3xi64> {
  %shape = tamp.constant dense<[2, 3]> : tensor<2xi64>
  // CHECK: %[[C:.*]] = tamp.constant dense<1> : tensor<2x3xi64>
  // CHECK-NOT: tamp.fill
  %f = tamp.fill %shape {value = 1 : i64} : (tensor<2xi64>) -> tensor<2x3xi64>
  // CHECK: return %[[C]]
  return %f : tensor<2x3xi64>
}

// Small integer ranges fold (ONNX expanded functions build axes this way).
// CHECK-LABEL: func.func @range_fold
func.func @range_fold() -> tensor<3xi64> {
  %start = tamp.constant dense<1> : tensor<i64>
  %limit = tamp.constant dense<7> : tensor<i64>
  %delta = tamp.constant dense<2> : tensor<i64>
  // CHECK: %[[C:.*]] = tamp.constant dense<[1, 3, 5]> : tensor<3xi64>
  // CHECK-NOT: tamp.range
  %r = tamp.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<3xi64>
  // CHECK: return %[[C]]
  return %r : tensor<3xi64>
}
