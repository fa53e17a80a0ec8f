;; Instrumenting an instrumented module would report every event twice, so it is an error, found
;; either way: by an import from module "viewsan", or by a viewsan.sites section (a module with
;; nothing to hook gets the section and no import).

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -o %t.once.wasm
;; RUN: (viewsan-instrument %t.once.wasm -o %t.twice.wasm; echo "exit $?") 2>&1 | FileCheck %s
;; CHECK:      once.wasm:{{[0-9a-f]+}}: error: module is already instrumented: it imports "viewsan" "alloc"
;; CHECK-NEXT: exit 1

;; RUN: echo '(module)' | wat2wasm - -o %t.empty.wasm
;; RUN: viewsan-instrument %t.empty.wasm -o %t.empty.once.wasm 2>/dev/null
;; RUN: (viewsan-instrument %t.empty.once.wasm -o %t.twice.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=SECTION
;; SECTION:      empty.once.wasm:0000008: error: module is already instrumented: it has a viewsan.sites section
;; SECTION-NEXT: exit 1

;; RUN: test ! -e %t.twice.wasm

(module
  (memory 1)
  (func $malloc (export "malloc") (param $size i32) (result i32)
    (i32.const 1024))
)
