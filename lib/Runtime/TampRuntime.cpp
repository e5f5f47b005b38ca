//===- TampRuntime.cpp - libtamp_rt: loading and running compiled models --===//
//
// The C API of tamp_rt.h and the services of tamp_model_abi.h that compiled
// models call back into. No MLIR or LLVM dependency: a host links only this.
//
// A failure inside a model (tamp_rt_fail) unwinds with longjmp to the run that
// called the model's entry on this thread, or, inside a parallel_for chunk,
// to that chunk; the chunk's failure is raised on the calling thread once all
// chunks have joined. No frame that longjmp skips holds an object with a
// non-trivial destructor.
//
//===----------------------------------------------------------------------===//

#include "tamp/Runtime/tamp_rt.h"

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

constexpr size_t kAlignment = 64;
constexpr int32_t kMaxThreads = 1024;

thread_local std::string lastError;

tamp_status fail(tamp_status status, std::string message) {
  lastError = std::move(message);
  return status;
}

std::string shapeString(int32_t rank, const int64_t *shape) {
  std::string text = "[";
  for (int32_t i = 0; i < rank; ++i) {
    if (i)
      text += ", ";
    text += shape[i] < 0 ? std::string("?") : std::to_string(shape[i]);
  }
  return text + "]";
}

class ThreadPool;

} // namespace

struct tamp_model {
  void *handle = nullptr; // dlopen handle; null for a linked-in descriptor
  const tamp_model_descriptor *descriptor = nullptr;
  std::atomic<int> references{1};
};

struct tamp_session {
  tamp_model *model = nullptr;
  int32_t numThreads = 1;
  std::unique_ptr<ThreadPool> pool;
  std::mutex runMutex; // runs on one session are serialized

  // Buffers the model holds through tamp_rt_alloc during a run.
  std::mutex allocMutex;
  std::unordered_map<void *, uint64_t> liveBuffers;
  uint64_t liveBytes = 0;
  uint64_t peakBytes = 0;
  // Buffers the model freed, kept by rounded size for the next allocations:
  // runs repeat the same allocation sizes, and reusing the pages avoids the
  // page faults of fresh mmap'ed memory on every run (large blocks bypass
  // malloc's free lists). Freed when the session is destroyed.
  std::unordered_multimap<uint64_t, void *> cachedBuffers;

  // Runtime-owned outputs of the last run.
  std::vector<void *> ownedOutputs;

  // The first failure of the current run.
  std::mutex failMutex;
  std::atomic<bool> failed{false};
  tamp_status failStatus = TAMP_ERROR_RUNTIME;
  std::string failMessage;
};

