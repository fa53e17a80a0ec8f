;; The memory64 twin of malloc-free.wat: pointers and sizes are i64, so the wrappers call the
;; alloc64, free64 and realloc64 hooks and calloc's size is an i64 product; sites stay i32.
;; posix_memalign returns its pointer through memory, here with an i64 load.

;; RUN: wat2wasm --debug-names --enable-memory64 %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -S -o - | FileCheck %s

(module
  (memory (export "memory") i64 1)
  (global $top (mut i64) (i64.const 1024))
  (table 1 funcref)
  (elem (i32.const 0) $malloc)

  (func $malloc (export "malloc") (param $size i64) (result i64)
    (local $p i64)
    (local.set $p (global.get $top))
    (global.set $top (i64.add (local.get $p) (local.get $size)))
    (local.get $p))

  (func $free (export "free") (param $ptr i64))

  (func $calloc (export "calloc") (param $count i64) (param $size i64) (result i64)
    (call $malloc (i64.mul (local.get $count) (local.get $size))))

  (func $realloc (export "realloc") (param $old i64) (param $size i64) (result i64)
    (call $free (local.get $old))
    (call $malloc (local.get $size)))

  (func $posix_memalign (export "posix_memalign")
    (param $out i64) (param $alignment i64) (param $size i64) (result i32)
    (i64.store (local.get $out) (call $malloc (local.get $size)))
    (i32.const 0))
)

;; CHECK:      (import "viewsan" "alloc64" (func $viewsan.alloc64 (type $6) (param i64 i64 i32)))
;; CHECK:      (import "viewsan" "free64" (func $viewsan.free64 (type $4) (param i64 i32)))
;; CHECK:      (import "viewsan" "realloc64" (func $viewsan.realloc64 (type $8) (param i64 i64 i64 i32)))
;; CHECK:      (global $viewsan.depth (mut i32) (i32.const 0))
;; CHECK:      (elem $0 (i32.const 0) $malloc)
;; CHECK:      (export "malloc" (func $malloc))
;; CHECK:      (export "free" (func $free))
;; CHECK:      (export "calloc" (func $calloc))
;; CHECK:      (export "realloc" (func $realloc))
;; CHECK:      (export "posix_memalign" (func $posix_memalign))
;; CHECK:      (func $malloc (type $0) (param $size i64) (result i64)
;; CHECK-NEXT:  (call $malloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 0)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $free (type $1) (param $ptr i64)
;; CHECK-NEXT:  (call $free$viewsan.hooked
;; CHECK-NEXT:   (local.get $ptr)
;; CHECK-NEXT:   (i32.const 1)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $calloc (type $2) (param $count i64) (param $size i64) (result i64)
;; CHECK-NEXT:  (call $calloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $count)
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 2)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $realloc (type $2) (param $old i64) (param $size i64) (result i64)
;; CHECK-NEXT:  (call $realloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $old)
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 3)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $posix_memalign (type $3) (param $out i64) (param $alignment i64) (param $size i64) (result i32)
;; CHECK-NEXT:  (call $posix_memalign$viewsan.hooked
;; CHECK-NEXT:   (local.get $out)
;; CHECK-NEXT:   (local.get $alignment)
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 4)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $malloc$viewsan.orig (type $0) (param $size i64) (result i64)
;; CHECK-NEXT:  (local $p i64)
;; CHECK-NEXT:  (local.set $p
;; CHECK-NEXT:   (global.get $top)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (global.set $top
;; CHECK-NEXT:   (i64.add
;; CHECK-NEXT:    (local.get $p)
;; CHECK-NEXT:    (local.get $size)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $p)
;; CHECK-NEXT: )
;; CHECK:      (func $malloc$viewsan.hooked (type $7) (param $size i64) (param $site i32) (result i64)
;; CHECK-NEXT:  (local $result i64)
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
;; CHECK-NEXT:    (call $viewsan.alloc64
;; CHECK-NEXT:     (local.get $result)
;; CHECK-NEXT:     (local.get $size)
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $result)
;; CHECK-NEXT: )
;; CHECK:      (func $free$viewsan.orig (type $1) (param $ptr i64)
;; CHECK-NEXT: )
;; CHECK:      (func $free$viewsan.hooked (type $4) (param $ptr i64) (param $site i32)
;; CHECK-NEXT:  (if
;; CHECK-NEXT:   (i32.eqz
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (call $viewsan.free64
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
;; CHECK:      (func $calloc$viewsan.orig (type $2) (param $count i64) (param $size i64) (result i64)
;; CHECK-NEXT:  (call $malloc$viewsan.hooked
;; CHECK-NEXT:   (i64.mul
;; CHECK-NEXT:    (local.get $count)
;; CHECK-NEXT:    (local.get $size)
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (i32.const 5)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $calloc$viewsan.hooked (type $5) (param $count i64) (param $size i64) (param $site i32) (result i64)
;; CHECK-NEXT:  (local $result i64)
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
;; CHECK-NEXT:    (call $viewsan.alloc64
;; CHECK-NEXT:     (local.get $result)
;; CHECK-NEXT:     (i64.mul
;; CHECK-NEXT:      (local.get $count)
;; CHECK-NEXT:      (local.get $size)
;; CHECK-NEXT:     )
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $result)
;; CHECK-NEXT: )
;; CHECK:      (func $realloc$viewsan.orig (type $2) (param $old i64) (param $size i64) (result i64)
;; CHECK-NEXT:  (call $free$viewsan.hooked
;; CHECK-NEXT:   (local.get $old)
;; CHECK-NEXT:   (i32.const 6)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (call $malloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 7)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $realloc$viewsan.hooked (type $5) (param $old i64) (param $size i64) (param $site i32) (result i64)
;; CHECK-NEXT:  (local $result i64)
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
;; CHECK-NEXT:    (call $viewsan.realloc64
;; CHECK-NEXT:     (local.get $old)
;; CHECK-NEXT:     (local.get $result)
;; CHECK-NEXT:     (local.get $size)
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $result)
;; CHECK-NEXT: )
;; CHECK:      (func $posix_memalign$viewsan.orig (type $3) (param $out i64) (param $alignment i64) (param $size i64) (result i32)
;; CHECK-NEXT:  (i64.store
;; CHECK-NEXT:   (local.get $out)
;; CHECK-NEXT:   (call $malloc$viewsan.hooked
;; CHECK-NEXT:    (local.get $size)
;; CHECK-NEXT:    (i32.const 8)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (i32.const 0)
;; CHECK-NEXT: )
;; CHECK:      (func $posix_memalign$viewsan.hooked (type $9) (param $out i64) (param $alignment i64) (param $size i64) (param $site i32) (result i32)
;; CHECK-NEXT:  (local $result i32)
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.add
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.set $result
;; CHECK-NEXT:   (call $posix_memalign$viewsan.orig
;; CHECK-NEXT:    (local.get $out)
;; CHECK-NEXT:    (local.get $alignment)
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
;; CHECK-NEXT:    (i32.or
;; CHECK-NEXT:     (global.get $viewsan.depth)
;; CHECK-NEXT:     (local.get $result)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (call $viewsan.alloc64
;; CHECK-NEXT:     (i64.load
;; CHECK-NEXT:      (local.get $out)
;; CHECK-NEXT:     )
;; CHECK-NEXT:     (local.get $size)
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $result)
;; CHECK-NEXT: )
