# cmake -P script behind the sdk_out_of_tree_plugin test. Inputs: BUILD_DIR (this project's
# build), WORK_DIR (wiped and reused), EXAMPLE_DIR, GENERATOR, CXX_COMPILER, CXX_COMPILER_LAUNCHER
# (may be empty). Fails with the failing step's output.
cmake_minimum_required(VERSION 3.25)

function(run_step what)
    execute_process(COMMAND ${ARGN}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
    endif()
    set(step_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/manifests")

run_step("cmake --install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")

# The SDK target carries no warning flags of this project.
file(GLOB_RECURSE targets_files "${prefix}/*/orch_plugin_apiTargets.cmake")
if(NOT targets_files)
    message(FATAL_ERROR "no orch_plugin_apiTargets.cmake installed under ${prefix}")
endif()
file(READ "${targets_files}" targets_text)
if(targets_text MATCHES "-W[a-z]|orch_project_options")
    message(FATAL_ERROR "the installed SDK target carries project build options:\n${targets_text}")
endif()

set(configure_args -S "${EXAMPLE_DIR}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
if(CXX_COMPILER_LAUNCHER)
    list(APPEND configure_args -DCMAKE_CXX_COMPILER_LAUNCHER=${CXX_COMPILER_LAUNCHER})
endif()
run_step("configuring the example plugin" "${CMAKE_COMMAND}" ${configure_args})
run_step("building the example plugin" "${CMAKE_COMMAND}" --build "${WORK_DIR}/build")

file(WRITE "${WORK_DIR}/manifests/example_plugin.json" [[{
  "schema_version": 1,
  "id": "example_plugin",
  "library": "libexample_plugin.so",
  "api_version": "1.0",
  "enabled": true,
  "queue_key": "example"
}
]])
run_step("the installed host_stub --once" "${prefix}/bin/host_stub" --once
    --manifests "${WORK_DIR}/manifests" --plugins "${WORK_DIR}/build")

string(JSON state ERROR_VARIABLE json_error GET "${step_output}" plugins 0 state)
string(JSON ticks ERROR_VARIABLE ticks_error GET "${step_output}" example ticks)
if(NOT state STREQUAL "loaded" OR NOT ticks STREQUAL "1")
    message(FATAL_ERROR "expected plugins[0].state \"loaded\" and example.ticks 1 in the /queue "
                        "JSON (${json_error} ${ticks_error}):\n${step_output}")
endif()
message(STATUS "example_plugin built against the installed SDK and loaded: ${step_output}")