namespace {

// Per-thread state of the run executing on this thread.
thread_local tamp_session *currentSession = nullptr;
thread_local std::jmp_buf *entryJump = nullptr; // the run's entry call
thread_local std::jmp_buf *chunkJump = nullptr; // the parallel chunk, if any
thread_local bool inParallelBody = false;

void recordFailure(tamp_session *session, tamp_status status,
                   const char *message) {
  std::lock_guard<std::mutex> lock(session->failMutex);
  if (session->failed.load())
    return;
  session->failStatus = status;
  session->failMessage = message ? message : "(no message)";
  session->failed.store(true);
}

// Ends the chunk or run executing on this thread; the failure is recorded.
[[noreturn]] void unwindCurrent() {
  if (chunkJump)
    std::longjmp(*chunkJump, 1);
  if (entryJump)
    std::longjmp(*entryJump, 1);
  std::fprintf(stderr, "tamp_rt: tamp_rt_fail called outside a model run\n");
  std::abort();
}

using ChunkBody = void (*)(void *, int64_t, int64_t);

// Calls body over [begin, end); false when it failed through tamp_rt_fail.
__attribute__((noinline)) bool runChunk(ChunkBody body, void *context,
                                        int64_t begin, int64_t end) {
  std::jmp_buf jump;
  chunkJump = &jump;
  if (setjmp(jump) == 0) {
    body(context, begin, end);
    chunkJump = nullptr;
    return true;
  }
  chunkJump = nullptr;
  return false;
}

struct ParallelJob {
  ChunkBody body;
  void *context;
  int64_t count;
  int64_t numChunks;
  tamp_session *session;
  std::atomic<int64_t> nextChunk{0};
};

void runChunks(ParallelJob &job) {
  tamp_session *savedSession = currentSession;
  bool savedInParallel = inParallelBody;
  currentSession = job.session;
  inParallelBody = true;
  for (;;) {
    int64_t chunk = job.nextChunk.fetch_add(1);
    if (chunk >= job.numChunks)
      break;
    // After a failure the remaining chunks are skipped.
    if (job.session->failed.load())
      continue;
    // Static partition: chunk i covers [i*count/n, (i+1)*count/n).
    int64_t begin = static_cast<int64_t>(static_cast<__int128>(chunk) *
                                         job.count / job.numChunks);
    int64_t end = static_cast<int64_t>(static_cast<__int128>(chunk + 1) *
                                       job.count / job.numChunks);
    if (begin < end)
      runChunk(job.body, job.context, begin, end);
  }
  currentSession = savedSession;
  inParallelBody = savedInParallel;
}

// Waits a little: a pause instruction where there is one.
inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// numThreads - 1 workers; the thread calling run() is the last one.
//
// A model launches many short parallel loops back to back (one per fused
// loop nest): waking sleeping threads through the kernel for each would cost
// more than small loops take. Workers and the caller therefore spin for a
// while (kSpinIterations pauses, some tens of microseconds) before they
// block on the condition variables.
class ThreadPool {
public:
  explicit ThreadPool(int32_t numWorkers) {
    workers.reserve(numWorkers);
    for (int32_t i = 0; i < numWorkers; ++i)
      workers.emplace_back([this] { workerLoop(); });
  }
  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping.store(true, std::memory_order_release);
    }
    wake.notify_all();
    for (std::thread &worker : workers)
      worker.join();
  }
  size_t size() const { return workers.size(); }

  void run(ParallelJob &job) {
    pending.store(workers.size(), std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(mutex);
      currentJob.store(&job, std::memory_order_relaxed);
      generation.fetch_add(1, std::memory_order_release);
    }
    wake.notify_all();
    runChunks(job);
    for (int spin = 0; spin < kSpinIterations && !allDone(); ++spin)
      cpuRelax();
    if (!allDone()) {
      std::unique_lock<std::mutex> lock(mutex);
      done.wait(lock, [this] { return allDone(); });
    }
  }

private:
  static constexpr int kSpinIterations = 20000;

  bool allDone() const {
    return pending.load(std::memory_order_acquire) == 0;
  }
  bool hasNews(uint64_t seen) const {
    return stopping.load(std::memory_order_acquire) ||
           generation.load(std::memory_order_acquire) != seen;
  }

  void workerLoop() {
    uint64_t seen = 0;
    for (;;) {
      for (int spin = 0; spin < kSpinIterations && !hasNews(seen); ++spin)
        cpuRelax();
      if (!hasNews(seen)) {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return hasNews(seen); });
      }
      if (stopping.load(std::memory_order_acquire))
        return;
      seen = generation.load(std::memory_order_acquire);
      runChunks(*currentJob.load(std::memory_order_relaxed));
      if (pending.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        // Under the mutex, so that a caller about to block cannot miss it.
        std::lock_guard<std::mutex> lock(mutex);
        done.notify_one();
      }
    }
  }

  std::mutex mutex;
  std::condition_variable wake, done;
  std::vector<std::thread> workers;
  std::atomic<ParallelJob *> currentJob{nullptr};
  std::atomic<uint64_t> generation{0};
  std::atomic<size_t> pending{0};
  std::atomic<bool> stopping{false};
};

