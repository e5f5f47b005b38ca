// RUN: tamp-opt --tamp-cpu-expand-narrow-floats -split-input-file -verify-diagnostics %s
// Narrow formats the expansion cannot handle are reported, not mis-compiled.

// f8E8M0FNU's smallest value, 2^-127, is an f32 subnormal (the tamp
// lowering converts to and from it with integer arithmetic of its own).
func.func @trunc_e8m0(%x: f32) -> f8E8M0FNU {
  // expected-error @+1 {{'arith.truncf' op cannot expand: not every 'f8E8M0FNU' value is a normal f32}}
  %0 = arith.truncf %x : f32 to f8E8M0FNU
  return %0 : f8E8M0FNU
}

// -----

func.func @ext_e8m0(%x: f8E8M0FNU) -> f32 {
  // expected-error @+1 {{'arith.extf' op cannot expand: not every 'f8E8M0FNU' value is a normal f32}}
  %0 = arith.extf %x : f8E8M0FNU to f32
  return %0 : f32
}
