;; The viewsan.sites section (DESIGN.md, contract 1). Sites are numbered in the order the passes
;; add them: export sites first, one per allocator, then direct calls to allocators, then
;; memory.grow instructions, each in code order, function by function in the order of the input
;; module. A site's func is the caller's name-section name, else its
;; export name, else func[N] with N its index in the instrumented module, where the two hook
;; imports come before it. Each offset is that of the call instruction passing the site. An export
;; site also says the allocator's role, where its arguments are, and the names it is exported
;; under, for the runtime's wrappers of those exports. With a name section and both an allocating
;; and a freeing function hooked, coverage is complete.

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -S -o - | FileCheck %s

(module $demo
  (memory 1)
  (func $malloc (export "malloc") (param $size i32) (result i32)
    (drop (memory.grow (i32.const 1)))
    (i32.const 1024))
  (func $free (export "free") (param $ptr i32))
  ;; A name that JSON must escape.
  (func $odd\name
    (call $free (call $malloc (i32.const 8))))
  ;; No name-section name: shown by its export name, or else by its index, 8: the fifth
  ;; function, after the four hook imports.
  (func (export "exported") (drop (call $malloc (i32.const 16))))
  (func (drop (call $malloc (i32.const 32))))
)

;; CHECK: ;; custom section "viewsan.sites", size {{[0-9]+}}, contents: "{\"version\":1,\"module\":\"demo\",\"coverage\":\"complete\",\"sites\":[
;; CHECK-SAME: {\"id\":0,\"kind\":\"export\",\"func\":\"malloc\",\"callee\":\"malloc\",\"offset\":{{[0-9]+}},\"role\":\"alloc\",\"size\":0,\"exports\":[\"malloc\"]},
;; CHECK-SAME: {\"id\":1,\"kind\":\"export\",\"func\":\"free\",\"callee\":\"free\",\"offset\":{{[0-9]+}},\"role\":\"free\",\"ptr\":0,\"exports\":[\"free\"]},
;; CHECK-SAME: {\"id\":2,\"kind\":\"call\",\"func\":\"odd\\\\name\",\"callee\":\"malloc\",\"offset\":{{[0-9]+}}},
;; CHECK-SAME: {\"id\":3,\"kind\":\"call\",\"func\":\"odd\\\\name\",\"callee\":\"free\",\"offset\":{{[0-9]+}}},
;; CHECK-SAME: {\"id\":4,\"kind\":\"call\",\"func\":\"exported\",\"callee\":\"malloc\",\"offset\":{{[0-9]+}}},
;; CHECK-SAME: {\"id\":5,\"kind\":\"call\",\"func\":\"func[8]\",\"callee\":\"malloc\",\"offset\":{{[0-9]+}}},
;; CHECK-SAME: {\"id\":6,\"kind\":\"memory.grow\",\"func\":\"malloc\",\"callee\":null,\"offset\":{{[0-9]+}}}
;; CHECK-SAME: ]}"