// Runs the parallel job; false when a chunk failed.
bool runParallel(tamp_session *session, ChunkBody body, void *context,
                 int64_t count) {
  ParallelJob job;
  job.body = body;
  job.context = context;
  job.count = count;
  job.numChunks = std::min<int64_t>(count, int64_t(session->numThreads) * 4);
  job.session = session;
  std::jmp_buf *savedChunkJump = chunkJump;
  session->pool->run(job);
  chunkJump = savedChunkJump;
  return !session->failed.load();
}

void releaseBuffer(void *ptr) { std::free(ptr); }

uint64_t roundedSize(uint64_t bytes) {
  return std::max<uint64_t>((bytes + kAlignment - 1) / kAlignment * kAlignment,
                            kAlignment);
}

// Keeps a freed model buffer for reuse by the session (allocMutex held).
void cacheBuffer(tamp_session *session, void *ptr, uint64_t bytes) {
  session->cachedBuffers.emplace(roundedSize(bytes), ptr);
}

void freeLiveBuffers(tamp_session *session) {
  std::lock_guard<std::mutex> lock(session->allocMutex);
  for (auto &entry : session->liveBuffers)
    cacheBuffer(session, entry.first, entry.second);
  session->liveBuffers.clear();
  session->liveBytes = 0;
}

void freeCachedBuffers(tamp_session *session) {
  std::lock_guard<std::mutex> lock(session->allocMutex);
  for (auto &entry : session->cachedBuffers)
    releaseBuffer(entry.second);
  session->cachedBuffers.clear();
}

void freeOwnedOutputs(tamp_session *session) {
  for (void *buffer : session->ownedOutputs)
    releaseBuffer(buffer);
  session->ownedOutputs.clear();
}

// Calls the entry; false when the model failed through tamp_rt_fail.
__attribute__((noinline)) bool invokeEntry(tamp_model_entry_fn entry,
                                           void **args) {
  std::jmp_buf jump;
  entryJump = &jump;
  if (setjmp(jump) == 0) {
    entry(args);
    entryJump = nullptr;
    return true;
  }
  entryJump = nullptr;
  return false;
}

tamp_status validateDescriptor(const tamp_model_descriptor *descriptor,
                               const std::string &what) {
  if (descriptor->abi_version != TAMP_MODEL_ABI_VERSION)
    return fail(TAMP_ERROR_LOAD, what + " was compiled for model ABI version " +
                                     std::to_string(descriptor->abi_version) +
                                     ", this runtime supports version " +
                                     std::to_string(TAMP_MODEL_ABI_VERSION));
  if (!descriptor->entry)
    return fail(TAMP_ERROR_LOAD, what + " has no entry function");
  if ((descriptor->num_inputs && !descriptor->inputs) ||
      (descriptor->num_outputs && !descriptor->outputs))
    return fail(TAMP_ERROR_LOAD, what + " has no input or output table");
  for (int side = 0; side < 2; ++side) {
    const tamp_tensor_info *infos =
        side == 0 ? descriptor->inputs : descriptor->outputs;
    uint32_t count =
        side == 0 ? descriptor->num_inputs : descriptor->num_outputs;
    for (uint32_t i = 0; i < count; ++i) {
      const tamp_tensor_info &info = infos[i];
      if (info.rank < 0 || info.rank > TAMP_MAX_RANK ||
          (info.rank && !info.shape) || tamp_dtype_size(info.dtype) == 0)
        return fail(TAMP_ERROR_LOAD, what + " describes " +
                                         (side == 0 ? "input " : "output ") +
                                         std::to_string(i) +
                                         " with an unsupported rank or dtype");
    }
  }
  return TAMP_OK;
}

tamp_status wrapDescriptor(const tamp_model_descriptor *descriptor,
                           void *handle, tamp_model **model) {
  auto *result = new (std::nothrow) tamp_model;
  if (!result)
    return fail(TAMP_ERROR_OUT_OF_MEMORY, "out of memory");
  result->handle = handle;
  result->descriptor = descriptor;
  *model = result;
  return TAMP_OK;
}

