#include "output-features.h"

#include <algorithm>

namespace viewsan {

namespace {

// Binaryen's writer chooses encodings by the module's features: GC's heap types and non-nullable
// references only with GC, an `elem declare` segment for the functions ref.func names only with
// reference types, a data count section only with bulk memory, compact imports when enabled
// (which Node 20's V8 rejects). So the features written are those the module declared, and those
// it needs for what it holds even without a target_features section saying so (a declarative
// segment, which Binaryen drops on reading and writes again, GC types, exact references).
bool needsGC(wasm::Type type) {
  for (wasm::Type t : type) {
    if (!t.isRef()) {
      continue;
    }
    wasm::HeapType heap = t.getHeapType();
    if (t.isNonNullable() || !heap.isBasic() ||
        (heap.getBasic(wasm::Unshared) != wasm::HeapType::func &&
         heap.getBasic(wasm::Unshared) != wasm::HeapType::ext &&
         heap.getBasic(wasm::Unshared) != wasm::HeapType::exn &&
         heap.getBasic(wasm::Unshared) != wasm::HeapType::string)) {
      return true;
    }
  }
  return false;
}

// The reader gives the locals it adds (for a value that stays on the stack across other code) the
// most precise type it knows: a null's bottom type, a ref.func's exact non-nullable type. The
// writer writes those as the nullable top type without GC, so only a GC heap type in a local
// needs GC.
bool localNeedsGC(wasm::Type type) {
  if (!type.isRef()) {
    return false;
  }
  wasm::HeapType heap = type.getHeapType();
  if (heap.isBasic()) {
    return !heap.isBottom() && heap.getTop() == wasm::HeapType::any;
  }
  return !heap.isSignature();
}

bool isExact(wasm::Type type) {
  for (wasm::Type t : type) {
    if (t.isRef() && t.isExact()) {
      return true;
    }
  }
  return false;
}

} // namespace

wasm::FeatureSet featuresToWrite(const wasm::Module& module,
                                 wasm::FeatureSet declared,
                                 const ModuleScan& scan,
                                 const CodeUse& code) {
  wasm::FeatureSet features = declared;
  // Engines refuse memory.init and data.drop without a data count section, which Binaryen writes
  // only with bulk memory: a module that had one keeps it, even when it declares no features
  // (Emscripten writes no target_features section).
  if (scan.hasDataCount) {
    features |= wasm::FeatureSet::BulkMemory;
  }
  // Binaryen takes "bulk-memory" to mean bulk-memory-opt too, and would list both.
  if (std::find(scan.usedFeatures.begin(), scan.usedFeatures.end(), "bulk-memory-opt") ==
      scan.usedFeatures.end()) {
    features.disable(wasm::FeatureSet::BulkMemoryOpt);
  }
  // Compact imports only change how imports are encoded, and engines that run everything else
  // may refuse them (Chromium 156: "Invalid import kind 127"): a module that declares them,
  // adding the hooks' imports, would stop loading. The plain encoding is valid everywhere.
  features.disable(wasm::FeatureSet::CompactImports);
  if (code.refFunc) {
    features |= wasm::FeatureSet::ReferenceTypes;
  }
  if (code.strings) {
    features |= wasm::FeatureSet::Strings | wasm::FeatureSet::ReferenceTypes;
  }
  bool gc = code.gc, exact = code.customDescriptors;
  for (const auto& function : module.functions) {
    gc = gc || !function->type.getHeapType().isSignature() ||
         needsGC(function->getParams()) || needsGC(function->getResults());
    exact = exact || isExact(function->getParams()) || isExact(function->getResults());
    for (wasm::Type var : function->vars) {
      gc = gc || localNeedsGC(var);
    }
  }
  for (const auto& global : module.globals) {
    gc = gc || needsGC(global->type);
    exact = exact || isExact(global->type);
  }
  for (const auto& table : module.tables) {
    gc = gc || needsGC(table->type);
  }
  for (const auto& segment : module.elementSegments) {
    gc = gc || needsGC(segment->type);
  }
  for (const auto& tag : module.tags) {
    gc = gc || needsGC(tag->params()) || needsGC(tag->results());
  }
  if (gc || exact) {
    features |= wasm::FeatureSet::GC | wasm::FeatureSet::ReferenceTypes;
  }
  if (exact) {
    features |= wasm::FeatureSet::CustomDescriptors;
  }
  return features;
}

} // namespace viewsan
