#!/usr/bin/env bash
# Builds Binaryen 132 from source once per machine, into a cache outside the clone:
#
#   ${VIEWSAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/viewsan}/binaryen-132-<compiler>-<major.minor>/
#     lib/libbinaryen.a     the static library (LLVM's DWARF code included)
#     include/              Binaryen's src/ headers and its generated config.h
#     third_party/FP16/include, third_party/llvm-project/include: headers those headers include
#     bin/wasm-opt          wasm-opt 132
#     .complete             the stamp, written last, before the directory is renamed into place
#
# The source is the npm package pinned in third_party/binaryen/package-lock.json (see the README
# there). The cache is assembled in a temporary directory and renamed into place with its stamp
# already in it, so an interrupted run is never taken for a finished one; an interrupted build
# resumes from its build tree (<cache>.build) on the next run. When the cache is complete this does
# nothing. cmake/Binaryen132.cmake finds the same directory. Called by scripts/setup.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version=132
pkg="$root/third_party/binaryen"
lock="$pkg/package-lock.json"
source="$pkg/node_modules/@grain/libbinaryen/binaryen"

say() { echo "setup: $*" >&2; }
# shellcheck disable=SC2088  # a path for people to read, with ~ for the home directory
shown() { case "$1" in "$HOME"/*) echo "~/${1#"$HOME"/}" ;; *) echo "$1" ;; esac; }

# The compiler names the cache: its C++ ABI and standard library are what a consumer links with.
# (cmake/Binaryen132.cmake derives the same name from CMAKE_CXX_COMPILER_ID and _VERSION.)
cc="${CC:-cc}"
cxx="${CXX:-c++}"
macros="$("$cxx" -dM -E -x c++ /dev/null)"
macro() { sed -n "s/^#define $1 //p" <<<"$macros"; }
if [ -n "$(macro __clang__)" ]; then
  compiler="clang-$(macro __clang_major__).$(macro __clang_minor__)"
else
  compiler="gcc-$(macro __GNUC__).$(macro __GNUC_MINOR__)"
fi

integrity="$(sed -n 's/.*"integrity": *"\([^"]*\)".*/\1/p' "$lock" | head -n 1)"
cache_root="${VIEWSAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/viewsan}"
name="binaryen-$version-$compiler"
prefix="$cache_root/$name"
work="$prefix.build"
expected="binaryen $version $compiler $integrity"

complete() { [ -f "$prefix/.complete" ] && [ "$(cat "$prefix/.complete")" = "$expected" ]; }
complete && exit 0

# One build at a time per cache (two clones, or two setup runs, may share it).
mkdir -p "$cache_root"
exec 9>"$cache_root/.$name.lock"
if ! flock -n 9; then
  say "waiting for another build of Binaryen $version into $(shown "$prefix")"
  flock 9
fi
complete && exit 0
rm -rf "$cache_root/.$name.tmp."*   # left by a run that was killed while assembling

# The source tree, only when the lock file changed since the last install.
pkg_stamp="$pkg/node_modules/.package-lock.json"
if [ ! -f "$pkg_stamp" ] || [ "$lock" -nt "$pkg_stamp" ] || [ ! -f "$source/CMakeLists.txt" ]; then
  say "npm ci --prefix third_party/binaryen"
  npm ci --prefix "$pkg" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
fi
grep -q "^project(binaryen LANGUAGES C CXX VERSION $version)" "$source/CMakeLists.txt" || {
  say "third_party/binaryen does not hold Binaryen $version's source tree"
  exit 1
}

# A build tree configured from another clone's source cannot be reused.
if [ -f "$work/CMakeCache.txt" ] &&
   ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$source" "$work/CMakeCache.txt"; then
  rm -rf "$work"
fi
mkdir -p "$work"

say "building Binaryen $version ($compiler) into $(shown "$prefix"): the first run on a new machine" \
    "takes about 15-20 minutes, and is done once (log: $(shown "$work")/build.log)"
start=$SECONDS
if ! cmake -S "$source" -B "$work" -G Ninja \
      -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
      -DBUILD_SHARED_LIBS=OFF -DBUILD_TESTS=OFF -DBUILD_TOOLS=ON -DENABLE_WERROR=OFF \
      >"$work/configure.log" 2>&1; then
  tail -n 30 "$work/configure.log" >&2
  say "configuring Binaryen $version failed (log: $(shown "$work")/configure.log)"
  exit 1
fi

# Ninja's "[done/total]" lines go to the log; a progress line every 10% goes to stderr.
# shellcheck disable=SC2016  # an awk program
progress='
  { print > logfile; fflush(logfile) }
  /^\[[0-9]+\/[0-9]+\]/ {
    split(substr($1, 2, length($1) - 2), n, "/")
    pct = int(n[1] * 100 / n[2])
    if (pct >= next_pct) {
      printf "setup: building Binaryen %s: %d%% (%d of %d steps)\n", v, pct, n[1], n[2] > "/dev/stderr"
      fflush("/dev/stderr")
      next_pct = pct - pct % 10 + 10
    }
  }'
if ! nice -n 10 cmake --build "$work" --target binaryen wasm-opt -j "${VIEWSAN_BINARYEN_JOBS:-$(nproc)}" 2>&1 |
     awk -v logfile="$work/build.log" -v v="$version" -v next_pct=10 "$progress"; then
  grep -B2 -A20 -m1 'error:' "$work/build.log" >&2 || tail -n 30 "$work/build.log" >&2
  say "building Binaryen $version failed (log: $(shown "$work")/build.log); the next run resumes it"
  exit 1
fi
built_version="$("$work/bin/wasm-opt" --version)"
[[ $built_version =~ ^wasm-opt\ version\ $version([^0-9]|$) ]] || {
  say "the wasm-opt just built is not version $version: $built_version"
  exit 1
}

# Assemble what a consumer needs in a temporary directory, stamp it, rename it into place.
tmp="$(mktemp -d "$cache_root/.$name.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/lib" "$tmp/include" "$tmp/third_party/FP16" "$tmp/third_party/llvm-project"
cp "$work/bin/wasm-opt" "$tmp/bin/"
cp "$work"/lib/*.a "$tmp/lib/"
(cd "$source/src" && find . -type f \( -name '*.h' -o -name '*.def' -o -name '*.inc' \) \
   -exec cp --parents -t "$tmp/include/" {} +)
cp "$work/config.h" "$tmp/include/"
cp -r "$source/third_party/FP16/include" "$tmp/third_party/FP16/"
cp -r "$source/third_party/llvm-project/include" "$tmp/third_party/llvm-project/"
cp "$source/LICENSE" "$tmp/"
echo "$expected" >"$tmp/.complete"
chmod 755 "$tmp"
if [ -e "$prefix" ]; then
  mv "$prefix" "$cache_root/.$name.tmp.old"
  rm -rf "$cache_root/.$name.tmp.old"
fi
mv "$tmp" "$prefix"
trap - EXIT
rm -rf "$work"
elapsed=$((SECONDS - start))
say "built Binaryen $version in $((elapsed / 60)) min $((elapsed % 60)) s: $(shown "$prefix") ($(du -sh "$prefix" | cut -f1))"
