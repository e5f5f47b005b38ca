//===- WeightData.h - Reading and writing constant weights ------*- C++ -*-===//
//
// Compression passes read float weights out of `tamp.constant` ops (dense
// attributes or resource blobs) and replace them with new constants in the
// same storage form.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_DIALECT_TAMP_TRANSFORMS_WEIGHTDATA_H
#define TAMP_LIB_DIALECT_TAMP_TRANSFORMS_WEIGHTDATA_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>
#include <string>
#include <vector>

namespace tamp {

/// The values of a float `attr` (dense or in a resource blob), or nullopt
/// when its data is not available (an elided blob) or it is not float.
std::optional<std::vector<double>> readFloatElements(mlir::ElementsAttr attr);

/// The values of `value` when a `tamp.constant` with float data defines it.
std::optional<std::vector<double>> readConstantFloats(mlir::Value value);

/// Little-endian bytes of `values` in `type`, rounded to nearest even.
std::vector<char> encodeFloats(llvm::ArrayRef<float> values,
                               mlir::FloatType type);

/// Creates the constants that replace one weight, in the weight's storage
/// form: resource blobs named after the weight's blob, or dense attributes.
class ConstantBuilder {
public:
  ConstantBuilder(mlir::OpBuilder &builder, mlir::Location loc,
                  mlir::ElementsAttr weight);

  mlir::Value create(mlir::RankedTensorType type, llvm::ArrayRef<char> data,
                     llvm::StringRef suffix);
  mlir::Value createFloats(llvm::ArrayRef<int64_t> shape, mlir::FloatType type,
                           llvm::ArrayRef<float> values,
                           llvm::StringRef suffix);

  mlir::OpBuilder &getBuilder() { return builder; }
  mlir::Location getLoc() const { return loc; }

private:
  mlir::OpBuilder &builder;
  mlir::Location loc;
  bool asResource = false;
  std::string nameHint = "weight";
};

} // namespace tamp

#endif // TAMP_LIB_DIALECT_TAMP_TRANSFORMS_WEIGHTDATA_H
