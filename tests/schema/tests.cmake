# Schema tests (docs/testing.md): the JSON Schemas in schema/ against hand-written valid and
# invalid cases, the upstream traces, and every trace the other tests write under
# ${PROJECT_BINARY_DIR}/test-traces. Needs Python's `jsonschema` (Debian: python3-jsonschema).

# A pyenv/venv python3 found first on PATH often lacks Debian's modules: prefer the system one.
set(CT_SCHEMA_PYTHON "")
foreach(py /usr/bin/python3 ${Python3_EXECUTABLE})
  if(NOT CT_SCHEMA_PYTHON AND EXISTS "${py}")
    execute_process(COMMAND "${py}" -c "import jsonschema"
                    RESULT_VARIABLE ct_schema_rc OUTPUT_QUIET ERROR_QUIET)
    if(ct_schema_rc EQUAL 0)
      set(CT_SCHEMA_PYTHON "${py}")
    endif()
  endif()
endforeach()

set(CT_SCHEMA_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/validate.py)
set(CT_SCHEMA_DIR ${PROJECT_SOURCE_DIR}/schema)
set(CT_TEST_TRACES ${PROJECT_BINARY_DIR}/test-traces)

if(NOT CT_SCHEMA_PYTHON)
  message(WARNING "no python3 with the jsonschema module: schema tests report as skipped "
                  "(install python3-jsonschema)")
  add_test(NAME schema_python COMMAND ${CMAKE_COMMAND} -E echo "jsonschema missing")
  set_tests_properties(schema_python PROPERTIES DISABLED TRUE)
  return()
endif()

add_test(NAME schema_generated_up_to_date
         COMMAND ${CT_SCHEMA_PYTHON} ${CT_SCHEMA_SCRIPT} ${CT_SCHEMA_DIR} generated
                 ${CMAKE_CURRENT_BINARY_DIR}/schema-generated)
add_test(NAME schema_valid_cases
         COMMAND ${CT_SCHEMA_PYTHON} ${CT_SCHEMA_SCRIPT} ${CT_SCHEMA_DIR} cases
                 ${CMAKE_CURRENT_LIST_DIR}/valid valid)
add_test(NAME schema_invalid_cases
         COMMAND ${CT_SCHEMA_PYTHON} ${CT_SCHEMA_SCRIPT} ${CT_SCHEMA_DIR} cases
                 ${CMAKE_CURRENT_LIST_DIR}/invalid invalid)
add_test(NAME schema_upstream
         COMMAND ${CT_SCHEMA_PYTHON} ${CT_SCHEMA_SCRIPT} ${CT_SCHEMA_DIR} upstream ${CT_SHARED_DIR})
add_test(NAME schema_our_traces
         COMMAND ${CT_SCHEMA_PYTHON} ${CT_SCHEMA_SCRIPT} ${CT_SCHEMA_DIR} ours ${CT_TEST_TRACES})
set_tests_properties(schema_upstream schema_our_traces PROPERTIES SKIP_RETURN_CODE 77)

# Validate what the others wrote: run after every other test (ordering only; a failed writer
# test still lets this one look at whatever was written).
set(ct_schema_deps "")
foreach(src ${CT_UNIT_TESTS})
  get_filename_component(ct_schema_name ${src} NAME_WE)
  list(APPEND ct_schema_deps ${ct_schema_name})
endforeach()
set_tests_properties(schema_our_traces PROPERTIES DEPENDS "${ct_schema_deps}")
