// The custom sections Binaryen keeps pass through: producers as they were, and target_features
// listing what the module declared. viewsan validates and instruments with every feature on, so
// it must write back the module's own features, or the section would claim them all.
//
// RUN: $CLANG --target=wasm32-wasi --sysroot=$WASI_SYSROOT -O1 -mbulk-memory -c %s -o %t.o
// RUN: $CLANG --target=wasm32-wasi --sysroot=$WASI_SYSROOT -mexec-model=reactor %t.o -o %t.wasm
// RUN: viewsan-instrument %t.wasm -o %t.vs.wasm 2>/dev/null
// RUN: wasm-objdump -x -j target_features %t.vs.wasm | FileCheck %s
// RUN: wasm-objdump -h %t.vs.wasm | FileCheck %s --check-prefix=SECTIONS

#include <string.h>

__attribute__((export_name("copy"))) void copy(char* to, const char* from, unsigned size) {
  memcpy(to, from, size);
}

// CHECK:     - name: "target_features"
// CHECK-NEXT:  - [+] bulk-memory
// CHECK-NOT: [+]

// SECTIONS: "producers"
// SECTIONS: "target_features"
// SECTIONS: "viewsan.sites"
