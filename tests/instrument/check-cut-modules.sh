#!/usr/bin/env bash
# Runs viewsan-instrument on MODULE cut short at every STEP-th length, and on a valid header
# followed by bytes from the middle of MODULE, and checks that each run either refuses its input
# (exit status 1, one line on stderr, no output file) or, where the cut falls between sections
# and leaves a valid module, writes it (exit status 0). Prints every run that does neither.
#
# usage: check-cut-modules.sh MODULE STEP WORK_DIR
set -uo pipefail

module=$1
step=$2
work=$3
mkdir -p "$work"
failures=0

check() {
  local input=$1 label=$2
  rm -f "$work/out.wasm"
  viewsan-instrument "$input" -o "$work/out.wasm" 2> "$work/stderr"
  local status=$? lines
  lines=$(wc -l < "$work/stderr")
  if [[ $status -eq 1 && $lines -eq 1 && ! -e $work/out.wasm ]] ||
     [[ $status -eq 0 && -s $work/out.wasm ]]; then
    return
  fi
  echo "$label: exit status $status, $lines line(s) on stderr, output file" \
       "$([[ -e $work/out.wasm ]] && echo written || echo absent)"
  cat "$work/stderr"
  failures=$((failures + 1))
}

size=$(stat -c %s "$module")
for ((length = 0; length < size; length += step)); do
  head -c "$length" "$module" > "$work/cut.wasm"
  check "$work/cut.wasm" "cut to $length bytes"
done
for ((round = 1; round <= 20; round++)); do
  { printf '\0asm\1\0\0\0'; tail -c +$((round * 977)) "$module" | head -c $((round * 13)); } \
    > "$work/garbage.wasm"
  check "$work/garbage.wasm" "header and $((round * 13)) bytes from offset $((round * 977))"
done
exit $((failures > 0))
