;; Input that is not a wasm module is refused with one line naming the file, the offset and the
;; problem, exit status 1, and no output file.

;; This file itself is text:
;; RUN: (viewsan-instrument %s -o %t.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=TEXT
;; RUN: test ! -e %t.wasm
;; TEXT:      error-not-wasm.wat:0000004: error: bad magic value
;; TEXT-NEXT: exit 1

;; RUN: touch %t.empty.wasm
;; RUN: (viewsan-instrument %t.empty.wasm -o %t.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=EMPTY
;; EMPTY:      empty.wasm:0000000: error: unexpected end of file reading magic
;; EMPTY-NEXT: exit 1

;; RUN: printf '\0asm\2\0\0\0' > %t.version.wasm
;; RUN: (viewsan-instrument %t.version.wasm -o %t.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=VERSION
;; VERSION:      version.wasm:0000008: error: bad wasm file version: 0x2 (expected 0x1)
;; VERSION-NEXT: exit 1

;; A component is not a core module.
;; RUN: printf '\0asm\15\0\1\0' > %t.component.wasm
;; RUN: (viewsan-instrument %t.component.wasm -o %t.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=COMPONENT
;; COMPONENT:      component.wasm:0000008: error: bad wasm file version: 0x1000d (a component; expected a core module, 0x1)
;; COMPONENT-NEXT: exit 1

;; A missing file is bad input too.
;; RUN: (viewsan-instrument %t.missing.wasm -o %t.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=MISSING
;; MISSING:      missing.wasm: error: cannot read the file: No such file or directory
;; MISSING-NEXT: exit 1
;; RUN: test ! -e %t.wasm
