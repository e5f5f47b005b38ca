//===- OpRegistry.cpp - ONNX op type -> import function -------------------===//

#include "OpRegistry.h"

namespace tamp {

const OpRegistry &OpRegistry::get() {
  static const OpRegistry registry = [] {
    OpRegistry r;
    registerMathOps(r);
    registerNNOps(r);
    registerTensorOps(r);
    registerQuantizationOps(r);
    registerAttentionOps(r);
    registerLossOps(r);
    return r;
  }();
  return registry;
}

void OpRegistry::add(llvm::StringRef domain, llvm::StringRef opType,
                     NodeImportFn fn, StringInputs stringInputs) {
  byDomain[canonicalDomain(domain)][opType] = {fn, stringInputs};
}

const OpImporter *OpRegistry::lookup(llvm::StringRef domain,
                                     llvm::StringRef opType) const {
  auto domainIt = byDomain.find(canonicalDomain(domain));
  if (domainIt == byDomain.end())
    return nullptr;
  auto it = domainIt->second.find(opType);
  return it == domainIt->second.end() ? nullptr : &it->second;
}

llvm::StringRef canonicalDomain(llvm::StringRef domain) {
  return domain == "ai.onnx" ? llvm::StringRef() : domain;
}

} // namespace tamp
