;; A truncated module is refused with the offset of the field that runs past the end, exit
;; status 1, and no output file.

;; RUN: wat2wasm --debug-names %s -o %t.wasm

;; In the header:
;; RUN: head -c 6 %t.wasm > %t.cut.wasm
;; RUN: (viewsan-instrument %t.cut.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=HEADER
;; HEADER:      cut.wasm:0000006: error: unexpected end of file reading version
;; HEADER-NEXT: exit 1

;; In the type section, the first:
;; RUN: head -c 11 %t.wasm > %t.cut.wasm
;; RUN: (viewsan-instrument %t.cut.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=TYPE
;; TYPE:      cut.wasm:0000009: error: type section size 10 extends past the end of the file (1 byte left)
;; TYPE-NEXT: exit 1

;; Right after the function section, so that the code section is missing altogether (Binaryen's
;; own message):
;; RUN: head -c 25 %t.wasm > %t.cut.wasm
;; RUN: (viewsan-instrument %t.cut.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=NOCODE
;; NOCODE:      cut.wasm:0000019: error: function and code sections have inconsistent lengths
;; NOCODE-NEXT: exit 1

;; In the code section:
;; RUN: head -c 56 %t.wasm > %t.cut.wasm
;; RUN: (viewsan-instrument %t.cut.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=CODE
;; CODE:      cut.wasm:0000032: error: code section size 10 extends past the end of the file (5 bytes left)
;; CODE-NEXT: exit 1

;; In the name section at the end:
;; RUN: head -c 70 %t.wasm > %t.cut.wasm
;; RUN: (viewsan-instrument %t.cut.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=NAME
;; NAME:      cut.wasm:000003e: error: custom section size 40 extends past the end of the file (7 bytes left)
;; NAME-NEXT: exit 1

;; RUN: test ! -e %t.out.wasm

(module
  (memory 1)
  (func $malloc (export "malloc") (param $size i32) (result i32)
    (i32.const 1024))
  (func $free (export "free") (param $ptr i32))
)
