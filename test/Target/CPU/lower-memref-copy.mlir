// RUN: tamp-opt --pass-pipeline='builtin.module(func.func(tamp-cpu-lower-memref-copy))' %s | FileCheck %s

// Copies into strided views become linalg.copy; a copy onto itself goes.
// CHECK-LABEL: func.func @copies
// CHECK-SAME: (%[[SRC:.*]]: memref<2x3xf32>, %[[DST:.*]]: memref<4x5xf32>, %[[SELF:.*]]: memref<8xf32>, %[[U:.*]]: memref<*xf32>, %[[V:.*]]: memref<*xf32>)
// CHECK: %[[VIEW:.*]] = memref.subview %[[DST]][1, 1] [2, 3] [1, 1]
// CHECK: linalg.copy ins(%[[SRC]] : memref<2x3xf32>) outs(%[[VIEW]] : memref<2x3xf32, strided<[5, 1], offset: 6>>)
// CHECK-NOT: %[[SELF]]
// CHECK: memref.copy %[[U]], %[[V]] : memref<*xf32> to memref<*xf32>
// CHECK-NEXT: return
func.func @copies(%src: memref<2x3xf32>, %dst: memref<4x5xf32>, %self: memref<8xf32>,
                  %u: memref<*xf32>, %v: memref<*xf32>) {
  %view = memref.subview %dst[1, 1] [2, 3] [1, 1] : memref<4x5xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
  memref.copy %src, %view : memref<2x3xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
  memref.copy %self, %self : memref<8xf32> to memref<8xf32>
  // Unranked copies keep the library call.
  memref.copy %u, %v : memref<*xf32> to memref<*xf32>
  return
}
