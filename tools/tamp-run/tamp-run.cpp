//===- tamp-run.cpp - Run a compiled model on .npy / .pb tensors ----------===//
//
//   tamp-run model.so [--input NAME=FILE]... [FILE]... [--output-dir DIR]
//            [--compare-to DIR] [--rtol R] [--atol A] [--threads N]
//            [--repeat N] [--print]
//
// Inputs are NumPy .npy files or ONNX TensorProto .pb files (the ONNX
// node-test format); positional files bind to the model's inputs in order.
// Outputs go to DIR/NAME.npy. --compare-to reads DIR/NAME.npy or, as in ONNX
// test data sets, DIR/output_K.pb, and checks |actual - expected| <=
// atol + rtol * |expected| elementwise. Uses only libtamp_rt, no MLIR.
//
//===----------------------------------------------------------------------===//

#include "tamp/Runtime/tamp_rt.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

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

/// The error of the tool: printed as `error: ...` by main.
struct ToolError {
  std::string message;
};

[[noreturn]] void raise(std::string message) {
  throw ToolError{std::move(message)};
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

std::string shapeString(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
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

HostTensor readNpy(const std::string &path) {
  std::vector<char> bytes = readFile(path);
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

void writeNpy(const std::string &path, const HostTensor &tensor) {
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

HostTensor readTensorProto(const std::string &path) {
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

HostTensor readTensor(const std::string &path) {
  if (endsWith(path, ".npy"))
    return readNpy(path);
  if (endsWith(path, ".pb"))
    return readTensorProto(path);
  raise("'" + path + "': unknown tensor file type (expected .npy or .pb)");
}

bool fileExists(const std::string &path) {
  return static_cast<bool>(std::ifstream(path));
}

//===----------------------------------------------------------------------===//
// Values and comparison
//===----------------------------------------------------------------------===//

float halfToFloat(uint16_t bits) {
  uint32_t sign = uint32_t(bits >> 15) << 31;
  int exponent = (bits >> 10) & 0x1f;
  uint32_t mantissa = bits & 0x3ff;
  float magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(float(mantissa), -24);
  else if (exponent == 31)
    magnitude = mantissa ? NAN : INFINITY;
  else
    magnitude = std::ldexp(float(mantissa | 0x400), exponent - 25);
  return sign ? -magnitude : magnitude;
}

/// The value of an 8- or 4-bit float with `exponentBits` and `mantissaBits`
/// after the sign bit. IEEE-like formats have infinities and NaNs; "FN"
/// ones have no infinities and one NaN mantissa (all ones) per sign; "FNUZ"
/// ones have a single NaN where -0 would be; float4 has no NaN at all.
enum class NanEncoding { IEEE, AllOnes, NegativeZero, None };
double narrowFloatValue(uint8_t bits, int exponentBits, int mantissaBits,
                        int bias, NanEncoding nan) {
  int signShift = exponentBits + mantissaBits;
  bool negative = (bits >> signShift) & 1;
  int exponentMask = (1 << exponentBits) - 1,
      mantissaMask = (1 << mantissaBits) - 1;
  int exponent = (bits >> mantissaBits) & exponentMask;
  int mantissa = bits & mantissaMask;
  if (nan == NanEncoding::NegativeZero && negative && !exponent && !mantissa)
    return NAN;
  if (nan == NanEncoding::IEEE && exponent == exponentMask)
    return mantissa ? NAN : (negative ? -INFINITY : INFINITY);
  if (nan == NanEncoding::AllOnes && exponent == exponentMask &&
      mantissa == mantissaMask)
    return NAN;
  double magnitude = exponent ? std::ldexp(mantissa | (1 << mantissaBits),
                                           exponent - bias - mantissaBits)
                              : std::ldexp(mantissa, 1 - bias - mantissaBits);
  return negative ? -magnitude : magnitude;
}

/// A sub-byte integer stored in the low `bits` bits of a byte.
int subByteInteger(uint8_t byte, unsigned bits, bool isSigned) {
  int value = byte & ((1 << bits) - 1);
  return isSigned && (value >> (bits - 1)) ? value - (1 << bits) : value;
}

double elementValue(const HostTensor &tensor, uint64_t index) {
  const char *at = tensor.data.data() + index * tensor.elementSize();
  auto load = [at](auto value) {
    std::memcpy(&value, at, sizeof(value));
    return value;
  };
  switch (tensor.dtype) {
  case TAMP_DTYPE_FLOAT32:
    return load(float());
  case TAMP_DTYPE_FLOAT64:
    return load(double());
  case TAMP_DTYPE_FLOAT16:
    return halfToFloat(load(uint16_t()));
  case TAMP_DTYPE_BFLOAT16: {
    uint32_t bits = uint32_t(load(uint16_t())) << 16;
    float value;
    std::memcpy(&value, &bits, 4);
    return value;
  }
  case TAMP_DTYPE_UINT8:
  case TAMP_DTYPE_BOOL:
    return load(uint8_t());
  case TAMP_DTYPE_INT8:
    return load(int8_t());
  case TAMP_DTYPE_UINT16:
    return load(uint16_t());
  case TAMP_DTYPE_INT16:
    return load(int16_t());
  case TAMP_DTYPE_INT32:
    return load(int32_t());
  case TAMP_DTYPE_UINT32:
    return load(uint32_t());
  case TAMP_DTYPE_INT64:
    return double(load(int64_t()));
  case TAMP_DTYPE_UINT64:
    return double(load(uint64_t()));
  case TAMP_DTYPE_FLOAT8_E4M3FN:
    return narrowFloatValue(load(uint8_t()), 4, 3, 7, NanEncoding::AllOnes);
  case TAMP_DTYPE_FLOAT8_E4M3FNUZ:
    return narrowFloatValue(load(uint8_t()), 4, 3, 8,
                            NanEncoding::NegativeZero);
  case TAMP_DTYPE_FLOAT8_E5M2:
    return narrowFloatValue(load(uint8_t()), 5, 2, 15, NanEncoding::IEEE);
  case TAMP_DTYPE_FLOAT8_E5M2FNUZ:
    return narrowFloatValue(load(uint8_t()), 5, 2, 16,
                            NanEncoding::NegativeZero);
  case TAMP_DTYPE_FLOAT4_E2M1FN:
    return narrowFloatValue(load(uint8_t()) & 0xf, 2, 1, 1, NanEncoding::None);
  case TAMP_DTYPE_FLOAT8_E8M0FNU: {
    uint8_t bits = load(uint8_t());
    return bits == 0xff ? NAN : std::ldexp(1.0, int(bits) - 127);
  }
  case TAMP_DTYPE_INT4:
  case TAMP_DTYPE_UINT4:
    return subByteInteger(load(uint8_t()), 4, tensor.dtype == TAMP_DTYPE_INT4);
  case TAMP_DTYPE_INT2:
  case TAMP_DTYPE_UINT2:
    return subByteInteger(load(uint8_t()), 2, tensor.dtype == TAMP_DTYPE_INT2);
  }
  return 0;
}

/// Compares and prints one line; true when within tolerance.
bool compareOutput(const std::string &name, const HostTensor &actual,
                   const HostTensor &expected, double rtol, double atol) {
  if (actual.shape != expected.shape) {
    std::printf("output '%s': shape %s, expected %s: FAIL\n", name.c_str(),
                shapeString(actual.shape).c_str(),
                shapeString(expected.shape).c_str());
    return false;
  }
  if (actual.dtype != expected.dtype) {
    std::printf("output '%s': dtype %s, expected %s: FAIL\n", name.c_str(),
                tamp_dtype_name(actual.dtype), tamp_dtype_name(expected.dtype));
    return false;
  }
  double maxAbs = 0, maxRel = 0;
  bool pass = true;
  for (uint64_t i = 0, e = actual.elementCount(); i < e; ++i) {
    double a = elementValue(actual, i), b = elementValue(expected, i);
    if (std::isnan(a) || std::isnan(b)) {
      if (std::isnan(a) != std::isnan(b)) {
        pass = false;
        maxAbs = maxRel = INFINITY;
      }
      continue;
    }
    if (a == b) // also equal infinities
      continue;
    double absError = std::fabs(a - b);
    double relError = b != 0 ? absError / std::fabs(b) : INFINITY;
    maxAbs = std::max(maxAbs, absError);
    maxRel = std::max(maxRel, relError);
    if (!(absError <= atol + rtol * std::fabs(b)))
      pass = false;
  }
  std::printf("output '%s': max abs error %g, max rel error %g: %s\n",
              name.c_str(), maxAbs, maxRel, pass ? "PASS" : "FAIL");
  return pass;
}

void printTensor(const std::string &name, const HostTensor &tensor) {
  std::printf("%s: %s %s =", name.c_str(), tamp_dtype_name(tensor.dtype),
              shapeString(tensor.shape).c_str());
  uint64_t count = tensor.elementCount(), shown = std::min<uint64_t>(count, 64);
  for (uint64_t i = 0; i < shown; ++i)
    std::printf(" %.9g", elementValue(tensor, i));
  if (shown < count)
    std::printf(" ... (%llu values)", static_cast<unsigned long long>(count));
  std::printf("\n");
}

/// An output name usable as a file name.
std::string fileName(const std::string &name) {
  std::string result = name;
  for (char &c : result)
    if (c == '/' || c == '\\' || c == ':')
      c = '_';
  return result.empty() ? "output" : result;
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

struct Options {
  std::string model;
  std::vector<std::pair<std::string, std::string>> namedInputs;
  std::vector<std::string> positionalInputs;
  std::string outputDir, compareTo;
  double rtol = 1e-4, atol = 1e-5;
  int32_t threads = 1;
  int64_t repeat = 1;
  bool print = false;
};

void usage() {
  std::printf(
      "usage: tamp-run MODEL.so [--input NAME=FILE]... [FILE]...\n"
      "                [--output-dir DIR] [--compare-to DIR] [--rtol R]\n"
      "                [--atol A] [--threads N] [--repeat N] [--print]\n"
      "Runs a model compiled by `tamp compile` on .npy or ONNX TensorProto\n"
      ".pb inputs; positional FILEs bind to the inputs in order. Outputs\n"
      "are written as DIR/NAME.npy (DIR is created); --compare-to DIR checks "
      "them against\n"
      "DIR/NAME.npy or DIR/output_K.pb (|a - e| <= atol + rtol * |e|,\n"
      "defaults rtol 1e-4, atol 1e-5).\n");
}

double parseNumber(const std::string &flag, const std::string &text) {
  char *end;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end || !(value >= 0))
    raise(flag + " expects a non-negative number, got '" + text + "'");
  return value;
}

Options parseOptions(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const std::string &flag) -> std::string {
      if (arg.size() > flag.size() &&
          arg.compare(0, flag.size() + 1, flag + "=") == 0)
        return arg.substr(flag.size() + 1);
      if (i + 1 >= argc)
        raise(flag + " needs a value");
      return argv[++i];
    };
    auto is = [&](const std::string &flag) {
      return arg == flag || arg.compare(0, flag.size() + 1, flag + "=") == 0;
    };
    if (arg == "-h" || arg == "--help") {
      usage();
      std::exit(0);
    } else if (is("--input")) {
      std::string binding = value("--input");
      size_t equals = binding.find('=');
      if (equals == std::string::npos || equals == 0)
        raise("--input expects NAME=FILE, got '" + binding + "'");
      options.namedInputs.emplace_back(binding.substr(0, equals),
                                       binding.substr(equals + 1));
    } else if (is("--output-dir")) {
      options.outputDir = value("--output-dir");
    } else if (is("--compare-to")) {
      options.compareTo = value("--compare-to");
    } else if (is("--rtol")) {
      options.rtol = parseNumber("--rtol", value("--rtol"));
    } else if (is("--atol")) {
      options.atol = parseNumber("--atol", value("--atol"));
    } else if (is("--threads")) {
      double threads = parseNumber("--threads", value("--threads"));
      if (threads < 1 || threads != std::floor(threads))
        raise("--threads expects a positive integer");
      options.threads = int32_t(std::min(threads, 1e6));
    } else if (is("--repeat")) {
      double repeat = parseNumber("--repeat", value("--repeat"));
      if (repeat < 1 || repeat != std::floor(repeat))
        raise("--repeat expects a positive integer");
      options.repeat = int64_t(std::min(repeat, 1e12));
    } else if (arg == "--print") {
      options.print = true;
    } else if (arg.size() > 1 && arg[0] == '-') {
      raise("unknown option '" + arg + "'");
    } else if (options.model.empty()) {
      options.model = arg;
    } else {
      options.positionalInputs.push_back(arg);
    }
  }
  if (options.model.empty())
    raise("no model given (usage: tamp-run MODEL.so [inputs...])");
  return options;
}

int run(const Options &options) {
  tamp_model *model = nullptr;
  if (tamp_model_load(options.model.c_str(), &model) != TAMP_OK)
    raise(tamp_last_error());
  uint32_t numInputs = tamp_model_num_inputs(model);
  uint32_t numOutputs = tamp_model_num_outputs(model);

  // Bind the files to the model's inputs.
  std::vector<std::optional<HostTensor>> inputs(numInputs);
  auto inputIndex = [&](const std::string &name) -> uint32_t {
    for (uint32_t i = 0; i < numInputs; ++i)
      if (name == tamp_model_input(model, i)->name)
        return i;
    raise("model '" + std::string(tamp_model_name(model)) +
          "' has no input named '" + name + "'");
  };
  for (const auto &[name, path] : options.namedInputs) {
    uint32_t index = inputIndex(name);
    if (inputs[index])
      raise("input '" + name + "' given twice");
    inputs[index] = readTensor(path);
  }
  uint32_t next = 0;
  for (const std::string &path : options.positionalInputs) {
    while (next < numInputs && inputs[next])
      ++next;
    if (next == numInputs)
      raise("too many inputs: model '" + std::string(tamp_model_name(model)) +
            "' takes " + std::to_string(numInputs));
    inputs[next] = readTensor(path);
  }
  std::vector<tamp_tensor> tensors(numInputs);
  for (uint32_t i = 0; i < numInputs; ++i) {
    const tamp_tensor_info *info = tamp_model_input(model, i);
    if (!inputs[i])
      raise("missing input '" + std::string(info->name) + "'");
    HostTensor &input = *inputs[i];
    if (input.shape.size() > TAMP_MAX_RANK)
      raise("input '" + std::string(info->name) + "' has rank " +
            std::to_string(input.shape.size()) + ", at most " +
            std::to_string(TAMP_MAX_RANK) + " is supported");
    input.adoptDType(info->dtype);
    if (!input.dtype)
      raise("input '" + std::string(info->name) + "' is " +
            tamp_dtype_name(info->dtype) + ", not " +
            std::to_string(input.rawElementSize) + "-byte raw data");
    if (input.dtype == TAMP_DTYPE_STRING)
      input.pointStringsIntoData();
    tamp_tensor &tensor = tensors[i];
    tensor = tamp_tensor{};
    tensor.data = input.data.empty() ? nullptr : input.data.data();
    tensor.dtype = input.dtype;
    tensor.rank = int32_t(input.shape.size());
    std::copy(input.shape.begin(), input.shape.end(), tensor.shape);
  }

  tamp_session *session = nullptr;
  if (tamp_session_create(model, &session) != TAMP_OK ||
      tamp_session_set_num_threads(session, options.threads) != TAMP_OK)
    raise(tamp_last_error());
  std::vector<tamp_tensor> outputs(numOutputs);
  double totalMs = 0, minMs = INFINITY;
  for (int64_t iteration = 0; iteration < options.repeat; ++iteration) {
    std::fill(outputs.begin(), outputs.end(), tamp_tensor{});
    auto start = std::chrono::steady_clock::now();
    if (tamp_session_run(session, tensors.data(), numInputs, outputs.data(),
                         numOutputs) != TAMP_OK)
      raise(tamp_last_error());
    double ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - start)
                    .count();
    totalMs += ms;
    minMs = std::min(minMs, ms);
  }
  if (options.repeat > 1)
    std::printf("latency over %lld runs: mean %.4f ms, min %.4f ms\n",
                static_cast<long long>(options.repeat),
                totalMs / double(options.repeat), minMs);

  if (!options.outputDir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(options.outputDir, error);
    if (error)
      raise("cannot create '" + options.outputDir + "': " + error.message());
  }
  bool allPass = true;
  for (uint32_t j = 0; j < numOutputs; ++j) {
    const tamp_tensor_info *info = tamp_model_output(model, j);
    HostTensor result;
    result.dtype = outputs[j].dtype;
    result.shape.assign(outputs[j].shape, outputs[j].shape + outputs[j].rank);
    result.data.resize(result.elementCount() * tamp_dtype_size(result.dtype));
    if (!result.data.empty())
      std::memcpy(result.data.data(), outputs[j].data, result.data.size());
    if (options.print)
      printTensor(info->name, result);
    if (!options.outputDir.empty())
      writeNpy(options.outputDir + "/" + fileName(info->name) + ".npy", result);
    if (!options.compareTo.empty()) {
      std::string npy = options.compareTo + "/" + fileName(info->name) + ".npy";
      std::string pb =
          options.compareTo + "/output_" + std::to_string(j) + ".pb";
      std::string path = fileExists(npy) ? npy : pb;
      if (!fileExists(path))
        raise("no expected value for output '" + std::string(info->name) +
              "': neither '" + npy + "' nor '" + pb + "' exists");
      HostTensor expected = readTensor(path);
      expected.adoptDType(result.dtype);
      allPass &= compareOutput(info->name, result, expected, options.rtol,
                               options.atol);
    }
  }
  tamp_session_destroy(session);
  tamp_model_release(model);
  return allPass ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  try {
    return run(parseOptions(argc, argv));
  } catch (const ToolError &error) {
    std::fprintf(stderr, "error: %s\n", error.message.c_str());
    return 1;
  } catch (const std::bad_alloc &) {
    std::fprintf(stderr, "error: out of memory\n");
    return 1;
  }
}
