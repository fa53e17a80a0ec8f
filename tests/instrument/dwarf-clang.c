// DWARF is kept and updated: clang-14's -g build against wasi-libc, instrumented, symbolizes the
// allocating call in user code (now a call to malloc's hooked wrapper, at another address) to
// the same source line as the original does, and the instrumenting says nothing about it.
// DWARF addresses in wasm count from the start of the Code section's contents
// (call-offset.sh --code-relative).
//
// Linking without -O keeps Debian's clang from running wasm-opt, which would strip DWARF.
// RUN: $CLANG --target=wasm32-wasi --sysroot=$WASI_SYSROOT -O1 -g -c %s -o %t.o
// RUN: $CLANG --target=wasm32-wasi --sysroot=$WASI_SYSROOT %t.o -o %t.wasm
// RUN: viewsan-instrument %t.wasm -o %t.vs.wasm 2>&1 | FileCheck %s --check-prefix=NOTE --allow-empty
// RUN: wasm-objdump -d %t.vs.wasm | FileCheck %s --check-prefix=CALL
// RUN: llvm-symbolizer-14 --obj=%t.wasm $(%S/call-offset.sh %t.wasm make --code-relative) > %t.before
// RUN: llvm-symbolizer-14 --obj=%t.vs.wasm $(%S/call-offset.sh %t.vs.wasm make --code-relative) > %t.after
// RUN: FileCheck %s < %t.before
// RUN: FileCheck %s < %t.after
// RUN: diff %t.before %t.after
// The call of make in main, which instrumenting leaves as it was but moves:
// RUN: llvm-symbolizer-14 --obj=%t.wasm $(%S/call-offset.sh %t.wasm main --code-relative) > %t.main.before
// RUN: llvm-symbolizer-14 --obj=%t.vs.wasm $(%S/call-offset.sh %t.vs.wasm main --code-relative) > %t.main.after
// RUN: FileCheck %s --check-prefix=MAIN < %t.main.after
// RUN: diff %t.main.before %t.main.after

#include <stdlib.h>

// Keeps the optimizer from deleting allocations nothing reads.
void* volatile sink;

// NOTE-NOT: note:
// CALL: <make>:
// CALL: call {{[0-9]+}} <malloc$viewsan.hooked>

// CHECK: {{^}}make{{$}}
__attribute__((noinline)) char* make(int n) {
  // CHECK-NEXT: {{.*}}dwarf-clang.c:[[@LINE+1]]:{{[0-9]+}}
  char* bytes = malloc(n * 4);
  return bytes;
}

int main(int argc, char** argv) {
  // MAIN: dwarf-clang.c:[[@LINE+1]]:{{[0-9]+}}
  sink = make(argc + 15);
  free(sink);
  return 0;
}
