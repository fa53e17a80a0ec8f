;; Entry points nest: operator new calls malloc, which calls dlmalloc; operator delete calls free,
;; which calls dlfree. Every one of them is an allocator, so every one is wrapped, and each inner
;; call goes to the inner hooked wrapper. The wrappers share one depth counter, and only the
;; outermost call, the one made at depth 0, calls the hook: `new` reports once, as `new`.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -S -o - | FileCheck %s
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s --check-prefix=LIST

(module
  (memory 1)
  (global $top (mut i32) (i32.const 1024))

  (func $dlmalloc (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (local.get $p))
  (func $dlfree (param $ptr i32))

  (func $malloc (export "malloc") (param $size i32) (result i32)
    (call $dlmalloc (local.get $size)))
  (func $free (export "free") (param $ptr i32)
    (call $dlfree (local.get $ptr)))

  ;; operator new(unsigned long) and operator delete(void*)
  (func $_Znwm (export "_Znwm") (param $size i32) (result i32)
    (call $malloc (local.get $size)))
  (func $_ZdlPv (export "_ZdlPv") (param $ptr i32)
    (call $free (local.get $ptr)))
)

;; Only one depth counter, however many wrappers use it.
;; CHECK:      (global $viewsan.depth (mut i32) (i32.const 0))
;; CHECK-NOT:  (global $viewsan.depth

;; operator new's code now calls malloc's hooked wrapper, which calls dlmalloc's: every
;; wrapper checks the depth, so a call to new reports once, from _Znwm$viewsan.hooked.
;; CHECK:      (func $_Znwm (param $size i32) (result i32)
;; CHECK-NEXT:  (call $_Znwm$viewsan.hooked
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 4)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $malloc$viewsan.orig (param $size i32) (result i32)
;; CHECK-NEXT:  (call $dlmalloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 6)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $_Znwm$viewsan.orig (param $size i32) (result i32)
;; CHECK-NEXT:  (call $malloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 8)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $_Znwm$viewsan.hooked (param $size i32) (param $site i32) (result i32)
;; CHECK-NEXT:  (local $result i32)
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.add
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.set $result
;; CHECK-NEXT:   (call $_Znwm$viewsan.orig
;; CHECK-NEXT:    (local.get $size)
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
;; CHECK-NEXT:   (call $viewsan.alloc
;; CHECK-NEXT:    (local.get $result)
;; CHECK-NEXT:    (local.get $size)
;; CHECK-NEXT:    (local.get $site)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $result)
;; CHECK-NEXT: )

;; Free hooks run before the call, but only at depth 0 too.
;; CHECK:      (func $_ZdlPv$viewsan.orig (param $ptr i32)
;; CHECK-NEXT:  (call $free$viewsan.hooked
;; CHECK-NEXT:   (local.get $ptr)
;; CHECK-NEXT:   (i32.const 9)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $_ZdlPv$viewsan.hooked (param $ptr i32) (param $site i32)
;; CHECK-NEXT:  (if
;; CHECK-NEXT:   (i32.eqz
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (call $viewsan.free
;; CHECK-NEXT:    (local.get $ptr)
;; CHECK-NEXT:    (local.get $site)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.add
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (call $_ZdlPv$viewsan.orig
;; CHECK-NEXT:   (local.get $ptr)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.sub
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT: )

;; LIST:      allocators   6 hooked
;; LIST-NEXT:   dlmalloc  alloc  size=0  1 direct call   found by name "dlmalloc"
;; LIST-NEXT:   dlfree    free   ptr=0   1 direct call   found by name "dlfree"
;; LIST-NEXT:   malloc    alloc  size=0  1 direct call   found by export "malloc", name "malloc"
;; LIST-NEXT:   free      free   ptr=0   1 direct call   found by export "free", name "free"
;; LIST-NEXT:   _Znwm     alloc  size=0  0 direct calls  found by export "_Znwm", name "_Znwm"
;; LIST-NEXT:   _ZdlPv    free   ptr=0   0 direct calls  found by export "_ZdlPv", name "_ZdlPv"
