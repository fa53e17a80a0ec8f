;; Instrumenting an instrumented module would report every event twice, so it is an error, found
;; either way: by its viewsan.sites section, before Binaryen reads it, or (a module that lost the
;; section, or got its hooks elsewhere) by an import from module "viewsan", once Binaryen has.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -o %t.once.wasm
;; RUN: (viewsan-instrument %t.once.wasm -o %t.twice.wasm; echo "exit $?") 2>&1 | FileCheck %s
;; CHECK:      once.wasm:{{[0-9a-f]+}}: error: module is already instrumented: it has a viewsan.sites section
;; CHECK-NEXT: exit 1

;; RUN: echo '(module)' | wat2wasm - -o %t.empty.wasm
;; RUN: viewsan-instrument %t.empty.wasm -o %t.empty.once.wasm 2>/dev/null
;; RUN: (viewsan-instrument %t.empty.once.wasm -o %t.twice.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=SECTION
;; SECTION:      empty.once.wasm:0000008: error: module is already instrumented: it has a viewsan.sites section
;; SECTION-NEXT: exit 1

;; RUN: echo '(module (import "viewsan" "alloc" (func (param i32 i32 i32))))' | wat2wasm - -o %t.import.wasm
;; RUN: (viewsan-instrument %t.import.wasm -o %t.twice.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=IMPORT
;; IMPORT:      import.wasm: error: module is already instrumented: it imports "viewsan" "alloc"
;; IMPORT-NEXT: exit 1

;; RUN: test ! -e %t.twice.wasm

(module
  (memory 1)
  (func $malloc (export "malloc") (param $size i32) (result i32)
    (i32.const 1024))
)
