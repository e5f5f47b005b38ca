//===- TensorDecoding.h - ONNX TensorProto -> MLIR attributes ---*- C++ -*-===//

#ifndef TAMP_LIB_IMPORT_ONNX_TENSORDECODING_H
#define TAMP_LIB_IMPORT_ONNX_TENSORDECODING_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace tamp {

class ExternalDataReader;

/// Largest size Tamp accepts for a single dimension, and for the element
/// count of a tensor: anything bigger is treated as a corrupt model.
constexpr int64_t kMaxDimensionSize = int64_t(1) << 32;
constexpr int64_t kMaxElementCount = int64_t(1) << 36;

/// The MLIR element type of an ONNX TensorProto::DataType: signed integers
/// are signless, unsigned ones unsigned, BOOL is i1, STRING is !tamp.string
/// (loading the tamp dialect). Fails for types Tamp does not support
/// (complex, 6-bit floats).
llvm::Expected<mlir::Type> convertOnnxElementType(int32_t dataType,
                                                  mlir::MLIRContext *context);

/// Checks that `dims` are non-negative, below kMaxDimensionSize, and that
/// their product stays below kMaxElementCount.
llvm::Expected<int64_t> checkedElementCount(llvm::ArrayRef<int64_t> dims);

/// A decoded tensor in MLIR's dense storage layout: little-endian elements
/// of their byte-rounded width, one byte per element for booleans and
/// sub-byte types (the value in the low bits).
struct DecodedTensor {
  mlir::RankedTensorType type;
  std::vector<char> bytes;
};

/// Decodes a TensorProto of any supported type but STRING (which has no
/// byte layout; see decodeStringTensor): raw_data, the typed repeated
/// fields, or external data (through `externalData`, which may be null when
/// the model has no folder). Checks that the stored byte count matches the
/// shape.
llvm::Expected<DecodedTensor> decodeTensor(const onnx::TensorProto &tensor,
                                           mlir::MLIRContext *context,
                                           ExternalDataReader *externalData);

/// Decodes a STRING TensorProto, whose elements live in string_data (ONNX
/// allows neither raw_data nor external data for strings), into a dense
/// string attribute of a !tamp.string tensor.
llvm::Expected<mlir::DenseStringElementsAttr>
decodeStringTensor(const onnx::TensorProto &tensor, mlir::MLIRContext *context);

/// Wraps decoded data in an attribute: a dense_resource blob named after
/// `nameHint` when the tensor has more than `inlineElementLimit` elements and
/// a byte-sized element type, a plain dense attribute otherwise.
mlir::ElementsAttr makeElementsAttr(DecodedTensor tensor,
                                    llvm::StringRef nameHint,
                                    int64_t inlineElementLimit);

/// Decodes any supported TensorProto into an attribute: strings through
/// decodeStringTensor, every other type through decodeTensor and
/// makeElementsAttr.
llvm::Expected<mlir::ElementsAttr>
decodeElementsAttr(const onnx::TensorProto &tensor, mlir::MLIRContext *context,
                   ExternalDataReader *externalData, llvm::StringRef nameHint,
                   int64_t inlineElementLimit);

} // namespace tamp

#endif // TAMP_LIB_IMPORT_ONNX_TENSORDECODING_H
