;; A newer wasm-bindgen build exports its allocator under numbered names (__wbindgen_export_1 for
;; malloc, _2 for realloc, _3 for free) and strips the name section: nothing in the module says
;; which function allocates. --wasm-bindgen-glue reads how the JS glue calls them.

;; RUN: wat2wasm %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list 2>&1 | FileCheck %s --check-prefix=NONE
;; RUN: viewsan-instrument %t.wasm --list --wasm-bindgen-glue %S/inputs/wasm-bindgen-glue.js \
;; RUN:   | FileCheck %s --check-prefix=LIST
;; RUN: viewsan-instrument %t.wasm -o %t.vs.wasm --wasm-bindgen-glue %S/inputs/wasm-bindgen-glue.js
;; RUN: wasm-opt --all-features %t.vs.wasm -o /dev/null

;; A glue file that cannot be read is bad input: exit 1, nothing written.
;; RUN: not viewsan-instrument %t.wasm -o %t.out.wasm --wasm-bindgen-glue %t.missing.js 2>&1 \
;; RUN:   | FileCheck %s --check-prefix=MISSING
;; RUN: test ! -e %t.out.wasm

;; Glue that uses no allocator is worth a note; the module is still instrumented.
;; RUN: printf 'wasm.reverse(retptr, ptr0, len0);\n' > %t.none.js
;; RUN: viewsan-instrument %t.wasm -o %t.out.wasm --wasm-bindgen-glue %t.none.js 2>&1 \
;; RUN:   | FileCheck %s --check-prefix=UNBOUND

;; The glue's calls are a guess at each export's role: one whose export has not the shape of
;; wasm-bindgen's free (ptr, size, align) is left out with a note.
;; RUN: printf 'wasm.__wbindgen_export_1(r0, r1 * 1, 1);\n' > %t.bad.js
;; RUN: viewsan-instrument %t.wasm --list --wasm-bindgen-glue %t.bad.js 2>&1 \
;; RUN:   | FileCheck %s --check-prefix=BAD

(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (func $exn_store (export "__wbindgen_export_0") (param $idx i32))
  (func $malloc (export "__wbindgen_export_1") (param $size i32) (param $align i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $top) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.const 1)))))
    (local.get $p))
  (func $realloc (export "__wbindgen_export_2")
    (param $ptr i32) (param $old i32) (param $new i32) (param $align i32) (result i32)
    (local $p i32)
    (local.set $p (call $malloc (local.get $new) (local.get $align)))
    (memory.copy (local.get $p) (local.get $ptr) (local.get $old))
    (local.get $p))
  (func $free (export "__wbindgen_export_3") (param $ptr i32) (param $size i32) (param $align i32))
  ;; reverse(retptr, ptr, len): returns a new string through retptr, and frees its argument.
  (func $reverse (export "reverse") (param $ret i32) (param $ptr i32) (param $len i32)
    (local $out i32)
    (local.set $out (call $malloc (local.get $len) (i32.const 1)))
    (call $free (local.get $ptr) (local.get $len) (i32.const 1))
    (i32.store (local.get $ret) (local.get $out))
    (i32.store offset=4 (local.get $ret) (local.get $len)))
)

;; NONE: note: no allocator found: only memory.grow is instrumented {{.*}}--wasm-bindgen-glue)
;; NONE: allocators   0 hooked

;; LIST:      allocators   3 hooked
;; LIST-NEXT:   __wbindgen_export_1  alloc    size=0        2 direct calls  found by glue "__wbindgen_malloc" (export "__wbindgen_export_1")
;; LIST-NEXT:   __wbindgen_export_2  realloc  ptr=0,size=2  0 direct calls  found by glue "__wbindgen_realloc" (export "__wbindgen_export_2")
;; LIST-NEXT:   __wbindgen_export_3  free     ptr=0         1 direct call   found by glue "__wbindgen_free" (export "__wbindgen_export_3")
;; LIST-NEXT: sites        {{[0-9]+}}
;; LIST-NEXT: coverage     partial

;; MISSING: {{.*}}missing.js: error: cannot read the file: No such file or directory

;; UNBOUND: note: {{.*}}none.js: the glue binds no allocator to an export

;; BAD: note: {{.*}}bad.js: __wbindgen_free would be export "__wbindgen_export_1", which takes 2 arguments and returns 1 values, not 3 and 0; it is not used
;; BAD: allocators   0 hooked
