//===- PrintResidualBlocks.cpp - Print the removable residual blocks ------===//
//
// Shows what `tamp-prune-layers` would number and choose from, with the
// calibration statistic it ranks by.
//
//===----------------------------------------------------------------------===//

#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"
#include "tamp/Dialect/Tamp/Transforms/ResidualBlocks.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace tamp {
#define GEN_PASS_DEF_PRINTRESIDUALBLOCKS
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;

namespace {

/// A value as users know it: its producer's ONNX node name (else the op's
/// name), or the function argument's `tamp.name`.
std::string describeValue(Value value) {
  if (auto argument = dyn_cast<BlockArgument>(value)) {
    auto func = dyn_cast<func::FuncOp>(argument.getOwner()->getParentOp());
    if (auto name = func ? func.getArgAttrOfType<StringAttr>(
                               argument.getArgNumber(), "tamp.name")
                         : StringAttr())
      return "argument '" + name.str() + "'";
    return "argument #" + std::to_string(argument.getArgNumber());
  }
  Operation *def = value.getDefiningOp();
  if (std::optional<StringRef> name = tamp::getNodeName(def->getLoc()))
    return "'" + name->str() + "'";
  return "'" + def->getName().getStringRef().str() + "'";
}

struct PrintResidualBlocksPass
    : public tamp::impl::PrintResidualBlocksBase<PrintResidualBlocksPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    SmallVector<tamp::ResidualBlock> blocks = tamp::findResidualBlocks(func);
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "@" << func.getName() << ": " << blocks.size() << " residual block"
       << (blocks.size() == 1 ? "" : "s") << "\n";
    for (auto [index, block] : llvm::enumerate(blocks)) {
      os << "  #" << index;
      if (std::optional<StringRef> name = tamp::getResidualBlockName(block))
        os << " '" << *name << "'";
      SmallVector<std::string> fields = {
          "input " + describeValue(block.input),
          "output " + describeValue(block.output),
          std::to_string(block.branch.size() + 1 + block.exit.size()) + " ops",
          std::to_string(block.parameters) + " parameters"};
      for (StringRef key : {"output_change", "relative_change"}) {
        std::optional<double> value = block.getStatistic(key);
        if (!value)
          continue;
        std::string field = key.str();
        field[field.find('_')] = ' ';
        llvm::raw_string_ostream(field) << " " << llvm::format("%.6g", *value);
        fields.push_back(field);
      }
      if (fields.size() == 4)
        fields.push_back("no statistics");
      os << ": " << llvm::join(fields, ", ") << "\n";
    }
    // One write per function, so that functions printed from parallel
    // threads do not interleave.
    llvm::outs() << text;
    llvm::outs().flush();
    markAllAnalysesPreserved();
  }
};

} // namespace
