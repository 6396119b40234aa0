# Replay and structlogs throughput and peak RSS (docs/structlogs.md quotes the figures).
# Measure a Release build: cmake -DCMAKE_BUILD_TYPE=Release, then --target bench.
add_executable(bench_replay ${CMAKE_CURRENT_LIST_DIR}/bench_replay.c)
target_compile_definitions(bench_replay PRIVATE _POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
target_link_libraries(bench_replay PRIVATE ctrecord)
ct_enable_warnings(bench_replay)
add_custom_target(bench_replay_run COMMAND bench_replay
                  COMMENT "vmTrace replay and structLogs throughput" USES_TERMINAL VERBATIM)
add_dependencies(bench bench_replay_run)
