;; A minified Emscripten build exports malloc and free under names its minifier chose ("Ia",
;; "Ja"), and strips the name section: nothing in the module says which function is the
;; allocator. --emscripten-glue reads the JS glue, which binds _malloc and _free to them.

;; RUN: wat2wasm %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list 2>&1 | FileCheck %s --check-prefix=NONE
;; RUN: viewsan-instrument %t.wasm --list --emscripten-glue %S/inputs/minified-glue.js \
;; RUN:   | FileCheck %s --check-prefix=LIST
;; RUN: viewsan-instrument %t.wasm -S -o - --emscripten-glue %S/inputs/minified-glue.js \
;; RUN:   | FileCheck %s --check-prefix=SITES

;; A glue file that cannot be read is bad input: exit 1, nothing written.
;; RUN: not viewsan-instrument %t.wasm -o %t.out.wasm --emscripten-glue %t.missing.js 2>&1 \
;; RUN:   | FileCheck %s --check-prefix=MISSING
;; RUN: test ! -e %t.out.wasm

;; Glue that binds no allocator is worth a note; the module is still instrumented.
;; RUN: printf 'k._app_run=c.La;\n' > %t.none.js
;; RUN: viewsan-instrument %t.wasm -o %t.out.wasm --emscripten-glue %t.none.js 2>&1 \
;; RUN:   | FileCheck %s --check-prefix=UNBOUND

;; Glue that binds _malloc to a function that cannot be malloc is an error, as a flag would be.
;; RUN: printf 'da=k._malloc=c.La;\n' > %t.bad.js
;; RUN: not viewsan-instrument %t.wasm -o %t.out.wasm --emscripten-glue %t.bad.js 2>&1 \
;; RUN:   | FileCheck %s --check-prefix=BAD

(module
  (memory (export "Ma") 1)
  (global $top (mut i32) (i32.const 1024))
  (func $malloc (export "Ia") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $top) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.const 1)))))
    (local.get $p))
  (func $free (export "Ja") (param $ptr i32))
  (func $usable_size (export "Ka") (param $ptr i32) (result i32) (i32.const 0))
  (func $run (export "La")
    (call $free (call $malloc (i32.const 32))))
)

;; NONE: note: no allocator found: only memory.grow is instrumented
;; NONE: allocators   0 hooked

;; LIST:      allocators   2 hooked
;; LIST-NEXT:   Ia  alloc  size=0  1 direct call  found by glue "_malloc" (export "Ia")
;; LIST-NEXT:   Ja  free   ptr=0   1 direct call  found by glue "_free" (export "Ja")
;; LIST-NEXT: sites        5
;; LIST-NEXT: coverage     partial

;; SITES: "{\"version\":1,\"module\":\"emscripten-glue.wat.wasm\",\"coverage\":\"partial\",\"sites\":[
;; SITES-SAME: {\"id\":0,\"kind\":\"export\",\"func\":\"Ia\",\"callee\":\"Ia\",\"offset\":{{[0-9]+}},\"role\":\"alloc\",\"size\":0,\"exports\":[\"Ia\"]},
;; SITES-SAME: {\"id\":1,\"kind\":\"export\",\"func\":\"Ja\",\"callee\":\"Ja\",\"offset\":{{[0-9]+}},\"role\":\"free\",\"ptr\":0,\"exports\":[\"Ja\"]},
;; SITES-SAME: {\"id\":2,\"kind\":\"call\",\"func\":\"La\",\"callee\":\"Ia\",\"offset\":{{[0-9]+}}},
;; SITES-SAME: {\"id\":3,\"kind\":\"call\",\"func\":\"La\",\"callee\":\"Ja\",\"offset\":{{[0-9]+}}},
;; SITES-SAME: {\"id\":4,\"kind\":\"memory.grow\",\"func\":\"Ia\",\"callee\":null,\"offset\":{{[0-9]+}}}]}"

;; MISSING: {{.*}}missing.js: error: cannot read the file: No such file or directory

;; UNBOUND:      {{.*}}none.js: the glue binds no allocator to an export
;; UNBOUND-NEXT: {{.*}}: note: no allocator found: only memory.grow is instrumented

;; BAD: {{.*}}: error: --emscripten-glue _malloc: it has 0 parameters, too few for size=0
