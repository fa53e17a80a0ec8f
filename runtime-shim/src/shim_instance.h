// The one Shim behind the extern "C" ABI (shim_exports.cpp).
#ifndef VIEWSAN_SHIM_INSTANCE_H
#define VIEWSAN_SHIM_INSTANCE_H

#include "shim.h"

namespace viewsan {

extern Shim* g_shim;
Shim& CreateShim();
// Created on first use: the wasm build has no static constructors to run.
inline Shim& TheShim() { return g_shim ? *g_shim : CreateShim(); }
// Lets native tests start each case from a fresh shim.
void ResetShimForTesting();

}  // namespace viewsan

#endif  // VIEWSAN_SHIM_INSTANCE_H
