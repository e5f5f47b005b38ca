//===- MatmulEpilogue.cpp - Element-wise epilogues of contractions --------===//

#include "MatmulEpilogue.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

linalg::GenericOp tamp::getElementwiseEpilogue(Value result) {
  if (!result.hasOneUse())
    return nullptr;
  auto generic = dyn_cast<linalg::GenericOp>(*result.getUsers().begin());
  if (!generic || !generic.hasPureTensorSemantics() ||
      generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
      generic.getDpsInputs()[0] != result ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return nullptr;
  Block &body = generic.getRegion().front();
  if (!body.getArgument(1).use_empty() ||
      getElementTypeOrSelf(result.getType()) != body.getArgument(0).getType() ||
      body.getTerminator()->getOperand(0).getType() !=
          body.getArgument(0).getType())
    return nullptr;
  for (Operation &op : body.without_terminator())
    if (op.getNumRegions() != 0 || op.getNumResults() != 1 ||
        !(OpTrait::hasElementwiseMappableTraits(&op) ||
          op.hasTrait<OpTrait::ConstantLike>()))
      return nullptr;
  return generic;
}

Value tamp::applyEpilogueBody(OpBuilder &b, Location loc,
                              linalg::GenericOp epilogue, Value value) {
  Block &body = epilogue.getRegion().front();
  auto vectorType = dyn_cast<VectorType>(value.getType());
  // Row by row: 1-D vectors of math ops become vector intrinsics and the
  // polynomial approximations of the CPU pipeline.
  if (vectorType && vectorType.getRank() > 1) {
    Value result = value;
    for (int64_t row = 0, rows = vectorType.getDimSize(0); row < rows; ++row) {
      Value slice = vector::ExtractOp::create(b, loc, value, row);
      result = vector::InsertOp::create(
          b, loc, applyEpilogueBody(b, loc, epilogue, slice), result, row);
    }
    return result;
  }
  // Scalars from outside the body, and the body's own constants, meet the
  // vector as broadcasts.
  auto widen = [&](Value scalar) -> Value {
    if (!vectorType || isa<VectorType>(scalar.getType()))
      return scalar;
    return vector::BroadcastOp::create(
        b, loc, vectorType.clone(scalar.getType()), scalar);
  };
  IRMapping mapping;
  mapping.map(body.getArgument(0), value);
  for (Operation &op : body.without_terminator()) {
    for (Value operand : op.getOperands())
      if (!mapping.contains(operand))
        mapping.map(operand, widen(operand));
    Operation *clone = b.clone(op, mapping);
    if (op.hasTrait<OpTrait::ConstantLike>()) {
      mapping.map(op.getResult(0), widen(clone->getResult(0)));
      continue;
    }
    if (vectorType)
      clone->getResult(0).setType(vectorType.clone(op.getResult(0).getType()));
    mapping.map(op.getResult(0), clone->getResult(0));
  }
  return mapping.lookupOrDefault(body.getTerminator()->getOperand(0));
}
