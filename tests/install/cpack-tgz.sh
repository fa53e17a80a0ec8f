#!/usr/bin/env bash
# install.cpack-tgz: `cpack -G TGZ` of this build writes viewsan-<version>-Linux.tar.gz, whose
# tree is the install tree: unpacked anywhere, its tools run and its CMake package is there.
#   usage: cpack-tgz.sh CPACK BUILD_DIR VERSION
set -euo pipefail
cpack=$1 build=$2 version=$3
scratch="$(mktemp -d "${TMPDIR:-/tmp}/viewsan-cpack-test.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cpack" -G TGZ --config "$build/CPackConfig.cmake" -B "$scratch/out" >/dev/null
archive="$scratch/out/viewsan-$version-Linux.tar.gz"
[ -f "$archive" ] || fail "no $archive: $(ls "$scratch/out")"
echo "$(basename "$archive"): $(du -h "$archive" | cut -f1), $(tar tzf "$archive" | wc -l) entries"
tar xzf "$archive" -C "$scratch"
root="$scratch/viewsan-$version-Linux"
for f in bin/viewsan-instrument bin/viewsan-devtools lib/cmake/viewsan/viewsanConfig.cmake \
    lib/cmake/viewsan/viewsanConfigVersion.cmake share/viewsan/viewsan/viewsan-shim.wasm \
    share/viewsan/viewsan-devtools/node_modules/chrome-remote-interface/package.json \
    share/viewsan/viewsan-devtools/panel/viewsan/protocol.js; do
  [ -e "$root/$f" ] || fail "the archive has no $f"
done
# The panel's viewsan/ is the installed viewsan package beside it, as in the repository.
[ "$(readlink "$root/share/viewsan/viewsan-devtools/panel/viewsan")" = ../../viewsan/src ] ||
  fail "share/viewsan/viewsan-devtools/panel/viewsan: $(ls -ld "$root/share/viewsan/viewsan-devtools/panel/viewsan")"
"$root/bin/viewsan-instrument" --version
(cd / && env -u NODE_PATH "$root/bin/viewsan-devtools" --help | head -1)
# The viewsan package's npm bin finds the tool of its own prefix: PATH holds only node.
mkdir "$scratch/nodebin"
ln -s "$(command -v node)" "$scratch/nodebin/node"
launched="$(env -u VIEWSAN_INSTRUMENT PATH="$scratch/nodebin" "$root/share/viewsan/viewsan/bin/viewsan-instrument.js" --version)"
[ "$launched" = "$("$root/bin/viewsan-instrument" --version)" ] || fail "share/viewsan/viewsan/bin/viewsan-instrument.js --version: $launched"
echo "install.cpack-tgz: ok"
