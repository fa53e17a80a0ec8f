// DWARF from Emscripten's -g build is kept and updated: the allocating call in user code (now a
// call to the hooked wrapper of malloc, which Emscripten's -O1 calls as dlmalloc) symbolizes to
// the same source line before and after instrumenting, and the instrumenting says nothing about
// it.
//
// RUN: NODE_PATH=/usr/share/nodejs emcc -g -O1 %s -o %t.js
// RUN: viewsan-instrument %t.wasm -o %t.vs.wasm 2>&1 | FileCheck %s --check-prefix=NOTE --allow-empty
// RUN: wasm-objdump -h %t.vs.wasm | FileCheck %s --check-prefix=SECTIONS
// RUN: wasm-objdump -d %t.vs.wasm | FileCheck %s --check-prefix=CALL
// RUN: llvm-symbolizer-14 --obj=%t.wasm $(%S/call-offset.sh %t.wasm make --code-relative) > %t.before
// RUN: llvm-symbolizer-14 --obj=%t.vs.wasm $(%S/call-offset.sh %t.vs.wasm make --code-relative) > %t.after
// RUN: FileCheck %s < %t.before
// RUN: FileCheck %s < %t.after
// RUN: diff %t.before %t.after

#include <stdlib.h>

// Keeps the optimizer from deleting allocations nothing reads.
void* volatile sink;

// NOTE-NOT: note:
// SECTIONS: "name"
// SECTIONS: ".debug_info"
// SECTIONS: ".debug_line"
// SECTIONS: "viewsan.sites"
// CALL: <make>:
// CALL: call {{[0-9]+}} <{{(dl)?}}malloc$viewsan.hooked>

// CHECK: {{^}}make{{$}}
__attribute__((noinline)) char* make(int n) {
  // CHECK-NEXT: {{.*}}dwarf-emscripten.c:[[@LINE+1]]:{{[0-9]+}}
  char* bytes = malloc(n * 4);
  return bytes;
}

int main(int argc, char** argv) {
  sink = make(argc + 15);
  free(sink);
  return 0;
}
