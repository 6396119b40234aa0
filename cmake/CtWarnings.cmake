# Per-target warnings; never through CMAKE_C_FLAGS, so consumers are not affected.
function(ct_enable_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wformat=2 -Wvla -Wwrite-strings -Wundef -Wimplicit-fallthrough)
  if(CTRECORD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
