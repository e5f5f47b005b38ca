//===- EmitModelABI.cpp - Entry wrapper and model descriptor --------------===//
//
// Emits what tamp_model_abi.h promises a compiled model exports: the entry
// `void NAME_entry(void **args)` and the constant `NAME_descriptor`, built
// from the signature recorded in the `tamp.model` module attribute.
//
//===----------------------------------------------------------------------===//

#include "tamp/Runtime/tamp_model_abi.h"
#include "tamp/Target/CPU/ModelManifest.h"
#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace tamp {
#define GEN_PASS_DEF_EMITMODELABI
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

/// The alignment of weights, so that vector loads of them never straddle
/// cache lines (and matching what tamp_rt_alloc gives activations).
static constexpr uint64_t kWeightAlignment = 64;
/// The argument/result attribute carrying the ONNX graph input/output name.
static constexpr llvm::StringLiteral kOnnxNameAttr = "tamp.name";

namespace {
class ModelABIBuilder {
public:
  ModelABIBuilder(ModuleOp module)
      : module(module), symbolTable(module),
        builder(OpBuilder::atBlockEnd(module.getBody())), loc(module.getLoc()),
        ptrType(LLVM::LLVMPointerType::get(module.getContext())),
        i32Type(builder.getI32Type()), i64Type(builder.getI64Type()) {}

  /// `void NAME_entry(void **args)`: calls the entry's C interface with
  /// pointers to the input descriptors and the result storage.
  LLVM::LLVMFuncOp buildEntryWrapper(StringRef name, LLVM::LLVMFuncOp entry,
                                     LLVM::LLVMFuncOp cInterface,
                                     unsigned numInputs, unsigned numOutputs) {
    MLIRContext *context = module.getContext();
    auto type = LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context),
                                            {ptrType});
    auto wrapper = LLVM::LLVMFuncOp::create(
        builder, loc, (name + "_entry").str(), type, LLVM::Linkage::Internal);
    symbolTable.insert(wrapper);
    OpBuilder::InsertionGuard guard(builder);
    Block *body = wrapper.addEntryBlock(builder);
    builder.setInsertionPointToStart(body);
    Value args = body->getArgument(0);
    auto loadArg = [&](unsigned index) -> Value {
      Value slot = LLVM::GEPOp::create(
          builder, loc, ptrType, ptrType, args,
          ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(index)});
      return LLVM::LoadOp::create(builder, loc, ptrType, slot);
    };

    SmallVector<Value> operands;
    Type resultsType = entry.getFunctionType().getReturnType();
    Value packedResults;
    // One result is written straight into the caller's descriptor storage;
    // several come back as a struct of descriptors, copied out one by one.
    if (numOutputs == 1) {
      operands.push_back(loadArg(numInputs));
    } else if (numOutputs > 1) {
      Value one = LLVM::ConstantOp::create(builder, loc, i64Type,
                                           builder.getI64IntegerAttr(1));
      packedResults =
          LLVM::AllocaOp::create(builder, loc, ptrType, resultsType, one);
      operands.push_back(packedResults);
    }
    for (unsigned i = 0; i < numInputs; ++i)
      operands.push_back(loadArg(i));
    LLVM::CallOp::create(builder, loc, cInterface, operands);
    if (packedResults) {
      Value results =
          LLVM::LoadOp::create(builder, loc, resultsType, packedResults);
      for (unsigned j = 0; j < numOutputs; ++j) {
        Value result = LLVM::ExtractValueOp::create(builder, loc, results,
                                                    ArrayRef<int64_t>{j});
        LLVM::StoreOp::create(builder, loc, result, loadArg(numInputs + j));
      }
    }
    LLVM::ReturnOp::create(builder, loc, ValueRange{});
    return wrapper;
  }

  /// The `tamp_model_descriptor` constant named `symbol`.
  LLVM::GlobalOp buildDescriptor(StringRef symbol, DictionaryAttr model,
                                 LLVM::LLVMFuncOp wrapper, StringRef manifest) {
    ArrayAttr inputs = model.getAs<ArrayAttr>("inputs");
    ArrayAttr outputs = model.getAs<ArrayAttr>("outputs");
    LLVM::GlobalOp name =
        buildString(model.getAs<StringAttr>("name").getValue(), "model_name");
    LLVM::GlobalOp inputInfos = buildTensorInfos(inputs, "model_inputs");
    LLVM::GlobalOp outputInfos = buildTensorInfos(outputs, "model_outputs");
    LLVM::GlobalOp manifestText = buildString(manifest, "model_manifest");

    auto type = LLVM::LLVMStructType::getLiteral(
        module.getContext(), {i32Type, i32Type, i32Type, i32Type, ptrType,
                              ptrType, ptrType, ptrType, i64Type, ptrType});
    auto descriptor = LLVM::GlobalOp::create(
        builder, loc, type, /*isConstant=*/true, LLVM::Linkage::External,
        symbol, Attribute(), /*alignment=*/8);
    symbolTable.insert(descriptor);
    OpBuilder::InsertionGuard guard(builder);
    builder.createBlock(&descriptor.getInitializerRegion());
    Value value = LLVM::PoisonOp::create(builder, loc, type);
    int64_t field = 0;
    auto set = [&](Value element) {
      value = LLVM::InsertValueOp::create(builder, loc, value, element,
                                          ArrayRef<int64_t>{field++});
    };
    set(constantI32(TAMP_MODEL_ABI_VERSION));
    set(constantI32(inputs.size()));
    set(constantI32(outputs.size()));
    set(constantI32(0));
    set(addressOf(name));
    set(addressOf(inputInfos));
    set(addressOf(outputInfos));
    set(LLVM::AddressOfOp::create(builder, loc, wrapper));
    set(LLVM::ConstantOp::create(
        builder, loc, i64Type,
        builder.getI64IntegerAttr(
            model.getAs<IntegerAttr>("weight_bytes").getInt())));
    set(addressOf(manifestText));
    LLVM::ReturnOp::create(builder, loc, value);
    return descriptor;
  }

  /// The alias `tamp_model_descriptor` that tamp_model_load looks up in a
  /// shared library.
  void buildDescriptorAlias(LLVM::GlobalOp descriptor) {
    auto alias =
        LLVM::AliasOp::create(builder, loc, descriptor.getGlobalType(),
                              LLVM::Linkage::External, "tamp_model_descriptor");
    OpBuilder::InsertionGuard guard(builder);
    builder.createBlock(&alias.getInitializerRegion());
    LLVM::ReturnOp::create(builder, loc, addressOf(descriptor));
  }

