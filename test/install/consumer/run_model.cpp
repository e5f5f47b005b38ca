// Links the installed libtamp_rt and reports a load error for a missing
// model: enough to show that the headers, library and rpath work.
#include "tamp/Runtime/tamp_rt.h"

#include <cstdio>

int main() {
  tamp_model *model = nullptr;
  tamp_status status = tamp_model_load("/nonexistent/model.so", &model);
  std::printf("runtime: %s, %s\n", tamp_status_string(status),
              tamp_dtype_name(TAMP_DTYPE_FLOAT32));
  return status == TAMP_ERROR_LOAD ? 0 : 1;
}
