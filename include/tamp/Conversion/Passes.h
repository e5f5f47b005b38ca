//===- Passes.h - Tamp conversion passes ------------------------*- C++ -*-===//

#ifndef TAMP_CONVERSION_PASSES_H
#define TAMP_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace tamp {

#define GEN_PASS_DECL
#include "tamp/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tamp/Conversion/Passes.h.inc"

} // namespace tamp

#endif // TAMP_CONVERSION_PASSES_H
