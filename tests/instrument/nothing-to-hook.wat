;; A module with no allocator and no memory.grow (its glue grows the memory from JavaScript) has
;; nothing to hook: a note says so and what is still checked, the exit status is 0, and the output
;; carries the viewsan.sites section, by which the runtime knows the module was processed.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -o %t.out.wasm 2>&1 | FileCheck %s --check-prefix=NOTE
;; RUN: wasm-objdump -h %t.out.wasm | FileCheck %s --check-prefix=SECTIONS

(module
  (memory (export "memory") 1 64)
  (func $fill (export "fill") (param $ptr i32) (param $len i32) (param $byte i32)
    (memory.fill (local.get $ptr) (local.get $byte) (local.get $len)))
)

;; NOTE: nothing-to-hook.wat.wasm: note: no allocator found, and the module has no memory.grow: nothing is hooked; views over its memory are still checked for growth and misalignment (name one with --alloc, --free or --realloc, or give a minified build's JS with --emscripten-glue or --wasm-bindgen-glue)
;; NOTE-NOT: {{.}}

;; SECTIONS: Custom {{.*}} "viewsan.sites"