private:
  Value constantI32(int64_t value) {
    return LLVM::ConstantOp::create(builder, loc, i32Type,
                                    builder.getI32IntegerAttr(value));
  }

  /// The address of `global`, or null when there is none.
  Value addressOf(LLVM::GlobalOp global) {
    if (!global)
      return LLVM::ZeroOp::create(builder, loc, ptrType);
    return LLVM::AddressOfOp::create(builder, loc, global);
  }

  LLVM::GlobalOp insertPrivateConstant(Type type, StringRef name,
                                       Attribute value, uint64_t alignment) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToEnd(module.getBody());
    auto global = LLVM::GlobalOp::create(
        builder, loc, type,
        /*isConstant=*/true, LLVM::Linkage::Private, name, value, alignment);
    symbolTable.insert(global);
    return global;
  }

  /// A NUL-terminated C string.
  LLVM::GlobalOp buildString(StringRef text, StringRef name) {
    std::string value = text.str();
    value.push_back('\0');
    auto type = LLVM::LLVMArrayType::get(builder.getI8Type(), value.size());
    return insertPrivateConstant(type, name, builder.getStringAttr(value),
                                 /*alignment=*/1);
  }

  /// A `tamp_tensor_info[]` array, or null for no tensors.
  LLVM::GlobalOp buildTensorInfos(ArrayAttr tensors, StringRef name) {
    if (tensors.empty())
      return nullptr;
    SmallVector<std::pair<LLVM::GlobalOp, LLVM::GlobalOp>> namesAndShapes;
    for (auto tensor : tensors.getAsRange<DictionaryAttr>()) {
      LLVM::GlobalOp tensorName = buildString(
          tensor.getAs<StringAttr>("name").getValue(), name.str() + "_name");
      ArrayRef<int64_t> shape =
          tensor.getAs<DenseI64ArrayAttr>("shape").asArrayRef();
      LLVM::GlobalOp shapeGlobal;
      if (!shape.empty()) {
        auto attrType = RankedTensorType::get(
            {static_cast<int64_t>(shape.size())}, i64Type);
        shapeGlobal = insertPrivateConstant(
            LLVM::LLVMArrayType::get(i64Type, shape.size()),
            name.str() + "_shape", DenseIntElementsAttr::get(attrType, shape),
            /*alignment=*/8);
      }
      namesAndShapes.push_back({tensorName, shapeGlobal});
    }

    auto infoType = LLVM::LLVMStructType::getLiteral(
        module.getContext(), {ptrType, i32Type, i32Type, ptrType});
    auto arrayType = LLVM::LLVMArrayType::get(infoType, tensors.size());
    LLVM::GlobalOp global =
        insertPrivateConstant(arrayType, name, Attribute(), /*alignment=*/8);
    OpBuilder::InsertionGuard guard(builder);
    builder.createBlock(&global.getInitializerRegion());
    Value value = LLVM::PoisonOp::create(builder, loc, arrayType);
    for (auto [index, tensor] :
         llvm::enumerate(tensors.getAsRange<DictionaryAttr>())) {
      int64_t i = index;
      auto [tensorName, shape] = namesAndShapes[index];
      Value fields[] = {
          addressOf(tensorName),
          constantI32(tensor.getAs<IntegerAttr>("dtype").getInt()),
          constantI32(tensor.getAs<DenseI64ArrayAttr>("shape").size()),
          addressOf(shape)};
      for (auto [f, field] : llvm::enumerate(fields))
        value = LLVM::InsertValueOp::create(
            builder, loc, value, field,
            ArrayRef<int64_t>{i, static_cast<int64_t>(f)});
    }
    LLVM::ReturnOp::create(builder, loc, value);
    return global;
  }

  ModuleOp module;
  SymbolTable symbolTable;
  OpBuilder builder;
  Location loc;
  Type ptrType, i32Type, i64Type;
};

