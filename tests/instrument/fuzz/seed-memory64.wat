;; seed.wat for a 64-bit memory (memory64), for the cases generated with every feature: the same
;; allocators and memory.grow with i64 addresses and sizes (the alignments stay i32, as
;; viewsan-instrument checks the types of pointers, sizes and counts alone), and posix_memalign,
;; which seed.wat leaves out: these modules are validated, never run, so a posix_memalign the
;; fuzzer has rewritten cannot make its wrapper trap in a comparison.

(module
  (memory i64 1 64)
  (global $top (mut i64) (i64.const 1024))
  (global $freed (mut i64) (i64.const 0))

  ;; A bump allocator that grows memory as it needs, and returns 0 when it cannot.
  (func $dlmalloc (param $size i64) (result i64)
    (local $p i64)
    (local.set $p (global.get $top))
    (global.set $top
      (i64.and (i64.add (i64.add (local.get $p) (local.get $size)) (i64.const 7)) (i64.const -8)))
    (if (i64.lt_u (global.get $top) (local.get $p))
      (then (global.set $top (local.get $p)) (return (i64.const 0))))
    (block $enough
      (loop $more
        (br_if $enough
          (i64.le_u (global.get $top) (i64.mul (memory.size) (i64.const 65536))))
        (if (i64.eq (memory.grow (i64.const 1)) (i64.const -1))
          (then (global.set $top (local.get $p)) (return (i64.const 0))))
        (br $more)))
    (local.get $p))
  (func $dlfree (param $ptr i64)
    (global.set $freed (i64.add (global.get $freed) (local.get $ptr))))

  (func $malloc (export "malloc") (param $size i64) (result i64)
    (call $dlmalloc (local.get $size)))
  (func $free (export "free") (param $ptr i64)
    (call $dlfree (local.get $ptr)))
  (func $calloc (export "calloc") (param $count i64) (param $size i64) (result i64)
    (local $p i64)
    (local.set $p (call $malloc (i64.mul (local.get $count) (local.get $size))))
    (if (i64.ne (local.get $p) (i64.const 0))
      (then (memory.fill (local.get $p) (i32.const 0) (i64.mul (local.get $count) (local.get $size)))))
    (local.get $p))
  (func $realloc (export "realloc") (param $ptr i64) (param $size i64) (result i64)
    (local $new i64)
    (local.set $new (call $malloc (local.get $size)))
    (if (i32.and (i64.ne (local.get $new) (i64.const 0)) (i64.ne (local.get $ptr) (i64.const 0)))
      (then
        (memory.copy (local.get $new) (local.get $ptr) (i64.and (local.get $size) (i64.const 255)))
        (call $free (local.get $ptr))))
    (local.get $new))
  (func $posix_memalign (export "posix_memalign")
    (param $out i64) (param $align i32) (param $size i64) (result i32)
    (local $p i64)
    (local.set $p (call $malloc (local.get $size)))
    (if (i64.eqz (local.get $p)) (then (return (i32.const 12))))
    (i64.store (local.get $out) (local.get $p))
    (i32.const 0))

  (func $rust_alloc (param $size i64) (param $align i32) (result i64)
    (call $dlmalloc (local.get $size)))
  (func $rust_dealloc (param $ptr i64) (param $size i64) (param $align i32)
    (call $dlfree (local.get $ptr)))
  (func $wbindgen_malloc (export "__wbindgen_malloc") (param $size i64) (param $align i32) (result i64)
    (if (i64.eqz (local.get $size)) (then (return (i64.extend_i32_u (local.get $align)))))
    (call $rust_alloc (local.get $size) (local.get $align)))
  (func $wbindgen_free (export "__wbindgen_free") (param $ptr i64) (param $size i64) (param $align i32)
    (if (i64.ne (local.get $size) (i64.const 0))
      (then (call $rust_dealloc (local.get $ptr) (local.get $size) (local.get $align)))))

  (func $grow (export "grow") (param $pages i64) (result i64)
    (memory.grow (i64.and (local.get $pages) (i64.const 3))))
)
