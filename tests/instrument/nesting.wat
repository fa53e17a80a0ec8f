;; Entry points nest: operator new calls malloc, which calls dlmalloc; operator delete calls free,
;; which calls dlfree. Every one of them is an allocator, so every one is wrapped, and each inner
;; call goes to the inner hooked wrapper. The wrappers share one depth counter, and only the
;; outermost call, the one made at depth 0, calls the hook: `new` reports once, as `new`.
;;
;; Here each outer function only forwards to the inner one (allocator-wrappers.h). By default
;; a forwarding wrapper reports nothing itself: it leaves its site in $viewsan.site, and the
;; innermost, dlmalloc, reports with it (FORWARD). --no-follow-wrappers turns that off and shows
;; the depth counter at work (CHECK).

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -S -o - --no-follow-wrappers | FileCheck %s
;; RUN: viewsan-instrument %t.wasm --list --no-follow-wrappers | FileCheck %s --check-prefix=LIST
;; RUN: viewsan-instrument %t.wasm -S -o - | FileCheck %s --check-prefix=FORWARD
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s --check-prefix=FORWARD-LIST

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
;; CHECK:      (func $_Znwm (type $0) (param $size i32) (result i32)
;; CHECK-NEXT:  (call $_Znwm$viewsan.hooked
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 4)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $malloc$viewsan.orig (type $0) (param $size i32) (result i32)
;; CHECK-NEXT:  (call $dlmalloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 6)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $_Znwm$viewsan.orig (type $0) (param $size i32) (result i32)
;; CHECK-NEXT:  (call $malloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 8)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $_Znwm$viewsan.hooked (type $3) (param $size i32) (param $site i32) (result i32)
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
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (call $viewsan.alloc
;; CHECK-NEXT:     (local.get $result)
;; CHECK-NEXT:     (local.get $size)
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $result)
;; CHECK-NEXT: )

