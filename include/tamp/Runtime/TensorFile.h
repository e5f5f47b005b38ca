//===- TensorFile.h - Tensors in .npy, .npz and ONNX .pb files --*- C++ -*-===//
//
// Host-side tensor files for the tools and for calibration: NumPy .npy and
// .npz, and ONNX TensorProto .pb (the node-test data format). Plain C++ over
// libtamp_rt's dtype codes, no MLIR. Errors throw TensorFileError.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_RUNTIME_TENSORFILE_H
#define TAMP_RUNTIME_TENSORFILE_H

#include "tamp/Runtime/tamp_rt.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace tamp {

/// A dense row-major tensor read from or written to a file.
struct HostTensor {
  int32_t dtype = 0;
  /// Bytes per element of a .npy 'V<N>' (raw bytes) tensor, whose dtype
  /// (0 until then) comes from the model's input or output it binds to:
  /// NumPy writes the ml_dtypes types (bfloat16, float8_*, int4, ...) so.
  size_t rawElementSize = 0;
  std::vector<int64_t> shape;
  std::vector<char> data;
  /// The elements of a string tensor; `data` gets pointers to them once the
  /// tensor is bound (see pointStringsIntoData).
  std::vector<std::string> strings;
  std::string name; // from a .pb file, if any

  size_t elementSize() const {
    return dtype ? tamp_dtype_size(dtype) : rawElementSize;
  }

  /// Gives a raw-bytes tensor the dtype `expected` when the element sizes
  /// agree; other tensors keep theirs.
  void adoptDType(int32_t expected) {
    if (!dtype && rawElementSize == tamp_dtype_size(expected))
      dtype = expected;
  }

  /// Fills `data` with the addresses of `strings`, as the ABI passes them.
  /// The tensor must not move afterwards.
  void pointStringsIntoData() {
    data.resize(strings.size() * sizeof(const char *));
    for (size_t i = 0; i < strings.size(); ++i) {
      const char *text = strings[i].c_str();
      std::memcpy(data.data() + i * sizeof(text), &text, sizeof(text));
    }
  }

  uint64_t elementCount() const {
    uint64_t count = 1;
    for (int64_t size : shape)
      count *= uint64_t(size);
    return count;
  }
};

/// What a malformed, unreadable or unsupported file raises.
struct TensorFileError {
  std::string message;
};

/// `[2, 3]`.
std::string shapeString(const std::vector<int64_t> &shape);

/// Parses .npy `bytes`; `path` names the source in errors.
HostTensor parseNpy(const std::vector<char> &bytes, const std::string &path);
HostTensor readNpy(const std::string &path);
void writeNpy(const std::string &path, const HostTensor &tensor);
/// An ONNX TensorProto; its `name` is kept in HostTensor::name.
HostTensor readTensorProto(const std::string &path);
/// .npy or .pb, by extension.
HostTensor readTensor(const std::string &path);
/// The arrays of an .npz archive (stored or deflated members), in archive
/// order, each named by its member name without `.npy`.
std::vector<HostTensor> readNpz(const std::string &path);

} // namespace tamp

#endif // TAMP_RUNTIME_TENSORFILE_H
