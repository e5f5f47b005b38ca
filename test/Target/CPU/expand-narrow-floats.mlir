// RUN: tamp-opt --tamp-cpu-expand-narrow-floats -split-input-file %s | FileCheck %s
// Conversions to and from floats LLVM has no type for become integer
// arithmetic on their bits, with the format's widths, bias and special
// encodings taken from its fltSemantics.

// f32 -> f8E4M3FN (bias 7, 3 mantissa bits, NaN 0x7F/0xFF, no Inf):
// round the 23-bit mantissa to 3 bits to nearest even (add 2^19 - 1 plus
// the lowest kept bit, shift by 20), rebias 127 -> 7 (subtract 120 << 3);
// below 2^-6 add 2^14 in f32 so the addition rounds to the subnormal step
// 2^-9; beyond 0x7E (448) or NaN give the NaN of the sign.
// CHECK-LABEL: func.func @trunc_e4m3fn
// CHECK-DAG: %[[SIGNMASK:.*]] = arith.constant 2147483647 : i32
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant 20 : i32
// CHECK-DAG: %[[HALF:.*]] = arith.constant 524287 : i32
// CHECK-DAG: %[[REBIAS:.*]] = arith.constant 960 : i32
// CHECK-DAG: %[[MAGIC:.*]] = arith.constant 1.638400e+04 : f32
// CHECK-DAG: %[[MAGICBITS:.*]] = arith.constant 1182793728 : i32
// CHECK-DAG: %[[MINNORMAL:.*]] = arith.constant 1015021568 : i32
// CHECK-DAG: %[[LARGEST:.*]] = arith.constant 126 : i32
// CHECK-DAG: %[[NAN:.*]] = arith.constant 127 : i32
// CHECK-DAG: %[[NEGNAN:.*]] = arith.constant 255 : i32
// CHECK-DAG: %[[INF:.*]] = arith.constant 2139095040 : i32
// CHECK: %[[BITS:.*]] = arith.bitcast %arg0 : f32 to i32
// CHECK: %[[ABS:.*]] = arith.andi %[[BITS]], %[[SIGNMASK]] : i32
// CHECK: %[[SIGN:.*]] = arith.shrui %[[BITS]], %{{.*}} : i32
// CHECK: %[[KEPT:.*]] = arith.shrui %[[ABS]], %[[SHIFT]] : i32
// CHECK: %[[LSB:.*]] = arith.andi %[[KEPT]], %{{.*}} : i32
// CHECK: %[[A:.*]] = arith.addi %[[ABS]], %[[LSB]] : i32
// CHECK: %[[B:.*]] = arith.addi %[[A]], %[[HALF]] : i32
// CHECK: %[[ROUNDED:.*]] = arith.shrui %[[B]], %[[SHIFT]] : i32
// CHECK: %[[NORMAL:.*]] = arith.subi %[[ROUNDED]], %[[REBIAS]] : i32
// CHECK: %[[ABSF:.*]] = arith.bitcast %[[ABS]] : i32 to f32
// CHECK: %[[SUM:.*]] = arith.addf %[[ABSF]], %[[MAGIC]] : f32
// CHECK: %[[SUMBITS:.*]] = arith.bitcast %[[SUM]] : f32 to i32
// CHECK: %[[SUB:.*]] = arith.subi %[[SUMBITS]], %[[MAGICBITS]] : i32
// CHECK: %[[ISSUB:.*]] = arith.cmpi ult, %[[ABS]], %[[MINNORMAL]] : i32
// CHECK: %[[MAG:.*]] = arith.select %[[ISSUB]], %[[SUB]], %[[NORMAL]] : i32
// CHECK: %[[OVER:.*]] = arith.cmpi ugt, %[[MAG]], %[[LARGEST]] : i32
// CHECK: %[[CLAMPED:.*]] = arith.select %[[OVER]], %[[LARGEST]], %[[MAG]] : i32
// CHECK: %[[SIGNBIT:.*]] = arith.shli %[[SIGN]], %{{.*}} : i32
// CHECK: %[[SIGNED:.*]] = arith.ori %[[CLAMPED]], %[[SIGNBIT]] : i32
// CHECK: %[[NEG:.*]] = arith.cmpi ne, %[[SIGN]], %{{.*}} : i32
// CHECK: %[[SIGNEDNAN:.*]] = arith.select %[[NEG]], %[[NEGNAN]], %[[NAN]] : i32
// CHECK: %[[R1:.*]] = arith.select %[[OVER]], %[[SIGNEDNAN]], %[[SIGNED]] : i32
// CHECK: %[[ISNAN:.*]] = arith.cmpi ugt, %[[ABS]], %[[INF]] : i32
// CHECK: %[[R2:.*]] = arith.select %[[ISNAN]], %[[SIGNEDNAN]], %[[R1]] : i32
// CHECK: %[[BYTE:.*]] = arith.trunci %[[R2]] : i32 to i8
// CHECK: %[[R:.*]] = arith.bitcast %[[BYTE]] : i8 to f8E4M3FN
// CHECK: return %[[R]] : f8E4M3FN
func.func @trunc_e4m3fn(%x: f32) -> f8E4M3FN {
  %0 = arith.truncf %x : f32 to f8E4M3FN
  return %0 : f8E4M3FN
}

