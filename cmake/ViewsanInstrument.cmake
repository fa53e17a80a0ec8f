# viewsan_instrument_wasm(INPUT in.wasm OUTPUT out.wasm [ARGS flags...] [DEPENDS targets...])
# Adds a build step that runs viewsan-instrument over a linked .wasm, the way a project puts
# wasm-opt after its link step.
function(viewsan_instrument_wasm)
  cmake_parse_arguments(VI "" "INPUT;OUTPUT" "ARGS;DEPENDS" ${ARGN})
  if(NOT VI_INPUT OR NOT VI_OUTPUT)
    message(FATAL_ERROR "viewsan_instrument_wasm needs INPUT and OUTPUT")
  endif()
  add_custom_command(
    OUTPUT ${VI_OUTPUT}
    COMMAND $<TARGET_FILE:viewsan-instrument> ${VI_INPUT} -o ${VI_OUTPUT} ${VI_ARGS}
    DEPENDS ${VI_INPUT} viewsan-instrument ${VI_DEPENDS}
    COMMENT "viewsan-instrument ${VI_INPUT}"
    VERBATIM)
endfunction()
