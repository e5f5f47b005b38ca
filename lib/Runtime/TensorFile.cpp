//===- TensorFile.cpp - Tensors in .npy, .npz and ONNX .pb files ----------===//

#include "tamp/Runtime/TensorFile.h"

#include <fstream>
#include <iterator>
#include <sstream>
#include <zlib.h>

using namespace tamp;

namespace {

[[noreturn]] void raise(std::string message) {
  throw TensorFileError{std::move(message)};
}

std::vector<char> readFile(const std::string &path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream)
    raise("cannot open '" + path + "'");
  return std::vector<char>(std::istreambuf_iterator<char>(stream),
                           std::istreambuf_iterator<char>());
}

bool endsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}


//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

struct NpyType {
  const char *descr; // without the byte-order character
  int32_t dtype;
};
const NpyType kNpyTypes[] = {
    {"f4", TAMP_DTYPE_FLOAT32}, {"f8", TAMP_DTYPE_FLOAT64},
    {"f2", TAMP_DTYPE_FLOAT16}, {"u1", TAMP_DTYPE_UINT8},
    {"i1", TAMP_DTYPE_INT8},    {"u2", TAMP_DTYPE_UINT16},
    {"i2", TAMP_DTYPE_INT16},   {"i4", TAMP_DTYPE_INT32},
    {"u4", TAMP_DTYPE_UINT32},  {"i8", TAMP_DTYPE_INT64},
    {"u8", TAMP_DTYPE_UINT64},  {"b1", TAMP_DTYPE_BOOL},
};

/// The value text of `'key':` in a .npy header dictionary.
std::string npyHeaderField(const std::string &header, const std::string &key,
                           const std::string &path) {
  size_t at = header.find("'" + key + "'");
  if (at == std::string::npos)
    raise("'" + path + "': .npy header has no '" + key + "'");
  at = header.find(':', at);
  if (at == std::string::npos)
    raise("'" + path + "': malformed .npy header");
  ++at;
  while (at < header.size() && header[at] == ' ')
    ++at;
  size_t end;
  if (header[at] == '(')
    end = header.find(')', at) + 1;
  else if (header[at] == '\'')
    end = header.find('\'', at + 1) + 1;
  else
    end = header.find_first_of(",}", at);
  if (end == std::string::npos || end == 0)
    raise("'" + path + "': malformed .npy header");
  return header.substr(at, end - at);
}

/// A NumPy fixed-width string element as UTF-8: `width` bytes ('S') or
/// UTF-32LE code units ('U'), NUL-padded.
std::string fixedWidthString(const char *at, size_t width, size_t unitBytes) {
  std::string text;
  for (size_t i = 0; i < width; ++i) {
    uint32_t code = 0;
    std::memcpy(&code, at + i * unitBytes, unitBytes);
    if (!code)
      break;
    if (unitBytes == 1 || code < 0x80) {
      text += char(code);
    } else if (code < 0x800) {
      text += char(0xc0 | code >> 6);
      text += char(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      text += char(0xe0 | code >> 12);
      text += char(0x80 | (code >> 6 & 0x3f));
      text += char(0x80 | (code & 0x3f));
    } else {
      text += char(0xf0 | code >> 18);
      text += char(0x80 | (code >> 12 & 0x3f));
      text += char(0x80 | (code >> 6 & 0x3f));
      text += char(0x80 | (code & 0x3f));
    }
  }
  return text;
}

} // namespace

