;; An imported table and two defined tables, each with an element segment: every table index
;; (import, definitions, segments, call_indirect) is the input's after instrumenting, and the
;; allocator reached through call_indirect on a defined table reports with its export's site.

;; RUN: wat2wasm --enable-all --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -o %t.vs.wasm
;; RUN: wasm-objdump -x %t.vs.wasm | FileCheck %s
;; RUN: wasm-objdump -d %t.vs.wasm | FileCheck %s --check-prefix=CODE
;; RUN: node %S/inputs/instantiate.mjs %t.vs.wasm via_table 16 | FileCheck %s --check-prefix=RUNS

(module
  (import "env" "table" (table $imported 2 funcref))
  (table $own 3 funcref)
  (table $refs 1 externref)
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (elem (table $imported) (i32.const 0) func $malloc)
  (elem (table $own) (i32.const 1) func $free $malloc)
  (elem (table $refs) (i32.const 0) externref (ref.null extern))

  (func $malloc (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  (func $free (export "free") (param $ptr i32))

  ;; malloc is slot 2 of $own.
  (func (export "via_table") (param $size i32) (result i32)
    (call_indirect $own (param i32) (result i32) (local.get $size) (i32.const 2)))
)

;; CHECK:      Import[{{[0-9]+}}]:
;; CHECK:       - table[0] type=funcref initial=2 <- env.table
;; CHECK:      Table[2]:
;; CHECK-NEXT:  - table[1] type=funcref initial=3 <own>
;; CHECK-NEXT:  - table[2] type=externref initial=1 <refs>
;; CHECK:      Elem[3]:
;; CHECK-NEXT:  - segment[0] flags=0 table=0 count=1 - init i32=0
;; CHECK-NEXT:   - elem[0] = func[{{[0-9]+}}] <malloc>
;; CHECK-NEXT:  - segment[1] flags=2 table=1 count=2 - init i32=1
;; CHECK-NEXT:   - elem[1] = func[{{[0-9]+}}] <free>
;; CHECK-NEXT:   - elem[2] = func[{{[0-9]+}}] <malloc>
;; CHECK-NEXT:  - segment[2] flags=6 table=2 count=1 - init i32=0
;; CHECK-NEXT:   - elem[0] = ref.null externref

;; CODE: call_indirect 1 <own> (type {{[0-9]+}})

;; Site 0 is malloc's export.
;; RUNS:      hook alloc(1024, 16, 0)
;; RUNS:      via_table(16) = 1024
