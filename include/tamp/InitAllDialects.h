//===- InitAllDialects.h - Every dialect Tamp's tools load ------*- C++ -*-===//

#ifndef TAMP_INITALLDIALECTS_H
#define TAMP_INITALLDIALECTS_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace tamp {
/// The tamp dialect plus the upstream dialects that Tamp's import, passes
/// and lowering produce or consume.
void registerAllDialects(mlir::DialectRegistry &registry);
} // namespace tamp

#endif // TAMP_INITALLDIALECTS_H
