# Run by the install_consumer test (see tests.cmake). Fails with FATAL_ERROR at the first step
# that does not work, printing that step's output.

function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install test: ${what} failed (${rc}):\n${ARGN}\n${out}")
  endif()
  message(STATUS "install test: ${what}: ok")
endfunction()

if(NOT CT_CONFIG)
  set(CT_CONFIG Release)
endif()
set(prefix "${CT_WORK_DIR}/prefix")
file(REMOVE_RECURSE "${CT_WORK_DIR}")
file(MAKE_DIRECTORY "${CT_WORK_DIR}")

run_step("cmake --install"
  "${CMAKE_COMMAND}" --install "${CT_BUILD_DIR}" --prefix "${prefix}" --config "${CT_CONFIG}")

# 1. find_package(ctrecord) + ctrecord::ctrecord
run_step("configure consumer"
  "${CMAKE_COMMAND}" -S "${CT_CONSUMER_DIR}" -B "${CT_WORK_DIR}/consumer-build"
  -G "${CT_GENERATOR}" "-DCMAKE_MAKE_PROGRAM=${CT_MAKE_PROGRAM}"
  "-DCMAKE_C_COMPILER=${CT_C_COMPILER}" "-DCMAKE_BUILD_TYPE=${CT_CONFIG}"
  "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_C_FLAGS=${CT_FLAGS}"
  "-DCMAKE_EXE_LINKER_FLAGS=${CT_FLAGS}")
run_step("build consumer"
  "${CMAKE_COMMAND}" --build "${CT_WORK_DIR}/consumer-build" --config "${CT_CONFIG}")
file(GLOB_RECURSE exe LIST_DIRECTORIES false "${CT_WORK_DIR}/consumer-build/ct_consumer"
     "${CT_WORK_DIR}/consumer-build/ct_consumer.exe")
list(GET exe 0 exe)
run_step("run consumer (CMake package)" "${exe}" "${CT_WORK_DIR}/trace-cmake")

# 2. pkg-config --cflags --libs ctrecord
if(NOT CT_PKG_CONFIG)
  message(FATAL_ERROR "install test: pkg-config not found at configure time")
endif()
file(GLOB_RECURSE pc LIST_DIRECTORIES false "${prefix}/*/ctrecord.pc")
list(LENGTH pc npc)
if(NOT npc EQUAL 1)
  message(FATAL_ERROR "install test: expected one installed ctrecord.pc, found: ${pc}")
endif()
get_filename_component(pcdir "${pc}" DIRECTORY)
execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${pcdir}"
          "${CT_PKG_CONFIG}" --cflags --libs ctrecord
  RESULT_VARIABLE rc OUTPUT_VARIABLE flags ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "install test: pkg-config --cflags --libs ctrecord failed:\n${err}")
endif()
string(FIND "${flags}" "-I${prefix}/" at)
if(at EQUAL -1)
  message(FATAL_ERROR "install test: pkg-config flags do not point into the prefix: ${flags}")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
separate_arguments(extra UNIX_COMMAND "${CT_FLAGS}")
run_step("compile consumer with pkg-config flags"
  "${CT_C_COMPILER}" ${extra} "${CT_CONSUMER_DIR}/main.c" -o "${CT_WORK_DIR}/ct_consumer_pc"
  ${flags})
run_step("run consumer (pkg-config)" "${CT_WORK_DIR}/ct_consumer_pc" "${CT_WORK_DIR}/trace-pc")
