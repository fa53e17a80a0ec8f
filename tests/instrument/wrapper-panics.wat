;; A wasm-bindgen build whose __wbindgen_free holds Rust's dealloc inlined: it checks the layout
;; and panics on a bad one (a call that never returns, then unreachable) before calling the
;; allocator's free, which the module's own code calls too (@swc/wasm 1.7 is built so). The
;; panicking call forwards nothing: the free below is found and hooked, so the frees the module's
;; code makes are reported.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s --check-prefix=LIST

;; Where the wrapper makes a second call that returns, it is no forwarding wrapper: only the export
;; is hooked, the module's code frees out of the hooks' sight, and coverage says so.
;; RUN: sed -e 's/;;LOGS //' %s > %t.logs.wat
;; RUN: wat2wasm --debug-names %t.logs.wat -o %t.logs.wasm
;; RUN: viewsan-instrument %t.logs.wasm --list | FileCheck %s --check-prefix=UNSEEN

(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (global $freed (mut i32) (i32.const 0))

  ;; The allocator: takes from the top, growing the memory when it runs out.
  (func $take (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $top) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.const 1)))))
    (local.get $p))
  (func $give_back (param $ptr i32)
    (global.set $freed (i32.add (global.get $freed) (i32.const 1))))
  (func $note (param $ptr i32))
  (func $panic (param $message i32) (param $length i32)
    (unreachable))

  (func $wbindgen_malloc (export "__wbindgen_malloc") (param $size i32) (param $align i32) (result i32)
    (call $take (local.get $size)))
  (func $wbindgen_free (export "__wbindgen_free") (param $ptr i32) (param $size i32) (param $align i32)
    (block $bad
      (br_if $bad (i32.eqz (local.get $align)))
      ;;LOGS (call $note (local.get $ptr))
      (call $give_back (local.get $ptr))
      (return))
    (call $panic (i32.const 16) (i32.const 4))
    (unreachable))

  ;; The module's own code: a scratch buffer, taken and given back.
  (func $work (export "work") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (call $take (local.get $n)))
    (call $give_back (local.get $p))
    (local.get $p))
)

;; LIST:      allocators   4 hooked
;; LIST-NEXT:   take             alloc  size=0  2 direct calls  found as the function wbindgen_malloc forwards to
;; LIST-NEXT:   give_back        free   ptr=0   2 direct calls  found as the function wbindgen_free forwards to
;; LIST-NEXT:   wbindgen_malloc  alloc  size=0  0 direct calls  found by export "__wbindgen_malloc"; forwards to take
;; LIST-NEXT:   wbindgen_free    free   ptr=0   0 direct calls  found by export "__wbindgen_free"; forwards to give_back
;; LIST:      coverage     complete

;; UNSEEN:      allocators   3 hooked
;; UNSEEN:      wbindgen_free    free   ptr=0   0 direct calls  found by export "__wbindgen_free"{{$}}
;; UNSEEN:      coverage     partial (the module's code allocates through take but calls no hooked freeing function (wbindgen_free is only entered from outside))
