#!/usr/bin/env bash
# instrument.binaryen132.roundtrip: Binaryen 132 (cmake/Binaryen132.cmake) reads, validates and
# writes back multi-table.wat's five tables, and the module it writes keeps every table index:
# its table imports, tables and exports, its element segments' tables, and the table operands of
# its table instructions are the input's (wasm-objdump -x and -d). Also checks that the cache's
# wasm-opt is version 132.
#
# usage: roundtrip.sh PROBE WASM_OPT_132 WAT2WASM WASM_OBJDUMP WORK_DIR
set -euo pipefail

probe=$1
wasm_opt=$2
wat2wasm=$3
objdump=$4
work=$5
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$work"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

version="$("$wasm_opt" --version)"
[[ $version =~ ^wasm-opt\ version\ 132([^0-9]|$) ]] || fail "$wasm_opt --version says: $version"
echo "$version"

"$wat2wasm" --enable-all "$here/multi-table.wat" -o "$work/in.wasm"
"$probe" "$work/in.wasm" "$work/out.wasm"
"$(dirname "$wat2wasm")/wasm-validate" --enable-all "$work/out.wasm" ||
  fail "wabt does not validate the module Binaryen 132 wrote"

# The table-related lines of a module's wasm-objdump -x and -d, with function names dropped (the
# input has none but its exports', the output has Binaryen's name section) and each element
# segment's flags replaced by its kind (encodings may differ; wabt prints table=0 for segments
# that have no table).
summary() {
  "$objdump" -x "$1" | awk '
    /^[A-Z][A-Za-z]*\[[0-9]+\]:$/ { section = $1; sub(/\[.*/, "", section); next }
    /^[A-Z]/ { section = ""; next }
    section == "Import" && / table\[/ { print "import", $0 }
    section == "Table" { print "table", $0 }
    section == "Export" { print "export", $0 }
    section == "Elem" && / - segment\[/ {
      flags = $3; sub(/flags=/, "", flags); flags += 0
      if (flags % 2 == 0) { line = $0; sub(/ flags=[0-9]+/, " active", line) }
      else line = " - " $2 " " (int(flags / 2) % 2 ? "declared" : "passive") " " $5
      print "elem", line
    }
    section == "Elem" && /  - elem\[/ { print "elem", $0 }' | sed 's/ <[^>]*>//g'
  "$objdump" -d "$1" |
    sed -n 's/.*| *\(\(table\.[a-z]*\|elem\.drop\|call_indirect\|return_call_indirect\) .*\)/code \1/p' |
    sed 's/ <[^>]*>//g'
}
summary "$work/in.wasm" >"$work/in.summary"
summary "$work/out.wasm" >"$work/out.summary"

# The fixture is what this test is about: tables 0 and 1 imported, 3 and 4 exported, element
# segments on tables 0, 2, 3 and 4, table instructions on tables 1 to 4.
for line in 'import  - table[0] type=funcref initial=2 <- env.funcs' \
            'import  - table[1] type=externref initial=1 <- env.externs' \
            'export  - table[3] -> "externs"' 'export  - table[4] -> "more_funcs"' \
            'elem  - segment[0] active table=0 count=2 - init i32=0' \
            'elem  - segment[1] active table=2 count=3 - init i32=1' \
            'elem  - segment[2] active table=3 count=1 - init i32=0' \
            'elem  - segment[3] active table=4 count=1 - init i32=2' \
            'code table.grow 3' 'code table.size 4' 'code table.fill 2' 'code table.fill 1' \
            'code table.init 4 4' 'code table.copy 2 4' 'code call_indirect 4 (type 0)'; do
  grep -qxF -- "$line" "$work/in.summary" || fail "multi-table.wat no longer has: $line"
done

if ! diff -u "$work/in.summary" "$work/out.summary"; then
  fail "the module Binaryen 132 wrote differs from its input in the lines above"
fi
echo "ok: $(grep -c . "$work/in.summary") table-related lines the same before and after the round trip"