void releaseModel(tamp_model *model) {
  if (model->references.fetch_sub(1) != 1)
    return;
  if (model->handle)
    dlclose(model->handle);
  delete model;
}

// Copies a strided buffer into a dense row-major one.
void copyStrided(char *destination, const char *source, int32_t rank,
                 const int64_t *sizes, const int64_t *strides,
                 size_t elementSize) {
  if (rank == 0) {
    std::memcpy(destination, source, elementSize);
    return;
  }
  int64_t inner = 1;
  for (int32_t i = 0; i < rank; ++i)
    inner *= sizes[i];
  if (inner == 0)
    return;
  // Dense row-major layout: a single copy.
  bool dense = true;
  int64_t expected = 1;
  for (int32_t i = rank - 1; i >= 0; --i) {
    if (sizes[i] != 1 && strides[i] != expected)
      dense = false;
    expected *= sizes[i];
  }
  if (dense) {
    std::memcpy(destination, source, inner * elementSize);
    return;
  }
  std::vector<int64_t> index(rank, 0);
  for (int64_t n = 0; n < inner; ++n) {
    int64_t offset = 0;
    for (int32_t i = 0; i < rank; ++i)
      offset += index[i] * strides[i];
    std::memcpy(destination + n * elementSize, source + offset * elementSize,
                elementSize);
    for (int32_t i = rank - 1; i >= 0; --i) {
      if (++index[i] < sizes[i])
        break;
      index[i] = 0;
    }
  }
}

struct OutputView {
  char *allocated;
  const char *data;
  int32_t rank;
  const int64_t *sizes;
  const int64_t *strides;
  uint64_t bytes;
};

} // namespace

extern "C" {

const char *tamp_last_error(void) { return lastError.c_str(); }

const char *tamp_status_string(tamp_status status) {
  switch (status) {
  case TAMP_OK:
    return "ok";
  case TAMP_ERROR_INVALID_ARGUMENT:
    return "invalid argument";
  case TAMP_ERROR_SHAPE:
    return "shape mismatch";
  case TAMP_ERROR_LOAD:
    return "load error";
  case TAMP_ERROR_RUNTIME:
    return "runtime error";
  case TAMP_ERROR_OUT_OF_MEMORY:
    return "out of memory";
  case TAMP_ERROR_BUFFER_TOO_SMALL:
    return "buffer too small";
  }
  return "unknown status";
}

size_t tamp_dtype_size(int32_t dtype) {
  switch (dtype) {
#define TAMP_DTYPE_SIZE_CASE(NAME, CODE, TEXT, BYTES)                          \
  case CODE:                                                                   \
    return BYTES;
    TAMP_DTYPES(TAMP_DTYPE_SIZE_CASE)
#undef TAMP_DTYPE_SIZE_CASE
  }
  return 0;
}

const char *tamp_dtype_name(int32_t dtype) {
  switch (dtype) {
#define TAMP_DTYPE_NAME_CASE(NAME, CODE, TEXT, BYTES)                          \
  case CODE:                                                                   \
    return TEXT;
    TAMP_DTYPES(TAMP_DTYPE_NAME_CASE)
#undef TAMP_DTYPE_NAME_CASE
  }
  return "unknown";
}

tamp_status tamp_model_load(const char *path, tamp_model **model) {
  if (!path || !model)
    return fail(TAMP_ERROR_INVALID_ARGUMENT,
                "tamp_model_load: path and model must not be null");
  *model = nullptr;
  // A path, never a name for the loader to search: dlopen("model.so") would
  // look through LD_LIBRARY_PATH instead of the current directory.
  std::string file = path;
  if (file.find('/') == std::string::npos)
    file = "./" + file;
  dlerror();
  void *handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *reason = dlerror();
    return fail(TAMP_ERROR_LOAD, std::string("cannot load '") + path +
                                     "': " + (reason ? reason : "unknown"));
  }
  auto *descriptor = static_cast<const tamp_model_descriptor *>(
      dlsym(handle, "tamp_model_descriptor"));
  if (!descriptor) {
    dlclose(handle);
    return fail(TAMP_ERROR_LOAD, std::string("'") + path +
                                     "' is not a Tamp model: it exports no "
                                     "tamp_model_descriptor");
  }
  tamp_status status =
      validateDescriptor(descriptor, std::string("model '") + path + "'");
  if (status == TAMP_OK)
    status = wrapDescriptor(descriptor, handle, model);
  if (status != TAMP_OK)
    dlclose(handle);
  return status;
}

