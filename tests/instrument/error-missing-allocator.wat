;; An allocator named by a flag must be in the module, with a signature that fits its role:
;; otherwise the module is refused with exit status 1 and no output file.

;; RUN: wat2wasm --debug-names %s -o %t.wasm

;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm --alloc my_alloc; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=MISSING
;; MISSING:      .wasm: error: --alloc my_alloc: no function has this export name or name-section name
;; MISSING-NEXT: exit 1

;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm --free release:ptr=2; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=ARITY
;; ARITY:      .wasm: error: --free release: it has 2 parameters, too few for ptr=2
;; ARITY-NEXT: exit 1

;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm --alloc release; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=RESULT
;; RESULT:      .wasm: error: --alloc release: it returns none, not an i32 pointer
;; RESULT-NEXT: exit 1

;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm --alloc host_alloc; echo "exit $?") 2>&1 | FileCheck %s --check-prefix=IMPORTED
;; IMPORTED:      .wasm: error: --alloc host_alloc: it is imported; only functions defined in the module can be wrapped
;; IMPORTED-NEXT: exit 1

;; RUN: test ! -e %t.out.wasm

(module
  (import "env" "host_alloc" (func $host_alloc (param i32) (result i32)))
  (func $release (export "release") (param $arena i32) (param $ptr i32))
)
