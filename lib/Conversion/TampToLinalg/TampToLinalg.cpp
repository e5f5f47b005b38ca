//===- TampToLinalg.cpp - The tamp-convert-to-linalg pass -----------------===//

#include "tamp/Conversion/TampToLinalg/TampToLinalg.h"
#include "Patterns.h"
#include "tamp/Conversion/Passes.h"
#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace tamp {
#define GEN_PASS_DEF_CONVERTTAMPTOLINALG
#include "tamp/Conversion/Passes.h.inc"
} // namespace tamp

void tamp::populateTampToLinalgTypeConversion(TypeConverter &converter) {
  converter.addConversion([](Type type) { return type; });
  converter.addConversion([](IntegerType type) -> Type {
    if (type.isSignless())
      return type;
    return IntegerType::get(type.getContext(), type.getWidth());
  });
  // A string element is the address of NUL-terminated UTF-8, as the model
  // ABI passes it (only ops that compare or move elements accept strings).
  converter.addConversion([](StringType type) -> Type {
    return IntegerType::get(type.getContext(), 64);
  });
  // Quantized values are their storage as a signless integer (unsigned 8-bit
  // storage moved by -128; see IntegerKernels.h).
  converter.addConversion([](quant::QuantizedType type) -> Type {
    return IntegerType::get(type.getContext(),
                            type.getStorageTypeIntegralWidth());
  });
  converter.addConversion([&converter](RankedTensorType type) -> Type {
    Type element = converter.convertType(type.getElementType());
    if (!element)
      return Type();
    return type.clone(element);
  });
}

void tamp::populateTampToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  populateMathToLinalgPatterns(converter, patterns);
  populateNNToLinalgPatterns(converter, patterns);
  populateTensorToLinalgPatterns(converter, patterns);
  populateQuantToLinalgPatterns(converter, patterns);
  populateIntegerKernelPatterns(converter, patterns);
}

void tamp::configureTampToLinalgTarget(ConversionTarget &target) {
  target.addIllegalDialect<TampDialect, quant::QuantDialect>();
  target.addLegalDialect<affine::AffineDialect, arith::ArithDialect,
                         bufferization::BufferizationDialect,
                         cf::ControlFlowDialect, linalg::LinalgDialect,
                         LLVM::LLVMDialect, math::MathDialect, scf::SCFDialect,
                         tensor::TensorDialect>();
}

namespace {
struct ConvertTampToLinalgPass
    : tamp::impl::ConvertTampToLinalgBase<ConvertTampToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    TypeConverter converter;
    tamp::populateTampToLinalgTypeConversion(converter);

    ConversionTarget target(*ctx);
    tamp::configureTampToLinalgTarget(target);
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp func) {
      return converter.isSignatureLegal(func.getFunctionType()) &&
             converter.isLegal(&func.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });

    RewritePatternSet patterns(ctx);
    tamp::populateTampToLinalgConversionPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
