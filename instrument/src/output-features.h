// The features a module is written with. Binaryen's writer chooses encodings by them, so they
// must cover what the module holds even where its target_features section does not say so, and
// must not include encodings engines refuse.

#pragma once

#include "binary-scan.h"
#include "code-facts.h"

#include <wasm.h>

namespace viewsan {

// `declared` are the features the input's target_features section lists (MVP without one).
wasm::FeatureSet featuresToWrite(const wasm::Module& module,
                                 wasm::FeatureSet declared,
                                 const ModuleScan& scan,
                                 const CodeUse& code);

} // namespace viewsan
