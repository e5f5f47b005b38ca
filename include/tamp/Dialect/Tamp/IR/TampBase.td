//===- TampBase.td - Base classes, constraints and enums ---*- tablegen -*-===//

#ifndef TAMP_DIALECT_TAMP_IR_TAMPBASE_TD
#define TAMP_DIALECT_TAMP_IR_TAMPBASE_TD

include "tamp/Dialect/Tamp/IR/TampDialect.td"
include "tamp/Dialect/Tamp/IR/TampInterfaces.td"
include "tamp/Dialect/Tamp/IR/TampTypes.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

// Every element type but !tamp.string: numbers, booleans, quantized types.
def Tamp_NonStringType
    : Type<CPred<"!::llvm::isa<::tamp::StringType>($_self)">, "non-string type">;
def Tamp_Tensor : RankedTensorOf<[Tamp_NonStringType]>;
// The upstream quant dialect's uniform types (per tensor and per axis): the
// element types of quantized activations and weights that integer kernels
// consume.
def Tamp_UniformQuantizedType : Type<
    CPred<"::llvm::isa<::mlir::quant::UniformQuantizedType, "
          "::mlir::quant::UniformQuantizedPerAxisType>($_self)">,
    "uniform quantized type">;
// Tensors of any element type, strings included: only constants and
// equality work on strings.
def Tamp_TensorOrString : RankedTensorOf<[AnyType]>;
def Tamp_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Tamp_IntegerTensor : RankedTensorOf<[AnyInteger]>;
def Tamp_BoolTensor : RankedTensorOf<[I1]>;
def Tamp_NumericTensor : RankedTensorOf<[AnyFloat, AnyInteger]>;
// Operands of ops that have integer kernels (or that move quantized values
// without changing them): numbers or uniform quantized values.
def Tamp_NumericOrQuantizedTensor
    : RankedTensorOf<[AnyFloat, AnyInteger, Tamp_UniformQuantizedType]>;
def Tamp_FloatOrQuantizedTensor
    : RankedTensorOf<[AnyFloat, Tamp_UniformQuantizedType]>;
// A bias: float, or i32 at the scale input_scale * weight_scale[o] when the
// input and weight are quantized.
def Tamp_BiasTensor : RankedTensorOf<[AnyFloat, I32]>;
// Shapes, axes, starts/ends, indices: 1-D or 0-D integer tensors.
def Tamp_IndexTensor : RankedTensorOf<[I32, I64]>;
def Tamp_I64Tensor : RankedTensorOf<[I64]>;

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

class Tamp_I32Enum<string name, string summary, list<I32EnumAttrCase> cases>
    : I32EnumAttr<name, summary, cases> {
  let cppNamespace = "::tamp";
  let genSpecializedAttr = 0;
}
class Tamp_EnumAttr<EnumAttrInfo info, string mnemonic>
    : EnumAttr<Tamp_Dialect, info, mnemonic> {
  let assemblyFormat = "`<` $value `>`";
}

def Tamp_AutoPad : Tamp_I32Enum<"AutoPad", "how spatial padding is chosen", [
  I32EnumAttrCase<"explicit_pads", 0>, I32EnumAttrCase<"same_upper", 1>,
  I32EnumAttrCase<"same_lower", 2>, I32EnumAttrCase<"valid", 3>]>;
def Tamp_AutoPadAttr : Tamp_EnumAttr<Tamp_AutoPad, "auto_pad">;

def Tamp_PadMode : Tamp_I32Enum<"PadMode", "how padded elements are filled", [
  I32EnumAttrCase<"constant", 0>, I32EnumAttrCase<"reflect", 1>,
  I32EnumAttrCase<"edge", 2>, I32EnumAttrCase<"wrap", 3>]>;
def Tamp_PadModeAttr : Tamp_EnumAttr<Tamp_PadMode, "pad_mode">;

def Tamp_GeluApproximation : Tamp_I32Enum<"GeluApproximation",
    "GELU formula", [I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"tanh", 1>]>;
def Tamp_GeluApproximationAttr
    : Tamp_EnumAttr<Tamp_GeluApproximation, "gelu_approximation">;