;; Free hooks run before the call, but only at depth 0 too.
;; CHECK:      (func $_ZdlPv$viewsan.orig (type $1) (param $ptr i32)
;; CHECK-NEXT:  (call $free$viewsan.hooked
;; CHECK-NEXT:   (local.get $ptr)
;; CHECK-NEXT:   (i32.const 9)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $_ZdlPv$viewsan.hooked (type $2) (param $ptr i32) (param $site i32)
;; CHECK-NEXT:  (if
;; CHECK-NEXT:   (i32.eqz
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (call $viewsan.free
;; CHECK-NEXT:     (local.get $ptr)
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
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

;; By default, new forwards to malloc, which forwards to dlmalloc: only dlmalloc reports.
;; FORWARD-LIST:      allocators   6 hooked
;; FORWARD-LIST-NEXT:   dlmalloc  alloc  size=0  1 direct call   found by name "dlmalloc"
;; FORWARD-LIST-NEXT:   dlfree    free   ptr=0   1 direct call   found by name "dlfree"
;; FORWARD-LIST-NEXT:   malloc    alloc  size=0  1 direct call   found by export "malloc", name "malloc"; forwards to dlmalloc
;; FORWARD-LIST-NEXT:   free      free   ptr=0   1 direct call   found by export "free", name "free"; forwards to dlfree
;; FORWARD-LIST-NEXT:   _Znwm     alloc  size=0  0 direct calls  found by export "_Znwm", name "_Znwm"; forwards to malloc
;; FORWARD-LIST-NEXT:   _ZdlPv    free   ptr=0   0 direct calls  found by export "_ZdlPv", name "_ZdlPv"; forwards to free

;; dlmalloc takes the site left for it, at depth 0, and reports with it.
;; FORWARD:      (func $dlmalloc$viewsan.hooked (type $3) (param $size i32) (param $site i32) (result i32)
;; FORWARD-NEXT:  (local $result i32)
;; FORWARD-NEXT:  (if
;; FORWARD-NEXT:   (i32.and
;; FORWARD-NEXT:    (i32.eqz
;; FORWARD-NEXT:     (global.get $viewsan.depth)
;; FORWARD-NEXT:    )
;; FORWARD-NEXT:    (i32.ne
;; FORWARD-NEXT:     (global.get $viewsan.site)
;; FORWARD-NEXT:     (i32.const -1)
;; FORWARD-NEXT:    )
;; FORWARD-NEXT:   )
;; FORWARD-NEXT:   (then
;; FORWARD-NEXT:    (local.set $site
;; FORWARD-NEXT:     (global.get $viewsan.site)
;; FORWARD-NEXT:    )
;; FORWARD-NEXT:    (global.set $viewsan.site
;; FORWARD-NEXT:     (i32.const -1)
;; FORWARD-NEXT:    )
;; FORWARD-NEXT:   )
;; FORWARD-NEXT:  )
;; FORWARD-NEXT:  (global.set $viewsan.depth
;; FORWARD-NEXT:   (i32.add
;; FORWARD-NEXT:    (global.get $viewsan.depth)
;; FORWARD-NEXT:    (i32.const 1)
;; FORWARD-NEXT:   )
;; FORWARD-NEXT:  )
;; FORWARD-NEXT:  (local.set $result
;; FORWARD-NEXT:   (call $dlmalloc$viewsan.orig
;; FORWARD-NEXT:    (local.get $size)
;; FORWARD-NEXT:   )
;; FORWARD-NEXT:  )
;; FORWARD-NEXT:  (global.set $viewsan.depth
;; FORWARD-NEXT:   (i32.sub
;; FORWARD-NEXT:    (global.get $viewsan.depth)
;; FORWARD-NEXT:    (i32.const 1)
;; FORWARD-NEXT:   )
;; FORWARD-NEXT:  )
;; FORWARD-NEXT:  (if
;; FORWARD-NEXT:   (i32.eqz
;; FORWARD-NEXT:    (global.get $viewsan.depth)
;; FORWARD-NEXT:   )
;; FORWARD-NEXT:   (then
;; FORWARD-NEXT:    (call $viewsan.alloc
;; FORWARD-NEXT:     (local.get $result)
;; FORWARD-NEXT:     (local.get $size)
;; FORWARD-NEXT:     (local.get $site)
;; FORWARD-NEXT:    )
;; FORWARD-NEXT:   )
;; FORWARD-NEXT:  )
;; FORWARD-NEXT:  (local.get $result)
;; FORWARD-NEXT: )

;; A call to new leaves its site for the wrappers below; malloc, finding one left, leaves it.
;; FORWARD:      (func $_Znwm$viewsan.hooked (type $3) (param $size i32) (param $site i32) (result i32)
;; FORWARD-NEXT:  (local $result i32)
;; FORWARD-NEXT:  (local $passed i32)
;; FORWARD-NEXT:  (if
;; FORWARD-NEXT:   (i32.and
;; FORWARD-NEXT:    (i32.eqz
;; FORWARD-NEXT:     (global.get $viewsan.depth)
;; FORWARD-NEXT:    )
;; FORWARD-NEXT:    (i32.eq
;; FORWARD-NEXT:     (global.get $viewsan.site)
;; FORWARD-NEXT:     (i32.const -1)
;; FORWARD-NEXT:    )
;; FORWARD-NEXT:   )
;; FORWARD-NEXT:   (then
;; FORWARD-NEXT:    (global.set $viewsan.site
;; FORWARD-NEXT:     (local.get $site)
;; FORWARD-NEXT:    )
;; FORWARD-NEXT:    (local.set $passed
;; FORWARD-NEXT:     (i32.const 1)
;; FORWARD-NEXT:    )
;; FORWARD-NEXT:   )
;; FORWARD-NEXT:  )
;; FORWARD-NEXT:  (local.set $result
;; FORWARD-NEXT:   (call $_Znwm$viewsan.orig
;; FORWARD-NEXT:    (local.get $size)
;; FORWARD-NEXT:   )
;; FORWARD-NEXT:  )
;; FORWARD-NEXT:  (if
;; FORWARD-NEXT:   (local.get $passed)
;; FORWARD-NEXT:   (then
;; FORWARD-NEXT:    (global.set $viewsan.site
;; FORWARD-NEXT:     (i32.const -1)
;; FORWARD-NEXT:    )
;; FORWARD-NEXT:   )
;; FORWARD-NEXT:  )
;; FORWARD-NEXT:  (local.get $result)
;; FORWARD-NEXT: )
