// RUN: tamp-opt --tamp-convert-to-linalg -split-input-file %s | FileCheck %s
// Casts to and from floats narrower than 16 bits and sub-byte integers, with
// the ONNX Cast semantics: narrow floats meet wider floats only in
// arith.truncf/arith.extf (which tamp-cpu-expand-narrow-floats expands),
// saturation is a clamp before the truncation.

// Saturating (the default): clamp to +-448, NaN propagating, then round.
// CHECK-LABEL: func.func @f32_to_e4m3fn
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f8E4M3FN):
// CHECK: %[[MAX:.*]] = arith.constant 4.480000e+02 : f32
// CHECK: %[[MIN:.*]] = arith.negf %[[MAX]] : f32
// CHECK: %[[LOW:.*]] = arith.maximumf %[[X]], %[[MIN]] : f32
// CHECK: %[[CLAMPED:.*]] = arith.minimumf %[[LOW]], %[[MAX]] : f32
// CHECK: %[[Y:.*]] = arith.truncf %[[CLAMPED]] : f32 to f8E4M3FN
// CHECK: linalg.yield %[[Y]] : f8E4M3FN
func.func @f32_to_e4m3fn(%x: tensor<?xf32>) -> tensor<?xf8E4M3FN> {
  %0 = tamp.cast %x : tensor<?xf32> to tensor<?xf8E4M3FN>
  return %0 : tensor<?xf8E4M3FN>
}

// -----

// Without saturation the truncation overflows to Inf (E5M2) or NaN.
// CHECK-LABEL: func.func @f16_to_e5m2_no_saturate
// CHECK: ^bb0(%[[X:.*]]: f16, %{{.*}}: f8E5M2):
// CHECK-NOT: arith.minimumf
// CHECK: %[[Y:.*]] = arith.truncf %[[X]] : f16 to f8E5M2
// CHECK: linalg.yield %[[Y]] : f8E5M2
func.func @f16_to_e5m2_no_saturate(%x: tensor<4xf16>) -> tensor<4xf8E5M2> {
  %0 = tamp.cast %x {saturate = false} : tensor<4xf16> to tensor<4xf8E5M2>
  return %0 : tensor<4xf8E5M2>
}

// -----

// f4E2M1FN has neither Inf nor NaN: it always saturates (in f16 here, which
// holds 6.0 exactly) and NaN becomes 0.
// CHECK-LABEL: func.func @f16_to_e2m1
// CHECK: %[[MAX:.*]] = arith.constant 6.000000e+00 : f16
// CHECK: arith.minimumf %{{.*}}, %[[MAX]] : f16
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[V:.*]], %[[V]] : f16
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f16
// CHECK: %[[S:.*]] = arith.select %[[NAN]], %[[ZERO]], %[[V]] : f16
// CHECK: arith.truncf %[[S]] : f16 to f4E2M1FN
func.func @f16_to_e2m1(%x: tensor<4xf16>) -> tensor<4xf4E2M1FN> {
  %0 = tamp.cast %x {saturate = false} : tensor<4xf16> to tensor<4xf4E2M1FN>
  return %0 : tensor<4xf4E2M1FN>
}

// -----

// Narrow floats extend to wider floats directly, to integers through f32.
// CHECK-LABEL: func.func @from_narrow
// CHECK: arith.extf %{{.*}} : f8E4M3FNUZ to f16
// CHECK: %[[W:.*]] = arith.extf %{{.*}} : f8E5M2FNUZ to f32
// CHECK: arith.fptosi %[[W]] : f32 to i32
func.func @from_narrow(%x: tensor<4xf8E4M3FNUZ>, %y: tensor<4xf8E5M2FNUZ>) -> (tensor<4xf16>, tensor<4xi32>) {
  %0 = tamp.cast %x : tensor<4xf8E4M3FNUZ> to tensor<4xf16>
  %1 = tamp.cast %y : tensor<4xf8E5M2FNUZ> to tensor<4xi32>
  return %0, %1 : tensor<4xf16>, tensor<4xi32>
}

// -----

