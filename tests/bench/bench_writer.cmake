# Writer throughput and memory (docs/writer.md quotes the figures): 10 million Step events and
# 10 million Value events with BigInt values, each to a real trace folder. Built with the
# project's flags; measure a Release build: cmake -DCMAKE_BUILD_TYPE=Release, then --target bench.
add_executable(bench_writer ${CMAKE_CURRENT_LIST_DIR}/bench_writer.c)
target_compile_definitions(bench_writer PRIVATE _POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
target_link_libraries(bench_writer PRIVATE ctrecord_writer)
ct_enable_warnings(bench_writer)
add_custom_target(bench_writer_run COMMAND bench_writer 10000000 ${CMAKE_CURRENT_BINARY_DIR}
                  COMMENT "trace writer throughput and peak RSS" USES_TERMINAL VERBATIM)
add_dependencies(bench bench_writer_run)
