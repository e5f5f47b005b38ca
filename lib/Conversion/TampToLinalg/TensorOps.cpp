//===- TensorOps.cpp - Lowering tamp tensor ops to linalg -------------------===//

#include "LoweringUtils.h"
#include "Patterns.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tamp::lowering;

void tamp::populateTensorToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns) {}
