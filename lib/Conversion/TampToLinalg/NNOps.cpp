//===- NNOps.cpp - Lowering tamp nn ops to linalg -------------------===//

#include "LoweringUtils.h"
#include "Patterns.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tamp::lowering;

void tamp::populateNNToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns) {}
