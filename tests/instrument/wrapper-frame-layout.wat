;; The newest wasm-bindgen's __wbindgen_malloc(size, align) checks its layout with Rust's
;; Layout::from_size_align, which a stripped release build (@rollup/wasm-node 4.68) calls rather
;; than inlines: the call writes {align, size} into the wrapper's stack frame, and the size that
;; __rust_alloc gets is loaded back from there, the wrapper having reused its `size` local for the
;; align meanwhile. Following the wrapper through its frame (frame-stores.h) hooks __rust_alloc,
;; which the module's own code calls: without it, every allocation made inside the module went
;; unseen (a Vec the glue then frees through __wbindgen_free was an unseen free).

;; RUN: wat2wasm %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s --check-prefix=LIST
;; RUN: viewsan-instrument %t.wasm -o %t.vs.wasm
;; RUN: wasm-opt --all-features %t.vs.wasm -o /dev/null

;; What does not carry the size as it arrived is not followed: a layout call that stores size + 1;
;; a wrapper that writes its `size` before the layout call; one that hands its frame to another
;; call after the layout call; one that stores over the slot itself.
;; RUN: viewsan-instrument %t.wasm --list --alloc shifted_malloc:size=0 \
;; RUN:   --alloc late_malloc:size=0 --alloc escaping_malloc:size=0 \
;; RUN:   --alloc overwriting_malloc:size=0 | FileCheck %s --check-prefix=NOT-CARRIED