// -----

// f8E5M2 -> f32 (IEEE-like, bias 15): the magnitude shifted into place
// plus (127 - 15) << 23; subnormals are mantissa * 2^-16 in f32; the
// all-ones exponent is Inf (mantissa 0) or NaN; then the sign.
// CHECK-LABEL: func.func @ext_e5m2
// CHECK-DAG: %[[SUBSTEP:.*]] = arith.constant 1.52587891E-5 : f32
// CHECK-DAG: %[[REBIAS:.*]] = arith.constant 939524096 : i32
// CHECK-DAG: %[[QNAN:.*]] = arith.constant 2143289344 : i32
// CHECK-DAG: %[[INF:.*]] = arith.constant 2139095040 : i32
// CHECK-DAG: %[[ALLONES:.*]] = arith.constant 31 : i32
// CHECK: %[[BYTE:.*]] = arith.bitcast %arg0 : f8E5M2 to i8
// CHECK: %[[BITS:.*]] = arith.extui %[[BYTE]] : i8 to i32
// CHECK: %[[MAG:.*]] = arith.andi %[[BITS]], %{{.*}} : i32
// CHECK: %[[EXP:.*]] = arith.shrui %[[MAG]], %{{.*}} : i32
// CHECK: %[[MAN:.*]] = arith.andi %[[MAG]], %{{.*}} : i32
// CHECK: %[[SHIFTED:.*]] = arith.shli %[[MAG]], %{{.*}} : i32
// CHECK: %[[NORMAL:.*]] = arith.addi %[[SHIFTED]], %[[REBIAS]] : i32
// CHECK: %[[MANF:.*]] = arith.uitofp %[[MAN]] : i32 to f32
// CHECK: %[[SUBF:.*]] = arith.mulf %[[MANF]], %[[SUBSTEP]] : f32
// CHECK: %[[ISSUB:.*]] = arith.cmpi eq, %[[EXP]], %{{.*}} : i32
// CHECK: %[[SUB:.*]] = arith.bitcast %[[SUBF]] : f32 to i32
// CHECK: %[[FINITE:.*]] = arith.select %[[ISSUB]], %[[SUB]], %[[NORMAL]] : i32
// CHECK: %[[ISSPECIAL:.*]] = arith.cmpi eq, %[[EXP]], %[[ALLONES]] : i32
// CHECK: %[[ISNAN:.*]] = arith.cmpi ne, %[[MAN]], %{{.*}} : i32
// CHECK: %[[SPECIAL:.*]] = arith.select %[[ISNAN]], %[[QNAN]], %[[INF]] : i32
// CHECK: %[[M:.*]] = arith.select %[[ISSPECIAL]], %[[SPECIAL]], %[[FINITE]] : i32
// CHECK: %[[S:.*]] = arith.shrui %[[BITS]], %{{.*}} : i32
// CHECK: %[[SB:.*]] = arith.shli %[[S]], %{{.*}} : i32
// CHECK: %[[F:.*]] = arith.ori %[[M]], %[[SB]] : i32
// CHECK: %[[R:.*]] = arith.bitcast %[[F]] : i32 to f32
// CHECK: return %[[R]] : f32
func.func @ext_e5m2(%x: f8E5M2) -> f32 {
  %0 = arith.extf %x : f8E5M2 to f32
  return %0 : f32
}

// -----

// f64 rounds once, in 64-bit integers. f8E5M2FNUZ: -0 becomes +0 (zero
// magnitudes drop the sign) and overflow and NaN give the single NaN 0x80.
// CHECK-LABEL: func.func @trunc_f64_fnuz
// CHECK-DAG: %[[NAN:.*]] = arith.constant 128 : i64
// CHECK-DAG: %[[LARGEST:.*]] = arith.constant 127 : i64
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant 50 : i64
// CHECK: %[[BITS:.*]] = arith.bitcast %arg0 : f64 to i64
// CHECK: arith.shrui %{{.*}}, %[[SHIFT]] : i64
// CHECK: arith.addf %{{.*}}, %{{.*}} : f64
// CHECK: %[[OVER:.*]] = arith.cmpi ugt, %{{.*}}, %[[LARGEST]] : i64
// CHECK: %[[CLAMPED:.*]] = arith.select %[[OVER]], %[[LARGEST]], %{{.*}} : i64
// CHECK: %[[SIGNED:.*]] = arith.ori %[[CLAMPED]], %{{.*}} : i64
// CHECK: %[[ISZERO:.*]] = arith.cmpi eq, %[[CLAMPED]], %{{.*}} : i64
// CHECK: %[[NOMINUSZERO:.*]] = arith.select %[[ISZERO]], %[[CLAMPED]], %[[SIGNED]] : i64
// CHECK: %[[R1:.*]] = arith.select %[[OVER]], %[[NAN]], %[[NOMINUSZERO]] : i64
// CHECK: %[[R2:.*]] = arith.select %{{.*}}, %[[NAN]], %[[R1]] : i64
// CHECK: arith.trunci %[[R2]] : i64 to i8
func.func @trunc_f64_fnuz(%x: f64) -> f8E5M2FNUZ {
  %0 = arith.truncf %x : f64 to f8E5M2FNUZ
  return %0 : f8E5M2FNUZ
}