tamp_status tamp_model_from_descriptor(const tamp_model_descriptor *descriptor,
                                       tamp_model **model) {
  if (!descriptor || !model)
    return fail(TAMP_ERROR_INVALID_ARGUMENT,
                "tamp_model_from_descriptor: descriptor and model must not be "
                "null");
  *model = nullptr;
  tamp_status status = validateDescriptor(
      descriptor, std::string("model '") +
                      (descriptor->name ? descriptor->name : "") + "'");
  if (status != TAMP_OK)
    return status;
  return wrapDescriptor(descriptor, nullptr, model);
}

void tamp_model_release(tamp_model *model) {
  if (model)
    releaseModel(model);
}

const char *tamp_model_name(const tamp_model *model) {
  return model && model->descriptor->name ? model->descriptor->name : "";
}

uint32_t tamp_model_num_inputs(const tamp_model *model) {
  return model ? model->descriptor->num_inputs : 0;
}

uint32_t tamp_model_num_outputs(const tamp_model *model) {
  return model ? model->descriptor->num_outputs : 0;
}

const tamp_tensor_info *tamp_model_input(const tamp_model *model,
                                         uint32_t index) {
  if (!model || index >= model->descriptor->num_inputs)
    return nullptr;
  return &model->descriptor->inputs[index];
}

const tamp_tensor_info *tamp_model_output(const tamp_model *model,
                                          uint32_t index) {
  if (!model || index >= model->descriptor->num_outputs)
    return nullptr;
  return &model->descriptor->outputs[index];
}

const char *tamp_model_manifest(const tamp_model *model) {
  return model && model->descriptor->manifest_json
             ? model->descriptor->manifest_json
             : "";
}

tamp_status tamp_session_create(tamp_model *model, tamp_session **session) {
  if (!model || !session)
    return fail(TAMP_ERROR_INVALID_ARGUMENT,
                "tamp_session_create: model and session must not be null");
  auto *result = new (std::nothrow) tamp_session;
  if (!result)
    return fail(TAMP_ERROR_OUT_OF_MEMORY, "out of memory");
  model->references.fetch_add(1);
  result->model = model;
  *session = result;
  return TAMP_OK;
}

tamp_status tamp_session_set_num_threads(tamp_session *session,
                                         int32_t num_threads) {
  if (!session)
    return fail(TAMP_ERROR_INVALID_ARGUMENT,
                "tamp_session_set_num_threads: session must not be null");
  if (num_threads < 1 || num_threads > kMaxThreads)
    return fail(TAMP_ERROR_INVALID_ARGUMENT,
                "number of threads must be between 1 and " +
                    std::to_string(kMaxThreads) + ", got " +
                    std::to_string(num_threads));
  std::lock_guard<std::mutex> lock(session->runMutex);
  if (num_threads == session->numThreads)
    return TAMP_OK;
  session->pool.reset();
  if (num_threads > 1) {
    try {
      session->pool = std::make_unique<ThreadPool>(num_threads - 1);
    } catch (const std::exception &error) {
      session->numThreads = 1;
      return fail(TAMP_ERROR_OUT_OF_MEMORY,
                  std::string("cannot start worker threads: ") + error.what());
    }
  }
  session->numThreads = num_threads;
  return TAMP_OK;
}