// What a contraction (tamp.conv, tamp.linear) applies to its result before
// storing it: `tamp-fuse-activation` folds a following activation op into
// this epilogue. `clamp` uses the `activation_min` / `activation_max` bounds
// (ReLU is clamp with min 0, ReLU6 clamp to [0, 6]); the others compute what
// the op of the same name does (`gelu_tanh` is tamp.gelu's tanh form).
def Tamp_Activation : Tamp_I32Enum<"Activation",
    "activation applied in a contraction's epilogue", [
  I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"clamp", 1>,
  I32EnumAttrCase<"gelu", 2>, I32EnumAttrCase<"gelu_tanh", 3>,
  I32EnumAttrCase<"sigmoid", 4>, I32EnumAttrCase<"silu", 5>,
  I32EnumAttrCase<"hard_swish", 6>, I32EnumAttrCase<"tanh", 7>]>;
def Tamp_ActivationAttr : Tamp_EnumAttr<Tamp_Activation, "activation">;

// The epilogue attributes of tamp.conv and tamp.linear.
defvar Tamp_EpilogueAttrs = (ins
  DefaultValuedAttr<Tamp_ActivationAttr, "::tamp::Activation::none">:$activation,
  OptionalAttr<F64Attr>:$activation_min,
  OptionalAttr<F64Attr>:$activation_max);

def Tamp_ScatterReduction : Tamp_I32Enum<"ScatterReduction",
    "how scattered updates combine with existing values", [
  I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"add", 1>,
  I32EnumAttrCase<"mul", 2>, I32EnumAttrCase<"max", 3>,
  I32EnumAttrCase<"min", 4>]>;
def Tamp_ScatterReductionAttr
    : Tamp_EnumAttr<Tamp_ScatterReduction, "scatter_reduction">;

def Tamp_ResizeMode : Tamp_I32Enum<"ResizeMode", "interpolation", [
  I32EnumAttrCase<"nearest", 0>, I32EnumAttrCase<"linear", 1>,
  I32EnumAttrCase<"cubic", 2>]>;
def Tamp_ResizeModeAttr : Tamp_EnumAttr<Tamp_ResizeMode, "resize_mode">;

def Tamp_CoordinateTransform : Tamp_I32Enum<"CoordinateTransform",
    "how output coordinates map to input coordinates", [
  I32EnumAttrCase<"half_pixel", 0>, I32EnumAttrCase<"half_pixel_symmetric", 1>,
  I32EnumAttrCase<"pytorch_half_pixel", 2>, I32EnumAttrCase<"align_corners", 3>,
  I32EnumAttrCase<"asymmetric", 4>, I32EnumAttrCase<"tf_crop_and_resize", 5>]>;
def Tamp_CoordinateTransformAttr
    : Tamp_EnumAttr<Tamp_CoordinateTransform, "coordinate_transform">;

def Tamp_NearestMode : Tamp_I32Enum<"NearestMode",
    "rounding of the source coordinate in nearest mode", [
  I32EnumAttrCase<"round_prefer_floor", 0>, I32EnumAttrCase<"round_prefer_ceil", 1>,
  I32EnumAttrCase<"floor", 2>, I32EnumAttrCase<"ceil", 3>]>;
def Tamp_NearestModeAttr : Tamp_EnumAttr<Tamp_NearestMode, "nearest_mode">;

def Tamp_AspectRatioPolicy : Tamp_I32Enum<"AspectRatioPolicy",
    "how output sizes keep the aspect ratio", [
  I32EnumAttrCase<"stretch", 0>, I32EnumAttrCase<"not_larger", 1>,
  I32EnumAttrCase<"not_smaller", 2>]>;
def Tamp_AspectRatioPolicyAttr
    : Tamp_EnumAttr<Tamp_AspectRatioPolicy, "aspect_ratio_policy">;

def Tamp_RoundMode : Tamp_I32Enum<"RoundMode",
    "rounding of casts to float8e8m0 (powers of two)", [
  I32EnumAttrCase<"up", 0>, I32EnumAttrCase<"down", 1>,
  I32EnumAttrCase<"nearest", 2>]>;
