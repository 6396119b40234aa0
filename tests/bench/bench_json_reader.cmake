# Tokenizer throughput (docs/input.md quotes its figures). Built with the project's flags;
# measure a Release build: cmake -DCMAKE_BUILD_TYPE=Release, then --target bench.
add_executable(bench_json_reader ${CMAKE_CURRENT_LIST_DIR}/bench_json_reader.c)
target_include_directories(bench_json_reader PRIVATE ${PROJECT_SOURCE_DIR}/writer)
target_compile_definitions(bench_json_reader PRIVATE _POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
target_link_libraries(bench_json_reader PRIVATE ctrecord_writer)
ct_enable_warnings(bench_json_reader)
add_custom_target(bench_json_reader_run COMMAND bench_json_reader 128
                  COMMENT "JSON tokenizer throughput" USES_TERMINAL VERBATIM)
add_dependencies(bench bench_json_reader_run)
