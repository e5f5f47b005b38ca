//===- ExternalData.cpp - Safe reading of ONNX external data --------------===//

#include "ExternalData.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace tamp {

ExternalDataReader::ExternalDataReader(std::string baseDirectory)
    : baseDirectory(std::move(baseDirectory)) {
  SmallString<256> real;
  if (!this->baseDirectory.empty() &&
      !sys::fs::real_path(this->baseDirectory, real, /*expand_tilde=*/false))
    realBaseDirectory = std::string(real);
}

static bool isInside(StringRef path, StringRef directory) {
  if (!path.starts_with(directory))
    return false;
  StringRef rest = path.drop_front(directory.size());
  return !rest.empty() && sys::path::is_separator(rest.front());
}

Expected<std::string> ExternalDataReader::resolve(StringRef location) const {
  if (location.empty())
    return createStringError("external data location is empty");
  if (location.contains('\0'))
    return createStringError("external data location contains a NUL byte");
  if (sys::path::is_absolute(location) ||
      sys::path::is_absolute(location, sys::path::Style::windows))
    return createStringError("external data location '" + location +
                             "' is an absolute path; it must be relative to "
                             "the model's folder");
  if (realBaseDirectory.empty())
    return createStringError("external data location '" + location +
                             "' cannot be resolved: the model has no folder");
  for (StringRef component :
       make_range(sys::path::begin(location), sys::path::end(location)))
    if (component == "..")
      return createStringError("external data location '" + location +
                               "' escapes the model's folder");
  SmallString<256> joined(realBaseDirectory);
  sys::path::append(joined, location);
  SmallString<256> real;
  if (std::error_code ec = sys::fs::real_path(joined, real))
    return createStringError("cannot open external data file '" + location +
                             "': " + ec.message());
  // A symbolic link inside the folder may still point outside it.
  if (!isInside(real, realBaseDirectory))
    return createStringError("external data location '" + location +
                             "' escapes the model's folder (it resolves to '" +
                             real + "')");
  if (!sys::fs::is_regular_file(real))
    return createStringError("external data location '" + location +
                             "' is not a regular file");
  return std::string(real);
}

Expected<StringRef> ExternalDataReader::read(StringRef location, int64_t offset,
                                             int64_t length) {
  Expected<std::string> path = resolve(location);
  if (!path)
    return path.takeError();
  auto it = openFiles.find(*path);
  if (it == openFiles.end()) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> buffer = MemoryBuffer::getFile(
        *path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
    if (!buffer)
      return createStringError("cannot open external data file '" + location +
                               "': " + buffer.getError().message());
    it = openFiles.try_emplace(*path, std::move(*buffer)).first;
  }
  StringRef contents = it->second->getBuffer();
  uint64_t size = contents.size();
  if (offset < 0)
    return createStringError("external data offset " + Twine(offset) +
                             " is negative");
  if (uint64_t(offset) > size)
    return createStringError("external data offset " + Twine(offset) +
                             " is past the end of '" + location + "' (" +
                             Twine(size) + " bytes)");
  if (length < 0)
    return contents.drop_front(offset);
  if (uint64_t(length) > size - uint64_t(offset))
    return createStringError("external data range [" + Twine(offset) + ", " +
                             Twine(offset) + " + " + Twine(length) +
                             ") runs past the end of '" + location + "' (" +
                             Twine(size) + " bytes)");
  return contents.substr(offset, length);
}

} // namespace tamp
