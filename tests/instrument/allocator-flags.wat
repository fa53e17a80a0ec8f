;; Allocators the table does not know, named with --alloc, --free and --realloc. A name may be
;; an export name or a name-section name, and argument positions follow it after a ':'.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list \
;; RUN:   --alloc arena_alloc:size=1 --free=arena_release:ptr=1 \
;; RUN:   --realloc arena_resize:ptr=1,size=3 --alloc zeroed_array:count=1,size=2 \
;; RUN:   --alloc new_buffer:out=1,size=0 | FileCheck %s --check-prefix=LIST
;; RUN: viewsan-instrument %t.wasm -S -o - \
;; RUN:   --alloc arena_alloc:size=1 --free=arena_release:ptr=1 \
;; RUN:   --realloc arena_resize:ptr=1,size=3 --alloc zeroed_array:count=1,size=2 \
;; RUN:   --alloc new_buffer:out=1,size=0 | FileCheck %s

(module
  (memory 1)
  (global $top (mut i32) (i32.const 1024))

  ;; arena_alloc(arena, size), exported under two names: one allocator, hooked once.
  (func $arena_alloc (export "arena_alloc") (export "arena_alloc_v2")
    (param $arena i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  ;; Found by its name-section name only: it is not exported.
  (func $arena_release (param $arena i32) (param $ptr i32))

  ;; arena_resize(arena, ptr, old_size, new_size)
  (func $arena_resize (export "arena_resize")
    (param $arena i32) (param $ptr i32) (param $old_size i32) (param $new_size i32) (result i32)
    (call $arena_release (local.get $arena) (local.get $ptr))
    (call $arena_alloc (local.get $arena) (local.get $new_size)))

  ;; zeroed_array(arena, count, size): the size is count * size.
  (func $zeroed_array (export "zeroed_array")
    (param $arena i32) (param $count i32) (param $size i32) (result i32)
    (call $arena_alloc (local.get $arena) (i32.mul (local.get $count) (local.get $size))))

  ;; new_buffer(size, out) stores the pointer at out and returns 0 on success.
  (func $new_buffer (export "new_buffer") (param $size i32) (param $out i32) (result i32)
    (i32.store (local.get $out) (call $arena_alloc (i32.const 0) (local.get $size)))
    (i32.const 0))
)

;; LIST:      allocators   5 hooked
;; LIST-NEXT:   arena_alloc    alloc    size=1          3 direct calls  found by export "arena_alloc", name "arena_alloc" (--alloc)
;; LIST-NEXT:   arena_release  free     ptr=1           1 direct call   found by name "arena_release" (--free)
;; LIST-NEXT:   arena_resize   realloc  ptr=1,size=3    0 direct calls  found by export "arena_resize", name "arena_resize" (--realloc)
;; LIST-NEXT:   zeroed_array   alloc    count=1,size=2  0 direct calls  found by export "zeroed_array", name "zeroed_array" (--alloc)
;; LIST-NEXT:   new_buffer     alloc    out=1,size=0    0 direct calls  found by export "new_buffer", name "new_buffer" (--alloc)
;; LIST-NEXT: sites        9
;; LIST-NEXT: coverage     complete

;; Both exports still name $arena_alloc, whose body now passes its one export site.
;; CHECK:      (export "arena_alloc" (func $arena_alloc))
;; CHECK:      (export "arena_alloc_v2" (func $arena_alloc))
;; CHECK:      (func $arena_alloc (type $0) (param $arena i32) (param $size i32) (result i32)
;; CHECK-NEXT:  (call $arena_alloc$viewsan.hooked
;; CHECK-NEXT:   (local.get $arena)
;; CHECK-NEXT:   (local.get $size)
;; CHECK-NEXT:   (i32.const 0)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )

;; Each wrapper reads the arguments at the positions the flags gave.
;; CHECK:      (func $arena_release$viewsan.hooked (type $4) (param $arena i32) (param $ptr i32) (param $site i32)
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
;; CHECK-NEXT:  (call $arena_release$viewsan.orig
;; CHECK-NEXT:   (local.get $arena)
;; CHECK-NEXT:   (local.get $ptr)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.sub
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK:      (func $arena_resize$viewsan.hooked (type $6) (param $arena i32) (param $ptr i32) (param $old_size i32) (param $new_size i32) (param $site i32) (result i32)
;; CHECK-NEXT:  (local $result i32)
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.add
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.set $result
;; CHECK-NEXT:   (call $arena_resize$viewsan.orig
;; CHECK-NEXT:    (local.get $arena)
;; CHECK-NEXT:    (local.get $ptr)
;; CHECK-NEXT:    (local.get $old_size)
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
;; CHECK:      (func $zeroed_array$viewsan.hooked (type $2) (param $arena i32) (param $count i32) (param $size i32) (param $site i32) (result i32)
;; CHECK-NEXT:  (local $result i32)
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.add
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.set $result
;; CHECK-NEXT:   (call $zeroed_array$viewsan.orig
;; CHECK-NEXT:    (local.get $arena)
;; CHECK-NEXT:    (local.get $count)
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
;; CHECK-NEXT:     (i32.mul
;; CHECK-NEXT:      (local.get $count)
;; CHECK-NEXT:      (local.get $size)
;; CHECK-NEXT:     )
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $result)
;; CHECK-NEXT: )

;; new_buffer stores its pointer at its argument 1: the hook loads it from there, and reports
;; only when new_buffer returned 0.
;; CHECK:      (func $new_buffer$viewsan.hooked (type $3) (param $size i32) (param $out i32) (param $site i32) (result i32)
;; CHECK-NEXT:  (local $result i32)
;; CHECK-NEXT:  (global.set $viewsan.depth
;; CHECK-NEXT:   (i32.add
;; CHECK-NEXT:    (global.get $viewsan.depth)
;; CHECK-NEXT:    (i32.const 1)
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.set $result
;; CHECK-NEXT:   (call $new_buffer$viewsan.orig
;; CHECK-NEXT:    (local.get $size)
;; CHECK-NEXT:    (local.get $out)
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
;; CHECK-NEXT:    (i32.or
;; CHECK-NEXT:     (global.get $viewsan.depth)
;; CHECK-NEXT:     (local.get $result)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (call $viewsan.alloc
;; CHECK-NEXT:     (i32.load
;; CHECK-NEXT:      (local.get $out)
;; CHECK-NEXT:     )
;; CHECK-NEXT:     (local.get $size)
;; CHECK-NEXT:     (local.get $site)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (local.get $result)
;; CHECK-NEXT: )
