# cmake -DHEADER=shim_abi.h -DINPUT=in.wasm -DOUTPUT=out.wasm -DMETADCE=wasm-metadce
#       -P keep_exports.cmake
#
# Emscripten's link adds exports of its own (_initialize, stackSave, __indirect_function_table,
# ...). The shim exports exactly its memory and the VS_EXPORT declarations of shim_abi.h:
# wasm-metadce drops every other export and the code only they reached.
file(STRINGS ${HEADER} declarations REGEX "^VS_EXPORT\\(")
set(reaches "\"memory\"")
set(nodes "  {\"name\": \"memory\", \"export\": \"memory\"}")
foreach(declaration IN LISTS declarations)
  string(REGEX MATCH "^VS_EXPORT\\(([a-z0-9_]+)\\)" _ "${declaration}")
  set(name ${CMAKE_MATCH_1})
  string(APPEND reaches ", \"${name}\"")
  string(APPEND nodes ",\n  {\"name\": \"${name}\", \"export\": \"${name}\"}")
endforeach()

set(graph ${INPUT}.exports.json)  # beside the linked input, in the build tree
set(root "  {\"name\": \"root\", \"root\": true, \"reaches\": [${reaches}]}")
file(WRITE ${graph} "[\n${root},\n${nodes}\n]\n")
# metadce lists every export it removed on stdout: expected, so not shown.
execute_process(
  COMMAND ${METADCE} ${INPUT} --graph-file ${graph} -o ${OUTPUT}
  OUTPUT_QUIET
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "wasm-metadce failed (${status}) on ${INPUT}")
endif()
