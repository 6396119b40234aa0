# The samples' own independent self-check (trace-samples/check.mjs, docs/structlogs.md): a
# second replay of every trace-samples vmTrace, written in JavaScript with Node built-ins only
# (no npm install), against the same struct logs. Registered only when `node` is found.
find_program(CT_NODE_EXECUTABLE node)
if(CT_NODE_EXECUTABLE)
  add_test(NAME samples_check_mjs
           COMMAND ${CT_NODE_EXECUTABLE} ${PROJECT_SOURCE_DIR}/trace-samples/check.mjs
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/trace-samples)
  set_tests_properties(samples_check_mjs PROPERTIES TIMEOUT 300
                       FAIL_REGULAR_EXPRESSION "[1-9][0-9]* failing transaction")
endif()
