// A C program linked the usual way against wasi-libc, whose malloc is dlmalloc: the whole
// family is found by its name-section names, posix_memalign included, and dlmalloc's own calls
// between its entry points are direct calls to hooked wrappers. clang's -g leaves DWARF
// sections, which are kept, updated, without a note (dwarf-clang.c checks what they say).
//
// Linking without -O keeps clang from running wasm-opt, which would strip the name section.
// RUN: $CLANG --target=wasm32-wasi --sysroot=$WASI_SYSROOT -O1 -g -c %s -o %t.o
// RUN: $CLANG --target=wasm32-wasi --sysroot=$WASI_SYSROOT %t.o -o %t.wasm
// RUN: viewsan-instrument %t.wasm --list | FileCheck %s
// RUN: viewsan-instrument %t.wasm -o %t.vs.wasm 2>&1 | FileCheck %s --check-prefix=NOTE --allow-empty
// RUN: wasm-objdump -h %t.vs.wasm | FileCheck %s --check-prefix=SECTIONS

#include <stdlib.h>

// Keeps the optimizer from deleting allocations nothing reads.
void* volatile sink;

int main(void) {
  void* aligned = NULL;
  if (posix_memalign(&aligned, 64, 100) != 0) {
    return 1;
  }
  sink = aligned;
  char* bytes = calloc(4, 8);
  sink = bytes;
  bytes = realloc(bytes, 4096);
  sink = bytes;
  sink = malloc(16);
  free(sink);
  free(bytes);
  free(aligned);
  return 0;
}

// CHECK:      names        name section present
// CHECK-NEXT: memory.grow  {{[1-9][0-9]*}} instruction
// CHECK-NEXT: allocators   {{[0-9]+}} hooked
// CHECK-DAG:    malloc          alloc    size=0          {{.*}} found by name "malloc"
// CHECK-DAG:    dlmalloc        alloc    size=0          {{.*}} found by name "dlmalloc"
// CHECK-DAG:    free            free     ptr=0           {{.*}} found by name "free"
// CHECK-DAG:    calloc          alloc    count=0,size=1  {{.*}} found by name "calloc"
// CHECK-DAG:    realloc         realloc  ptr=0,size=1    {{.*}} found by name "realloc"
// CHECK-DAG:    posix_memalign  alloc    out=0,size=2    {{.*}} found by name "posix_memalign"
// CHECK:      coverage     complete

// NOTE-NOT: note:

// SECTIONS:     Code
// SECTIONS:     "name"
// SECTIONS:     ".debug_info"
// SECTIONS:     ".debug_line"
// SECTIONS:     "producers"
// SECTIONS:     "viewsan.sites"
