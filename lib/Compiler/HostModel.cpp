//===- HostModel.cpp - A module compiled for the host and loaded ----------===//

#include "tamp/Compiler/HostModel.h"
#include "tamp/Compiler/Compiler.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <thread>

using namespace mlir;
using namespace tamp;

FailureOr<std::unique_ptr<HostModel>> HostModel::compile(ModuleOp module,
                                                         unsigned threads) {
  Location loc = module.getLoc();
  std::unique_ptr<HostModel> host(new HostModel(loc));
  SmallString<128> folder;
  if (std::error_code error =
          llvm::sys::fs::createUniqueDirectory("tamp-host-model", folder))
    return emitError(loc) << "cannot create a scratch folder: "
                          << error.message();
  host->folder = folder.str().str();
  SmallString<128> library(folder);
  llvm::sys::path::append(library, "model.so");
  // compileModel lowers in place; the caller's module stays as it is.
  OwningOpRef<ModuleOp> clone = module.clone();
  CompileOptions options;
  options.modelName = "host_model";
  options.emit = EmitKind::SharedLibrary;
  // Calibration and the compression report observe the graph's own layers.
  options.fuse = false;
  if (failed(compileModel(*clone, options, library)))
    return failure();
  if (!threads)
    threads = std::max(1u, std::thread::hardware_concurrency());
  if (tamp_model_load(library.c_str(), &host->model) != TAMP_OK ||
      tamp_session_create(host->model, &host->session) != TAMP_OK ||
      tamp_session_set_num_threads(host->session, int32_t(threads)) != TAMP_OK)
    return emitError(loc) << "cannot load the compiled model: "
                          << tamp_last_error();
  return host;
}

HostModel::~HostModel() {
  if (session)
    tamp_session_destroy(session);
  if (model)
    tamp_model_release(model);
  if (!folder.empty())
    llvm::sys::fs::remove_directories(folder);
}

uint32_t HostModel::getNumInputs() const {
  return tamp_model_num_inputs(model);
}
uint32_t HostModel::getNumOutputs() const {
  return tamp_model_num_outputs(model);
}
const tamp_tensor_info &HostModel::getOutputInfo(uint32_t index) const {
  return *tamp_model_output(model, index);
}

LogicalResult HostModel::run(ArrayRef<HostTensor> inputs,
                             std::vector<tamp_tensor> &outputs,
                             StringRef what) {
  uint32_t numInputs = getNumInputs();
  if (inputs.size() != numInputs)
    return emitError(loc) << what << " has " << inputs.size()
                          << " tensors; the model takes " << numInputs;
  std::vector<tamp_tensor> tensors(numInputs);
  for (uint32_t i = 0; i < numInputs; ++i) {
    const HostTensor &input = inputs[i];
    const tamp_tensor_info *info = tamp_model_input(model, i);
    int32_t dtype = input.dtype;
    if (!dtype && input.rawElementSize == tamp_dtype_size(info->dtype))
      dtype = info->dtype;
    if (dtype != info->dtype)
      return emitError(loc) << what << ": input '" << info->name << "' is "
                            << tamp_dtype_name(info->dtype) << ", the data is "
                            << (dtype ? tamp_dtype_name(dtype) : "raw bytes");
    if (input.shape.size() > TAMP_MAX_RANK)
      return emitError(loc) << what << ": input '" << info->name
                            << "' has rank " << input.shape.size();
    tensors[i] = tamp_tensor{};
    tensors[i].data = const_cast<char *>(input.data.data());
    tensors[i].dtype = dtype;
    tensors[i].rank = int32_t(input.shape.size());
    std::copy(input.shape.begin(), input.shape.end(), tensors[i].shape);
  }
  outputs.assign(getNumOutputs(), tamp_tensor{});
  if (tamp_session_run(session, tensors.data(), numInputs, outputs.data(),
                       uint32_t(outputs.size())) != TAMP_OK)
    return emitError(loc) << what << ": " << tamp_last_error();
  return success();
}

bool tamp::readFloatElements(const tamp_tensor &tensor,
                             std::vector<float> &values) {
  uint64_t count = 1;
  for (int32_t d = 0; d < tensor.rank; ++d)
    count *= uint64_t(tensor.shape[d]);
  if (tensor.dtype == TAMP_DTYPE_FLOAT32) {
    const float *data = static_cast<const float *>(tensor.data);
    values.assign(data, data + count);
    return true;
  }
  if (tensor.dtype == TAMP_DTYPE_FLOAT64) {
    const double *data = static_cast<const double *>(tensor.data);
    values.assign(data, data + count);
    return true;
  }
  values.clear();
  return false;
}
