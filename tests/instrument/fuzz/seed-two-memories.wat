;; A start with a second memory (multi-memory), for a few of the cases generated with every
;; feature: viewsan-instrument refuses such a module in one line (exit 1), which the fuzzer counts
;; as a refusal. The random code is written against the first memory only.

(module
  (memory $heap 1 16)
  (memory $scratch 1 2)
  (global $top (mut i32) (i32.const 1024))

  (func $malloc (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (i32.and (local.get $size) (i32.const 0xfff))))
    (local.get $p))
  (func $free (export "free") (param $ptr i32)
    (i32.store $scratch (i32.const 0) (local.get $ptr)))
  (func $grow_scratch (export "grow_scratch") (param $pages i32) (result i32)
    (memory.grow $scratch (i32.and (local.get $pages) (i32.const 1))))
)
