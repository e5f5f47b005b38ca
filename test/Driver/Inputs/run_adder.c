/* Runs the model compiled from add.onnxtxt twice: linked in statically
 * (adder.o + adder.h) and loaded from a shared library (argv[1]). */
#include "adder.h"

#include <stdio.h>

static int run(tamp_session *session, const char *how) {
  float x[6] = {1, 2, 3, 4, 5, 6};
  float bias[3] = {10, 20, 30};
  uint8_t counts[4] = {1, 2, 100, 200};
  tamp_tensor inputs[ADDER_NUM_INPUTS] = {
      {x, 0, ADDER_INPUT_0_DTYPE, 2, {2, 3}},
      {bias, 0, ADDER_INPUT_1_DTYPE, 2, {1, 3}},
      {counts, 0, ADDER_INPUT_2_DTYPE, 1, {4}},
  };
  tamp_tensor outputs[ADDER_NUM_OUTPUTS] = {{0}};
  if (tamp_session_run(session, inputs, ADDER_NUM_INPUTS, outputs,
                       ADDER_NUM_OUTPUTS) != TAMP_OK) {
    printf("%s: run failed: %s\n", how, tamp_last_error());
    return 1;
  }
  const float *sum = outputs[0].data;
  const uint8_t *doubled = outputs[1].data;
  printf("%s: sum [%lld, %lld] = %g %g %g %g %g %g; doubled = %u %u %u %u\n",
         how, (long long)outputs[0].shape[0], (long long)outputs[0].shape[1],
         sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], doubled[0],
         doubled[1], doubled[2], doubled[3]);
  return 0;
}

int main(int argc, char **argv) {
  tamp_session *session;
  if (adder_create(&session) != TAMP_OK) {
    printf("create failed: %s\n", tamp_last_error());
    return 1;
  }
  int failed = run(session, "static");
  adder_destroy(session);

  tamp_model *model;
  if (argc < 2 || tamp_model_load(argv[1], &model) != TAMP_OK) {
    printf("load failed: %s\n", tamp_last_error());
    return 1;
  }
  printf("loaded %s with %u inputs\n", tamp_model_name(model),
         tamp_model_num_inputs(model));
  if (tamp_session_create(model, &session) != TAMP_OK)
    return 1;
  failed |= run(session, "shared");
  tamp_session_destroy(session);
  tamp_model_release(model);
  return failed;
}
