//===- RecordModelSignature.cpp - Record the model's signature ------------===//
//
// The model descriptor needs the ONNX names, data types and shapes of the
// entry function's inputs and outputs. Lowering erases signedness and
// bufferization turns tensors into memrefs, so they are recorded up front in
// the `tamp.model` module attribute.
//
//===----------------------------------------------------------------------===//

#include "tamp/Runtime/tamp_model_abi.h"
#include "tamp/Target/CPU/ModelManifest.h"
#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

namespace tamp {
#define GEN_PASS_DEF_RECORDMODELSIGNATURE
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

/// Whether `name` can prefix the model's C symbols.
static bool isCIdentifier(StringRef name) {
  if (name.empty() || isdigit(static_cast<unsigned char>(name.front())))
    return false;
  return llvm::all_of(name, [](char c) {
    return isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

/// Bytes of the non-scalar constants in `func`: the weights.
static int64_t countWeightBytes(func::FuncOp func) {
  int64_t bytes = 0;
  func.walk([&](Operation *op) {
    if (!op->hasTrait<OpTrait::ConstantLike>())
      return;
    for (NamedAttribute attr : op->getAttrs()) {
      auto elements = dyn_cast<ElementsAttr>(attr.getValue());
      if (!elements || elements.getShapedType().getRank() == 0)
        continue;
      ShapedType type = elements.getShapedType();
      bytes += type.getNumElements() *
               llvm::divideCeil(type.getElementTypeBitWidth(), 8);
    }
  });
  return bytes;
}

namespace {
struct RecordModelSignaturePass
    : public tamp::impl::RecordModelSignatureBase<RecordModelSignaturePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (module->hasAttr(tamp::kModelAttrName))
      return;

    func::FuncOp entryFunc = findEntry(module);
    if (!entryFunc)
      return signalPassFailure();
    std::string name =
        modelName.empty() ? entryFunc.getName().str() : std::string(modelName);
    if (!isCIdentifier(name)) {
      module.emitError() << "model name '" << name << "' is not a C identifier";
      return signalPassFailure();
    }

    Builder builder(module.getContext());
    auto describe = [&](Type type, Attribute onnxName, StringRef role,
                        unsigned index) -> DictionaryAttr {
      auto tensorType = dyn_cast<RankedTensorType>(type);
      int32_t dtype =
          tensorType ? tamp::getDTypeOf(tensorType.getElementType()) : 0;
      auto nameAttr = dyn_cast_or_null<StringAttr>(onnxName);
      // String elements are pointers into the caller's memory: a model
      // reads them but cannot hand them back.
      bool isStringOutput = dtype == TAMP_DTYPE_STRING && role == "output";
      if (!dtype || isStringOutput) {
        InFlightDiagnostic diag = entryFunc.emitError() << role << " " << index;
        if (nameAttr)
          diag << " ('" << nameAttr.getValue() << "')";
        diag << " has type " << type << ", which compiled models cannot "
             << (isStringOutput ? "return" : "pass");
        return nullptr;
      }
      SmallVector<int64_t> shape(tensorType.getShape());
      for (int64_t &size : shape)
        if (ShapedType::isDynamic(size))
          size = -1;
      if (!nameAttr)
        nameAttr = builder.getStringAttr((role + Twine(index)).str());
      return builder.getDictionaryAttr({
          builder.getNamedAttr("name", nameAttr),
          builder.getNamedAttr("dtype", builder.getI32IntegerAttr(dtype)),
          builder.getNamedAttr("shape", builder.getDenseI64ArrayAttr(shape)),
      });
    };

    SmallVector<Attribute> inputs, outputs;
    for (auto [index, type] : llvm::enumerate(entryFunc.getArgumentTypes())) {
      DictionaryAttr info = describe(
          type, entryFunc.getArgAttr(index, "tamp.name"), "input", index);
      if (!info)
        return signalPassFailure();
      inputs.push_back(info);
    }
    for (auto [index, type] : llvm::enumerate(entryFunc.getResultTypes())) {
      DictionaryAttr info = describe(
          type, entryFunc.getResultAttr(index, "tamp.name"), "output", index);
      if (!info)
        return signalPassFailure();
      outputs.push_back(info);
    }

    module->setAttr(
        tamp::kModelAttrName,
        builder.getDictionaryAttr({
            builder.getNamedAttr("name", builder.getStringAttr(name)),
            builder.getNamedAttr(
                "entry", FlatSymbolRefAttr::get(entryFunc.getNameAttr())),
            builder.getNamedAttr("inputs", builder.getArrayAttr(inputs)),
            builder.getNamedAttr("outputs", builder.getArrayAttr(outputs)),
            builder.getNamedAttr(
                "weight_bytes",
                builder.getI64IntegerAttr(countWeightBytes(entryFunc))),
        }));
    // The model ABI calls the entry through its C interface, which takes
    // each memref as a pointer to its descriptor (the layout of tamp_memref).
    entryFunc->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                       builder.getUnitAttr());
  }

  func::FuncOp findEntry(ModuleOp module) {
    if (!entry.empty()) {
      auto func = module.lookupSymbol<func::FuncOp>(entry);
      if (!func || func.isExternal())
        module.emitError() << "no function @" << entry << " to compile";
      return func && !func.isExternal() ? func : nullptr;
    }
    func::FuncOp found;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isPrivate() || func.isExternal())
        continue;
      if (found) {
        module.emitError() << "several public functions (@" << found.getName()
                           << ", @" << func.getName()
                           << "); name the model's entry";
        return nullptr;
      }
      found = func;
    }
    if (!found)
      module.emitError() << "no public function to compile";
    return found;
  }
};
} // namespace
