;; Five tables, two of them imported, and table instructions on every one but the first: the
;; shape of what current toolchains emit (wasm-bindgen's externref table, table.fill,
;; several function tables). Binaryen 108 cannot read it; roundtrip.sh checks that Binaryen 132
;; reads, validates and writes it back with every table index intact.
;;
;;   0 $imported_funcs    imported funcref
;;   1 $imported_externs  imported externref
;;   2 $funcs             defined funcref
;;   3 $externs           defined externref, exported as "externs"
;;   4 $more_funcs        defined funcref, exported as "more_funcs"
(module
  (type $i32_to_i32 (func (param i32) (result i32)))
  (import "env" "funcs" (table $imported_funcs 2 funcref))
  (import "env" "externs" (table $imported_externs 1 externref))
  (table $funcs 4 8 funcref)
  (table $externs 2 externref)
  (table $more_funcs 3 funcref)
  (export "externs" (table $externs))
  (export "more_funcs" (table $more_funcs))

  (func $one (type $i32_to_i32) (i32.const 1))
  (func $two (type $i32_to_i32) (i32.const 2))
  (func $three (type $i32_to_i32) (i32.const 3))
  (func $four (type $i32_to_i32) (i32.const 4))

  ;; Active segments on tables 0, 2, 4 (functions) and 3 (externref), one passive segment, one
  ;; declarative segment (for $four, which no other segment holds).
  (elem (table $imported_funcs) (i32.const 0) func $one $two)
  (elem (table $funcs) (i32.const 1) func $two $three $one)
  (elem (table $externs) (i32.const 0) externref (ref.null extern))
  (elem (table $more_funcs) (i32.const 2) funcref (ref.func $three))
  (elem $passive func $one $three)
  (elem declare func $four)

  ;; Grows the externref table by n slots filled with v; returns the old size.
  (func (export "grow_externs") (param $v externref) (param $n i32) (result i32)
    (table.grow $externs (local.get $v) (local.get $n)))

  (func (export "size_more_funcs") (result i32)
    (table.size $more_funcs))

  ;; Fills slots [i, i + n) of table 2 with f.
  (func (export "fill_funcs") (param $i i32) (param $f funcref) (param $n i32)
    (table.fill $funcs (local.get $i) (local.get $f) (local.get $n)))

  (func (export "fill_imported_externs") (param $v externref)
    (table.fill $imported_externs (i32.const 0) (local.get $v) (i32.const 1)))

  (func (export "set_extern") (param $i i32) (param $v externref)
    (table.set $externs (local.get $i) (local.get $v)))

  (func (export "get_imported_extern") (param $i i32) (result externref)
    (table.get $imported_externs (local.get $i)))

  ;; table.init and table.copy on non-zero tables, then a call through table 4.
  (func (export "init_and_call") (param $x i32) (result i32)
    (table.init $more_funcs $passive (i32.const 0) (i32.const 0) (i32.const 2))
    (table.copy $funcs $more_funcs (i32.const 0) (i32.const 1) (i32.const 1))
    (elem.drop $passive)
    (call_indirect $more_funcs (type $i32_to_i32) (local.get $x) (i32.const 1)))

  ;; A reference to $four, which the declarative segment declares.
  (func (export "four_is_null") (result i32)
    (ref.is_null (ref.func $four)))

  (func (export "call_imported") (param $x i32) (result i32)
    (call_indirect $imported_funcs (type $i32_to_i32) (local.get $x) (i32.const 0))))
