/*
 * Random bytes from the kernel (getrandom(2)): no seed, no global state, so two handles in one
 * process, or two processes started in the same millisecond, never share a sequence.
 */
#ifndef CT_UTIL_RANDOM_H
#define CT_UTIL_RANDOM_H

#include <ctrecord/common.h>

/** Fill `buf` with `len` random bytes. CT_EIO (with errno text) if the kernel refuses. */
ct_status ct__random_bytes(void *buf, size_t len, ct_error *err);

/** Write `n` random characters from [a-z0-9] into `out` (not NUL-terminated). For unique
 * temporary names. */
ct_status ct__random_name(char *out, size_t n, ct_error *err);

#endif