std::string tamp::shapeString(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

HostTensor tamp::parseNpy(const std::vector<char> &bytes,
                          const std::string &path) {
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0)
    raise("'" + path + "' is not a .npy file");
  int major = static_cast<unsigned char>(bytes[6]);
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = uint8_t(bytes[8]) | uint16_t(uint8_t(bytes[9])) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      raise("'" + path + "' is a truncated .npy file");
    headerLength = 0;
    for (int i = 3; i >= 0; --i)
      headerLength = headerLength << 8 | uint8_t(bytes[8 + i]);
    headerStart = 12;
  } else {
    raise("'" + path + "': unsupported .npy version " + std::to_string(major));
  }
  if (headerStart + headerLength > bytes.size())
    raise("'" + path + "' is a truncated .npy file");
  std::string header(bytes.data() + headerStart, headerLength);

  HostTensor tensor;
  std::string descr = npyHeaderField(header, "descr", path);
  if (descr.size() < 5 || descr.front() != '\'' || descr.back() != '\'')
    raise("'" + path + "': unsupported .npy dtype " + descr);
  char order = descr[1];
  std::string code = descr.substr(2, descr.size() - 3);
  // Fixed-width byte ('S') and UTF-32 ('U') strings.
  size_t stringWidth = 0, unitBytes = code[0] == 'S'   ? 1
                                      : code[0] == 'U' ? 4
                                                       : 0;
  if (unitBytes) {
    char *end;
    stringWidth = std::strtoul(code.c_str() + 1, &end, 10);
    if (*end || !stringWidth || (unitBytes == 4 && order == '>'))
      raise("'" + path + "': unsupported .npy dtype " + descr);
    tensor.dtype = TAMP_DTYPE_STRING;
  }
  for (const NpyType &type : kNpyTypes)
    if (code == type.descr)
      tensor.dtype = type.dtype;
  // NumPy has no 1-byte float; ml_dtypes' float8_e5m2 is written as 'f1'.
  if (code == "V1" || code == "V2" || code == "f1")
    tensor.rawElementSize = size_t(code[1] - '0');
  if ((!tensor.dtype && !tensor.rawElementSize) ||
      (order == '>' && tensor.elementSize() > 1))
    raise("'" + path + "': unsupported .npy dtype " + descr +
          " (little-endian numeric or 1- and 2-byte raw types only)");
  if (npyHeaderField(header, "fortran_order", path) != "False")
    raise("'" + path + "': Fortran-order .npy files are not supported");
  std::string shape = npyHeaderField(header, "shape", path);
  std::istringstream dims(shape.substr(1, shape.size() - 2));
  std::string dim;
  while (std::getline(dims, dim, ',')) {
    dim.erase(0, dim.find_first_not_of(' '));
    if (dim.empty())
      continue;
    char *end;
    long long size = std::strtoll(dim.c_str(), &end, 10);
    if (*end || size < 0)
      raise("'" + path + "': malformed .npy shape " + shape);
    tensor.shape.push_back(size);
  }
  uint64_t elementBytes =
      unitBytes ? stringWidth * unitBytes : tensor.elementSize();
  uint64_t byteCount = tensor.elementCount() * elementBytes;
  size_t dataStart = headerStart + headerLength;
  if (bytes.size() - dataStart < byteCount)
    raise("'" + path + "' holds fewer bytes than its shape " +
          shapeString(tensor.shape) + " needs");
  if (unitBytes) {
    for (uint64_t i = 0, e = tensor.elementCount(); i < e; ++i)
      tensor.strings.push_back(fixedWidthString(
          bytes.data() + dataStart + i * elementBytes, stringWidth, unitBytes));
    return tensor;
  }
  tensor.data.assign(bytes.begin() + dataStart,
                     bytes.begin() + dataStart + byteCount);
  return tensor;
}

void tamp::writeNpy(const std::string &path, const HostTensor &tensor) {
  // Types NumPy lacks are written as raw bytes, as NumPy itself writes the
  // ml_dtypes types; readers view them as the model's dtype.
  std::string code = "V" + std::to_string(tensor.elementSize());
  for (const NpyType &type : kNpyTypes)
    if (type.dtype == tensor.dtype)
      code = type.descr;
  std::string shape = "(";
  for (int64_t size : tensor.shape)
    shape += std::to_string(size) + ",";
  if (tensor.shape.size() > 1)
    shape.pop_back();
  shape += ")";
  std::string header = std::string("{'descr': '") +
                       (tensor.elementSize() == 1 ? "|" : "<") + code +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad so that the data starts 64-byte aligned, ending with '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::ofstream stream(path, std::ios::binary);
  if (!stream)
    raise("cannot write '" + path + "'");
  stream.write("\x93NUMPY\x01\x00", 8);
  char length[2] = {char(header.size() & 0xff), char(header.size() >> 8)};
  stream.write(length, 2);
  stream << header;
  stream.write(tensor.data.data(), tensor.data.size());
  if (!stream)
    raise("cannot write '" + path + "'");
}

