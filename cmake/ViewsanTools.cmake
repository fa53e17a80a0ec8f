# Locates the external tools the build and the tests drive. All come from Debian packages
# installed by scripts/setup.sh.

find_program(EMCC_EXECUTABLE emcc REQUIRED)
find_program(EMCMAKE_EXECUTABLE emcmake REQUIRED)
find_program(WAT2WASM_EXECUTABLE wat2wasm REQUIRED)
find_program(NODE_EXECUTABLE node REQUIRED)
find_program(NPM_EXECUTABLE npm REQUIRED)
find_program(CLANG_WASM_EXECUTABLE NAMES clang-14 clang REQUIRED)
find_program(CHROMIUM_EXECUTABLE NAMES chromium chromium-browser REQUIRED)
find_program(FILECHECK_EXECUTABLE FileCheck HINTS /usr/lib/llvm-14/bin REQUIRED)
# esbuild, which bundles the JS runtime's entry points, is the workspace's npm devDependency.
find_program(ESBUILD_EXECUTABLE esbuild HINTS ${PROJECT_SOURCE_DIR}/node_modules/.bin NO_DEFAULT_PATH REQUIRED)


# Debian's Emscripten runs its JS optimizer with node and needs Debian's acorn on NODE_PATH.
set(VIEWSAN_EMCC ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs ${EMCC_EXECUTABLE})