tamp_status tamp_session_run(tamp_session *session, const tamp_tensor *inputs,
                             uint32_t num_inputs, tamp_tensor *outputs,
                             uint32_t num_outputs) {
  if (!session)
    return fail(TAMP_ERROR_INVALID_ARGUMENT,
                "tamp_session_run: session must not be null");
  if (currentSession)
    return fail(TAMP_ERROR_INVALID_ARGUMENT,
                "tamp_session_run: called from inside a running model");
  const tamp_model_descriptor &model = *session->model->descriptor;
  std::string modelName =
      std::string("model '") + (model.name ? model.name : "") + "'";
  if (num_inputs != model.num_inputs)
    return fail(TAMP_ERROR_INVALID_ARGUMENT,
                modelName + " takes " + std::to_string(model.num_inputs) +
                    " inputs, got " + std::to_string(num_inputs));
  if (num_outputs != model.num_outputs)
    return fail(TAMP_ERROR_INVALID_ARGUMENT,
                modelName + " has " + std::to_string(model.num_outputs) +
                    " outputs, got room for " + std::to_string(num_outputs));
  if ((num_inputs && !inputs) || (num_outputs && !outputs))
    return fail(TAMP_ERROR_INVALID_ARGUMENT,
                "tamp_session_run: inputs and outputs must not be null");

  // Input memref descriptors: allocated, aligned, offset, sizes, strides.
  std::vector<std::vector<int64_t>> memrefs(num_inputs + num_outputs);
  std::vector<void *> args(num_inputs + num_outputs);
  for (uint32_t i = 0; i < num_inputs; ++i) {
    const tamp_tensor &input = inputs[i];
    const tamp_tensor_info &info = model.inputs[i];
    std::string what = modelName + " input " + std::to_string(i) + " '" +
                       (info.name ? info.name : "") + "'";
    if (input.dtype != info.dtype)
      return fail(TAMP_ERROR_INVALID_ARGUMENT,
                  what + " expects dtype " + tamp_dtype_name(info.dtype) +
                      ", got " + tamp_dtype_name(input.dtype));
    if (input.rank != info.rank)
      return fail(TAMP_ERROR_SHAPE, what + " expects rank " +
                                        std::to_string(info.rank) + ", got " +
                                        std::to_string(input.rank));
    uint64_t elements = 1;
    for (int32_t d = 0; d < info.rank; ++d) {
      int64_t size = input.shape[d];
      if (size < 0 || (info.shape[d] >= 0 && size != info.shape[d]))
        return fail(TAMP_ERROR_SHAPE, what + " expects shape " +
                                          shapeString(info.rank, info.shape) +
                                          ", got " +
                                          shapeString(input.rank, input.shape));
      if (size && elements > UINT64_MAX / uint64_t(size))
        return fail(TAMP_ERROR_SHAPE, what + " has too many elements");
      elements *= uint64_t(size);
    }
    if (!input.data && elements)
      return fail(TAMP_ERROR_INVALID_ARGUMENT, what + " has no data");
    if (input.dtype == TAMP_DTYPE_STRING) {
      auto *strings = static_cast<const char *const *>(input.data);
      for (uint64_t e = 0; e < elements; ++e)
        if (!strings[e])
          return fail(TAMP_ERROR_INVALID_ARGUMENT,
                      what + " has a null string at element " +
                          std::to_string(e));
    }
    std::vector<int64_t> &memref = memrefs[i];
    memref.assign(3 + 2 * info.rank, 0);
    void *data = input.data;
    std::memcpy(&memref[0], &data, sizeof(void *));
    std::memcpy(&memref[1], &data, sizeof(void *));
    int64_t stride = 1;
    for (int32_t d = info.rank - 1; d >= 0; --d) {
      memref[3 + d] = input.shape[d];
      memref[3 + info.rank + d] = stride;
      stride *= std::max<int64_t>(input.shape[d], 1);
    }
    args[i] = memref.data();
  }
  for (uint32_t j = 0; j < num_outputs; ++j) {
    memrefs[num_inputs + j].assign(3 + 2 * model.outputs[j].rank, 0);
    args[num_inputs + j] = memrefs[num_inputs + j].data();
  }

  std::lock_guard<std::mutex> runLock(session->runMutex);
  freeOwnedOutputs(session);
  session->liveBytes = 0;
  session->peakBytes = 0;
  session->failed.store(false);
  session->failMessage.clear();

  currentSession = session;
  bool succeeded = invokeEntry(model.entry, args.data());
  currentSession = nullptr;
  inParallelBody = false;
  chunkJump = nullptr;

  if (!succeeded || session->failed.load()) {
    freeLiveBuffers(session);
    return fail(session->failStatus, modelName + ": " + session->failMessage);
  }

  // Read the results, then check caller-owned capacities before copying.
  std::vector<OutputView> views(num_outputs);
  tamp_status status = TAMP_OK;
  std::string message;
  for (uint32_t j = 0; j < num_outputs; ++j) {
    const tamp_tensor_info &info = model.outputs[j];
    const int64_t *memref = memrefs[num_inputs + j].data();
    OutputView &view = views[j];
    std::memcpy(&view.allocated, &memref[0], sizeof(void *));
    char *aligned;
    std::memcpy(&aligned, &memref[1], sizeof(void *));
    size_t elementSize = tamp_dtype_size(info.dtype);
    view.data = aligned + memref[2] * int64_t(elementSize);
    view.rank = info.rank;
    view.sizes = memref + 3;
    view.strides = memref + 3 + info.rank;
    uint64_t elements = 1;
    for (int32_t d = 0; d < info.rank; ++d) {
      if (view.sizes[d] < 0 && status == TAMP_OK) {
        status = TAMP_ERROR_RUNTIME;
        message = modelName + " returned a negative size for output " +
                  std::to_string(j);
      }
      elements *= uint64_t(std::max<int64_t>(view.sizes[d], 0));
    }
    view.bytes = elements * elementSize;
    tamp_tensor &output = outputs[j];
    output.dtype = info.dtype;
    output.rank = info.rank;
    std::copy(view.sizes, view.sizes + info.rank, output.shape);
    if (output.data && output.capacity < view.bytes && status == TAMP_OK) {
      status = TAMP_ERROR_BUFFER_TOO_SMALL;
      message = modelName + " output " + std::to_string(j) + " '" +
                (info.name ? info.name : "") + "' needs " +
                std::to_string(view.bytes) + " bytes, the buffer holds " +
                std::to_string(output.capacity);
    }
  }
  if (status != TAMP_OK) {
    freeLiveBuffers(session);
    return fail(status, message);
  }

  for (uint32_t j = 0; j < num_outputs; ++j) {
    OutputView &view = views[j];
    tamp_tensor &output = outputs[j];
    size_t elementSize = tamp_dtype_size(output.dtype);
    if (output.data) {
      copyStrided(static_cast<char *>(output.data), view.data, view.rank,
                  view.sizes, view.strides, elementSize);
      continue;
    }
    // Keep the model's buffer when it is ours and dense; otherwise copy
    // (a view, a constant, an input or a buffer shared by two outputs).
    bool dense = true;
    int64_t expected = 1;
    for (int32_t d = view.rank - 1; d >= 0; --d) {
      if (view.sizes[d] != 1 && view.strides[d] != expected)
        dense = false;
      expected *= view.sizes[d];
    }
    auto live = session->liveBuffers.find(view.allocated);
    if (dense && live != session->liveBuffers.end()) {
      session->liveBuffers.erase(live);
      session->ownedOutputs.push_back(view.allocated);
      output.data = const_cast<char *>(view.data);
      continue;
    }
    void *copy = std::aligned_alloc(
        kAlignment, std::max<uint64_t>((view.bytes + kAlignment - 1) /
                                           kAlignment * kAlignment,
                                       kAlignment));
    if (!copy) {
      freeLiveBuffers(session);
      return fail(TAMP_ERROR_OUT_OF_MEMORY,
                  modelName + ": out of memory copying an output");
    }
    copyStrided(static_cast<char *>(copy), view.data, view.rank, view.sizes,
                view.strides, elementSize);
    session->ownedOutputs.push_back(copy);
    output.data = copy;
  }
  // Everything else the model left allocated (results copied to the caller).
  freeLiveBuffers(session);
  return TAMP_OK;
}

