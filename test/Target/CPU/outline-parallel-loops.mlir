// RUN: tamp-opt --tamp-cpu-outline-parallel-loops -split-input-file %s | FileCheck %s

// The first dimension is split into chunks: the body runs rows
// [begin, end), the remaining dimension as before; constants are cloned into
// the body, everything else is captured.
// CHECK-LABEL: func.func private @scale_parallel_body
// CHECK-SAME: (%[[BEGIN:.*]]: index, %[[END:.*]]: index, %[[X:.*]]: memref<?x8xf32>, %[[F:.*]]: f32, %[[Y:.*]]: memref<?x8xf32>, %{{.*}}: index)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK: %[[OFF0:.*]] = arith.muli %[[BEGIN]], %[[C1]]
// CHECK: %[[LB:.*]] = arith.addi %[[C0]], %[[OFF0]]
// CHECK: %[[OFF1:.*]] = arith.muli %[[END]], %[[C1]]
// CHECK: %[[UB:.*]] = arith.addi %[[C0]], %[[OFF1]]
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = (%[[LB]], %[[C0]]) to (%[[UB]], %[[C8]])
// CHECK: memref.load %[[X]][%[[I]], %[[J]]]
// CHECK: arith.mulf %{{.*}}, %[[F]]
// CHECK: memref.store %{{.*}}, %[[Y]][%[[I]], %[[J]]]
// CHECK: func.func private @scale_parallel_launch(index, memref<?x8xf32>, f32, memref<?x8xf32>, index) attributes {tamp.parallel_body = @scale_parallel_body}
// CHECK-LABEL: func.func @scale
// CHECK: %[[N:.*]] = memref.dim
// CHECK: %[[SPAN:.*]] = arith.subi %[[N]], %{{.*}}
// CHECK: %[[COUNT:.*]] = arith.ceildivsi %[[SPAN]], %{{.*}}
// CHECK: call @scale_parallel_launch(%[[COUNT]], %arg0, %arg2, %arg1, %[[N]])
// CHECK-NOT: scf.parallel
func.func @scale(%x: memref<?x8xf32>, %y: memref<?x8xf32>, %factor: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %n = memref.dim %x, %c0 : memref<?x8xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%n, %c8) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<?x8xf32>
    %s = arith.mulf %v, %factor : f32
    memref.store %s, %y[%i, %j] : memref<?x8xf32>
    scf.reduce
  }
  return
}

// -----

// Only outermost loops are outlined; a nested one runs serially in the body.
// A loop whose first dimension has one iteration stays.
// CHECK-LABEL: func.func private @nested_parallel_body
// CHECK: scf.parallel
// CHECK: scf.for
// CHECK: scf.parallel
// CHECK-LABEL: func.func @nested
// CHECK: call @nested_parallel_launch
// CHECK-NOT: call
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%{{.*}}) step (%{{.*}})
// CHECK-NEXT: memref.store
func.func @nested(%x: memref<4x4x4xf32>, %one: memref<1xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.for %k = %c0 to %c4 step %c1 {
      scf.parallel (%j) = (%c0) to (%c4) step (%c1) {
        memref.store %v, %x[%i, %k, %j] : memref<4x4x4xf32>
        scf.reduce
      }
    }
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c1) step (%c1) {
    memref.store %v, %one[%i] : memref<1xf32>
    scf.reduce
  }
  return
}
