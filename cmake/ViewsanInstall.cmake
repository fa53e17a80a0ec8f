# What `cmake --install build --prefix P` puts under P, and the CPack packages made of it:
#
#   bin/viewsan-instrument                  the instrumenter (Binaryen 132 linked in)
#   bin/viewsan-devtools                    a launcher for share/viewsan/viewsan-devtools/bin/
#   share/viewsan/viewsan/                  the `viewsan` package, viewsan-shim.wasm included
#   share/viewsan/viewsan-devtools/         the `viewsan-devtools` package with its production
#                                           dependencies in its node_modules/ (works offline)
#   lib/cmake/viewsan/                      the CMake package: find_package(viewsan),
#                                           viewsan_instrument(TARGET app), viewsan_instrument_wasm()
#
# The tool installed is the one this tree built: a build configured with VIEWSAN_SANITIZE=ON
# (scripts/build.sh) installs a sanitized one.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(VIEWSAN_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/viewsan)
set(VIEWSAN_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/viewsan)

# viewsan-instrument
install(TARGETS viewsan-instrument RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(VIEWSAN_SANITIZE)
  install(CODE "message(STATUS \"viewsan-instrument was built with VIEWSAN_SANITIZE=ON: \"
    \"the installed tool carries AddressSanitizer and UBSan\")")
endif()

# The viewsan package: what its package.json lists in "files", and the shim the build wrote.
# bin/viewsan-instrument.js (the npm bin) keeps its execute bit, and finds <prefix>/bin's tool.
install(DIRECTORY ${VIEWSAN_JS_DIR}/
  DESTINATION ${VIEWSAN_INSTALL_DATADIR}/viewsan
  USE_SOURCE_PERMISSIONS
  FILES_MATCHING
    PATTERN "*.js" PATTERN "*.js.map" PATTERN "*.d.ts" PATTERN "package.json" PATTERN "README.md"
    PATTERN "node_modules" EXCLUDE)
install(FILES ${VIEWSAN_JS_DIR}/viewsan-shim.wasm ${VIEWSAN_JS_DIR}/viewsan-shim-shared.wasm DESTINATION ${VIEWSAN_INSTALL_DATADIR}/viewsan)

# The viewsan-devtools package: its "files" (bin, extension, lib, panel), its manifest and README.
set(_viewsan_devtools_dir ${PROJECT_SOURCE_DIR}/devtools)
set(_viewsan_devtools_dest ${VIEWSAN_INSTALL_DATADIR}/viewsan-devtools)
install(DIRECTORY
    ${_viewsan_devtools_dir}/bin ${_viewsan_devtools_dir}/extension
    ${_viewsan_devtools_dir}/lib ${_viewsan_devtools_dir}/panel
  DESTINATION ${_viewsan_devtools_dest}
  USE_SOURCE_PERMISSIONS
  PATTERN "panel/viewsan" EXCLUDE)
install(FILES ${_viewsan_devtools_dir}/package.json ${_viewsan_devtools_dir}/README.md
  DESTINATION ${_viewsan_devtools_dest})
# The panel imports the viewsan package's protocol.js as ./viewsan/protocol.js. In the repository
# panel/viewsan links to runtime-shim/js/src; installed, to the sources of the viewsan package beside it.
install(CODE "
  set(_link \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${_viewsan_devtools_dest}/panel/viewsan\")
  file(REMOVE_RECURSE \"\${_link}\")
  file(CREATE_LINK ../../viewsan/src \"\${_link}\" SYMBOLIC)
  message(STATUS \"Installing: \${_link} -> ../../viewsan/src\")
")

# Its production dependencies, copied from the workspace's node_modules (which scripts/setup.sh
# fills with npm ci): the closure of its "dependencies" in package-lock.json, resolved as Node
# resolves them (the package's own node_modules first, then each parent's), optional ones when
# they are installed. Each lands in the installed package's own node_modules.
#
# _viewsan_npm_closure(LOCK_JSON PACKAGE_PATH OUT): OUT is the list of package-lock paths
# ("node_modules/ws", "devtools/node_modules/x") that the package at PACKAGE_PATH needs to run.
function(_viewsan_npm_closure lock package_path out)
  set(queue ${package_path})
  set(seen ${package_path})
  set(result)
  while(queue)
    list(POP_FRONT queue from)
    foreach(kind dependencies optionalDependencies peerDependencies)
      string(JSON deps ERROR_VARIABLE missing GET "${lock}" packages "${from}" ${kind})
      if(missing)
        continue()
      endif()
      string(JSON count LENGTH "${deps}")
      if(count EQUAL 0)
        continue()
      endif()
      math(EXPR last "${count} - 1")
      foreach(i RANGE ${last})
        string(JSON name MEMBER "${deps}" ${i})
        set(optional FALSE)
        if(kind STREQUAL "optionalDependencies")
          set(optional TRUE)
        elseif(kind STREQUAL "peerDependencies")
          string(JSON optional ERROR_VARIABLE no_meta
            GET "${lock}" packages "${from}" peerDependenciesMeta "${name}" optional)
          if(no_meta)
            set(optional FALSE)
          endif()
        endif()
        # Node's lookup: FROM/node_modules/NAME, then each enclosing package's, then the root's.
        set(dir "${from}")
        set(found "")
        while(TRUE)
          if(dir STREQUAL "")
            set(candidate "node_modules/${name}")
          else()
            set(candidate "${dir}/node_modules/${name}")
          endif()
          string(JSON entry ERROR_VARIABLE absent GET "${lock}" packages "${candidate}")
          if(NOT absent)
            set(found "${candidate}")
            break()
          endif()
          if(dir STREQUAL "")
            break()
          endif()
          if(dir MATCHES "^(.*)/node_modules/(@[^/]+/)?[^/]+$")
            set(dir "${CMAKE_MATCH_1}")
          else()
            set(dir "")
          endif()
        endwhile()
        if(found STREQUAL "")
          if(NOT optional)
            message(FATAL_ERROR "package-lock.json: ${from} needs ${name}, which is not in the lock file")
          endif()
          continue()
        endif()
        string(JSON link ERROR_VARIABLE not_link GET "${lock}" packages "${found}" link)
        if(NOT not_link AND link)
          message(FATAL_ERROR "package-lock.json: ${from} needs the workspace package ${name}; "
            "installing a workspace dependency is not supported (cmake/ViewsanInstall.cmake)")
        endif()
        if(NOT found IN_LIST seen)
          list(APPEND seen "${found}")
          list(APPEND queue "${found}")
          list(APPEND result "${found}")
        endif()
      endforeach()
    endforeach()
  endwhile()
  set(${out} ${result} PARENT_SCOPE)
endfunction()

set(_viewsan_lock_file ${PROJECT_SOURCE_DIR}/package-lock.json)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_viewsan_lock_file})
file(READ ${_viewsan_lock_file} _viewsan_lock)
_viewsan_npm_closure("${_viewsan_lock}" devtools _viewsan_devtools_deps)
set(_viewsan_devtools_installed)
foreach(dep IN LISTS _viewsan_devtools_deps)
  # devtools/node_modules/x stays the package's own; node_modules/x (hoisted) becomes its own.
  string(REGEX REPLACE "^devtools/" "" installed "${dep}")
  if(installed IN_LIST _viewsan_devtools_installed)
    message(FATAL_ERROR "package-lock.json: two versions of ${installed} would install at the same "
      "place in viewsan-devtools (cmake/ViewsanInstall.cmake)")
  endif()
  list(APPEND _viewsan_devtools_installed "${installed}")
  if(NOT IS_DIRECTORY ${PROJECT_SOURCE_DIR}/${dep})
    message(WARNING "${PROJECT_SOURCE_DIR}/${dep} is missing: run npm ci (scripts/setup.sh does) "
      "before cmake --install, which copies it into the installed viewsan-devtools")
  endif()
  get_filename_component(parent "${installed}" DIRECTORY)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dep}
    DESTINATION ${_viewsan_devtools_dest}/${parent}
    USE_SOURCE_PERMISSIONS)
endforeach()
string(REPLACE ";" ", " _viewsan_devtools_deps_text "${_viewsan_devtools_installed}")
message(STATUS "viewsan-devtools installs with: ${_viewsan_devtools_deps_text}")

# bin/viewsan-devtools runs the installed package's bin with node, wherever the prefix is moved.
file(RELATIVE_PATH VIEWSAN_DEVTOOLS_FROM_BINDIR /${CMAKE_INSTALL_BINDIR} /${_viewsan_devtools_dest})
configure_file(${CMAKE_CURRENT_LIST_DIR}/install/viewsan-devtools.in
  ${CMAKE_CURRENT_BINARY_DIR}/install/viewsan-devtools @ONLY)
install(PROGRAMS ${CMAKE_CURRENT_BINARY_DIR}/install/viewsan-devtools
  DESTINATION ${CMAKE_INSTALL_BINDIR})

# The CMake package.
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/install/viewsanConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/viewsanConfig.cmake
  INSTALL_DESTINATION ${VIEWSAN_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_BINDIR VIEWSAN_INSTALL_DATADIR)
# The tool runs on the build machine, whatever the project targets: a wasm32 project (emcmake,
# CMAKE_SIZEOF_VOID_P 4) uses the same package, hence ARCH_INDEPENDENT. Before 1.0 a minor
# version may break, hence SameMinorVersion.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/viewsanConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion
  ARCH_INDEPENDENT)
install(FILES
    ${CMAKE_CURRENT_BINARY_DIR}/viewsanConfig.cmake
    ${CMAKE_CURRENT_BINARY_DIR}/viewsanConfigVersion.cmake
    ${CMAKE_CURRENT_LIST_DIR}/ViewsanInstrument.cmake
  DESTINATION ${VIEWSAN_INSTALL_CMAKEDIR})

# CPack: `cpack -G TGZ` in the build directory writes viewsan-<version>-Linux.tar.gz (the tree
# above, relative to its root); `cpack -G DEB` viewsan_<version>_<arch>.deb, installing under /usr.
set(CPACK_PACKAGE_NAME viewsan)
set(CPACK_PACKAGE_VENDOR viewsan)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Memory-safety sanitizer for the boundary between JavaScript and WebAssembly linear memory")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_README ${PROJECT_SOURCE_DIR}/README.md)
set(CPACK_GENERATOR TGZ)
set(CPACK_SOURCE_GENERATOR "")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "viewsan developers")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # viewsan_<version>_amd64.deb
# viewsan-instrument needs the C and C++ runtimes only (Binaryen is linked in); the JavaScript
# packages need Node 20 or later, which Debian bookworm's nodejs (18) is not, so none is named.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libstdc++6")
if(VIEWSAN_SANITIZE)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libasan8, libubsan1")
endif()
include(CPack)
