;; --alloc and --free on arena functions whose first parameter is a non-nullable reference: the
;; hooked wrappers take it as a parameter and pass it on, and need no local of its type (Binaryen
;; 108 failed with "vars must be defaultable").
;;
;; wabt 1.0.32 writes (ref $t) in a pre-standard encoding (0x6b) that Binaryen 132 reads as
;; structref, so this fixture is assembled by Binaryen 132's own wasm-opt.

;; RUN: $WASM_OPT_132 --all-features -g %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -S -o - --alloc arena_alloc:size=1 --free arena_free:ptr=1 \
;; RUN:   | FileCheck %s
;; RUN: viewsan-instrument %t.wasm -o %t.vs.wasm --alloc arena_alloc:size=1 --free arena_free:ptr=1
;; RUN: $WASM_OPT_132 --all-features %t.vs.wasm -o /dev/null

(module
  (type $arena (struct (field $top (mut i32))))
  (type $notify (func (param i32)))
  (memory (export "memory") 1)
  (elem declare func $ignore)

  (func $ignore (type $notify) (param i32))

  (func $arena_alloc (export "arena_alloc") (param $arena (ref $arena)) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (struct.get $arena $top (local.get $arena)))
    (struct.set $arena $top (local.get $arena) (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  (func $arena_free (export "arena_free") (param $notify (ref $notify)) (param $ptr i32)
    (call_ref $notify (local.get $ptr) (local.get $notify)))

  (func (export "use") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (call $arena_alloc (struct.new $arena (i32.const 1024)) (local.get $size)))
    (call $arena_free (ref.func $ignore) (local.get $p))
    (local.get $p))
)

;; CHECK:      (func $arena_alloc (type ${{[0-9]+}}) (param $arena (ref $arena)) (param $size i32) (result i32)
;; CHECK-NEXT:  (call $arena_alloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $arena)
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 0)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (call $arena_alloc$viewsan.hooked
;; CHECK-NEXT:  (struct.new $arena
;; CHECK-NEXT:   (i32.const 1024)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $size)
;; CHECK-NEXT:  (i32.const 2)
;; CHECK-NEXT: )
;; CHECK:      (call $arena_free$viewsan.hooked
;; CHECK-NEXT:  (ref.func $ignore)
;; CHECK-NEXT:  (local.get $p)
;; CHECK-NEXT:  (i32.const 3)
;; CHECK-NEXT: )
;; CHECK:      (func $arena_alloc$viewsan.hooked (type ${{[0-9]+}}) (param $arena (ref $arena)) (param $size i32) (param $site i32) (result i32)
;; CHECK-NEXT:  (local $result i32)
;; CHECK:        (call $viewsan.alloc
;; CHECK-NEXT:    (local.get $result)
;; CHECK-NEXT:    (local.get $size)
;; CHECK-NEXT:    (local.get $site)
;; CHECK-NEXT:   )
;; CHECK:      (func $arena_free$viewsan.hooked (type ${{[0-9]+}}) (param $notify (ref $notify)) (param $ptr i32) (param $site i32)
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
;; CHECK:       (call $arena_free$viewsan.orig
;; CHECK-NEXT:   (local.get $notify)
;; CHECK-NEXT:   (local.get $ptr)
;; CHECK-NEXT:  )
