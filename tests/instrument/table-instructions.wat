;; table.size, table.grow and table.fill on a table other than the first keep their table
;; operand through instrumenting (Binaryen 108 could not read table.fill at all), and the
;; memory.grow beside them is hooked.

;; RUN: wat2wasm --enable-all --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -o %t.vs.wasm 2>/dev/null
;; RUN: wasm-objdump -d %t.vs.wasm | FileCheck %s
;; RUN: node %S/inputs/instantiate.mjs %t.vs.wasm grow_both 3 | FileCheck %s --check-prefix=RUNS

(module
  (table $funcs 1 funcref)
  (table $externs 2 10 externref)
  (memory (export "memory") 1 10)

  (func $fill (export "fill") (param $v externref)
    (table.fill $externs (i32.const 0) (local.get $v) (table.size $externs)))

  ;; Grows the memory by one page and the table by $n slots; returns the table's new size.
  (func $grow_both (export "grow_both") (param $n i32) (result i32)
    (drop (memory.grow (i32.const 1)))
    (drop (table.grow $externs (ref.null extern) (local.get $n)))
    (table.size $externs))
)

;; CHECK:      <fill>:
;; CHECK:       table.size 1
;; CHECK-NEXT:  table.fill 1
;; CHECK:      <grow_both>:
;; CHECK:       call {{[0-9]+}} <viewsan.grow>
;; CHECK:       table.grow 1
;; CHECK:       table.size 1

;; RUNS:      hook grow_begin(1, 0)
;; RUNS-NEXT: hook grow_end(1, 1, 0)
;; RUNS-NEXT: grow_both(3) = 5
