;; Coverage is "complete" only when no function of the allocator's implementation (a function
;; with an allocator's name, sbrk, a function that executes memory.grow) is reachable from an
;; entry point (an export, the start function, a function in a table or taken by ref.func) along
;; direct calls without passing a hooked function; else "partial", with the path that was found.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s --check-prefix=COMPLETE

;; The same module with an export that reaches sbrk through a helper, out of the hooks' sight.
;; RUN: sed -e 's/;;EXPORTED //' %s > %t.direct.wat
;; RUN: wat2wasm --debug-names %t.direct.wat -o %t.direct.wasm
;; RUN: viewsan-instrument %t.direct.wasm --list | FileCheck %s --check-prefix=DIRECT

;; The same with the helper only in a table: call_indirect can reach it.
;; RUN: sed -e 's/;;TABLED //' %s > %t.tabled.wat
;; RUN: wat2wasm --debug-names %t.tabled.wat -o %t.tabled.wasm
;; RUN: viewsan-instrument %t.tabled.wasm --list | FileCheck %s --check-prefix=TABLED

;; The same with a function that grows memory for its own use, called by an export.
;; RUN: sed -e 's/;;GROWS //' %s > %t.grows.wat
;; RUN: wat2wasm --debug-names %t.grows.wat -o %t.grows.wasm
;; RUN: viewsan-instrument %t.grows.wasm --list | FileCheck %s --check-prefix=GROWS

(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (table 4 funcref)
  (elem (i32.const 0) $malloc $free)
  ;;TABLED (elem (i32.const 2) $bump)

  (func $sbrk (param $bytes i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (if (i32.gt_u (i32.add (local.get $p) (local.get $bytes)) (i32.const 65536))
      (then (drop (memory.grow (i32.const 1)))))
    (global.set $top (i32.add (local.get $p) (local.get $bytes)))
    (local.get $p))

  (func $malloc (export "malloc") (param $size i32) (result i32)
    (call $sbrk (i32.and (i32.add (local.get $size) (i32.const 7)) (i32.const -8))))

  (func $free (export "free") (param $ptr i32))

  (func $bump (param $size i32) (result i32)
    (call $sbrk (local.get $size)))

  ;;EXPORTED (func (export "fast_alloc") (param $size i32) (result i32)
  ;;EXPORTED   (call $bump (local.get $size)))

  ;;GROWS (func $scratch (result i32) (memory.grow (i32.const 4)))
  ;;GROWS (func (export "reserve") (result i32) (call $scratch))

  (func (export "work") (result i32)
    (call $free (call $malloc (i32.const 8)))
    (call $malloc (i32.const 16)))
)

;; COMPLETE: coverage     complete
;; DIRECT: coverage     partial (sbrk (which grows memory) is reached from export "fast_alloc" through bump without passing a hook)
;; TABLED: coverage     partial (sbrk (which grows memory) is reached from entry point bump without passing a hook)
;; GROWS: coverage     partial (scratch (which grows memory) is reached from export "reserve" without passing a hook)
