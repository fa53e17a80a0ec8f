;; --list prints what was found and what instrumenting would hook, and writes nothing. An
;; allocator that cannot be hooked (here, an imported realloc, and a calloc whose signature does
;; not fit) is listed with the reason, and makes coverage partial: allocations through it are
;; not all seen.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s --strict-whitespace --match-full-lines
;; RUN: viewsan-instrument %t.wasm --list --module-name app | FileCheck %s --check-prefix=NAMED

(module
  (import "env" "realloc" (func $realloc (param i32 i32) (result i32)))
  (memory 1)
  (func $dlmalloc (export "malloc") (param $size i32) (result i32)
    (drop (memory.grow (i32.const 1)))
    (i32.const 1024))
  (func $free (export "free") (param $ptr i32))
  (func $calloc (param $size i32) (result i32)
    (i32.const 0))
  (func $user (result i32)
    (call $free (call $dlmalloc (i32.const 8)))
    (call $dlmalloc (i32.const 16)))
)

;;       CHECK:module       list.wat.wasm (from the file name)
;; CHECK-NEXT:memory       memory32
;; CHECK-NEXT:names        name section present
;; CHECK-NEXT:memory.grow  1 instruction
;; CHECK-NEXT:allocators   2 hooked
;; CHECK-NEXT:  dlmalloc  alloc  size=0  2 direct calls  found by export "malloc", name "dlmalloc"
;; CHECK-NEXT:  free      free   ptr=0   1 direct call   found by export "free", name "free"
;; CHECK-NEXT:not hooked   2
;; CHECK-NEXT:  realloc  it is imported; only functions defined in the module can be wrapped
;; CHECK-NEXT:  calloc   it has 1 parameter, too few for count=0,size=1
;; CHECK-NEXT:sites        6
;; CHECK-NEXT:coverage     partial (realloc is not hooked: it is imported; only functions defined in the module can be wrapped)
;;  CHECK-NOT:{{.}}

;; NAMED: module       app (from the --module-name)