(module
  (memory (export "memory") 1)
  (global $sp (mut i32) (i32.const 1024))
  (global $top (mut i32) (i32.const 4096))

  ;; __rust_alloc(size, align): the allocator itself (a bump allocator here).
  (func $rust_alloc (param $size i32) (param $align i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (local.get $p))
  (func $rust_dealloc (param $ptr i32) (param $size i32))
  (func $rust_realloc
    (param $ptr i32) (param $old i32) (param $align i32) (param $new i32) (result i32)
    (local $p i32)
    (local.set $p (call $rust_alloc (local.get $new) (local.get $align)))
    (memory.copy (local.get $p) (local.get $ptr) (local.get $old))
    (local.get $p))

  ;; Layout::from_size_align(out, size, align): {align or 0 when invalid, size} at out.
  (func $is_valid (param $size i32) (param $align i32) (result i32)
    (i32.eqz (i32.and (local.get $align) (i32.sub (local.get $align) (i32.const 1)))))
  (func $from_size_align (param $out i32) (param $size i32) (param $align i32)
    (i32.store offset=4 (local.get $out) (local.get $size))
    (i32.store (local.get $out)
      (select (local.get $align) (i32.const 0) (call $is_valid (local.get $size) (local.get $align)))))
  (func $from_size_align_plus_one (param $out i32) (param $size i32) (param $align i32)
    (i32.store offset=4 (local.get $out) (i32.add (local.get $size) (i32.const 1)))
    (i32.store (local.get $out) (local.get $align)))
  (func $clobber (param $at i32)
    (i32.store offset=4 (local.get $at) (i32.const 0)))

  ;; As wasm-bindgen 0.2.10x emits it: a zero size gets `align` back, allocating nothing.
  (func $wbindgen_malloc (export "__wbindgen_malloc") (param $0 i32) (param $1 i32) (result i32)
    (local $sp i32) (local $size i32)
    (global.set $sp (local.tee $sp (i32.sub (global.get $sp) (i32.const 16))))
    (call $from_size_align (i32.add (local.get $sp) (i32.const 8)) (local.get $0) (local.get $1))
    (if (i32.eqz (local.tee $0 (i32.load offset=8 (local.get $sp)))) (then (unreachable)))
    (if (local.tee $size (i32.load offset=12 (local.get $sp)))
      (then (if (i32.eqz (local.tee $1 (call $rust_alloc (local.get $size) (local.get $0))))
        (then (unreachable)))))
    (global.set $sp (i32.add (local.get $sp) (i32.const 16)))
    (local.get $1))
  (func $wbindgen_realloc (export "__wbindgen_realloc")
    (param $ptr i32) (param $old i32) (param $new i32) (param $align i32) (result i32)
    (local $sp i32) (local $a i32)
    (global.set $sp (local.tee $sp (i32.sub (global.get $sp) (i32.const 16))))
    (call $from_size_align (i32.add (local.get $sp) (i32.const 8)) (local.get $old) (local.get $align))
    (if (i32.eqz (local.tee $a (i32.load offset=8 (local.get $sp)))) (then (unreachable)))
    (local.set $ptr (call $rust_realloc (local.get $ptr) (i32.load offset=12 (local.get $sp))
      (local.get $a) (local.get $new)))
    (global.set $sp (i32.add (local.get $sp) (i32.const 16)))
    (local.get $ptr))
  (func $wbindgen_free (export "__wbindgen_free") (param $ptr i32) (param $size i32) (param $align i32)
    (if (local.get $size) (then (call $rust_dealloc (local.get $ptr) (local.get $size)))))

  ;; A Vec<u8> the module makes itself and hands to JavaScript.
  (func $make_vec (export "make_vec") (param $len i32) (result i32)
    (call $rust_alloc (local.get $len) (i32.const 1)))

  (func $shifted_malloc (export "shifted_malloc") (param $0 i32) (param $1 i32) (result i32)
    (local $sp i32)
    (local.set $sp (i32.sub (global.get $sp) (i32.const 16)))
    (call $from_size_align_plus_one (i32.add (local.get $sp) (i32.const 8)) (local.get $0) (local.get $1))
    (call $rust_alloc (i32.load offset=12 (local.get $sp)) (local.get $1)))
  (func $late_malloc (export "late_malloc") (param $0 i32) (param $1 i32) (result i32)
    (local $sp i32)
    (local.set $sp (i32.sub (global.get $sp) (i32.const 16)))
    (local.set $0 (i32.shl (local.get $0) (i32.const 1)))
    (call $from_size_align (i32.add (local.get $sp) (i32.const 8)) (local.get $0) (local.get $1))
    (call $rust_alloc (i32.load offset=12 (local.get $sp)) (local.get $1)))
  (func $escaping_malloc (export "escaping_malloc") (param $0 i32) (param $1 i32) (result i32)
    (local $sp i32)
    (local.set $sp (i32.sub (global.get $sp) (i32.const 16)))
    (call $from_size_align (i32.add (local.get $sp) (i32.const 8)) (local.get $0) (local.get $1))
    (call $clobber (i32.add (local.get $sp) (i32.const 8)))
    (call $rust_alloc (i32.load offset=12 (local.get $sp)) (local.get $1)))
  (func $overwriting_malloc (export "overwriting_malloc") (param $0 i32) (param $1 i32) (result i32)
    (local $sp i32)
    (local.set $sp (i32.sub (global.get $sp) (i32.const 16)))
    (call $from_size_align (i32.add (local.get $sp) (i32.const 8)) (local.get $0) (local.get $1))
    (i32.store16 offset=14 (local.get $sp) (i32.const 1))
    (call $rust_alloc (i32.load offset=12 (local.get $sp)) (local.get $1)))
)

;; LIST:      allocators   6 hooked
;; LIST-NEXT:   func[3] alloc size=0 7 direct calls found as the function __wbindgen_malloc forwards to
;; LIST-NEXT:   func[4] free ptr=0 1 direct call found as the function __wbindgen_free forwards to
;; LIST-NEXT:   func[5] realloc ptr=0,size=3 1 direct call found as the function __wbindgen_realloc forwards to
;; LIST-NEXT:   __wbindgen_malloc alloc size=0 0 direct calls found by export "__wbindgen_malloc"; forwards to func[3]
;; LIST-NEXT:   __wbindgen_realloc realloc ptr=0,size=2 0 direct calls found by export "__wbindgen_realloc"; forwards to func[5]
;; LIST-NEXT:   __wbindgen_free free ptr=0 0 direct calls found by export "__wbindgen_free"; forwards to func[4]

;; NOT-CARRIED:      shifted_malloc alloc size=0 0 direct calls found by export "shifted_malloc" (--alloc){{$}}
;; NOT-CARRIED-NEXT: late_malloc alloc size=0 0 direct calls found by export "late_malloc" (--alloc){{$}}
;; NOT-CARRIED-NEXT: escaping_malloc alloc size=0 0 direct calls found by export "escaping_malloc" (--alloc){{$}}
;; NOT-CARRIED-NEXT: overwriting_malloc alloc size=0 0 direct calls found by export "overwriting_malloc" (--alloc){{$}}
