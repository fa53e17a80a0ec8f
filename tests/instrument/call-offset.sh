#!/usr/bin/env bash
# Prints the offset of the first call instruction in function FUNC of a module, as wasm-objdump
# disassembles it: from the start of the file, or with --code-relative from the start of the
# Code section's contents, as DWARF counts addresses in wasm.
#
# It reads the whole listing: stopping early would end wasm-objdump with SIGPIPE.
#
# usage: call-offset.sh WASM FUNC [--code-relative]
set -euo pipefail
wasm=$1 func=$2
offset=$(wasm-objdump -d "$wasm" | awk -v head="<$func>:" '
  done { next }
  index($0, head) { inside = 1; next }
  inside && /func\[/ { done = 1; next }
  inside && /\| (call|return_call) / { sub(":", "", $1); print $1; done = 1 }')
if [[ -z $offset ]]; then
  echo "call-offset.sh: no call in $func" >&2
  exit 1
fi
if [[ ${3:-} == --code-relative ]]; then
  start=$(wasm-objdump -h "$wasm" | sed -n 's/^ *Code start=\(0x[0-9a-f]*\) .*/\1/p')
  printf '0x%x\n' $((0x$offset - start))
else
  printf '0x%x\n' $((0x$offset))
fi
