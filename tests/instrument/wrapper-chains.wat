;; A stripped wasm-bindgen build: only the __wbindgen_ exports have names. __wbindgen_malloc
;; calls an unnamed function (Rust's __rust_alloc) that calls another (dlmalloc) that does the
;; work; code inside the module (make_vec) calls __rust_alloc directly, and JavaScript frees
;; what it returns through __wbindgen_free. Following the wrappers (allocator-wrappers.h) hooks
;; __rust_alloc and dlmalloc too, so make_vec's allocation is reported; the wrappers forward, so
;; only the functions at the end of each chain report, with the site the call came in by.
;; behaviour/wrapper-chains.test.mjs runs this module.

;; RUN: wat2wasm %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s --check-prefix=LIST
;; RUN: viewsan-instrument %t.wasm -S -o - | FileCheck %s
;; RUN: viewsan-instrument %t.wasm --list --no-follow-wrappers | FileCheck %s --check-prefix=ENTRIES

;; Functions named by flag that do not forward report themselves: padded_alloc changes the
;; size, retry_alloc calls in a loop, offset_alloc returns another pointer than its callee's,
;; logged_free makes two calls.
;; RUN: viewsan-instrument %t.wasm --list --alloc padded_alloc --alloc retry_alloc \
;; RUN:   --alloc offset_alloc --free logged_free | FileCheck %s --check-prefix=NOT-WRAPPERS

(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (global $freed (mut i32) (i32.const 0))

  ;; dlmalloc does the work: it makes two calls, so following stops here.
  (func $dlmalloc (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (call $align8 (i32.add (local.get $p) (local.get $size))))
    (call $reserve (global.get $top))
    (local.get $p))
  (func $align8 (param $x i32) (result i32)
    (i32.and (i32.add (local.get $x) (i32.const 7)) (i32.const -8)))
  (func $reserve (param $end i32)
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.const 1))))))
  ;; dlfree makes no call at all.
  (func $dlfree (param $ptr i32)
    (global.set $freed (i32.add (global.get $freed) (i32.const 1))))

  ;; __rust_alloc(size, align), __rust_dealloc(ptr, size, align),
  ;; __rust_realloc(ptr, old_size, align, new_size), which does the work.
  (func $rust_alloc (param $size i32) (param $align i32) (result i32)
    (call $dlmalloc (local.get $size)))
  (func $rust_dealloc (param $ptr i32) (param $size i32) (param $align i32)
    (call $dlfree (local.get $ptr)))
  (func $rust_realloc
    (param $ptr i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
    (local $new i32)
    (local.set $new (call $dlmalloc (local.get $new_size)))
    (memory.copy (local.get $new) (local.get $ptr) (local.get $old_size))
    (call $dlfree (local.get $ptr))
    (local.get $new))

  ;; A zero size gets a dangling pointer, its alignment, and allocates nothing.
  (func $wbindgen_malloc (export "__wbindgen_malloc")
    (param $size i32) (param $align i32) (result i32)
    (if (i32.eqz (local.get $size)) (then (return (local.get $align))))
    (call $rust_alloc (local.get $size) (local.get $align)))
  ;; A zero size frees nothing.
  (func $wbindgen_free (export "__wbindgen_free")
    (param $ptr i32) (param $size i32) (param $align i32)
    (if (local.get $size)
      (then (call $rust_dealloc (local.get $ptr) (local.get $size) (local.get $align)))))
  (func $wbindgen_realloc (export "__wbindgen_realloc")
    (param $ptr i32) (param $old_size i32) (param $new_size i32) (param $align i32) (result i32)
    (call $rust_realloc
      (local.get $ptr) (local.get $old_size) (local.get $align) (local.get $new_size)))

  ;; A Vec<u8> of `len` sevens, made inside the module and handed to JavaScript.
  (func $make_vec (export "make_vec") (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (call $rust_alloc (local.get $len) (i32.const 1)))
    (memory.fill (local.get $p) (i32.const 7) (local.get $len))
    (local.get $p))

  (func $padded_alloc (export "padded_alloc") (param $size i32) (result i32)
    (call $dlmalloc (i32.add (local.get $size) (i32.const 16))))
  (func $retry_alloc (export "retry_alloc") (param $size i32) (result i32)
    (local $p i32)
    (loop $again
      (br_if $again (i32.eqz (local.tee $p (call $dlmalloc (local.get $size))))))
    (local.get $p))
  (func $offset_alloc (export "offset_alloc") (param $size i32) (result i32)
    (i32.add (call $dlmalloc (local.get $size)) (i32.const 8)))
  (func $logged_free (export "logged_free") (param $ptr i32)
    (call $dlfree (local.get $ptr))
    (call $dlfree (local.get $ptr)))
)

