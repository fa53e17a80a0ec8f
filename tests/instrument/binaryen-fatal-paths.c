// Input on which Binaryen 132 ends the process, exhausts its stack or asks for more memory than
// any module needs, ends in one line and exit status 1 with nothing written, or, where the input
// is valid, in a written module.
//
// A br_table claiming 2^32-1 targets: Binaryen sizes a vector by the count before it reads them.
// The child's address space is limited, so the allocation fails at once ("out of memory", or the
// sanitizer's report of it in a sanitized build).
// RUN: node %S/inputs/hostile-module.mjs br-table-targets 4294967295 %t.table.wasm
// RUN: (viewsan-instrument %t.table.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=TABLE
// RUN: not test -e %t.out.wasm
// TABLE:      table.wasm: error: instrumenting failed{{.*}}out of memory
// TABLE-NEXT: exit 1
//
// An i32.add chain 200,000 deep is valid: Binaryen's writer recurses once per level, which ends
// wasm-opt on its 8 MiB stack; the tool gives it a larger one.
// RUN: node %S/inputs/hostile-module.mjs add-chain 200000 %t.deep.wasm
// RUN: viewsan-instrument %t.deep.wasm -o %t.deep.vs.wasm 2>/dev/null
// RUN: node -e "new WebAssembly.Module(require('fs').readFileSync(process.argv[1]))" %t.deep.vs.wasm
//
// DWARF Binaryen cannot parse (a zeroed .debug_line) ends it as it writes the update: the
// module is written again without its DWARF sections, with a note saying so.
// RUN: $CLANG --target=wasm32-wasi --sysroot=$WASI_SYSROOT -O1 -g -c %s -o %t.o
// RUN: $CLANG --target=wasm32-wasi --sysroot=$WASI_SYSROOT %t.o -o %t.dwarf.wasm
// RUN: node %S/inputs/hostile-module.mjs zero-custom %t.dwarf.wasm .debug_line %t.broken.wasm
// RUN: viewsan-instrument %t.broken.wasm -o %t.broken.vs.wasm 2>&1 | FileCheck %s --check-prefix=DWARF
// RUN: node -e "new WebAssembly.Module(require('fs').readFileSync(process.argv[1]))" %t.broken.vs.wasm
// RUN: wasm-objdump -h %t.broken.vs.wasm | FileCheck %s --check-prefix=SECTIONS
// DWARF: broken.wasm: note: the DWARF sections are left out: Binaryen could not update them ({{.+}})
// SECTIONS-NOT: .debug_
// SECTIONS: "viewsan.sites"
//
// A source map whose sourcesContent holds null (a source whose text the map does not carry) is
// read, and the output's map gives those entries as empty strings; Binaryen's reader would
// otherwise end on an assertion. A version that is not 3 is refused in one line.
// RUN: echo '{"version":3,"sources":["a.c","b.c"],"sourcesContent":[null,"int b;"],"names":[],"mappings":""}' > %t.dwarf.wasm.map
// RUN: viewsan-instrument %t.dwarf.wasm -o %t.map.vs.wasm --input-source-map %t.dwarf.wasm.map 2>&1 | FileCheck %s --check-prefix=MAP
// RUN: grep -c '"sourcesContent":\["","int b;"\]' %t.map.vs.wasm.map
// MAP: note: {{.*}}dwarf.wasm.map: 1 of the source map's sourcesContent entries are null; the output's map gives them as empty strings
// RUN: echo '{"version":3.5,"sources":[],"names":[],"mappings":""}' > %t.v35.map
// RUN: (viewsan-instrument %t.dwarf.wasm -o %t.out.wasm --input-source-map %t.v35.map; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=VERSION
// RUN: not test -e %t.out.wasm
// VERSION:      v35.map: cannot read the source map: the source map's version is 3.5, not 3
// VERSION-NEXT: exit 1

#include <stdlib.h>

void* volatile sink;

int main(void) {
  sink = malloc(32);
  free(sink);
  return 0;
}
