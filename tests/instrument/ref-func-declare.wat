;; A module that takes a reference to a function with ref.func, declared by a declarative element
;; segment, and has no target_features section (wabt writes none). Binaryen drops the segment on
;; reading and writes it again only when reference types are enabled: the instrumented module
;; must still declare the function, or V8 refuses it ("undeclared reference to function").

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -o %t.vs.wasm 2>/dev/null
;; RUN: wasm-objdump -x %t.vs.wasm | FileCheck %s
;; RUN: node %S/inputs/instantiate.mjs %t.vs.wasm grow 1 | FileCheck %s --check-prefix=RUNS

(module
  (memory (export "memory") 1)
  (elem declare func $callback)
  (func $callback (param i32) (result i32) (local.get 0))
  (func (export "callback") (result funcref) (ref.func $callback))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)

;; CHECK:      Elem[1]:
;; CHECK-NEXT:  - segment[0] flags=3 table=0 count=1
;; CHECK-NEXT:   - elem[0] = func[{{[0-9]+}}] <callback>

;; RUNS:      export callback: function
;; RUNS:      hook grow_begin(1, 0)
;; RUNS-NEXT: hook grow_end(1, 1, 0)
;; RUNS-NEXT: grow(1) = 1
