#!/usr/bin/env bash
# Installs everything viewsan needs on a Debian bookworm machine, idempotently:
# Debian packages (when any is missing) and the npm dependencies from package-lock.json.
# Then Binaryen 132 from source, once per machine (scripts/build-binaryen.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config libgtest-dev
  binaryen emscripten wabt wasi-libc libclang-rt-14-dev-wasm32 lld-14 llvm-14 llvm-14-tools
  chromium time
)

# Node 20 and npm may come from elsewhere than Debian; install Debian's only when there is none.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci only when the lock file changed since the last install.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

# The real-world corpus the instrument tests run (tests/corpus), likewise only when its lock
# file changed since the last install. Its packages are used for their .wasm and JavaScript: no
# install script is needed (tree-sitter-javascript's would build a native addon).
corpus_stamp=tests/corpus/node_modules/.package-lock.json
if [ ! -f "$corpus_stamp" ] || [ tests/corpus/package-lock.json -nt "$corpus_stamp" ]; then
  echo "setup: npm ci --prefix tests/corpus" >&2
  npm ci --prefix tests/corpus --ignore-scripts --no-audit --no-fund --loglevel=error >&2
fi

# The Vite that the Vite plugin's tests run (tests/vite), likewise. Its one install script
# (esbuild's) only checks the native binary npm installs as an optional dependency: not needed.
vite_stamp=tests/vite/node_modules/.package-lock.json
if [ ! -f "$vite_stamp" ] || [ tests/vite/package-lock.json -nt "$vite_stamp" ]; then
  echo "setup: npm ci --prefix tests/vite" >&2
  npm ci --prefix tests/vite --ignore-scripts --no-audit --no-fund --loglevel=error >&2
fi

# Binaryen 132, built from the source tree pinned in third_party/binaryen once per machine, into a
# cache outside the clone (about 15-20 minutes the first time; after that, nothing to do).
scripts/build-binaryen.sh
