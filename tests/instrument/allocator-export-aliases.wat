;; Identical code folding merges functions with one body: a C++ operator delete and a deleting
;; destructor become one function, exported under each name (duckdb-wasm's _ZdlPv and a
;; shared_ptr's destructor). Without a name section the allocator is named by the export it was
;; found by, not by whichever of its exports comes first.

;; RUN: wat2wasm %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s --check-prefix=LIST
;; RUN: viewsan-instrument %t.wasm -S -o - | FileCheck %s --check-prefix=SITES

(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (func $malloc (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (local.get $p))
  (func $delete (export "_ZN6BufferD0Ev") (export "_ZdlPv") (param $ptr i32))
  (func $run (export "run")
    (call $delete (call $malloc (i32.const 32))))
)

;; LIST:      allocators   2 hooked
;; LIST-NEXT:   malloc  alloc  size=0  1 direct call
;; LIST-NEXT:   _ZdlPv  free   ptr=0   1 direct call

;; SITES: {\"id\":1,\"kind\":\"export\",\"func\":\"_ZdlPv\",\"callee\":\"_ZdlPv\",\"offset\":{{[0-9]+}},\"role\":\"free\",\"ptr\":0,\"exports\":[\"_ZdlPv\",\"_ZN6BufferD0Ev\"]}
;; SITES: {\"id\":3,\"kind\":\"call\",\"func\":\"run\",\"callee\":\"_ZdlPv\"
