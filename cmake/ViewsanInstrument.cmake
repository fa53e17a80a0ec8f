# The build steps that run viewsan-instrument, for this repository's own build and for any
# project that uses an installed viewsan (find_package(viewsan) includes this file).
#
# Which viewsan-instrument runs, first found:
#   1. the viewsan-instrument target, when the project builds it (this repository);
#   2. VIEWSAN_INSTRUMENT_EXECUTABLE, when set (viewsanConfig.cmake sets it to the installed tool
#      unless it was set before);
#   3. the imported target viewsan::viewsan-instrument;
#   4. a viewsan-instrument on PATH.

# Sets ${tool_var} to the command to run and ${depends_var} to what a custom command that runs it
# depends on (the target, or the file, so that a new viewsan-instrument instruments again).
function(_viewsan_instrument_tool tool_var depends_var)
  if(TARGET viewsan-instrument)
    set(tool $<TARGET_FILE:viewsan-instrument>)
    set(depends viewsan-instrument)
  else()
    if(NOT VIEWSAN_INSTRUMENT_EXECUTABLE AND TARGET viewsan::viewsan-instrument)
      get_target_property(VIEWSAN_INSTRUMENT_EXECUTABLE viewsan::viewsan-instrument IMPORTED_LOCATION)
    endif()
    if(NOT VIEWSAN_INSTRUMENT_EXECUTABLE)
      find_program(VIEWSAN_INSTRUMENT_EXECUTABLE viewsan-instrument)
    endif()
    if(NOT VIEWSAN_INSTRUMENT_EXECUTABLE)
      message(FATAL_ERROR "viewsan: no viewsan-instrument: use find_package(viewsan), set "
        "VIEWSAN_INSTRUMENT_EXECUTABLE to its path, or put it on PATH")
    endif()
    set(tool ${VIEWSAN_INSTRUMENT_EXECUTABLE})
    set(depends ${VIEWSAN_INSTRUMENT_EXECUTABLE})
  endif()
  set(${tool_var} ${tool} PARENT_SCOPE)
  set(${depends_var} ${depends} PARENT_SCOPE)
endfunction()

# viewsan_instrument_wasm(INPUT in.wasm OUTPUT out.wasm [ARGS flags...] [DEPENDS targets...])
# Adds a build step that runs viewsan-instrument over a linked .wasm, the way a project puts
# wasm-opt after its link step.
function(viewsan_instrument_wasm)
  cmake_parse_arguments(VI "" "INPUT;OUTPUT" "ARGS;DEPENDS" ${ARGN})
  if(NOT VI_INPUT OR NOT VI_OUTPUT)
    message(FATAL_ERROR "viewsan_instrument_wasm needs INPUT and OUTPUT")
  endif()
  _viewsan_instrument_tool(tool tool_depends)
  add_custom_command(
    OUTPUT ${VI_OUTPUT}
    COMMAND ${tool} ${VI_INPUT} -o ${VI_OUTPUT} ${VI_ARGS}
    DEPENDS ${VI_INPUT} ${tool_depends} ${VI_DEPENDS}
    COMMENT "viewsan-instrument ${VI_INPUT}"
    VERBATIM)
endfunction()

# viewsan_instrument(TARGET app [OUTPUT out.wasm] [NO_GLUE] [ARGS flags...])
# Instruments an Emscripten executable target after it links: app.js's app.wasm is rewritten in
# place (or written to OUTPUT), so the glue loads the instrumented module unchanged. The glue,
# the target's own .js file, is passed with --emscripten-glue, which finds malloc and free in a
# minified build; NO_GLUE leaves it out. Works in any project configured with emcmake.
function(viewsan_instrument)
  cmake_parse_arguments(VI "NO_GLUE" "TARGET;OUTPUT" "ARGS" ${ARGN})
  if(NOT VI_TARGET)
    message(FATAL_ERROR "viewsan_instrument needs TARGET")
  endif()
  if(NOT TARGET ${VI_TARGET})
    message(FATAL_ERROR "viewsan_instrument: no target named ${VI_TARGET}")
  endif()
  get_target_property(type ${VI_TARGET} TYPE)
  if(NOT type STREQUAL "EXECUTABLE" OR NOT CMAKE_EXECUTABLE_SUFFIX MATCHES "^\\.m?js$")
    message(FATAL_ERROR "viewsan_instrument: ${VI_TARGET} is not an Emscripten executable "
      "(configure with emcmake, so that executables are .js files with their .wasm beside them)")
  endif()
  _viewsan_instrument_tool(tool tool_depends)
  if(TARGET viewsan-instrument)
    add_dependencies(${VI_TARGET} viewsan-instrument)
  else()
    # A new viewsan-instrument relinks the target, so that its module is instrumented again.
    set_property(TARGET ${VI_TARGET} APPEND PROPERTY LINK_DEPENDS ${tool_depends})
  endif()
  set(wasm $<TARGET_FILE_DIR:${VI_TARGET}>/$<TARGET_FILE_BASE_NAME:${VI_TARGET}>.wasm)
  set(output ${wasm})
  if(VI_OUTPUT)
    set(output ${VI_OUTPUT})
  endif()
  set(glue)
  if(NOT VI_NO_GLUE)
    set(glue --emscripten-glue $<TARGET_FILE:${VI_TARGET}>)
  endif()
  add_custom_command(TARGET ${VI_TARGET} POST_BUILD
    COMMAND ${tool} ${wasm} -o ${output} ${glue} ${VI_ARGS}
    COMMENT "viewsan-instrument ${VI_TARGET}"
    VERBATIM)
endfunction()