struct EmitModelABIPass
    : public tamp::impl::EmitModelABIBase<EmitModelABIPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto model = module->getAttrOfType<DictionaryAttr>(tamp::kModelAttrName);
    if (!model) {
      module.emitError() << "no '" << tamp::kModelAttrName
                         << "' attribute: run "
                            "tamp-cpu-record-model-signature before lowering";
      return signalPassFailure();
    }
    StringRef entryName = model.getAs<FlatSymbolRefAttr>("entry").getValue();
    auto entry = module.lookupSymbol<LLVM::LLVMFuncOp>(entryName);
    auto cInterface = module.lookupSymbol<LLVM::LLVMFuncOp>(
        ("_mlir_ciface_" + entryName).str());
    if (!entry || !cInterface || cInterface.isExternal()) {
      module.emitError() << "entry @" << entryName
                         << " has no LLVM C interface; lower it with "
                            "convert-func-to-llvm first";
      return signalPassFailure();
    }

    // Weights stay read-only where the loader maps them, aligned for
    // vector loads; the entry and its helpers become internal so that
    // several models link into one program.
    for (auto global : module.getOps<LLVM::GlobalOp>())
      if (global.getConstant() &&
          isa_and_nonnull<ElementsAttr>(global.getValueOrNull()) &&
          global.getAlignment().value_or(0) < kWeightAlignment)
        global.setAlignment(kWeightAlignment);
    for (auto func : module.getOps<LLVM::LLVMFuncOp>()) {
      if (!func.isExternal())
        func.setLinkage(LLVM::Linkage::Internal);
      // The ONNX names are in the descriptor now; LLVM has no use for them.
      for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
        func.removeArgAttr(i, kOnnxNameAttr);
      for (unsigned i = 0, e = func.getNumResults(); i < e; ++i)
        func.removeResultAttr(i, StringAttr::get(&getContext(), kOnnxNameAttr));
    }

    StringRef name = model.getAs<StringAttr>("name").getValue();
    std::string manifest;
    if (auto text = module->getAttrOfType<StringAttr>(tamp::kManifestAttrName))
      manifest = text.str();
    else
      manifest = tamp::buildModelManifest(model);

    ModelABIBuilder abi(module);
    LLVM::LLVMFuncOp wrapper = abi.buildEntryWrapper(
        name, entry, cInterface, model.getAs<ArrayAttr>("inputs").size(),
        model.getAs<ArrayAttr>("outputs").size());
    LLVM::GlobalOp descriptor = abi.buildDescriptor(
        (name + "_descriptor").str(), model, wrapper, manifest);
    if (sharedLibrary)
      abi.buildDescriptorAlias(descriptor);
    module->removeAttr(tamp::kModelAttrName);
    module->removeAttr(tamp::kManifestAttrName);
  }
};
} // namespace
