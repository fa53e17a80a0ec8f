;; A module with more than one memory (multi-memory) is refused in one line that names the
;; feature, exit status 1, no output file: viewsan guards one linear memory, and hooks that would
;; report another memory's pointers or growth would mislead the runtime. Two defined memories, or
;; an imported one beside a defined one, alike.

;; RUN: wat2wasm --enable-multi-memory %s -o %t.wasm
;; RUN: (viewsan-instrument %t.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s
;; RUN: not test -e %t.out.wasm
;; CHECK:      error: multi-memory is not supported: this module has a second memory, and viewsan guards one linear memory
;; CHECK-NEXT: exit 1

;; RUN: sed -e 's/^ *(memory \$heap 1)/  (import "env" "heap" (memory $heap 1))/' %s > %t.imported.wat
;; RUN: wat2wasm --enable-multi-memory %t.imported.wat -o %t.imported.wasm
;; RUN: (viewsan-instrument %t.imported.wasm -o %t.out.wasm; echo "exit $?") 2>&1 | FileCheck %s
;; RUN: not test -e %t.out.wasm

(module
  (memory $heap 1)
  (memory $scratch (export "scratch") 1)
  (func $malloc (export "malloc") (param $size i32) (result i32) (i32.const 1024))
  (func $free (export "free") (param $ptr i32))
  (func (export "grow_scratch") (result i32) (memory.grow $scratch (i32.const 1)))
)