uint64_t tamp_session_peak_bytes(const tamp_session *session) {
  return session ? session->peakBytes : 0;
}

void tamp_session_destroy(tamp_session *session) {
  if (!session)
    return;
  session->pool.reset();
  freeOwnedOutputs(session);
  freeLiveBuffers(session);
  freeCachedBuffers(session);
  tamp_model *model = session->model;
  delete session;
  releaseModel(model);
}

void *tamp_rt_alloc(uint64_t bytes) {
  uint64_t rounded = roundedSize(bytes);
  tamp_session *session = currentSession;
  if (session && rounded >= bytes) {
    std::lock_guard<std::mutex> lock(session->allocMutex);
    auto cached = session->cachedBuffers.find(rounded);
    if (cached != session->cachedBuffers.end()) {
      void *buffer = cached->second;
      session->cachedBuffers.erase(cached);
      session->liveBuffers.emplace(buffer, bytes);
      session->liveBytes += bytes;
      session->peakBytes = std::max(session->peakBytes, session->liveBytes);
      return buffer;
    }
  }
  void *buffer =
      rounded < bytes ? nullptr : std::aligned_alloc(kAlignment, rounded);
  if (!buffer) {
    if (!session) {
      std::fprintf(stderr, "tamp_rt: out of memory allocating %llu bytes\n",
                   static_cast<unsigned long long>(bytes));
      std::abort();
    }
    char message[96];
    std::snprintf(message, sizeof(message),
                  "out of memory allocating %llu bytes",
                  static_cast<unsigned long long>(bytes));
    recordFailure(session, TAMP_ERROR_OUT_OF_MEMORY, message);
    unwindCurrent();
  }
  if (session) {
    std::lock_guard<std::mutex> lock(session->allocMutex);
    session->liveBuffers.emplace(buffer, bytes);
    session->liveBytes += bytes;
    session->peakBytes = std::max(session->peakBytes, session->liveBytes);
  }
  return buffer;
}