def Tamp_RoundModeAttr : Tamp_EnumAttr<Tamp_RoundMode, "round_mode">;

def Tamp_DepthToSpaceMode : Tamp_I32Enum<"DepthToSpaceMode",
    "channel ordering of depth-to-space", [
  I32EnumAttrCase<"dcr", 0>, I32EnumAttrCase<"crd", 1>]>;
def Tamp_DepthToSpaceModeAttr
    : Tamp_EnumAttr<Tamp_DepthToSpaceMode, "depth_to_space_mode">;

//===----------------------------------------------------------------------===//
// Op base classes
//===----------------------------------------------------------------------===//

// Every tamp op is side-effect free and infers its result types. Inferred
// types may be less static than the declared ones (a `?` where the declared
// type has a size), since the importer or a shape pass may know more.
class Tamp_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tamp_Dialect, mnemonic,
         !listconcat([Pure, InferTypeOpAdaptorWithIsCompatible], traits)> {
  code commonCompatibleTypes = [{
    bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                            ::mlir::TypeRange actual) {
      return ::tamp::areCompatibleTensorTypes(inferred, actual);
    }
  }];
  // Ops with integer kernels: a quantized input's result may be quantized
  // with its own parameters (requantized) or be float (dequantized).
  code quantizedResultCompatibleTypes = [{
    bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                            ::mlir::TypeRange actual) {
      return ::tamp::areCompatibleQuantizedResultTypes(inferred, actual);
    }
  }];
  let extraClassDefinition = commonCompatibleTypes;
}

// Element-wise op of one operand whose result has the operand's type.
class Tamp_UnaryOp<string mnemonic, string summaryText,
                   Type operandType = Tamp_NumericTensor,
                   list<Trait> traits = []>
    : Tamp_Op<mnemonic, !listconcat([Elementwise], traits)> {
  let summary = summaryText;
  let arguments = (ins operandType:$input);
  let results = (outs operandType:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let extraClassDefinition = commonCompatibleTypes # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *,
        std::optional<::mlir::Location>, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      types.push_back(adaptor.getInput().getType());
      return ::mlir::success();
    }
  }];
}

// Element-wise op of two operands with multidirectional (numpy) broadcasting.
// `resultIsBool` ops (comparisons) produce i1.
class Tamp_BroadcastBinaryOp<string mnemonic, string summaryText,
                             Type operandType = Tamp_NumericTensor,
                             bit resultIsBool = 0, list<Trait> traits = []>
    : Tamp_Op<mnemonic, !listconcat([SameOperandsElementType], traits)> {
  let summary = summaryText;
  let description = [{
    Element-wise with multidirectional (numpy-style) broadcasting: shapes are
    aligned on their trailing dimensions and size-1 dimensions stretch.
  }];
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs !if(resultIsBool, Tamp_BoolTensor, operandType):$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = commonCompatibleTypes # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *ctx,
        std::optional<::mlir::Location> loc, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::tamp::inferBroadcastResultType(loc, adaptor.getLhs().getType(),
          adaptor.getRhs().getType(), }] #
          !if(resultIsBool, "::mlir::IntegerType::get(ctx, 1)", "nullptr") # [{, types);
    }
  }];
}

// Reduction over `axes` (all axes when empty), keeping reduced dimensions as
// size 1 when `keepdims` is set.
class Tamp_ReduceOp<string mnemonic, string summaryText,
                    Type operandType = Tamp_NumericTensor>
    : Tamp_Op<mnemonic> {
  let summary = summaryText;
  let description = [{
    Reduces `input` over `axes` (every axis when `axes` is empty). Negative
    axes count from the back. With `keepdims` the reduced dimensions stay as
    size 1, otherwise they are removed.
  }];
  let arguments = (ins operandType:$input, DenseI64ArrayAttr:$axes,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs operandType:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = commonCompatibleTypes # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *,
        std::optional<::mlir::Location> loc, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::tamp::inferReductionResultType(loc, adaptor.getInput().getType(),
          adaptor.getAxes(), adaptor.getKeepdims(), types);
    }
  }];
}

#endif // TAMP_DIALECT_TAMP_IR_TAMPBASE_TD