// Floats to sub-byte integers truncate towards zero in 32 bits and wrap;
// sub-byte integers extend with their signedness.
// CHECK-LABEL: func.func @sub_byte_integers
// CHECK: %[[T:.*]] = arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.trunci %[[T]] : i32 to i4
// CHECK: %[[U:.*]] = arith.fptosi %{{.*}} : f16 to i32
// CHECK: arith.trunci %[[U]] : i32 to i2
// CHECK: arith.uitofp %{{.*}} : i4 to f32
// CHECK: arith.extsi %{{.*}} : i2 to i8
func.func @sub_byte_integers(%x: tensor<4xf32>, %h: tensor<4xf16>, %u: tensor<4xui4>, %i: tensor<4xi2>) -> (tensor<4xi4>, tensor<4xui2>, tensor<4xf32>, tensor<4xi8>) {
  %0 = tamp.cast %x : tensor<4xf32> to tensor<4xi4>
  %1 = tamp.cast %h : tensor<4xf16> to tensor<4xui2>
  %2 = tamp.cast %u : tensor<4xui4> to tensor<4xf32>
  %3 = tamp.cast %i : tensor<4xi2> to tensor<4xi8>
  return %0, %1, %2, %3 : tensor<4xi4>, tensor<4xui2>, tensor<4xf32>, tensor<4xi8>
}

// -----

// f8E8M0FNU (a biased exponent) as ONNX computes it on the f32 bits: the
// exponent field, plus one when any mantissa bit is set (round up) unless
// it is the largest (saturate) or Inf/NaN (0xFF).
// CHECK-LABEL: func.func @to_e8m0_up
// CHECK: %[[BITS:.*]] = arith.bitcast %{{.*}} : f32 to i32
// CHECK: %[[SHIFTED:.*]] = arith.shrui %[[BITS]]
// CHECK: %[[EXP:.*]] = arith.andi %[[SHIFTED]]
// CHECK: arith.constant 8388607 : i32
// CHECK: arith.constant 254 : i32
// CHECK: %[[UP:.*]] = arith.extui %{{.*}} : i1 to i32
// CHECK: %[[ROUNDED:.*]] = arith.addi %[[EXP]], %[[UP]] : i32
// CHECK: %[[BYTE:.*]] = arith.trunci %[[ROUNDED]] : i32 to i8
// CHECK: arith.bitcast %[[BYTE]] : i8 to f8E8M0FNU
func.func @to_e8m0_up(%x: tensor<4xf16>) -> tensor<4xf8E8M0FNU> {
  %0 = tamp.cast %x : tensor<4xf16> to tensor<4xf8E8M0FNU>
  return %0 : tensor<4xf8E8M0FNU>
}

// -----

// Round down keeps the exponent field; no saturation check is needed.
// CHECK-LABEL: func.func @to_e8m0_down
// CHECK: %[[EXP:.*]] = arith.andi
// CHECK-NOT: arith.addi
// CHECK: arith.trunci %[[EXP]] : i32 to i8
func.func @to_e8m0_down(%x: tensor<4xf32>) -> tensor<4xf8E8M0FNU> {
  %0 = tamp.cast %x {round_mode = #tamp.round_mode<down>} : tensor<4xf32> to tensor<4xf8E8M0FNU>
  return %0 : tensor<4xf8E8M0FNU>
}

// -----

// From f8E8M0FNU: the byte is f32's exponent field; 0 is the f32 subnormal
// 2^-127 and 0xFF NaN.
// CHECK-LABEL: func.func @from_e8m0
// CHECK: %[[BYTE:.*]] = arith.bitcast %{{.*}} : f8E8M0FNU to i8
// CHECK: %[[E:.*]] = arith.extui %[[BYTE]] : i8 to i32
// CHECK: arith.shli %[[E]]
// CHECK: arith.constant 4194304 : i32
// CHECK: arith.constant 2143289344 : i32
// CHECK: %[[F:.*]] = arith.bitcast %{{.*}} : i32 to f32
// CHECK: arith.truncf %[[F]] : f32 to f16
func.func @from_e8m0(%x: tensor<4xf8E8M0FNU>) -> tensor<4xf16> {
  %0 = tamp.cast %x : tensor<4xf8E8M0FNU> to tensor<4xf16>
  return %0 : tensor<4xf16>
}
