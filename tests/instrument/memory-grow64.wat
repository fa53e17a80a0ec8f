;; The memory64 twin of memory-grow.wat: pages are i64, so the helper and the grow_begin64 and
;; grow_end64 hooks take i64 deltas and results; the site stays i32.

;; RUN: wat2wasm --debug-names --enable-memory64 %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -S -o - | FileCheck %s

(module
  (memory i64 1)

  (func $sbrk (param $pages i64) (result i64)
    (memory.grow (local.get $pages)))

  (func $nested (result i64)
    (i64.add (i64.const 1) (memory.grow (memory.grow (i64.const 2)))))
)

;; CHECK:      (import "viewsan" "grow_begin64" (func $viewsan.grow_begin64 (type $2) (param i64 i32)))
;; CHECK:      (import "viewsan" "grow_end64" (func $viewsan.grow_end64 (type $3) (param i64 i64 i32)))
;; CHECK:      (func $sbrk (type $0) (param $pages i64) (result i64)
;; CHECK-NEXT:  (call $viewsan.grow
;; CHECK-NEXT:   (local.get $pages)
;; CHECK-NEXT:   (i32.const 0)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $nested (type $1) (result i64)
;; CHECK-NEXT:  (i64.add
;; CHECK-NEXT:   (i64.const 1)
;; CHECK-NEXT:   (call $viewsan.grow
;; CHECK-NEXT:    (call $viewsan.grow
;; CHECK-NEXT:     (i64.const 2)
;; CHECK-NEXT:     (i32.const 1)
;; CHECK-NEXT:    )
;; CHECK-NEXT:    (i32.const 2)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $viewsan.grow (type $4) (param $delta i64) (param $site i32) (result i64)
;; CHECK-NEXT:  (local $prev i64)
;; CHECK-NEXT:  (call $viewsan.grow_begin64
;; CHECK-NEXT:   (local.get $delta)
;; CHECK-NEXT:   (local.get $site)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.set $prev
;; CHECK-NEXT:   (memory.grow
;; CHECK-NEXT:    (local.get $delta)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (call $viewsan.grow_end64
;; CHECK-NEXT:   (local.get $prev)
;; CHECK-NEXT:   (local.get $delta)
;; CHECK-NEXT:   (local.get $site)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $prev)
;; CHECK-NEXT: )
