;; Following stops where it would guess. Here malloc(n) and realloc(p, n) both forward to one
;; function, reached once as an allocation with the size second, once as a reallocation: it is
;; hooked as neither, and malloc and realloc report for themselves. A cycle of forwarding
;; functions (ping calls pong calls ping) would have no function at its end to report: it is
;; broken at its first member, which reports for itself.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list --alloc ping --alloc pong \
;; RUN:   | FileCheck %s --strict-whitespace --match-full-lines

(module
  (memory 1)
  (global $top (mut i32) (i32.const 1024))
  (func $resize (param $ptr i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (memory.copy (local.get $p) (local.get $ptr) (local.get $size))
    (local.get $p))
  (func $malloc (export "malloc") (param $size i32) (result i32)
    (call $resize (i32.const 0) (local.get $size)))
  (func $realloc (export "realloc") (param $ptr i32) (param $size i32) (result i32)
    (call $resize (local.get $ptr) (local.get $size)))

  (func $ping (param $size i32) (result i32)
    (if (result i32) (i32.gt_u (local.get $size) (i32.const 100))
      (then (i32.const 0))
      (else (call $pong (local.get $size)))))
  (func $pong (param $size i32) (result i32)
    (call $ping (local.get $size)))
)

;;      CHECK:allocators   4 hooked
;; CHECK-NEXT:  malloc   alloc    size=0        0 direct calls  found by export "malloc", name "malloc"
;; CHECK-NEXT:  realloc  realloc  ptr=0,size=1  0 direct calls  found by export "realloc", name "realloc"
;; CHECK-NEXT:  ping     alloc    size=0        1 direct call   found by name "ping" (--alloc)
;; CHECK-NEXT:  pong     alloc    size=0        1 direct call   found by name "pong" (--alloc); forwards to ping
