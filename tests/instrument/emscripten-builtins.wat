;; Newer Emscripten releases alias calloc and realloc as emscripten_builtin_calloc and
;; emscripten_builtin_realloc, and a module's name section may show only those names for them
;; (mupdf's does). They are found by name; their heap grows through the emscripten_resize_heap
;; import, which makes a function that calls it part of the allocator's implementation.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s

;; The same module with its realloc under a name no table knows: the resize is reachable out of
;; the hooks' sight, and coverage is partial.
;; RUN: sed -e 's/\$emscripten_builtin_realloc/$grow_block/g' %s > %t.renamed.wat
;; RUN: wat2wasm --debug-names %t.renamed.wat -o %t.renamed.wasm
;; RUN: viewsan-instrument %t.renamed.wasm --list | FileCheck %s --check-prefix=RENAMED

(module
  (import "a" "h" (func $emscripten_resize_heap (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (table 2 funcref)
  (elem (i32.const 0) $realloc_default)

  ;; The heap's top, grown by the host when it passes the memory's end.
  (func $more (param $bytes i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (if (i32.gt_u (i32.add (local.get $p) (local.get $bytes)) (i32.const 65536))
      (then (drop (call $emscripten_resize_heap (i32.const 131072)))))
    (global.set $top (i32.add (local.get $p) (local.get $bytes)))
    (local.get $p))

  (func $emscripten_builtin_malloc (export "z") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (local.get $p))
  (func $emscripten_builtin_calloc (param $count i32) (param $size i32) (result i32)
    (call $more (i32.mul (local.get $count) (local.get $size))))
  ;; Resizes in place at the top of the heap, else moves.
  (func $emscripten_builtin_realloc (param $ptr i32) (param $size i32) (result i32)
    (if (result i32) (i32.eqz (local.get $ptr))
      (then (call $more (local.get $size)))
      (else (drop (call $more (local.get $size))) (local.get $ptr))))
  (func $emscripten_builtin_free (export "A") (param $ptr i32))

  ;; A library's allocator hooks, entered through the table (mupdf's fz_realloc_default).
  (func $realloc_default (param $ptr i32) (param $size i32) (result i32)
    (call $emscripten_builtin_realloc (local.get $ptr) (local.get $size)))

  (func (export "work") (result i32)
    (call $emscripten_builtin_free (call $emscripten_builtin_calloc (i32.const 4) (i32.const 8)))
    (call $emscripten_builtin_malloc (i32.const 16)))
)

;; CHECK: allocators   4 hooked
;; CHECK-DAG: emscripten_builtin_calloc{{ +}}alloc{{ +}}count=0,size=1{{ +}}1 direct call{{ +}}found by name "emscripten_builtin_calloc"
;; CHECK-DAG: emscripten_builtin_realloc{{ +}}realloc{{ +}}ptr=0,size=1{{ +}}1 direct call{{ +}}found by name "emscripten_builtin_realloc"
;; CHECK: coverage     complete

;; RENAMED: allocators   3 hooked
;; RENAMED: coverage     partial (more (which grows memory through emscripten_resize_heap) is reached from entry point realloc_default through grow_block without passing a hook)