void tamp_rt_free(void *ptr) {
  if (!ptr)
    return;
  if (tamp_session *session = currentSession) {
    std::lock_guard<std::mutex> lock(session->allocMutex);
    auto live = session->liveBuffers.find(ptr);
    if (live != session->liveBuffers.end()) {
      session->liveBytes -= live->second;
      cacheBuffer(session, ptr, live->second);
      session->liveBuffers.erase(live);
      return;
    }
  }
  releaseBuffer(ptr);
}

void tamp_rt_parallel_for(void (*body)(void *context, int64_t begin,
                                       int64_t end),
                          void *context, int64_t count) {
  if (count <= 0 || !body)
    return;
  tamp_session *session = currentSession;
  // One thread, a nested loop or a call outside a run: inline.
  if (!session || inParallelBody || session->numThreads <= 1 ||
      !session->pool || count == 1) {
    body(context, 0, count);
    return;
  }
  if (!runParallel(session, body, context, count))
    unwindCurrent();
}

void tamp_rt_fail(const char *message) {
  if (tamp_session *session = currentSession)
    recordFailure(session, TAMP_ERROR_RUNTIME, message);
  else
    std::fprintf(stderr, "tamp_rt: %s\n", message ? message : "");
  unwindCurrent();
}

} // extern "C"
