# ctrecord evm end to end on the 1-million-op input of trace-samples/gen-bench.mjs (docs/evm.md
# quotes the figures). Measure a Release build: cmake -DCMAKE_BUILD_TYPE=Release, --target bench.
add_executable(bench_evm ${CMAKE_CURRENT_LIST_DIR}/bench_evm.c)
target_compile_definitions(bench_evm PRIVATE _POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
target_link_libraries(bench_evm PRIVATE ctrecord)
ct_enable_warnings(bench_evm)
add_custom_target(bench_evm_run
                  COMMAND bench_evm /tmp/ctrecord-bench ${PROJECT_SOURCE_DIR}/trace-samples
                          ${CMAKE_CURRENT_BINARY_DIR}
                  COMMENT "ctrecord evm throughput and peak RSS" USES_TERMINAL VERBATIM)
add_dependencies(bench bench_evm_run)
