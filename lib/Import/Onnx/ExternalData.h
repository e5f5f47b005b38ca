//===- ExternalData.h - Safe reading of ONNX external data ------*- C++ -*-===//

#ifndef TAMP_LIB_IMPORT_ONNX_EXTERNALDATA_H
#define TAMP_LIB_IMPORT_ONNX_EXTERNALDATA_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>
#include <string>

namespace tamp {

/// Reads byte ranges of files next to a model. A location must be a relative
/// path that stays inside the model's folder after resolving `..` and
/// symbolic links; absolute paths, escapes, missing files and ranges past the
/// end of a file are errors. Files are memory-mapped once and shared.
class ExternalDataReader {
public:
  /// `baseDirectory` empty: every external reference is refused.
  explicit ExternalDataReader(std::string baseDirectory);

  /// Checks `location` and returns the real path it names inside the folder.
  llvm::Expected<std::string> resolve(llvm::StringRef location) const;

  /// The `length` bytes at `offset` of `location`; length < 0 means "to the
  /// end of the file".
  llvm::Expected<llvm::StringRef> read(llvm::StringRef location, int64_t offset,
                                       int64_t length);

private:
  std::string baseDirectory;
  std::string realBaseDirectory;
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> openFiles;
};

} // namespace tamp

#endif // TAMP_LIB_IMPORT_ONNX_EXTERNALDATA_H
