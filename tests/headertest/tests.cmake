# Header test (in the manner of libgit2's tests/headertest): every public header must compile
# for a strict consumer, alone and together, in C99 and in C++11, and link. Included by
# tests/CMakeLists.txt. The flags are set here, not through ct_enable_warnings, because they are
# the consumer's (C99 rather than the library's C11) and -Werror always: a header that warns in
# a consumer's build is a bug even when the library's own build is not -Werror.
set(CT_HEADERTEST_DIR ${CMAKE_CURRENT_LIST_DIR})
file(GLOB CT_PUBLIC_HEADERS CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/writer/include/ctrecord/*.h
     ${PROJECT_SOURCE_DIR}/recorder/include/ctrecord/*.h)

# One translation unit per header, including it alone (twice, for the guard): a header that
# needs another one included first fails here.
set(CT_HEADERTEST_EACH "")
foreach(h ${CT_PUBLIC_HEADERS})
  get_filename_component(hname ${h} NAME)
  get_filename_component(hbase ${h} NAME_WE)
  set(gen ${CMAKE_CURRENT_BINARY_DIR}/headertest/alone_${hbase}.c)
  file(CONFIGURE OUTPUT ${gen} CONTENT
       "#include <ctrecord/${hname}>\n#include <ctrecord/${hname}>\nint ct_headertest_${hbase}(void);\nint ct_headertest_${hbase}(void) { return 0; }\n")
  list(APPEND CT_HEADERTEST_EACH ${gen})
endforeach()

set(CT_HEADERTEST_C_FLAGS -pedantic -Wall -Wextra -Werror -Wshadow -Wundef -Wstrict-prototypes
    -Wmissing-prototypes -Wconversion -Wsign-conversion -Wcast-qual -Wredundant-decls)

add_library(ct_headertest_alone OBJECT ${CT_HEADERTEST_EACH})
target_include_directories(ct_headertest_alone PRIVATE
  ${PROJECT_SOURCE_DIR}/writer/include ${PROJECT_SOURCE_DIR}/recorder/include)
set_target_properties(ct_headertest_alone PROPERTIES C_STANDARD 99 C_EXTENSIONS OFF)
target_compile_options(ct_headertest_alone PRIVATE ${CT_HEADERTEST_C_FLAGS})

add_executable(headertest_c ${CT_HEADERTEST_DIR}/headertest.c
               $<TARGET_OBJECTS:ct_headertest_alone>)
set_target_properties(headertest_c PROPERTIES C_STANDARD 99 C_EXTENSIONS OFF)
target_compile_options(headertest_c PRIVATE ${CT_HEADERTEST_C_FLAGS})
target_link_libraries(headertest_c PRIVATE ctrecord)
add_test(NAME headertest_c COMMAND headertest_c)

# C++ consumers: only where a C++ compiler exists, so that a C-only machine still configures.
include(CheckLanguage)
check_language(CXX)
if(CMAKE_CXX_COMPILER)
  enable_language(CXX)
  add_executable(headertest_cxx ${CT_HEADERTEST_DIR}/headertest.cpp)
  set_target_properties(headertest_cxx PROPERTIES CXX_STANDARD 11 CXX_STANDARD_REQUIRED ON
                        CXX_EXTENSIONS OFF)
  target_compile_options(headertest_cxx PRIVATE -pedantic -Wall -Wextra -Werror -Wshadow
                         -Wundef -Wold-style-cast -Wzero-as-null-pointer-constant)
  target_link_libraries(headertest_cxx PRIVATE ctrecord)
  add_test(NAME headertest_cxx COMMAND headertest_cxx)
else()
  message(STATUS "headertest: no C++ compiler, the C++ header test is not built")
endif()

# Every public function documented, with ownership and lifetime for pointers (check_docs.py).
if(Python3_Interpreter_FOUND)
  add_test(NAME headertest_docs
    COMMAND ${Python3_EXECUTABLE} ${CT_HEADERTEST_DIR}/check_docs.py ${CT_PUBLIC_HEADERS})
endif()
