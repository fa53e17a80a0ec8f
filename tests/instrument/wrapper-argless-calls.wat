;; Each export of a stripped @wasm-fmt/ruff_fmt 0.15 module starts with a call that takes no
;; argument and returns nothing, before its real work: __wbindgen_malloc, __wbindgen_realloc and
;; __wbindgen_free included. Such a call can pass on nothing of the wrapper's, so following the
;; wrappers (allocator-wrappers.h) looks past it, and hooks the functions the module's own code
;; allocates and frees with. A call that is given the size is another matter: not followed.

;; RUN: wat2wasm %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s --check-prefix=LIST
;; RUN: viewsan-instrument %t.wasm -o %t.vs.wasm
;; RUN: wasm-opt --all-features %t.vs.wasm -o /dev/null
;; RUN: viewsan-instrument %t.wasm --list --alloc logging_malloc:size=0 \
;; RUN:   | FileCheck %s --check-prefix=GIVEN-THE-SIZE

(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 4096))
  (global $calls (mut i32) (i32.const 0))

  (func $enter (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
  (func $log (param $size i32) (global.set $calls (local.get $size)))

  (func $rust_alloc (param $size i32) (param $align i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (local.get $p))
  (func $rust_dealloc (param $ptr i32) (param $size i32) (param $align i32))
  (func $rust_realloc
    (param $ptr i32) (param $old i32) (param $align i32) (param $new i32) (result i32)
    (local $p i32)
    (local.set $p (call $rust_alloc (local.get $new) (local.get $align)))
    (memory.copy (local.get $p) (local.get $ptr) (local.get $old))
    (local.get $p))

  (func $wbindgen_malloc (export "__wbindgen_malloc") (param $size i32) (param $align i32) (result i32)
    (call $enter)
    (block $fail
      (br_if $fail (i32.ne (i32.popcnt (local.get $align)) (i32.const 1)))
      (if (local.get $size)
        (then (br_if $fail (i32.eqz (local.tee $align
          (call $rust_alloc (local.get $size) (local.get $align)))))))
      (return (local.get $align)))
    (unreachable))
  (func $wbindgen_realloc (export "__wbindgen_realloc")
    (param $ptr i32) (param $old i32) (param $new i32) (param $align i32) (result i32)
    (call $enter)
    (call $rust_realloc (local.get $ptr) (local.get $old) (local.get $align) (local.get $new)))
  (func $wbindgen_free (export "__wbindgen_free") (param $ptr i32) (param $size i32) (param $align i32)
    (call $enter)
    (if (local.get $size)
      (then (call $rust_dealloc (local.get $ptr) (local.get $size) (local.get $align)))))

  (func $make_vec (export "make_vec") (param $len i32) (result i32)
    (call $rust_alloc (local.get $len) (i32.const 1)))

  (func $logging_malloc (export "logging_malloc") (param $size i32) (param $align i32) (result i32)
    (call $log (local.get $size))
    (call $rust_alloc (local.get $size) (local.get $align)))
)

;; LIST:      allocators   6 hooked
;; LIST-NEXT:   func[5] alloc size=0 {{[0-9]+}} direct calls found as the function __wbindgen_malloc forwards to
;; LIST-NEXT:   func[6] free ptr=0 1 direct call found as the function __wbindgen_free forwards to
;; LIST-NEXT:   func[7] realloc ptr=0,size=3 1 direct call found as the function __wbindgen_realloc forwards to
;; LIST-NEXT:   __wbindgen_malloc alloc size=0 0 direct calls found by export "__wbindgen_malloc"; forwards to func[5]
;; LIST-NEXT:   __wbindgen_realloc realloc ptr=0,size=2 0 direct calls found by export "__wbindgen_realloc"; forwards to func[7]
;; LIST-NEXT:   __wbindgen_free free ptr=0 0 direct calls found by export "__wbindgen_free"; forwards to func[6]

;; GIVEN-THE-SIZE: logging_malloc alloc size=0 0 direct calls found by export "logging_malloc" (--alloc){{$}}
