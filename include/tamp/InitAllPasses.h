//===- InitAllPasses.h - Every pass Tamp's tools expose ---------*- C++ -*-===//

#ifndef TAMP_INITALLPASSES_H
#define TAMP_INITALLPASSES_H

namespace tamp {
/// Registers Tamp's passes and pipelines and the upstream passes they build
/// on (canonicalize, cse, ...), so tamp-opt and the driver share them.
void registerAllPasses();
} // namespace tamp

#endif // TAMP_INITALLPASSES_H
