;; A source map given with --input-source-map must be there and be one: otherwise the module is
;; refused with exit status 1 and nothing is written. The flags that write a map make no sense
;; where no binary is written: a usage error, exit status 2.

;; RUN: wat2wasm --debug-names %s -o %t.wasm

;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm --input-source-map %t.missing.map; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=MISSING
;; MISSING:      .missing.map: error: cannot read the file: No such file or directory
;; MISSING-NEXT: exit 1
;; RUN: not test -e %t.out.wasm

;; RUN: printf '{"version":3,"sources":[' > %t.truncated.map
;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm --input-source-map %t.truncated.map; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=JSON
;; JSON:      .wasm: error: {{.*}}.truncated.map: cannot read the source map: {{.+}}
;; JSON-NEXT: exit 1
;; RUN: not test -e %t.out.wasm
;; RUN: not test -e %t.out.wasm.map

;; RUN: printf '{"version":3,"sources":["a.c"],"names":[],"mappings":"CAAA,!"}' > %t.vlq.map
;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm --input-source-map %t.vlq.map; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=VLQ
;; VLQ:      .wasm: error: {{.*}}.vlq.map: cannot read the source map: invalid VLQ digit
;; VLQ-NEXT: exit 1
;; RUN: not test -e %t.out.wasm

;; RUN: printf '[1, 2]' > %t.array.map
;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm --input-source-map %t.array.map; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=ARRAY
;; ARRAY:      .wasm: error: {{.*}}.array.map: cannot read the source map: Source map is not valid JSON
;; ARRAY-NEXT: exit 1

;; RUN: mkdir -p %t.dir.map
;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm --input-source-map %t.dir.map; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=DIR
;; DIR:      .dir.map: error: cannot read the file: Is a directory
;; DIR-NEXT: exit 1

;; RUN: (viewsan-instrument %t.wasm --list --output-source-map %t.out.map; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=LIST
;; LIST:      viewsan-instrument: --list writes nothing; it cannot be combined with --output-source-map or --output-source-map-url
;; LIST-NEXT: Try '--help' for more information.
;; LIST-NEXT: exit 2

;; RUN: (viewsan-instrument %t.wasm -S -o %t.out.wat --output-source-map %t.out.map; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=TEXT
;; TEXT:      viewsan-instrument: -S writes the text format, which has no source map
;; TEXT-NEXT: Try '--help' for more information.
;; TEXT-NEXT: exit 2

;; RUN: (viewsan-instrument %t.wasm -o - --output-source-map-url app.map; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=URL
;; URL:      viewsan-instrument: --output-source-map-url needs --output-source-map when the output is stdout
;; URL-NEXT: Try '--help' for more information.
;; URL-NEXT: exit 2

;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm --input-source-map a.map --input-source-map b.map; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=TWICE
;; TWICE:      viewsan-instrument: more than one input source map
;; TWICE-NEXT: Try '--help' for more information.
;; TWICE-NEXT: exit 2

(module
  (memory 1)
  (func $malloc (export "malloc") (param $size i32) (result i32)
    (i32.const 1024)))
