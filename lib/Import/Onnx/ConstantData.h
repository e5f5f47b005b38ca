//===- ConstantData.h - Reading and rewriting constant tensors --*- C++ -*-===//
//
// Import functions that normalise weights (transpose them into tamp.linear's
// layout, unpack packed integers, read scales) work on the bytes of
// constants, whether inline or in dense_resource blobs.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_IMPORT_ONNX_CONSTANTDATA_H
#define TAMP_LIB_IMPORT_ONNX_CONSTANTDATA_H

#include "TensorDecoding.h"

#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace tamp {

class NodeImporter;

/// The raw little-endian element bytes of a constant with a byte-sized
/// element type, inline or in a dense_resource blob. A splat holds one
/// element, which every index reads.
struct ConstantBytes {
  llvm::ArrayRef<char> data;
  bool splat = false;

  uint8_t byte(int64_t index) const {
    return uint8_t(data[splat ? index % data.size() : index]);
  }
  /// Element `index` of `width` bytes, zero-extended.
  uint64_t element(int64_t index, unsigned width) const {
    uint64_t bits = 0;
    for (unsigned b = 0; b < width; ++b)
      bits |= uint64_t(byte(index * width + b)) << (8 * b);
    return bits;
  }
};

/// The bytes of `value` if it is a constant with a static shape and a
/// byte-sized element type.
std::optional<ConstantBytes> getConstantBytes(mlir::Value value);

/// The values of a float (or integer) constant, including one in a resource
/// blob.
std::optional<llvm::SmallVector<double>> readFloatConstant(mlir::Value value);
std::optional<llvm::SmallVector<int64_t>> readIntConstant(mlir::Value value);

/// A constant holding `tensor`, named after `source`'s blob (if it has one)
/// plus `suffix`.
mlir::Value constantLike(NodeImporter &node, mlir::Value source,
                         DecodedTensor tensor, llvm::StringRef suffix);

/// The transpose of a constant 2-D byte-sized `matrix`, computed at import so
/// that a weight stays a constant; std::nullopt if `matrix` is no such
/// constant.
std::optional<mlir::Value> transposeConstantMatrix(NodeImporter &node,
                                                   mlir::Value matrix);

} // namespace tamp

#endif // TAMP_LIB_IMPORT_ONNX_CONSTANTDATA_H
