;; A value left on the stack across a call is kept by Binaryen's reader in a local of the most
;; precise type it knows (a null's bottom type; for a ref.func, its exact type). Those locals
;; need no GC: the output is written with the features the input uses (reference types here),
;; the locals as funcref, and V8 without GC compiles it.

;; RUN: wat2wasm %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -o %t.vs.wasm --alloc malloc
;; RUN: node -e "new WebAssembly.Module(require('fs').readFileSync(process.argv[1]))" %t.vs.wasm
;; RUN: viewsan-instrument %t.wasm -S -o - --alloc malloc | FileCheck %s

(module
  (import "env" "log" (func $log (param i32)))
  (memory 1)
  (table 1 funcref)
  (elem declare func $malloc)
  (func $malloc (export "malloc") (param $size i32) (result i32)
    (i32.const 1024))
  (func (export "null") (result funcref)
    ref.null func
    i32.const 1
    call $log)
  (func (export "taken") (result funcref)
    ref.func $malloc
    i32.const 16
    call $malloc
    call $log)
)

;; CHECK:      (func $1 (type ${{[0-9]+}}) (result funcref)
;; CHECK-NEXT:  (local $0 funcref)
;; CHECK:      (func $2 (type ${{[0-9]+}}) (result funcref)
;; CHECK-NEXT:  (local $0 funcref)
