;; Rust's allocator shims and wasm-bindgen's exports, as a wasm-bindgen module links them:
;; the JS glue calls __wbindgen_malloc, which calls __rust_alloc. The size comes from the
;; argument each family keeps it in: __rust_realloc(ptr, old_size, align, new_size) and
;; __wbindgen_realloc(ptr, old_size, new_size, align). Each __wbindgen_ export only forwards to
;; its __rust_ function (allocator-wrappers.h), so it reports nothing itself: it passes its site
;; to the Rust function, which reports.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s --check-prefix=LIST
;; RUN: viewsan-instrument %t.wasm -S -o - | FileCheck %s

(module
  (memory (export "memory") 17)
  (global $top (mut i32) (i32.const 1048576))

  (func $__rust_alloc (param $size i32) (param $align i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (local.get $p))
  (func $__rust_alloc_zeroed (param $size i32) (param $align i32) (result i32)
    (call $__rust_alloc (local.get $size) (local.get $align)))
  (func $__rust_dealloc (param $ptr i32) (param $size i32) (param $align i32))
  (func $__rust_realloc
    (param $ptr i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
    (local $new i32)
    (local.set $new (call $__rust_alloc (local.get $new_size) (local.get $align)))
    (call $__rust_dealloc (local.get $ptr) (local.get $old_size) (local.get $align))
    (local.get $new))

  (func $__wbindgen_malloc (export "__wbindgen_malloc")
    (param $size i32) (param $align i32) (result i32)
    (call $__rust_alloc (local.get $size) (local.get $align)))
  (func $__wbindgen_free (export "__wbindgen_free")
    (param $ptr i32) (param $size i32) (param $align i32)
    (call $__rust_dealloc (local.get $ptr) (local.get $size) (local.get $align)))
  (func $__wbindgen_realloc (export "__wbindgen_realloc")
    (param $ptr i32) (param $old_size i32) (param $new_size i32) (param $align i32) (result i32)
    (call $__rust_realloc
      (local.get $ptr) (local.get $old_size) (local.get $align) (local.get $new_size)))
)

;; LIST:      allocators   7 hooked
;; LIST-NEXT:   __rust_alloc         alloc    size=0        3 direct calls  found by name "__rust_alloc"
;; LIST-NEXT:   __rust_alloc_zeroed  alloc    size=0        0 direct calls  found by name "__rust_alloc_zeroed"; forwards to __rust_alloc
;; LIST-NEXT:   __rust_dealloc       free     ptr=0         2 direct calls  found by name "__rust_dealloc"
;; LIST-NEXT:   __rust_realloc       realloc  ptr=0,size=3  1 direct call   found by name "__rust_realloc"
;; LIST-NEXT:   __wbindgen_malloc    alloc    size=0        0 direct calls  found by export "__wbindgen_malloc", name "__wbindgen_malloc"; forwards to __rust_alloc
;; LIST-NEXT:   __wbindgen_free      free     ptr=0         0 direct calls  found by export "__wbindgen_free", name "__wbindgen_free"; forwards to __rust_dealloc
;; LIST-NEXT:   __wbindgen_realloc   realloc  ptr=0,size=2  0 direct calls  found by export "__wbindgen_realloc", name "__wbindgen_realloc"; forwards to __rust_realloc
;; LIST-NEXT: sites        {{[0-9]+}}
;; LIST-NEXT: coverage     complete

;; __rust_realloc reports the size it was asked for, from its argument 3, with the site a
;; forwarding wrapper left for it, if any.
;; CHECK:      (func $__rust_realloc$viewsan.hooked (type $5) (param $ptr i32) (param $old_size i32) (param $align i32) (param $new_size i32) (param $site i32) (result i32)
;; CHECK-NEXT:  (local $result i32)
;; CHECK-NEXT:  (if
;; CHECK-NEXT:   (i32.and
;; CHECK-NEXT:    (i32.eqz
;; CHECK-NEXT:     (global.get $viewsan.depth)
;; CHECK-NEXT:    )
;; CHECK-NEXT:    (i32.ne
;; CHECK-NEXT:     (global.get $viewsan.site)
;; CHECK-NEXT:     (i32.const -1)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (local.set $site
;; CHECK-NEXT:     (global.get $viewsan.site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:    (global.set $viewsan.site
;; CHECK-NEXT:     (i32.const -1)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.add
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.set $result
;; CHECK-NEXT:   (call $__rust_realloc$viewsan.orig
;; CHECK-NEXT:    (local.get $ptr)
;; CHECK-NEXT:    (local.get $old_size)
;; CHECK-NEXT:    (local.get $align)
;; CHECK-NEXT:    (local.get $new_size)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.sub
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (if
;; CHECK-NEXT:   (i32.eqz
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (call $viewsan.realloc
;; CHECK-NEXT:     (local.get $ptr)
;; CHECK-NEXT:     (local.get $result)
;; CHECK-NEXT:     (local.get $new_size)
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $result)
;; CHECK-NEXT: )

;; __wbindgen_malloc's code reaches Rust's allocator through its hooked wrapper.
;; CHECK:      (func $__wbindgen_malloc$viewsan.orig (type $0) (param $size i32) (param $align i32) (result i32)
;; CHECK-NEXT:  (call $__rust_alloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (local.get $align)
;; CHECK-NEXT:   (i32.const 10)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )

;; __wbindgen_realloc forwards: at depth 0 it leaves its site for __rust_realloc and reports
;; nothing itself.
;; CHECK:      (func $__wbindgen_realloc$viewsan.hooked (type $5) (param $ptr i32) (param $old_size i32) (param $new_size i32) (param $align i32) (param $site i32) (result i32)
;; CHECK-NEXT:  (local $result i32)
;; CHECK-NEXT:  (local $passed i32)
;; CHECK-NEXT:  (if
;; CHECK-NEXT:   (i32.and
;; CHECK-NEXT:    (i32.eqz
;; CHECK-NEXT:     (global.get $viewsan.depth)
;; CHECK-NEXT:    )
;; CHECK-NEXT:    (i32.eq
;; CHECK-NEXT:     (global.get $viewsan.site)
;; CHECK-NEXT:     (i32.const -1)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (global.set $viewsan.site
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:    (local.set $passed
;; CHECK-NEXT:     (i32.const 1)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.set $result
;; CHECK-NEXT:   (call $__wbindgen_realloc$viewsan.orig
;; CHECK-NEXT:    (local.get $ptr)
;; CHECK-NEXT:    (local.get $old_size)
;; CHECK-NEXT:    (local.get $new_size)
;; CHECK-NEXT:    (local.get $align)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (if
;; CHECK-NEXT:   (local.get $passed)
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (global.set $viewsan.site
;; CHECK-NEXT:     (i32.const -1)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $result)
;; CHECK-NEXT: )