namespace {

//===----------------------------------------------------------------------===//
// ONNX TensorProto (.pb), read from the protobuf wire format
//===----------------------------------------------------------------------===//

class WireReader {
public:
  WireReader(const char *begin, const char *end, const std::string &path)
      : at(begin), end(end), path(path) {}
  bool done() const { return at >= end; }
  uint64_t varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at >= end)
        malformed();
      uint8_t byte = uint8_t(*at++);
      value |= uint64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return value;
    }
    malformed();
  }
  std::pair<const char *, size_t> bytes() {
    uint64_t length = varint();
    if (length > uint64_t(end - at))
      malformed();
    const char *begin = at;
    at += length;
    return {begin, size_t(length)};
  }
  template <typename T> T fixed() {
    if (size_t(end - at) < sizeof(T))
      malformed();
    T value;
    std::memcpy(&value, at, sizeof(T));
    at += sizeof(T);
    return value;
  }
  void skip(int wireType) {
    switch (wireType) {
    case 0:
      varint();
      return;
    case 1:
      fixed<uint64_t>();
      return;
    case 2:
      bytes();
      return;
    case 5:
      fixed<uint32_t>();
      return;
    default:
      malformed();
    }
  }
  [[noreturn]] void malformed() {
    raise("'" + path + "' is not a valid ONNX TensorProto");
  }

private:
  const char *at;
  const char *end;
  const std::string &path;
};

/// Reads a repeated scalar field, packed (wire type 2) or not.
template <typename T, typename Read>
void readRepeated(WireReader &reader, int wireType, std::vector<T> &values,
                  Read readOne) {
  if (wireType != 2) {
    values.push_back(readOne(reader));
    return;
  }
  auto [data, size] = reader.bytes();
  WireReader packed(data, data + size, "");
  while (!packed.done())
    values.push_back(readOne(packed));
}

/// The bits per element of the types ONNX packs several to a byte, else 0.
unsigned subByteBits(int32_t dtype) {
  switch (dtype) {
  case TAMP_DTYPE_INT4:
  case TAMP_DTYPE_UINT4:
  case TAMP_DTYPE_FLOAT4_E2M1FN:
    return 4;
  case TAMP_DTYPE_INT2:
  case TAMP_DTYPE_UINT2:
    return 2;
  default:
    return 0;
  }
}

} // namespace

