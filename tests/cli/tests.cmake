# `ctrecord` against bad input, every subcommand (docs/cli.md#bad-input): no crash (run it in a
# sanitizer build to make that check meaningful), an exit code of the documented set, one error
# line on stderr naming the place, and nothing left behind that looks like finished output.
add_test(NAME cli_bad_input COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/bad_input.sh)
set_tests_properties(cli_bad_input PROPERTIES ENVIRONMENT "${CT_TEST_ENV}" TIMEOUT 600)
