//===- ModelManifest.h - The compiled model's manifest ----------*- C++ -*-===//
//
// The manifest (model.json, also embedded in the model descriptor) says what
// a compiled model is: its name, ABI version, inputs and outputs with dtype
// and shape, weight bytes, the target and the options it was compiled with.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_TARGET_CPU_MODELMANIFEST_H
#define TAMP_TARGET_CPU_MODELMANIFEST_H

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/JSON.h"

#include <string>

namespace tamp {

/// The lower-case dtype name of an ONNX TensorProto data type ("float32",
/// "uint8", ...), or "" when the ABI does not know it.
llvm::StringRef getDTypeName(int32_t dtype);

/// The ONNX data type of an element type (signed/unsigned integers keep
/// their signedness; signless integers count as signed, i1 as bool), or 0
/// when the model ABI cannot pass it.
int32_t getDTypeOf(mlir::Type elementType);

/// The manifest JSON text of the model recorded in `model` (the `tamp.model`
/// module attribute). `extra` adds top-level fields such as the target and
/// the compile options; Tamp's version and the ABI version are always there.
std::string buildModelManifest(mlir::DictionaryAttr model,
                               llvm::json::Object extra = {});

} // namespace tamp

#endif // TAMP_TARGET_CPU_MODELMANIFEST_H