HostTensor tamp::readTensorProto(const std::string &path) {
  std::vector<char> bytes = readFile(path);
  WireReader reader(bytes.data(), bytes.data() + bytes.size(), path);
  HostTensor tensor;
  std::vector<float> floats;
  std::vector<double> doubles;
  std::vector<int64_t> ints; // int32_data, int64_data
  std::vector<uint64_t> uints;
  const char *raw = nullptr;
  size_t rawSize = 0;
  bool hasRaw = false, external = false;
  auto varint = [](WireReader &r) { return r.varint(); };
  while (!reader.done()) {
    uint64_t key = reader.varint();
    int field = int(key >> 3), wireType = int(key & 7);
    switch (field) {
    case 1: { // dims
      std::vector<uint64_t> dims;
      readRepeated(reader, wireType, dims, varint);
      for (uint64_t dim : dims)
        tensor.shape.push_back(int64_t(dim));
      break;
    }
    case 2:
      tensor.dtype = int32_t(reader.varint());
      break;
    case 4:
      readRepeated(reader, wireType, floats,
                   [](WireReader &r) { return r.fixed<float>(); });
      break;
    case 5:
    case 7: {
      std::vector<uint64_t> values;
      readRepeated(reader, wireType, values, varint);
      for (uint64_t value : values)
        ints.push_back(field == 5 ? int64_t(int32_t(value)) : int64_t(value));
      break;
    }
    case 6: {
      auto [data, size] = reader.bytes();
      tensor.strings.emplace_back(data, size);
      break;
    }
    case 8: {
      auto [data, size] = reader.bytes();
      tensor.name.assign(data, size);
      break;
    }
    case 9: {
      auto [data, size] = reader.bytes();
      raw = data;
      rawSize = size;
      hasRaw = true;
      break;
    }
    case 10:
      readRepeated(reader, wireType, doubles,
                   [](WireReader &r) { return r.fixed<double>(); });
      break;
    case 11:
      readRepeated(reader, wireType, uints, varint);
      break;
    case 14:
      external = reader.varint() == 1;
      break;
    default:
      reader.skip(wireType);
    }
  }
  if (external)
    raise("'" + path + "': tensors with external data are not supported");
  size_t elementSize = tamp_dtype_size(tensor.dtype);
  if (!elementSize)
    raise("'" + path + "': unsupported TensorProto data type " +
          std::to_string(tensor.dtype));
  for (int64_t size : tensor.shape)
    if (size < 0)
      raise("'" + path + "': negative dimension");
  uint64_t count = tensor.elementCount();
  if (tensor.dtype == TAMP_DTYPE_STRING) {
    if (tensor.strings.size() != count)
      raise("'" + path + "' holds " + std::to_string(tensor.strings.size()) +
            " strings, shape " + shapeString(tensor.shape) + " needs " +
            std::to_string(count));
    return tensor;
  }
  tensor.data.resize(count * elementSize);
  // Sub-byte types are packed in the protobuf, first element in the low
  // bits, as raw_data bytes or one byte per int32_data value.
  unsigned bits = subByteBits(tensor.dtype);
  uint64_t storedCount = bits ? (count * bits + 7) / 8 : count;
  auto unpack = [&](auto byteAt) {
    unsigned perByte = 8 / bits, mask = (1u << bits) - 1;
    for (uint64_t i = 0; i < count; ++i)
      tensor.data[i] =
          char((uint8_t(byteAt(i / perByte)) >> (i % perByte * bits)) & mask);
  };
  if (hasRaw) {
    uint64_t needed = bits ? storedCount : tensor.data.size();
    if (rawSize != needed)
      raise("'" + path + "': raw_data holds " + std::to_string(rawSize) +
            " bytes, shape " + shapeString(tensor.shape) + " needs " +
            std::to_string(needed));
    if (bits)
      unpack([&](uint64_t byte) { return raw[byte]; });
    else
      std::memcpy(tensor.data.data(), raw, rawSize);
    return tensor;
  }
  // Typed fields: float_data, double_data, int32_data (also the small
  // integer, bool and 16- and 8-bit float types, as bits), int64_data,
  // uint64_data.
  size_t available =
      floats.size() + doubles.size() + ints.size() + uints.size();
  if (available != storedCount)
    raise("'" + path + "' holds " + std::to_string(available) +
          " values, shape " + shapeString(tensor.shape) + " needs " +
          std::to_string(storedCount));
  if (bits) {
    if (ints.size() != storedCount)
      raise("'" + path + "': packed " + tamp_dtype_name(tensor.dtype) +
            " values must be in raw_data or int32_data");
    unpack([&](uint64_t byte) { return ints[byte]; });
    return tensor;
  }
  char *out = tensor.data.data();
  for (uint64_t i = 0; i < count; ++i) {
    char *element = out + i * elementSize;
    if (!floats.empty()) {
      std::memcpy(element, &floats[i], 4);
    } else if (!doubles.empty()) {
      std::memcpy(element, &doubles[i], 8);
    } else {
      uint64_t bits = !ints.empty() ? uint64_t(ints[i]) : uints[i];
      std::memcpy(element, &bits, elementSize); // little-endian truncation
    }
  }
  return tensor;
}

HostTensor tamp::readTensor(const std::string &path) {
  if (endsWith(path, ".npy"))
    return readNpy(path);
  if (endsWith(path, ".pb"))
    return readTensorProto(path);
  raise("'" + path + "': unknown tensor file type (expected .npy or .pb)");
}
HostTensor tamp::readNpy(const std::string &path) {
  return parseNpy(readFile(path), path);
}

//===----------------------------------------------------------------------===//
// .npz: a zip archive of .npy members
//===----------------------------------------------------------------------===//

