/*===- FakeModels.h - Hand-written models for the runtime tests -----------===*/

#ifndef TAMP_TEST_UNIT_FAKEMODELS_H
#define TAMP_TEST_UNIT_FAKEMODELS_H

#include "tamp/Runtime/tamp_model_abi.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const tamp_model_descriptor add_one_descriptor;
extern const tamp_model_descriptor two_outputs_descriptor;
extern const tamp_model_descriptor failing_descriptor;
extern const tamp_model_descriptor allocating_descriptor;
extern const tamp_model_descriptor counting_descriptor;

#ifdef __cplusplus
}
#endif

#endif /* TAMP_TEST_UNIT_FAKEMODELS_H */
