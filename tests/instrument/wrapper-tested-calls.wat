;; @oxc-parser/wasm 0.60 and jieba-wasm 2.4 (stripped wasm-bindgen builds) check the layout before
;; they allocate with a call whose result only decides a branch to a trap:
;; `br_if $fail (i32.or (i32.eqz align) (i32.eqz (call $valid size align)))`, or `if (call $valid
;; ...)`. Such a call hands back no block, so following the wrappers (allocator-wrappers.h) looks
;; past it; a call whose result the wrapper keeps (the allocator's, null-checked through a
;; local.tee) is still the one it forwards to, and a call whose result is otherwise used is not
;; looked past.

;; RUN: wat2wasm %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s --check-prefix=LIST
;; RUN: viewsan-instrument %t.wasm -o %t.vs.wasm
;; RUN: wasm-opt --all-features %t.vs.wasm -o /dev/null
;; RUN: viewsan-instrument %t.wasm --list --alloc chosen_malloc:size=0 \
;; RUN:   | FileCheck %s --check-prefix=USED

;; A free's tested call may be the free itself: `if (!try_free(p)) report(p)` is not followed, or
;; `report` would be taken for the free.
;; RUN: viewsan-instrument %t.wasm --list --free checked_free:ptr=0 \
;; RUN:   | FileCheck %s --check-prefix=FREE

(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 4096))

  (func $valid (param $size i32) (param $align i32) (result i32)
    (i32.le_u (local.get $size) (i32.sub (i32.const 0x80000000) (local.get $align))))
  (func $rust_alloc (param $size i32) (param $align i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (local.get $p))
  (func $rust_realloc
    (param $ptr i32) (param $old i32) (param $align i32) (param $new i32) (result i32)
    (local $p i32)
    (local.set $p (call $rust_alloc (local.get $new) (local.get $align)))
    (memory.copy (local.get $p) (local.get $ptr) (local.get $old))
    (local.get $p))

  (func $wbindgen_malloc (export "__wbindgen_malloc") (param $0 i32) (param $1 i32) (result i32)
    (block $fail
      (br_if $fail (i32.or (i32.eqz (local.get $1))
                           (i32.eqz (call $valid (local.get $0) (local.get $1)))))
      (if (local.get $0)
        (then (br_if $fail (i32.eqz (local.tee $1 (call $rust_alloc (local.get $0) (local.get $1)))))))
      (return (local.get $1)))
    (unreachable))
  (func $wbindgen_realloc (export "__wbindgen_realloc")
    (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (result i32)
    (block $fail
      (if (call $valid (local.get $1) (local.get $3))
        (then (br_if $fail (local.tee $0
          (call $rust_realloc (local.get $0) (local.get $1) (local.get $3) (local.get $2))))))
      (unreachable))
    (local.get $0))

  (func $make_vec (export "make_vec") (param $len i32) (result i32)
    (call $rust_alloc (local.get $len) (i32.const 1)))

  (func $try_free (param $ptr i32) (result i32) (i32.const 1))
  (func $report (param $ptr i32))
  (func $checked_free (export "checked_free") (param $ptr i32)
    (if (i32.eqz (call $try_free (local.get $ptr))) (then (call $report (local.get $ptr)))))

  ;; The check's result also chooses the pointer returned: not a branch's alone.
  (func $chosen_malloc (export "chosen_malloc") (param $size i32) (param $align i32) (result i32)
    (select (call $rust_alloc (local.get $size) (local.get $align)) (i32.const 0)
            (call $valid (local.get $size) (local.get $align))))
)

;; LIST:      allocators   4 hooked
;; LIST-NEXT:   func[3] alloc size=0 {{[0-9]+}} direct calls found as the function __wbindgen_malloc forwards to
;; LIST-NEXT:   func[4] realloc ptr=0,size=3 1 direct call found as the function __wbindgen_realloc forwards to
;; LIST-NEXT:   __wbindgen_malloc alloc size=0 0 direct calls found by export "__wbindgen_malloc"; forwards to func[3]
;; LIST-NEXT:   __wbindgen_realloc realloc ptr=0,size=2 0 direct calls found by export "__wbindgen_realloc"; forwards to func[4]

;; USED: chosen_malloc alloc size=0 0 direct calls found by export "chosen_malloc" (--alloc){{$}}

;; FREE:     checked_free free ptr=0 0 direct calls found by export "checked_free" (--free){{$}}
;; FREE-NOT: found as the function checked_free forwards to
