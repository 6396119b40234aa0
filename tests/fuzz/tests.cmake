# Fuzz targets. Each tests/fuzz/fuzz_<name>.c defines LLVMFuzzerTestOneInput and has a seed
# corpus in tests/fuzz/corpus/<name>/; adding a target is adding those two, nothing here.
#  - Always: <target>_replay = the target + standalone_driver.c, and a ctest <target>_corpus
#    that replays the corpus, so every build (including -DCTRECORD_SANITIZE=ON) runs it.
#  - With -DCTRECORD_BUILD_FUZZERS=ON and clang: the real libFuzzer binary <target>, linked
#    against a copy of the library built with coverage + ASan + UBSan (ct_fuzz_lib), e.g.
#      build/tests/fuzz_json_reader -max_total_time=300 tests/fuzz/corpus/json_reader
set(CT_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
file(GLOB CT_FUZZ_SOURCES CONFIGURE_DEPENDS ${CT_FUZZ_DIR}/fuzz_*.c)

set(CT_FUZZ_REAL OFF)
if(CTRECORD_BUILD_FUZZERS)
  if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    set(CT_FUZZ_REAL ON)
    set(CT_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -g)
    get_target_property(ct_fuzz_wsrc ct_writer_obj SOURCES)
    get_target_property(ct_fuzz_rsrc ct_recorder_obj SOURCES)
    add_library(ct_fuzz_lib STATIC ${ct_fuzz_wsrc} ${ct_fuzz_rsrc})
    target_include_directories(ct_fuzz_lib PUBLIC
      ${PROJECT_SOURCE_DIR}/writer/include ${PROJECT_SOURCE_DIR}/recorder/include
      ${PROJECT_SOURCE_DIR}/writer ${PROJECT_SOURCE_DIR}/recorder)
    target_compile_definitions(ct_fuzz_lib PUBLIC _POSIX_C_SOURCE=200809L _DEFAULT_SOURCE
                               CT_VERSION_STRING="${PROJECT_VERSION}")
    target_compile_options(ct_fuzz_lib PUBLIC ${CT_FUZZ_FLAGS})
    target_link_libraries(ct_fuzz_lib PUBLIC PkgConfig::CJSON ZLIB::ZLIB PkgConfig::LIBGIT2)
  else()
    message(WARNING "CTRECORD_BUILD_FUZZERS needs clang (CC=clang); building only the "
                    "corpus replay drivers")
  endif()
endif()

foreach(src ${CT_FUZZ_SOURCES})
  get_filename_component(target ${src} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" corpus ${target})
  add_executable(${target}_replay ${src} ${CT_FUZZ_DIR}/standalone_driver.c)
  target_link_libraries(${target}_replay PRIVATE ct_test_support)
  ct_enable_warnings(${target}_replay)
  add_test(NAME ${target}_corpus COMMAND ${target}_replay ${CT_FUZZ_DIR}/corpus/${corpus})
  set_tests_properties(${target}_corpus PROPERTIES TIMEOUT 600)
  if(CT_FUZZ_REAL)
    add_executable(${target} ${src})
    target_link_libraries(${target} PRIVATE ct_fuzz_lib)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
  endif()
endforeach()
