# The README's quick-start command runs as written (with the binary of this build and a private
# output folder), so the README cannot drift from what the CLI accepts.
add_test(NAME readme_quickstart
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_quickstart.sh
                 ${PROJECT_SOURCE_DIR} $<TARGET_FILE:ctrecord_cli> ${PROJECT_BINARY_DIR}/readme-quickstart)
set_tests_properties(readme_quickstart PROPERTIES ENVIRONMENT "${CT_TEST_ENV}" TIMEOUT 120)
