# Binaryen 132, built from source once per machine by scripts/build-binaryen.sh (scripts/setup.sh
# runs it) into a cache outside the clone. When that cache is complete, this defines:
#
#   binaryen132::binaryen   Binaryen 132's static library, with its C and C++ API headers (C++20)
#   VIEWSAN_WASM_OPT_132    its wasm-opt
#   Binaryen132_FOUND       TRUE
#
# and otherwise warns and sets Binaryen132_FOUND to FALSE, without failing the configure.
#
# VIEWSAN_BINARYEN_ROOT is the cache directory. Its default is the script's:
#   ${VIEWSAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/viewsan}/binaryen-132-<gcc|clang>-<major.minor>
# named after the C++ compiler this project is configured with, whose ABI and standard library
# Binaryen was built with. Set it to use a build elsewhere.
#
# Binaryen is compiled without RTTI, so its classes have no typeinfo: a file that derives from
# them (wasm::Pass, the walkers) must be compiled with -fno-rtti too, and the target says so.
#
# viewsan-instrument links it (instrument/CMakeLists.txt), and fails to configure without it.

set(_binaryen132_version 132)

if(NOT "$ENV{VIEWSAN_CACHE}" STREQUAL "")
  set(_binaryen132_cache "$ENV{VIEWSAN_CACHE}")
elseif(NOT "$ENV{XDG_CACHE_HOME}" STREQUAL "")
  set(_binaryen132_cache "$ENV{XDG_CACHE_HOME}/viewsan")
else()
  set(_binaryen132_cache "$ENV{HOME}/.cache/viewsan")
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  set(_binaryen132_compiler gcc)
elseif(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(_binaryen132_compiler clang)
else()
  string(TOLOWER "${CMAKE_CXX_COMPILER_ID}" _binaryen132_compiler)
endif()
string(REGEX MATCH "^[0-9]+\\.[0-9]+" _binaryen132_compiler_version "${CMAKE_CXX_COMPILER_VERSION}")
set(VIEWSAN_BINARYEN_ROOT
  "${_binaryen132_cache}/binaryen-${_binaryen132_version}-${_binaryen132_compiler}-${_binaryen132_compiler_version}"
  CACHE PATH "Binaryen 132 as scripts/build-binaryen.sh builds it (lib/, include/, bin/wasm-opt)")

set(_binaryen132_stamp "${VIEWSAN_BINARYEN_ROOT}/.complete")
set(Binaryen132_FOUND FALSE)
if(EXISTS "${_binaryen132_stamp}")
  file(READ "${_binaryen132_stamp}" _binaryen132_stamp_text)
  if(_binaryen132_stamp_text MATCHES "^binaryen ${_binaryen132_version} "
     AND EXISTS "${VIEWSAN_BINARYEN_ROOT}/lib/libbinaryen.a"
     AND EXISTS "${VIEWSAN_BINARYEN_ROOT}/include/wasm.h"
     AND EXISTS "${VIEWSAN_BINARYEN_ROOT}/bin/wasm-opt")
    set(Binaryen132_FOUND TRUE)
  endif()
endif()

if(Binaryen132_FOUND)
  find_package(Threads REQUIRED)
  add_library(binaryen132::binaryen STATIC IMPORTED)
  set_target_properties(binaryen132::binaryen PROPERTIES
    IMPORTED_LOCATION "${VIEWSAN_BINARYEN_ROOT}/lib/libbinaryen.a"
    # Binaryen's headers include config.h (in include/), fp16.h and LLVM's Support headers.
    INTERFACE_INCLUDE_DIRECTORIES
      "${VIEWSAN_BINARYEN_ROOT}/include;${VIEWSAN_BINARYEN_ROOT}/third_party/FP16/include;${VIEWSAN_BINARYEN_ROOT}/third_party/llvm-project/include"
    INTERFACE_COMPILE_FEATURES cxx_std_20
    INTERFACE_COMPILE_OPTIONS "$<$<COMPILE_LANGUAGE:CXX>:-fno-rtti>"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
  set(VIEWSAN_WASM_OPT_132 "${VIEWSAN_BINARYEN_ROOT}/bin/wasm-opt")
  message(STATUS "Binaryen ${_binaryen132_version}: ${VIEWSAN_BINARYEN_ROOT}")
else()
  set(VIEWSAN_WASM_OPT_132 "")
  message(WARNING "Binaryen ${_binaryen132_version} is not built at ${VIEWSAN_BINARYEN_ROOT}: "
    "run scripts/build-binaryen.sh (scripts/setup.sh runs it), then configure again.")
endif()
