;; A source map is kept: the map the sourceMappingURL section names (beside the input) is read,
;; and the output gets an updated one, beside it by default, which its own section names. A
;; location that mapped to a source line before instrumenting maps to the same line after: the
;; allocating call (now to the hooked wrapper) and the memory.grow (now a call to viewsan.grow).
;; The sites' own locations, by which the tool finds their offsets, are not in the map written.
;; Binaryen 132's wasm-opt writes the input's map from the ";;@" annotations below.

;; RUN: cd $(dirname %t) && $WASM_OPT_132 %s -g -o %t.wasm --output-source-map %t.wasm.map \
;; RUN:   --output-source-map-url $(basename %t).wasm.map
;; RUN: viewsan-instrument %t.wasm -o %t.vs.wasm 2>&1 | FileCheck %s --check-prefix=NOTE --allow-empty
;; NOTE-NOT: note:

;; RUN: grep -a -o -E '[-a-z.]*\.map' %t.vs.wasm | FileCheck %s --check-prefix=URL
;; URL: {{^}}source-map.wat.vs.wasm.map{{$}}
;; RUN: FileCheck %s --check-prefix=MAP < %t.vs.wasm.map
;; MAP: "sources":["alloc.c","app.c"]
;; MAP-NOT: viewsan.sites

;; RUN: node %S/source-map-lookup.js %t.wasm.map $(%S/call-offset.sh %t.wasm make) | FileCheck %s --check-prefix=CALL
;; RUN: node %S/source-map-lookup.js %t.vs.wasm.map $(%S/call-offset.sh %t.vs.wasm make) | FileCheck %s --check-prefix=CALL
;; CALL: {{^}}app.c:12:10{{$}}
;; RUN: node %S/source-map-lookup.js %t.vs.wasm.map $(%S/call-offset.sh %t.vs.wasm grow) | FileCheck %s --check-prefix=GROW
;; GROW: {{^}}app.c:20:3{{$}}

;; In place, the map the section names is replaced with the updated one, and the section still
;; names it.
;; RUN: rm -rf %t.in-place && mkdir %t.in-place
;; RUN: cp %t.wasm %t.in-place/app.wasm && cp %t.wasm.map %t.in-place/$(basename %t).wasm.map
;; RUN: viewsan-instrument %t.in-place/app.wasm --in-place
;; RUN: grep -a -o -E '[-a-z.]*\.map' %t.in-place/app.wasm | FileCheck %s --check-prefix=KEPT
;; KEPT: {{^}}source-map.wat.wasm.map{{$}}
;; RUN: node %S/source-map-lookup.js %t.in-place/$(basename %t).wasm.map $(%S/call-offset.sh %t.in-place/app.wasm make) | FileCheck %s --check-prefix=CALL
;; RUN: test ! -e %t.in-place/app.wasm.map

;; The sites' offsets are still exact: those of the calls that pass them.
;; RUN: echo "offset $(( $(%S/call-offset.sh %t.vs.wasm make) ))" > %t.call.expected
;; RUN: grep -a -o -E '"func":"make","callee":"malloc","offset":[0-9]+' %t.vs.wasm \
;; RUN:   | sed 's/.*"offset":/offset /' | diff - %t.call.expected
;; RUN: echo "offset $(( $(%S/call-offset.sh %t.vs.wasm grow) ))" > %t.grow.expected
;; RUN: grep -a -o -E '"kind":"memory.grow","func":"grow","callee":null,"offset":[0-9]+' %t.vs.wasm \
;; RUN:   | sed 's/.*"offset":/offset /' | diff - %t.grow.expected

;; Binaryen 132 reads the output with its map, and the annotations are where they were.
;; RUN: $WASM_OPT_132 %t.vs.wasm --input-source-map %t.vs.wasm.map -S -o - | FileCheck %s --check-prefix=READ
;; READ:      (func $make
;; READ:      ;;@ app.c:12:10
;; READ-NEXT: (call $malloc$viewsan.hooked
;; READ:      (func $malloc$viewsan.orig
;; READ:      ;;@ alloc.c:3:5

;; The flags: a map given for a module whose section is absent or names another, written where
;; --output-source-map says, with the URL --output-source-map-url gives.
;; RUN: $WASM_OPT_132 %t.wasm -o %t.nourl.wasm
;; RUN: viewsan-instrument %t.nourl.wasm -o %t.flags.wasm --input-source-map %t.wasm.map \
;; RUN:   --output-source-map %t.out.map --output-source-map-url https://example.com/app.map
;; RUN: not test -e %t.flags.wasm.map
;; RUN: grep -a -o -E 'https://[-a-z./]*' %t.flags.wasm | FileCheck %s --check-prefix=FLAGS-URL
;; FLAGS-URL: {{^}}https://example.com/app.map{{$}}
;; RUN: node %S/source-map-lookup.js %t.out.map $(%S/call-offset.sh %t.flags.wasm make) | FileCheck %s --check-prefix=CALL

;; A map the section names that is not there: the output is written, with a note.
;; RUN: rm %t.wasm.map
;; RUN: viewsan-instrument %t.wasm -o %t.gone.wasm 2>&1 | FileCheck %s --check-prefix=GONE
;; GONE: note: the sourceMappingURL section is kept, but the source map it names no longer matches the instrumented code ({{.*}}source-map.wat.wasm.map: No such file or directory)
;; RUN: not test -e %t.gone.wasm.map

(module
  (memory 1)
  (func $malloc (export "malloc") (param $size i32) (result i32)
    ;;@ alloc.c:3:5
    (i32.const 1024))
  (func $free (export "free") (param $ptr i32))
  (func $make (export "make") (param $n i32) (result i32)
    ;;@ app.c:10:3
    (drop (i32.const 7))
    ;;@ app.c:12:10
    (call $malloc
      ;;@ app.c:12:17
      (local.get $n)))
  (func $grow (export "grow") (result i32)
    ;;@ app.c:20:3
    (memory.grow (i32.const 1))))
