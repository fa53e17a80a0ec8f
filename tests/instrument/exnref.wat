;; Exception handling with exnref (try_table, throw, throw_ref): an allocation inside a try_table
;; and a free in its handler are hooked like any other call, and the output keeps the
;; instructions and validates. wabt 1.0.32 cannot assemble exnref, so Binaryen 132 does.
;;
;; The second input declares every feature Binaryen 132 knows in its target_features section,
;; compact imports among them: the output is written without them (the hooks' imports would
;; otherwise be encoded compactly, which Chromium 156 refuses: "Invalid import kind 127").

;; RUN: $WASM_OPT_132 --all-features -g %s -o %t.wasm
;; RUN: viewsan-instrument %t.wasm -S -o - | FileCheck %s
;; RUN: viewsan-instrument %t.wasm -o %t.vs.wasm
;; RUN: $WASM_OPT_132 --all-features %t.vs.wasm -o /dev/null
;; RUN: $WASM_OPT_132 --all-features --emit-target-features -g %s -o %t.all.wasm
;; RUN: viewsan-instrument %t.all.wasm -o %t.all.vs.wasm
;; RUN: $WASM_OPT_132 --all-features %t.all.vs.wasm -o /dev/null
;; RUN: grep -c exception-handling %t.all.vs.wasm
;; RUN: not grep -c compact-imports %t.all.vs.wasm

(module
  (tag $oops (param i32))
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))

  (func $malloc (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $top) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.const 1)))))
    (local.get $p))

  (func $free (export "free") (param $ptr i32))

  ;; Allocates inside a try_table, and frees in the handler before rethrowing what it caught.
  (func $checked (export "checked") (param $size i32) (result i32)
    (local $p i32)
    (local $caught exnref)
    (local.set $caught
      (block $handler (result exnref)
        (try_table (catch_all_ref $handler)
          (local.set $p (call $malloc (local.get $size)))
          (if (i32.eqz (local.get $size)) (then (throw $oops (local.get $p))))
          (return (local.get $p)))
        (unreachable)))
    (call $free (local.get $p))
    (throw_ref (local.get $caught)))
)

;; CHECK:      (func $checked (type ${{[0-9]+}}) (param $size i32) (result i32)
;; CHECK:        (try_table (catch_all_ref $block)
;; CHECK-NEXT:    (local.set $p
;; CHECK-NEXT:     (call $malloc$viewsan.hooked
;; CHECK-NEXT:      (local.get $size)
;; CHECK-NEXT:      (i32.const 2)
;; CHECK:          (throw $oops
;; CHECK:        (call $free$viewsan.hooked
;; CHECK-NEXT:    (local.get $p)
;; CHECK-NEXT:    (i32.const 3)
;; CHECK-NEXT:   )
;; CHECK-NEXT:   (throw_ref
;; CHECK-NEXT:    (local.get $caught)
