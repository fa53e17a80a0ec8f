;; An allocator named without its free (`--alloc` alone, as for lightningcss-wasm's
;; napi_wasm_malloc, whose free is neither exported nor named): every allocation inside the module
;; stays live as far as viewsan knows. A note says so, and the exit status is 0.

;; RUN: wat2wasm %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -o %t.out.wasm --alloc grab 2>&1 | FileCheck %s --check-prefix=NOTE
;; RUN: viewsan-instrument %t.wasm -o %t.out.wasm --alloc grab --free drop 2>&1 | FileCheck %s --check-prefix=BOTH --allow-empty

(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (func $grab (export "grab") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (local.get $p))
  (func $drop (export "drop") (param $ptr i32))
)

;; NOTE: alloc-without-free.wat.wasm: note: no free found: every allocation inside the module stays live as far as viewsan knows, and views over it are judged loosely (name the free with --free)
;; NOTE-NOT: {{.}}

;; BOTH-NOT: {{.}}
