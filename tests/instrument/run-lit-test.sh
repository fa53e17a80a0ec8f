#!/usr/bin/env bash
# Runs one lit-style test file, as Binaryen's and LLVM's lit tests are run: every "RUN:" line
# (after ";;" or "//"; a trailing "\" continues the command on the next RUN: line) is a shell
# command, run in order with bash's pipefail, and the test fails at the first that fails.
#
#   %s  the test file
#   %S  the directory of the test file
#   %t  a scratch path for this test; add suffixes to it (%t.wasm)
#
# After the scratch directory come the tools' directories, which go first on PATH so that the
# commands can name viewsan-instrument, wat2wasm, FileCheck and not; and NAME=VALUE settings,
# which become environment variables the commands can use (as $CLANG).
#
# usage: run-lit-test.sh TEST SCRATCH_DIR [TOOL_DIR | NAME=VALUE]...
set -euo pipefail

test_file=$1
scratch_dir=$2
shift 2
for arg in "$@"; do
  if [[ $arg == *=* ]]; then
    export "${arg?}"
  else
    PATH="$arg:$PATH"
  fi
done
export PATH

mkdir -p "$scratch_dir"
scratch="$scratch_dir/$(basename "$test_file")"
rm -rf "$scratch" "$scratch".*

commands=()
pending=""
while IFS= read -r line; do
  if [[ $line =~ ^(\;\;|//)[[:space:]]*RUN:[[:space:]]?(.*)$ ]]; then
    command="${BASH_REMATCH[2]}"
    if [[ $command == *\\ ]]; then
      pending+="${command%\\} "
      continue
    fi
    commands+=("$pending$command")
    pending=""
  fi
done < "$test_file"

if [[ ${#commands[@]} -eq 0 ]]; then
  echo "$test_file: no RUN: lines" >&2
  exit 1
fi

for command in "${commands[@]}"; do
  command="${command//%s/$test_file}"
  command="${command//%S/$(dirname "$test_file")}"
  command="${command//%t/$scratch}"
  echo "RUN: $command"
  if ! bash -o pipefail -c "$command"; then
    echo "FAILED: $command" >&2
    exit 1
  fi
done
