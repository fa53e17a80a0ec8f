;; A module whose allocator has no name viewsan knows (a bump allocator nobody named, Go's
;; runtime) is instrumented for memory growth only: a note says so, and the exit status is 0.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -o %t.out.wasm 2>&1 | FileCheck %s --check-prefix=NOTE
;; RUN: viewsan-instrument %t.wasm -S -o - 2>/dev/null | FileCheck %s

(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (func $bump (export "bump") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $top) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.const 1)))))
    (local.get $p))
)

;; NOTE: growth-only.wat.wasm: note: no allocator found: only memory.grow is instrumented (name one with --alloc, --free or --realloc, or give a minified build's JS with --emscripten-glue or --wasm-bindgen-glue)
;; NOTE-NOT: {{.}}

;; CHECK:      (import "viewsan" "grow_begin" (func $viewsan.grow_begin (type $1) (param i32 i32)))
;; CHECK-NEXT: (import "viewsan" "grow_end" (func $viewsan.grow_end (type $2) (param i32 i32 i32)))
;; CHECK-NOT:  (import "viewsan"
;; CHECK:      (func $bump (type $0) (param $size i32) (result i32)
;; CHECK-NOT:  viewsan.hooked
;; CHECK:          (call $viewsan.grow
;; CHECK:      "{\"version\":1,\"module\":\"growth-only.wat.wasm\",\"coverage\":\"partial\",\"sites\":[{\"id\":0,\"kind\":\"memory.grow\",\"func\":\"bump\",\"callee\":null,\"offset\":{{[0-9]+}}}]}"
