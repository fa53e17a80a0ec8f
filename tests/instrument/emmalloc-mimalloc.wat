;; The entry points of Emscripten's other allocators are found by name, with their own argument
;; positions: emmalloc's memalign takes the alignment first, mimalloc's aligned forms the size.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s

(module
  (memory (export "memory") 1)
  (func $emmalloc_memalign (param $align i32) (param $size i32) (result i32) (i32.const 1024))
  (func $emmalloc_free (param $ptr i32))
  (func $mi_malloc_aligned (param $size i32) (param $align i32) (result i32) (i32.const 2048))
  (func $mi_realloc_aligned (param $p i32) (param $size i32) (param $align i32) (result i32) (local.get $p))
  (func $mi_free (param $ptr i32))
  (func (export "work")
    (call $emmalloc_free (call $emmalloc_memalign (i32.const 16) (i32.const 64)))
    (call $mi_free (call $mi_realloc_aligned (call $mi_malloc_aligned (i32.const 64) (i32.const 16))
                                             (i32.const 128) (i32.const 16))))
)

;; CHECK: allocators   5 hooked
;; CHECK-DAG: emmalloc_memalign{{ +}}alloc{{ +}}size=1{{ +}}1 direct call{{ +}}found by name "emmalloc_memalign"
;; CHECK-DAG: emmalloc_free{{ +}}free{{ +}}ptr=0{{ +}}1 direct call
;; CHECK-DAG: mi_malloc_aligned{{ +}}alloc{{ +}}size=0{{ +}}1 direct call
;; CHECK-DAG: mi_realloc_aligned{{ +}}realloc{{ +}}ptr=0,size=1{{ +}}1 direct call
;; CHECK-DAG: mi_free{{ +}}free{{ +}}ptr=0{{ +}}1 direct call
