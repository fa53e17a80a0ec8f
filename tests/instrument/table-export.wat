;; A module with two tables whose second, an externref table, is exported, and whose allocator
;; is hooked. The instrumented module must still export table 1: Binaryen 108 wrote the export as
;; table 0 (the funcref table), and @biomejs/wasm-nodejs, whose glue stores JS values in the
;; exported externref table, failed at startup.

;; RUN: wat2wasm --enable-all --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -o %t.vs.wasm
;; RUN: wasm-objdump -x %t.vs.wasm | FileCheck %s
;; RUN: node %S/inputs/instantiate.mjs %t.vs.wasm | FileCheck %s --check-prefix=RUNS

(module
  (table $funcs 2 funcref)
  (table $externs (export "externs") 4 externref)
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (elem (table $funcs) (i32.const 0) func $malloc $free)

  (func $malloc (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  (func $free (export "free") (param $ptr i32))

  (func (export "store") (param $i i32) (param $v externref)
    (table.set $externs (local.get $i) (local.get $v)))
)

;; CHECK:      Table[2]:
;; CHECK-NEXT:  - table[0] type=funcref initial=2 <funcs>
;; CHECK-NEXT:  - table[1] type=externref initial=4 <externs>
;; CHECK:      Export[5]:
;; CHECK-NEXT:  - table[1] -> "externs"
;; CHECK:      Elem[1]:
;; CHECK-NEXT:  - segment[0] flags=0 table=0 count=2 - init i32=0
;; CHECK-NEXT:   - elem[0] = func[{{[0-9]+}}] <malloc>
;; CHECK-NEXT:   - elem[1] = func[{{[0-9]+}}] <free>

;; V8 compiles it, and the exported table is the externref one.
;; RUNS: export externs: WebAssembly.Table, length 4
