;; A memory with custom page sizes is refused in one line that names the feature: the hooks pass
;; page counts, and viewsan's runtime counts growth in 64 KiB pages. wabt 1.0.32 cannot assemble
;; page sizes, so Binaryen 132 does.

;; RUN: $WASM_OPT_132 --all-features %s -o %t.wasm
;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s
;; RUN: not test -e %t.out.wasm
;; CHECK:      error: custom page sizes are not supported: this module's memory has pages of 1 byte, and viewsan's runtime counts growth in 64 KiB pages
;; CHECK-NEXT: exit 1

(module
  (memory 1 (pagesize 1))
  (func $sbrk (export "sbrk") (param $pages i32) (result i32)
    (memory.grow (local.get $pages)))
)