;; Each wrapper forwards to the function below it; dlmalloc, dlfree and __rust_realloc report.
;; Without a name section, functions are named by export or func[N], N counting the hook
;; imports.
;; LIST:      allocators   8 hooked
;; LIST-NEXT:   func[5]             alloc    size=0        5 direct calls  found as the function func[9] forwards to
;; LIST-NEXT:   func[8]             free     ptr=0         4 direct calls  found as the function func[10] forwards to
;; LIST-NEXT:   func[9]             alloc    size=0        2 direct calls  found as the function __wbindgen_malloc forwards to; forwards to func[5]
;; LIST-NEXT:   func[10]            free     ptr=0         1 direct call   found as the function __wbindgen_free forwards to; forwards to func[8]
;; LIST-NEXT:   func[11]            realloc  ptr=0,size=3  1 direct call   found as the function __wbindgen_realloc forwards to
;; LIST-NEXT:   __wbindgen_malloc   alloc    size=0        0 direct calls  found by export "__wbindgen_malloc"; forwards to func[9]
;; LIST-NEXT:   __wbindgen_free     free     ptr=0         0 direct calls  found by export "__wbindgen_free"; forwards to func[10]
;; LIST-NEXT:   __wbindgen_realloc  realloc  ptr=0,size=2  0 direct calls  found by export "__wbindgen_realloc"; forwards to func[11]
;; LIST-NEXT: sites        {{[0-9]+}}
;; LIST-NEXT: coverage     partial

;; __wbindgen_free forwards: at depth 0 it leaves its site for the function below, and reports
;; nothing itself, so a zero size, which frees nothing, reports nothing.
;; CHECK:      (func $28 (type ${{[0-9]+}}) (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32)
;; CHECK-NEXT:  (local $4 i32)
;; CHECK-NEXT:  (if
;; CHECK-NEXT:   (i32.and
;; CHECK-NEXT:    (i32.eqz
;; CHECK-NEXT:     (global.get $global$3)
;; CHECK-NEXT:    )
;; CHECK-NEXT:    (i32.eq
;; CHECK-NEXT:     (global.get $global$2)
;; CHECK-NEXT:     (i32.const -1)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (global.set $global$2
;; CHECK-NEXT:     (local.get $3)
;; CHECK-NEXT:    )
;; CHECK-NEXT:    (local.set $4
;; CHECK-NEXT:     (i32.const 1)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (call ${{[0-9]+}}
;; CHECK-NEXT:   (local.get $0)
;; CHECK-NEXT:   (local.get $1)
;; CHECK-NEXT:   (local.get $2)
;; CHECK-NEXT:  )
;; CHECK-NEXT:  (if
;; CHECK-NEXT:   (local.get $4)
;; CHECK-NEXT:   (then
;; CHECK-NEXT:    (global.set $global$2
;; CHECK-NEXT:     (i32.const -1)
;; CHECK-NEXT:    )
;; CHECK-NEXT:   )
;; CHECK-NEXT:  )
;; CHECK-NEXT: )

;; With --no-follow-wrappers, only the exports are hooked, and each reports itself.
;; ENTRIES:      allocators   3 hooked
;; ENTRIES-NEXT:   __wbindgen_malloc   alloc    size=0        0 direct calls  found by export "__wbindgen_malloc"
;; ENTRIES-NEXT:   __wbindgen_free     free     ptr=0         0 direct calls  found by export "__wbindgen_free"
;; ENTRIES-NEXT:   __wbindgen_realloc  realloc  ptr=0,size=2  0 direct calls  found by export "__wbindgen_realloc"
;; ENTRIES-NEXT: sites        4

;; NOT-WRAPPERS:      padded_alloc  alloc    size=0        0 direct calls  found by export "padded_alloc" (--alloc)
;; NOT-WRAPPERS-NEXT: retry_alloc   alloc    size=0        0 direct calls  found by export "retry_alloc" (--alloc)
;; NOT-WRAPPERS-NEXT: offset_alloc  alloc    size=0        0 direct calls  found by export "offset_alloc" (--alloc)
;; NOT-WRAPPERS-NEXT: logged_free   free     ptr=0         0 direct calls  found by export "logged_free" (--free)
