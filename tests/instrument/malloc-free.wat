;; A C-style allocator: malloc, free, calloc and realloc are each wrapped, keep their exports and
;; table slots, and every direct call to one goes to its hooked wrapper with its own site. The
;; hooked wrappers count depth, so calloc's and realloc's own calls to malloc and free report
;; nothing: each allocation is reported once, by the outermost call.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -S -o - | FileCheck %s

(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (table 2 funcref)
  (elem (i32.const 0) $malloc $free)

  (func $malloc (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  (func $free (export "free") (param $ptr i32))

  (func $calloc (export "calloc") (param $count i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (call $malloc (i32.mul (local.get $count) (local.get $size))))
    (memory.fill (local.get $p) (i32.const 0) (i32.mul (local.get $count) (local.get $size)))
    (local.get $p))

  (func $realloc (export "realloc") (param $old i32) (param $size i32) (result i32)
    (local $new i32)
    (local.set $new (call $malloc (local.get $size)))
    (memory.copy (local.get $new) (local.get $old) (local.get $size))
    (call $free (local.get $old))
    (local.get $new))

  ;; Direct calls get sites of their own; the call_indirect goes through the table to $malloc,
  ;; which passes malloc's export site.
  (func $user (export "user") (result i32)
    (call $free (call $malloc (i32.const 8)))
    (call_indirect (param i32) (result i32) (i32.const 16) (i32.const 0)))
)

;; CHECK:      (import "viewsan" "alloc" (func $viewsan.alloc (type $6) (param i32 i32 i32)))
;; CHECK:      (import "viewsan" "free" (func $viewsan.free (type $4) (param i32 i32)))
;; CHECK:      (import "viewsan" "realloc" (func $viewsan.realloc (type $7) (param i32 i32 i32 i32)))
;; CHECK:      (global $viewsan.depth (mut i32) (i32.const 0))
;; CHECK:      (elem $0 (i32.const 0) $malloc $free)
;; CHECK:      (export "malloc" (func $malloc))
;; CHECK:      (export "free" (func $free))
;; CHECK:      (export "calloc" (func $calloc))
;; CHECK:      (export "realloc" (func $realloc))
;; CHECK:      (export "user" (func $user))
;; CHECK:      (func $malloc (type $0) (param $size i32) (result i32)
;; CHECK-NEXT:  (call $malloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 0)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $free (type $1) (param $ptr i32)
;; CHECK-NEXT:  (call $free$viewsan.hooked
;; CHECK-NEXT:   (local.get $ptr)
;; CHECK-NEXT:   (i32.const 1)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $calloc (type $2) (param $count i32) (param $size i32) (result i32)
;; CHECK-NEXT:  (call $calloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $count)
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 2)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $realloc (type $2) (param $old i32) (param $size i32) (result i32)
;; CHECK-NEXT:  (call $realloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $old)
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 3)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $user (type $3) (result i32)
;; CHECK-NEXT:  (call $free$viewsan.hooked
;; CHECK-NEXT:   (call $malloc$viewsan.hooked
;; CHECK-NEXT:    (i32.const 8)
;; CHECK-NEXT:    (i32.const 7)
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (i32.const 8)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (call_indirect $0 (type $0)
;; CHECK-NEXT:   (i32.const 16)
;; CHECK-NEXT:   (i32.const 0)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $malloc$viewsan.orig (type $0) (param $size i32) (result i32)
;; CHECK-NEXT:  (local $p i32)
;; CHECK-NEXT:  (local.set $p
;; CHECK-NEXT:   (global.get $top)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (global.set $top
;; CHECK-NEXT:   (i32.add
;; CHECK-NEXT:    (local.get $p)
;; CHECK-NEXT:    (local.get $size)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $p)
;; CHECK-NEXT: )
;; CHECK:      (func $malloc$viewsan.hooked (type $2) (param $size i32) (param $site i32) (result i32)
;; CHECK-NEXT:  (local $result i32)
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.add
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.set $result
;; CHECK-NEXT:   (call $malloc$viewsan.orig
;; CHECK-NEXT:    (local.get $size)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.sub
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (if
;; CHECK-NEXT:   (i32.eqz
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (call $viewsan.alloc
;; CHECK-NEXT:     (local.get $result)
;; CHECK-NEXT:     (local.get $size)
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $result)
;; CHECK-NEXT: )
;; CHECK:      (func $free$viewsan.orig (type $1) (param $ptr i32)
;; CHECK-NEXT: )
;; CHECK:      (func $free$viewsan.hooked (type $4) (param $ptr i32) (param $site i32)
;; CHECK-NEXT:  (if
;; CHECK-NEXT:   (i32.eqz
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (call $viewsan.free
;; CHECK-NEXT:     (local.get $ptr)
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.add
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (call $free$viewsan.orig
;; CHECK-NEXT:   (local.get $ptr)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.sub
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $calloc$viewsan.orig (type $2) (param $count i32) (param $size i32) (result i32)
;; CHECK-NEXT:  (local $p i32)
;; CHECK-NEXT:  (local.set $p
;; CHECK-NEXT:   (call $malloc$viewsan.hooked
;; CHECK-NEXT:    (i32.mul
;; CHECK-NEXT:     (local.get $count)
;; CHECK-NEXT:     (local.get $size)
;; CHECK-NEXT:    )
;; CHECK-NEXT:    (i32.const 4)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (memory.fill
;; CHECK-NEXT:   (local.get $p)
;; CHECK-NEXT:   (i32.const 0)
;; CHECK-NEXT:   (i32.mul
;; CHECK-NEXT:    (local.get $count)
;; CHECK-NEXT:    (local.get $size)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $p)
;; CHECK-NEXT: )
;; CHECK:      (func $calloc$viewsan.hooked (type $5) (param $count i32) (param $size i32) (param $site i32) (result i32)
;; CHECK-NEXT:  (local $result i32)
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.add
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.set $result
;; CHECK-NEXT:   (call $calloc$viewsan.orig
;; CHECK-NEXT:    (local.get $count)
;; CHECK-NEXT:    (local.get $size)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.sub
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (if
;; CHECK-NEXT:   (i32.eqz
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (call $viewsan.alloc
;; CHECK-NEXT:     (local.get $result)
;; CHECK-NEXT:     (i32.mul
;; CHECK-NEXT:      (local.get $count)
;; CHECK-NEXT:      (local.get $size)
;; CHECK-NEXT:     )
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $result)
;; CHECK-NEXT: )
;; CHECK:      (func $realloc$viewsan.orig (type $2) (param $old i32) (param $size i32) (result i32)
;; CHECK-NEXT:  (local $new i32)
;; CHECK-NEXT:  (local.set $new
;; CHECK-NEXT:   (call $malloc$viewsan.hooked
;; CHECK-NEXT:    (local.get $size)
;; CHECK-NEXT:    (i32.const 5)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (memory.copy
;; CHECK-NEXT:   (local.get $new)
;; CHECK-NEXT:   (local.get $old)
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (call $free$viewsan.hooked
;; CHECK-NEXT:   (local.get $old)
;; CHECK-NEXT:   (i32.const 6)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $new)
;; CHECK-NEXT: )
;; CHECK:      (func $realloc$viewsan.hooked (type $5) (param $old i32) (param $size i32) (param $site i32) (result i32)
;; CHECK-NEXT:  (local $result i32)
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.add
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.set $result
;; CHECK-NEXT:   (call $realloc$viewsan.orig
;; CHECK-NEXT:    (local.get $old)
;; CHECK-NEXT:    (local.get $size)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.sub
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (if
;; CHECK-NEXT:   (i32.eqz
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (call $viewsan.realloc
;; CHECK-NEXT:     (local.get $old)
;; CHECK-NEXT:     (local.get $result)
;; CHECK-NEXT:     (local.get $size)
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $result)
;; CHECK-NEXT: )
