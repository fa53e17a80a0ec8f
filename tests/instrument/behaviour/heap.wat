;; A small allocator with every way in that viewsan must see: exports called from JavaScript,
;; direct calls, call_indirect through a table slot set from ref.func, C++ operators nested
;; over malloc, and calloc and realloc built from malloc, memcpy and free. malloc grows memory
;; with memory.grow when the heap is full.
;;
;; Block layout: [size:i32][next free:i32][payload]. Freed blocks go on a LIFO list, and malloc
;; takes the first one that is large enough, so addresses are reused.
(module
  (memory (export "memory") 1)
  (table $slots 2 funcref)
  (elem (i32.const 0) $malloc)
  (global $heap_top (mut i32) (i32.const 1024))
  (global $free_list (mut i32) (i32.const 0))

  (func $malloc (export "malloc") (param $size i32) (result i32)
    (local $prev i32) (local $block i32) (local $end i32)
    (local.set $size (i32.and (i32.add (local.get $size) (i32.const 7)) (i32.const -8)))
    (local.set $block (global.get $free_list))
    (block $done
      (loop $scan
        (br_if $done (i32.eqz (local.get $block)))
        (if (i32.ge_u (i32.load (local.get $block)) (local.get $size))
          (then
            (if (local.get $prev)
              (then (i32.store offset=4 (local.get $prev) (i32.load offset=4 (local.get $block))))
              (else (global.set $free_list (i32.load offset=4 (local.get $block)))))
            (return (i32.add (local.get $block) (i32.const 8)))))
        (local.set $prev (local.get $block))
        (local.set $block (i32.load offset=4 (local.get $block)))
        (br $scan)))
    (local.set $block (global.get $heap_top))
    (local.set $end (i32.add (i32.add (local.get $block) (i32.const 8)) (local.get $size)))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (if (i32.eq
              (memory.grow
                (i32.shr_u
                  (i32.add (i32.sub (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
                           (i32.const 65535))
                  (i32.const 16)))
              (i32.const -1))
          (then (return (i32.const 0))))))
    (i32.store (local.get $block) (local.get $size))
    (global.set $heap_top (local.get $end))
    (i32.add (local.get $block) (i32.const 8)))

  (func $free (export "free") (param $ptr i32)
    (local $block i32)
    (if (i32.eqz (local.get $ptr)) (then (return)))
    (local.set $block (i32.sub (local.get $ptr) (i32.const 8)))
    (i32.store offset=4 (local.get $block) (global.get $free_list))
    (global.set $free_list (local.get $block)))

  (func $calloc (export "calloc") (param $count i32) (param $size i32) (result i32)
    (local $ptr i32)
    (local.set $ptr (call $malloc (i32.mul (local.get $count) (local.get $size))))
    (if (local.get $ptr)
      (then (memory.fill (local.get $ptr) (i32.const 0)
                         (i32.mul (local.get $count) (local.get $size)))))
    (local.get $ptr))

  (func $realloc (export "realloc") (param $old i32) (param $size i32) (result i32)
    (local $new i32) (local $old_size i32)
    (local.set $new (call $malloc (local.get $size)))
    (if (i32.and (i32.ne (local.get $new) (i32.const 0)) (i32.ne (local.get $old) (i32.const 0)))
      (then
        (local.set $old_size (i32.load (i32.sub (local.get $old) (i32.const 8))))
        (memory.copy (local.get $new) (local.get $old)
          (select (local.get $old_size) (local.get $size)
                  (i32.lt_u (local.get $old_size) (local.get $size))))
        (call $free (local.get $old))))
    (local.get $new))

  ;; operator new(unsigned long) and operator delete(void*)
  (func $_Znwm (param $size i32) (result i32)
    (call $malloc (local.get $size)))
  (func $_ZdlPv (param $ptr i32)
    (call $free (local.get $ptr)))

  ;; The module's own code, as the tests call it.
  (func (export "alloc_direct") (param $size i32) (result i32)
    (call $malloc (local.get $size)))
  (func (export "alloc_indirect") (param $size i32) (result i32)
    (call_indirect $slots (param i32) (result i32) (local.get $size) (i32.const 0)))
  (func (export "alloc_via_ref") (param $size i32) (result i32)
    (table.set $slots (i32.const 1) (ref.func $malloc))
    (call_indirect $slots (param i32) (result i32) (local.get $size) (i32.const 1)))
  (func (export "new_object") (param $size i32) (result i32)
    (call $_Znwm (local.get $size)))
  (func (export "delete_object") (param $ptr i32)
    (call $_ZdlPv (local.get $ptr)))
  (func (export "zeroed") (param $count i32) (param $size i32) (result i32)
    (call $calloc (local.get $count) (local.get $size)))
  (func (export "resize") (param $ptr i32) (param $size i32) (result i32)
    (call $realloc (local.get $ptr) (local.get $size)))
  (func (export "release") (param $ptr i32)
    (call $free (local.get $ptr)))
  ;; Fills n bytes from ptr with a pattern, so that copies show in memory.
  (func (export "fill") (param $ptr i32) (param $n i32) (param $seed i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 (i32.add (local.get $ptr) (local.get $i))
                    (i32.add (local.get $seed) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
)
