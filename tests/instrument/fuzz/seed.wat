;; The start of most fuzzed modules (wasm-opt -ttf --initial-fuzz): allocators in the shapes
;; viewsan-instrument hooks, found by name (malloc, free, calloc, realloc, dlmalloc and dlfree
;; with -g) and by following wrappers (__wbindgen_malloc and __wbindgen_free to the unnamed Rust
;; functions below them), and memory.grow, which the fuzzer never writes itself. The fuzzer's
;; random code calls them with random arguments.
;;
;; Binaryen 132's fuzzer also rewrites some of these functions, so a name's contract need not hold.
;; That changes nothing the hooks can see except for posix_memalign, whose wrapper reads the
;; pointer stored at `out` when the status is 0: a rewritten one returning 0 without storing
;; makes that read trap where the original did not. So posix_memalign is only in
;; seed-memory64.wat, whose modules are validated and never run.

(module
  (memory 1 64)
  (global $top (mut i32) (i32.const 1024))
  (global $freed (mut i32) (i32.const 0))

  ;; A bump allocator that grows memory as it needs, and returns 0 when it cannot.
  (func $dlmalloc (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top
      (i32.and (i32.add (i32.add (local.get $p) (local.get $size)) (i32.const 7)) (i32.const -8)))
    (if (i32.lt_u (global.get $top) (local.get $p))
      (then (global.set $top (local.get $p)) (return (i32.const 0))))
    (block $enough
      (loop $more
        (br_if $enough
          (i32.le_u (global.get $top) (i32.mul (memory.size) (i32.const 65536))))
        (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1))
          (then (global.set $top (local.get $p)) (return (i32.const 0))))
        (br $more)))
    (local.get $p))
  (func $dlfree (param $ptr i32)
    (global.set $freed (i32.add (global.get $freed) (local.get $ptr))))

  (func $malloc (export "malloc") (param $size i32) (result i32)
    (call $dlmalloc (local.get $size)))
  (func $free (export "free") (param $ptr i32)
    (call $dlfree (local.get $ptr)))
  (func $calloc (export "calloc") (param $count i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (call $malloc (i32.mul (local.get $count) (local.get $size))))
    (if (local.get $p)
      (then (memory.fill (local.get $p) (i32.const 0) (i32.mul (local.get $count) (local.get $size)))))
    (local.get $p))
  (func $realloc (export "realloc") (param $ptr i32) (param $size i32) (result i32)
    (local $new i32)
    (local.set $new (call $malloc (local.get $size)))
    (if (i32.and (i32.ne (local.get $new) (i32.const 0)) (i32.ne (local.get $ptr) (i32.const 0)))
      (then
        (memory.copy (local.get $new) (local.get $ptr) (i32.and (local.get $size) (i32.const 255)))
        (call $free (local.get $ptr))))
    (local.get $new))

  (func $rust_alloc (param $size i32) (param $align i32) (result i32)
    (call $dlmalloc (local.get $size)))
  (func $rust_dealloc (param $ptr i32) (param $size i32) (param $align i32)
    (call $dlfree (local.get $ptr)))
  (func $wbindgen_malloc (export "__wbindgen_malloc") (param $size i32) (param $align i32) (result i32)
    (if (i32.eqz (local.get $size)) (then (return (local.get $align))))
    (call $rust_alloc (local.get $size) (local.get $align)))
  (func $wbindgen_free (export "__wbindgen_free") (param $ptr i32) (param $size i32) (param $align i32)
    (if (local.get $size)
      (then (call $rust_dealloc (local.get $ptr) (local.get $size) (local.get $align)))))

  (func $grow (export "grow") (param $pages i32) (result i32)
    (memory.grow (i32.and (local.get $pages) (i32.const 3))))
)
