# Validator throughput and memory (docs/validate.md quotes the figures). Measure a Release
# build: cmake -DCMAKE_BUILD_TYPE=Release, then --target bench (or bench_validate_run).
add_executable(bench_validate ${CMAKE_CURRENT_LIST_DIR}/bench_validate.c)
target_compile_definitions(bench_validate PRIVATE _POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
target_link_libraries(bench_validate PRIVATE ctrecord_writer)
ct_enable_warnings(bench_validate)
add_custom_target(bench_validate_run COMMAND bench_validate 2000000 ${CMAKE_CURRENT_BINARY_DIR}
                  COMMENT "trace validator throughput and peak RSS" USES_TERMINAL VERBATIM)
add_dependencies(bench bench_validate_run)