namespace {

uint64_t readLittleEndian(const std::vector<char> &bytes, size_t at,
                          unsigned width, const std::string &path) {
  if (at + width > bytes.size())
    raise("'" + path + "' is a truncated .npz archive");
  uint64_t value = 0;
  for (unsigned i = width; i-- > 0;)
    value = value << 8 | uint8_t(bytes[at + i]);
  return value;
}

/// A member's data, inflated when the archive deflated it.
std::vector<char> readZipMember(const std::vector<char> &archive,
                                uint64_t localHeader, unsigned method,
                                uint64_t compressedSize, uint64_t size,
                                const std::string &member,
                                const std::string &path) {
  auto field = [&](size_t at, unsigned width) {
    return readLittleEndian(archive, at, width, path);
  };
  if (field(localHeader, 4) != 0x04034b50)
    raise("'" + path + "': member '" + member + "' has no local header");
  uint64_t dataStart =
      localHeader + 30 + field(localHeader + 26, 2) + field(localHeader + 28, 2);
  if (dataStart > archive.size() ||
      archive.size() - dataStart < compressedSize)
    raise("'" + path + "' is a truncated .npz archive");
  const char *data = archive.data() + dataStart;
  if (method == 0)
    return std::vector<char>(data, data + compressedSize);
  if (method != 8)
    raise("'" + path + "': member '" + member +
          "' uses zip compression method " + std::to_string(method) +
          " (stored and deflate are supported)");
  std::vector<char> out(size);
  z_stream stream{};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)
    raise("'" + path + "': cannot start inflating '" + member + "'");
  stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data));
  stream.avail_in = uInt(compressedSize);
  stream.next_out = reinterpret_cast<Bytef *>(out.data());
  stream.avail_out = uInt(size);
  int status = inflate(&stream, Z_FINISH);
  inflateEnd(&stream);
  if (status != Z_STREAM_END || stream.total_out != size)
    raise("'" + path + "': member '" + member + "' is corrupt");
  return out;
}

} // namespace

std::vector<HostTensor> tamp::readNpz(const std::string &path) {
  std::vector<char> archive = readFile(path);
  auto field = [&](size_t at, unsigned width) {
    return readLittleEndian(archive, at, width, path);
  };
  // The end-of-central-directory record: the last signature within the
  // trailing comment's maximum length.
  if (archive.size() < 22)
    raise("'" + path + "' is not an .npz archive");
  size_t end = archive.size() - 22;
  size_t lowest = archive.size() > 22 + 65535 ? end - 65535 : 0;
  while (field(end, 4) != 0x06054b50) {
    if (end == lowest)
      raise("'" + path + "' is not an .npz archive");
    --end;
  }
  uint64_t entries = field(end + 10, 2);
  uint64_t at = field(end + 16, 4);
  std::vector<HostTensor> tensors;
  for (uint64_t entry = 0; entry < entries; ++entry) {
    if (field(at, 4) != 0x02014b50)
      raise("'" + path + "' has a corrupt central directory");
    unsigned method = unsigned(field(at + 10, 2));
    uint64_t compressedSize = field(at + 20, 4), size = field(at + 24, 4);
    uint64_t nameLength = field(at + 28, 2), extraLength = field(at + 30, 2),
             commentLength = field(at + 32, 2);
    uint64_t localHeader = field(at + 42, 4);
    if (at + 46 + nameLength > archive.size())
      raise("'" + path + "' is a truncated .npz archive");
    std::string member(archive.data() + at + 46, nameLength);
    // Zip64: the sizes and offset saturated above are in extra field 1, in
    // this order, each present only where saturated.
    for (uint64_t extra = at + 46 + nameLength,
                  extraEnd = extra + extraLength;
         extra + 4 <= extraEnd;) {
      uint64_t id = field(extra, 2), length = field(extra + 2, 2);
      if (id == 1) {
        uint64_t value = extra + 4;
        for (uint64_t *saturated : {&size, &compressedSize, &localHeader})
          if (*saturated == 0xffffffff) {
            *saturated = field(value, 8);
            value += 8;
          }
      }
      extra += 4 + length;
    }
    at += 46 + nameLength + extraLength + commentLength;
    if (member.size() < 4 || !endsWith(member, ".npy"))
      raise("'" + path + "': member '" + member + "' is not a .npy array");
    HostTensor tensor = parseNpy(readZipMember(archive, localHeader, method,
                                               compressedSize, size, member,
                                               path),
                                 path + ":" + member);
    tensor.name = member.substr(0, member.size() - 4);
    tensors.push_back(std::move(tensor));
  }
  return tensors;
}
