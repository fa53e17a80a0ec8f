;; A module without a name section: functions are known by export name or index only, so an
;; allocator entry point might have no name the table could match, and coverage is partial even
;; with malloc and free hooked. The module's name comes from --module-name, else the file name.
;; The output has no name section either.

;; RUN: wat2wasm %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -S -o - --module-name app | FileCheck %s
;; RUN: viewsan-instrument %t.wasm -S -o - | FileCheck %s --check-prefix=FILENAME
;; RUN: viewsan-instrument %t.wasm -o %t.out.wasm
;; RUN: wasm-objdump -h %t.out.wasm | FileCheck %s --check-prefix=SECTIONS

(module
  (memory 1)
  (func $malloc (export "malloc") (param $size i32) (result i32)
    (i32.const 1024))
  (func $free (export "free") (param $ptr i32))
  (func $user
    (call $free (call $malloc (i32.const 8))))
)

;; Without names, the text shows Binaryen's numbering of defined functions: $4 is malloc's
;; hooked wrapper, after $3, malloc's original code.
;; CHECK:      (func $0 (type $0) (param $0 i32) (result i32)
;; CHECK-NEXT:  (call $4
;; CHECK-NEXT:   (local.get $0)
;; CHECK-NEXT:   (i32.const 0)
;; CHECK-NEXT:  )
;; CHECK-NEXT: )
;; CHECK: ;; custom section "viewsan.sites", size {{[0-9]+}}, contents: "{\"version\":1,\"module\":\"app\",\"coverage\":\"partial\",\"sites\":[
;; CHECK-SAME: {\"id\":0,\"kind\":\"export\",\"func\":\"malloc\",\"callee\":\"malloc\",\"offset\":{{[0-9]+}},\"role\":\"alloc\",\"size\":0,\"exports\":[\"malloc\"]},
;; CHECK-SAME: {\"id\":1,\"kind\":\"export\",\"func\":\"free\",\"callee\":\"free\",\"offset\":{{[0-9]+}},\"role\":\"free\",\"ptr\":0,\"exports\":[\"free\"]},
;; CHECK-SAME: {\"id\":2,\"kind\":\"call\",\"func\":\"func[4]\",\"callee\":\"malloc\",\"offset\":{{[0-9]+}}},
;; CHECK-SAME: {\"id\":3,\"kind\":\"call\",\"func\":\"func[4]\",\"callee\":\"free\",\"offset\":{{[0-9]+}}}
;; CHECK-SAME: ]}"

;; FILENAME: contents: "{\"version\":1,\"module\":\"sites-stripped.wat.wasm\",

;; SECTIONS:     Code
;; SECTIONS-NOT: "name"
;; SECTIONS:     "viewsan.sites"
