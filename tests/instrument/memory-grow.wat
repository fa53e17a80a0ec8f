;; Every memory.grow becomes a call to $viewsan.grow with its own site, wherever it sits: as a
;; statement, deep inside the operands of other expressions, inside another memory.grow, in a
;; try or catch body. Sites are numbered in the order the instructions appear in the binary.

;; RUN: wat2wasm --debug-names --enable-threads --enable-exceptions %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -S -o - | FileCheck %s

(module
  (memory 1 100 shared)
  (table 1 funcref)
  ;; Unnamed, as Binaryen 108 could not read the tag names wabt writes in the name section.
  (tag (param i32))
  (global $g (mut i32) (i32.const 0))

  (func $statement
    (drop (memory.grow (i32.const 1))))

  (func $deep (param $p i32) (result i32)
    (block (result i32)
      (if (result i32) (local.get $p)
        (then
          (i32.add
            (i32.const 1)
            (select (i32.const 2) (i32.const 3) (i32.load (memory.grow (i32.const 4))))))
        (else
          (memory.grow (memory.grow (i32.const 5)))))))

  (func $operands (param $p i32) (result i32)
    (i32.store (local.get $p) (memory.grow (i32.const 6)))
    (global.set $g (memory.grow (i32.const 7)))
    (drop (i32.atomic.rmw.add (i32.const 0) (memory.grow (i32.const 8))))
    (memory.fill (i32.const 0) (i32.const 0) (memory.grow (i32.const 9)))
    (call_indirect (param i32) (memory.grow (i32.const 10)) (memory.grow (i32.const 11)))
    (drop (br_if 0 (memory.grow (i32.const 12)) (local.get $p)))
    (return (memory.grow (i32.const 13))))

  (func $handler
    (try
      (do (drop (memory.grow (i32.const 14))))
      (catch 0
        ;; The caught i32 is the first operand of the add.
        (drop (i32.add (memory.grow (i32.const 15)))))))

  (func $none (result i32)
    (memory.size))
)

;; The hook imports, every memory.grow replaced in place, and the helper.
;; CHECK:      (import "viewsan" "grow_begin" (func $viewsan.grow_begin (type $4) (param i32 i32)))
;; CHECK:      (import "viewsan" "grow_end" (func $viewsan.grow_end (type $5) (param i32 i32 i32)))
;; CHECK:      (func $statement (type $1)
;; CHECK-NEXT:  (drop
;; CHECK-NEXT:   (call $viewsan.grow
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:    (i32.const 0)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $deep (type $2) (param $p i32) (result i32)
;; CHECK-NEXT:  (if (result i32)
;; CHECK-NEXT:   (local.get $p)
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (i32.add
;; CHECK-NEXT:     (i32.const 1)
;; CHECK-NEXT:     (select
;; CHECK-NEXT:      (i32.const 2)
;; CHECK-NEXT:      (i32.const 3)
;; CHECK-NEXT:      (i32.load
;; CHECK-NEXT:       (call $viewsan.grow
;; CHECK-NEXT:        (i32.const 4)
;; CHECK-NEXT:        (i32.const 1)
;; CHECK-NEXT:       )
;; CHECK-NEXT:      )
;; CHECK-NEXT:     )
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (else
;; CHECK-NEXT:    (call $viewsan.grow
;; CHECK-NEXT:     (call $viewsan.grow
;; CHECK-NEXT:      (i32.const 5)
;; CHECK-NEXT:      (i32.const 2)
;; CHECK-NEXT:     )
;; CHECK-NEXT:     (i32.const 3)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $operands (type $2) (param $p i32) (result i32)
;; CHECK-NEXT:  (block $block (result i32)
;; CHECK-NEXT:   (i32.store
;; CHECK-NEXT:    (local.get $p)
;; CHECK-NEXT:    (call $viewsan.grow
;; CHECK-NEXT:     (i32.const 6)
;; CHECK-NEXT:     (i32.const 4)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (global.set $g
;; CHECK-NEXT:    (call $viewsan.grow
;; CHECK-NEXT:     (i32.const 7)
;; CHECK-NEXT:     (i32.const 5)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (drop
;; CHECK-NEXT:    (i32.atomic.rmw.add
;; CHECK-NEXT:     (i32.const 0)
;; CHECK-NEXT:     (call $viewsan.grow
;; CHECK-NEXT:      (i32.const 8)
;; CHECK-NEXT:      (i32.const 6)
;; CHECK-NEXT:     )
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (memory.fill
;; CHECK-NEXT:    (i32.const 0)
;; CHECK-NEXT:    (i32.const 0)
;; CHECK-NEXT:    (call $viewsan.grow
;; CHECK-NEXT:     (i32.const 9)
;; CHECK-NEXT:     (i32.const 7)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (call_indirect $0 (type $0)
;; CHECK-NEXT:    (call $viewsan.grow
;; CHECK-NEXT:     (i32.const 10)
;; CHECK-NEXT:     (i32.const 8)
;; CHECK-NEXT:    )
;; CHECK-NEXT:    (call $viewsan.grow
;; CHECK-NEXT:     (i32.const 11)
;; CHECK-NEXT:     (i32.const 9)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (drop
;; CHECK-NEXT:    (br_if $block
;; CHECK-NEXT:     (call $viewsan.grow
;; CHECK-NEXT:      (i32.const 12)
;; CHECK-NEXT:      (i32.const 10)
;; CHECK-NEXT:     )
;; CHECK-NEXT:     (local.get $p)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (return
;; CHECK-NEXT:    (call $viewsan.grow
;; CHECK-NEXT:     (i32.const 13)
;; CHECK-NEXT:     (i32.const 11)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $handler (type $1)
;; CHECK-NEXT:  (try
;; CHECK-NEXT:   (do
;; CHECK-NEXT:    (drop
;; CHECK-NEXT:     (call $viewsan.grow
;; CHECK-NEXT:      (i32.const 14)
;; CHECK-NEXT:      (i32.const 12)
;; CHECK-NEXT:     )
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (catch $tag$0
;; CHECK-NEXT:    (drop
;; CHECK-NEXT:     (i32.add
;; CHECK-NEXT:      (pop i32)
;; CHECK-NEXT:      (call $viewsan.grow
;; CHECK-NEXT:       (i32.const 15)
;; CHECK-NEXT:       (i32.const 13)
;; CHECK-NEXT:      )
;; CHECK-NEXT:     )
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $none (type $3) (result i32)
;; CHECK-NEXT:  (memory.size)
;; CHECK-NEXT: )
;; CHECK:      (func $viewsan.grow (type $6) (param $delta i32) (param $site i32) (result i32)
;; CHECK-NEXT:  (local $prev i32)
;; CHECK-NEXT:  (call $viewsan.grow_begin
;; CHECK-NEXT:   (local.get $delta)
;; CHECK-NEXT:   (local.get $site)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.set $prev
;; CHECK-NEXT:   (memory.grow
;; CHECK-NEXT:    (local.get $delta)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (call $viewsan.grow_end
;; CHECK-NEXT:   (local.get $prev)
;; CHECK-NEXT:   (local.get $delta)
;; CHECK-NEXT:   (local.get $site)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $prev)
;; CHECK-NEXT: )
