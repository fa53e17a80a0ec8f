;; A module that is well framed but invalid is refused with one line, exit status 1, and no
;; output file: whether the validator rejects it, or Binaryen's reader gives up on it (which
;; ends the process doing the reading: viewsan reads in a child process, and reports how it
;; ended).

;; The function returns an i64 where it declares i32; wat2wasm writes it unchecked.
;; RUN: wat2wasm --no-check %s -o %t.wasm
;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=INVALID
;; INVALID:      .wasm: error: module fails validation: [wasm-validator error in function 0] function body type must match, if function returns
;; INVALID-NEXT: exit 1

;; A function body with an opcode that does not exist (0xff):
;; RUN: printf '\0asm\1\0\0\0\1\4\1\x60\0\0\3\2\1\0\n\5\1\3\0\xff\x0b' > %t.opcode.wasm
;; RUN: (viewsan-instrument %t.opcode.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=OPCODE
;; OPCODE:      opcode.wasm:0000018: error: unknown operation 255
;; OPCODE-NEXT: exit 1

;; A function whose type index is out of range:
;; RUN: printf '\0asm\1\0\0\0\1\4\1\x60\0\0\3\2\1\5\n\4\1\2\0\x0b' > %t.type.wasm
;; RUN: (viewsan-instrument %t.type.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=TYPE
;; TYPE:      type.wasm:0000012: error: invalid type index 5 / 1
;; TYPE-NEXT: exit 1

;; A GC type declaring a final type as its supertype: Binaryen 132's reader ends the process
;; (Fatal()) rather than throwing, so this one is reported from how the child ended.
;; RUN: printf '\0asm\1\0\0\0\1\x0a\x02\x4f\x00\x5f\x00\x50\x01\x00\x5f\x00' > %t.subtype.wasm
;; RUN: (viewsan-instrument %t.subtype.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=SUBTYPE
;; SUBTYPE:      subtype.wasm: error: Binaryen cannot read this module: invalid type: Heap type has an invalid supertype at index 1
;; SUBTYPE-NEXT: exit 1

;; RUN: test ! -e %t.out.wasm

(module
  (func $wrong (result i32)
    (i64.const 1))
)
