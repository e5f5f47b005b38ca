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

#include "tamp/Runtime/TensorFile.h"
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

using tamp::HostTensor;
using tamp::readTensor;
using tamp::shapeString;
using tamp::writeNpy;

/// The error of the tool: printed as `error: ...` by main.
struct ToolError {
  std::string message;
};

[[noreturn]] void raise(std::string message) {
  throw ToolError{std::move(message)};
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
  } catch (const tamp::TensorFileError &error) {
    std::fprintf(stderr, "error: %s\n", error.message.c_str());
    return 1;
  } catch (const std::bad_alloc &) {
    std::fprintf(stderr, "error: out of memory\n");
    return 1;
  }
}
