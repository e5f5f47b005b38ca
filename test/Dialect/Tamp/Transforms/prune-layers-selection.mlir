// RUN: tamp-opt %s --tamp-prune-layers=indices=1 2>/dev/null | FileCheck %s --check-prefix=INDEX
// RUN: tamp-opt %s --tamp-prune-layers=names=outer 2>/dev/null | FileCheck %s --check-prefix=INDEX
// RUN: tamp-opt %s --tamp-prune-layers=indices=0 2>/dev/null | FileCheck %s --check-prefix=INNER
// RUN: tamp-opt %s --tamp-prune-layers=indices=0,1 -o %t 2>&1 | FileCheck %s --check-prefix=BOTH-REMARKS
// RUN: FileCheck %s --check-prefix=BOTH < %t

// Blocks chosen by index or by their join's name need no statistics. The
// inner block (#0, x + f(x)) lies in the branch of the outer one (#1,
// x + g(inner)).

// INDEX-LABEL: func.func @nested
// INDEX-NEXT: return %arg0

// INNER-LABEL: func.func @nested
// INNER: %[[W:.*]] = tamp.constant dense<5.000000e-01>
// INNER-NOT: tamp.clamp
// INNER: %[[G:.*]] = tamp.linear %arg0, %[[W]]
// INNER: %[[Z:.*]] = tamp.add %arg0, %[[G]]
// INNER: return %[[Z]]

// Removing the outer block removes the inner one with it; both are
// reported.
// BOTH-REMARKS-DAG: removed residual block #0 'inner' (16 parameters)
// BOTH-REMARKS-DAG: removed residual block #1 'outer' (32 parameters)
// BOTH-LABEL: func.func @nested
// BOTH-NEXT: return %arg0

func.func @nested(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %wf = tamp.constant dense<0.25> : tensor<4x4xf32>
  %wg = tamp.constant dense<0.5> : tensor<4x4xf32>
  %f = tamp.linear %x, %wf : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %fr = tamp.clamp %f {min = 0.0 : f64} : tensor<2x4xf32>
  %inner = tamp.add %x, %fr : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32> loc("inner")
  %g = tamp.linear %inner, %wg : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %outer = tamp.add %x, %g : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32> loc("outer")
  return %outer : tensor<2x4xf32>
}
