# Install test: `cmake --install` this build into a fresh prefix, then build and run a consumer
# project against it twice: through find_package(ctrecord) and through pkg-config. Included by
# tests/CMakeLists.txt; the work is done by run_install_test.cmake at test time.
set(CT_INSTALL_TEST_FLAGS "")
if(CTRECORD_SANITIZE)
  # The installed static libraries are instrumented; the consumer must link the runtimes.
  set(CT_INSTALL_TEST_FLAGS "-fsanitize=address,undefined")
endif()

add_test(NAME install_consumer
  COMMAND ${CMAKE_COMMAND}
    "-DCT_BUILD_DIR=${PROJECT_BINARY_DIR}"
    "-DCT_WORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/install-test"
    "-DCT_CONSUMER_DIR=${CMAKE_CURRENT_LIST_DIR}/consumer"
    "-DCT_GENERATOR=${CMAKE_GENERATOR}"
    "-DCT_MAKE_PROGRAM=${CMAKE_MAKE_PROGRAM}"
    "-DCT_C_COMPILER=${CMAKE_C_COMPILER}"
    "-DCT_PKG_CONFIG=${PKG_CONFIG_EXECUTABLE}"
    "-DCT_CONFIG=$<CONFIG>"
    "-DCT_FLAGS=${CT_INSTALL_TEST_FLAGS}"
    -P "${CMAKE_CURRENT_LIST_DIR}/run_install_test.cmake")
set_tests_properties(install_consumer PROPERTIES TIMEOUT 600 LABELS install)
