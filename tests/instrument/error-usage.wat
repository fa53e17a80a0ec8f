;; A usage error prints the problem and a pointer to --help, and exits with status 2.

;; RUN: wat2wasm %s -o %t.wasm

;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm --frobnicate; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=UNKNOWN
;; UNKNOWN:      viewsan-instrument: unknown option '--frobnicate'
;; UNKNOWN-NEXT: Try '--help' for more information.
;; UNKNOWN-NEXT: exit 2

;; RUN: (viewsan-instrument %t.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=NO-OUTPUT
;; NO-OUTPUT:      viewsan-instrument: no output file; give one with -o FILE, or use --list
;; NO-OUTPUT-NEXT: Try '--help' for more information.
;; NO-OUTPUT-NEXT: exit 2

;; RUN: (viewsan-instrument -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=NO-INPUT
;; NO-INPUT:      viewsan-instrument: no input file
;; NO-INPUT-NEXT: Try '--help' for more information.
;; NO-INPUT-NEXT: exit 2

;; RUN: (viewsan-instrument %t.wasm %t.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=TWO-INPUTS
;; TWO-INPUTS:      viewsan-instrument: unexpected argument '{{.*}}.wasm'
;; TWO-INPUTS-NEXT: Try '--help' for more information.
;; TWO-INPUTS-NEXT: exit 2

;; RUN: (viewsan-instrument %t.wasm -o; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=NO-VALUE
;; NO-VALUE:      viewsan-instrument: option '-o' needs a value
;; NO-VALUE-NEXT: Try '--help' for more information.
;; NO-VALUE-NEXT: exit 2

;; RUN: (viewsan-instrument %t.wasm --list -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=LIST
;; LIST:      viewsan-instrument: --list writes nothing; it cannot be combined with -o or -S
;; LIST-NEXT: Try '--help' for more information.
;; LIST-NEXT: exit 2

;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm --alloc my_alloc:size=x; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=POSITION
;; POSITION:      viewsan-instrument: --alloc 'my_alloc:size=x': position 'size=x' needs an argument index from 0 to 999
;; POSITION-NEXT: Try '--help' for more information.
;; POSITION-NEXT: exit 2

;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm --free my_free:size=1; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=KEY
;; KEY:      viewsan-instrument: --free 'my_free:size=1': unknown position 'size' (free takes ptr)
;; KEY-NEXT: Try '--help' for more information.
;; KEY-NEXT: exit 2

;; The input is not even read.
;; RUN: test ! -e %t.out.wasm

(module)