// -----

// Vectors: bf16 extends to f32 exactly first. f4E2M1FN has neither Inf nor
// NaN: overflow gives the largest value (0b0111) with the sign, NaN 0.
// CHECK-LABEL: func.func @trunc_bf16_e2m1_vector
// CHECK-DAG: %[[LARGEST:.*]] = arith.constant dense<7> : vector<4xi32>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0> : vector<4xi32>
// CHECK: %[[W:.*]] = arith.extf %arg0 : vector<4xbf16> to vector<4xf32>
// CHECK: arith.bitcast %[[W]] : vector<4xf32> to vector<4xi32>
// CHECK: %[[OVER:.*]] = arith.cmpi ugt, %{{.*}}, %[[LARGEST]] : vector<4xi32>
// CHECK: %[[CLAMPED:.*]] = arith.select %[[OVER]], %[[LARGEST]], %{{.*}} : vector<4xi1>, vector<4xi32>
// CHECK: %[[SIGNED:.*]] = arith.ori %[[CLAMPED]], %{{.*}} : vector<4xi32>
// CHECK: %[[R:.*]] = arith.select %{{.*}}, %[[ZERO]], %[[SIGNED]] : vector<4xi1>, vector<4xi32>
// CHECK: %[[NIBBLES:.*]] = arith.trunci %[[R]] : vector<4xi32> to vector<4xi4>
// CHECK: arith.bitcast %[[NIBBLES]] : vector<4xi4> to vector<4xf4E2M1FN>
func.func @trunc_bf16_e2m1_vector(%x: vector<4xbf16>) -> vector<4xf4E2M1FN> {
  %0 = arith.truncf %x : vector<4xbf16> to vector<4xf4E2M1FN>
  return %0 : vector<4xf4E2M1FN>
}

// -----

// Narrow to narrower goes through the exact f32; narrow to f16 rounds the
// exact f32 once.
// CHECK-LABEL: func.func @narrow_to_narrow
// CHECK: arith.bitcast %arg0 : f8E5M2 to i8
// CHECK: %[[F32:.*]] = arith.bitcast %{{.*}} : i32 to f32
// CHECK: arith.bitcast %[[F32]] : f32 to i32
// CHECK: arith.trunci %{{.*}} : i32 to i4
// CHECK: arith.bitcast %{{.*}} : i4 to f4E2M1FN
// CHECK: %[[G32:.*]] = arith.bitcast %{{.*}} : i32 to f32
// CHECK: arith.truncf %[[G32]] : f32 to f16
func.func @narrow_to_narrow(%x: f8E5M2, %y: f8E4M3FNUZ) -> (f4E2M1FN, f16) {
  %0 = arith.truncf %x : f8E5M2 to f4E2M1FN
  %1 = arith.extf %y : f8E4M3FNUZ to f16
  return %0, %1 : f4E2M1FN, f16
}

// -----

// Constants keep their bits as integers: -2.0 in f8E4M3FNUZ is 0xC8, and
// 0.5 and -6.0 in f4E2M1FN are 0b0001 and 0b1111.
// CHECK-LABEL: func.func @constants
// CHECK-DAG: %[[V:.*]] = arith.constant dense<[1, -1]> : vector<2xi4>
// CHECK-DAG: %[[S:.*]] = arith.constant -56 : i8
// CHECK: arith.bitcast %[[S]] : i8 to f8E4M3FNUZ
// CHECK: arith.bitcast %[[V]] : vector<2xi4> to vector<2xf4E2M1FN>
func.func @constants() -> (f8E4M3FNUZ, vector<2xf4E2M1FN>) {
  %0 = arith.constant -2.0 : f8E4M3FNUZ
  %1 = arith.constant dense<[0.5, -6.0]> : vector<2xf4E2M1FN>
  return %0, %1 : f8E4M3FNUZ, vector<2xf4E2M1FN>
}

// -----

// Other conversions are left alone.
// CHECK-LABEL: func.func @wide_only
// CHECK-NEXT: arith.truncf %arg0 : f32 to f16
// CHECK-NEXT: return
func.func @wide_only(%x: f32) -> f16 {
  %0 = arith.truncf %x : f32 to f16
  return %0 : f16
}
