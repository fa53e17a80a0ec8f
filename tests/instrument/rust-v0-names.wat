;; Rust 1.89 and later mangle the allocator shims as items of the `__rustc` crate (v0 mangling):
;; the name section says `_RNvCs1njKG4L9aB3_7___rustc12___rust_alloc`, not `__rust_alloc`. They
;; are found and hooked as the plain names would be, below the exported wrappers JavaScript calls
;; (@biomejs/wasm-nodejs 2.5.14's shape: `__wbindgen_malloc_command_export`, found by its glue).

;; RUN: wat2wasm --debug-names %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm --list | FileCheck %s

(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))

  (func $_RNvCs1njKG4L9aB3_7___rustc12___rust_alloc (param $size i32) (param $align i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 7)) (i32.const -8))))
    (local.get $p))
  (func $_RNvCs1njKG4L9aB3_7___rustc14___rust_dealloc (param $ptr i32) (param $size i32) (param $align i32))

  (func $__wbindgen_malloc.command_export (export "__wbindgen_malloc_command_export")
        (param $size i32) (param $align i32) (result i32)
    (call $_RNvCs1njKG4L9aB3_7___rustc12___rust_alloc (local.get $size) (local.get $align)))

  (func (export "make_string") (result i32)
    (call $_RNvCs1njKG4L9aB3_7___rustc12___rust_alloc (i32.const 12) (i32.const 1)))
  (func (export "drop_string") (param $ptr i32)
    (call $_RNvCs1njKG4L9aB3_7___rustc14___rust_dealloc (local.get $ptr) (i32.const 12) (i32.const 1)))
)

;; CHECK: allocators   2 hooked
;; CHECK-DAG: _RNvCs1njKG4L9aB3_7___rustc12___rust_alloc{{ +}}alloc{{ +}}size=0{{ +}}2 direct calls{{ +}}found by name "_RNvCs1njKG4L9aB3_7___rustc12___rust_alloc" (__rustc::__rust_alloc)
;; CHECK-DAG: _RNvCs1njKG4L9aB3_7___rustc14___rust_dealloc{{ +}}free{{ +}}ptr=0{{ +}}1 direct call{{ +}}found by name "_RNvCs1njKG4L9aB3_7___rustc14___rust_dealloc" (__rustc::__rust_dealloc)
;; CHECK: coverage     complete
