;; A module that uses memory.init and data.drop needs a data count section, and engines refuse
;; it without one. Binaryen writes that section only when bulk memory is enabled, and a module
;; with no target_features section (Emscripten writes none) declares no features: the
;; instrumented module keeps its data count section all the same, and still compiles.

;; RUN: wat2wasm %s -o %t.wasm
;; RUN: wasm-objdump -h %t.wasm | FileCheck %s --check-prefix=INPUT
;; RUN: viewsan-instrument %t.wasm -o %t.out.wasm
;; RUN: wasm-objdump -h %t.out.wasm | FileCheck %s
;; RUN: wasm-validate %t.out.wasm

(module
  (memory 1)
  (data $hello "hello")
  (func $malloc (export "malloc") (param $size i32) (result i32)
    (memory.init $hello (i32.const 1024) (i32.const 0) (i32.const 5))
    (data.drop $hello)
    (drop (memory.grow (i32.const 1)))
    (i32.const 1024))
)

;; INPUT:     DataCount
;; INPUT-NOT: "target_features"

;; CHECK:     DataCount start={{.*}} count: 1
;; CHECK:     Code
;; CHECK:     Data
