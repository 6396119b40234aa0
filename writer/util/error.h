/*
 * The one error convention inside the library: a function that can fail returns ct_status and,
 * when it fails, has written the detail into a ct_error it was given (or its handle's).
 * CT_TRY forwards a failure unchanged (propagate, never re-wrap); ct__error_set formats the
 * one-line message at the place that knows what went wrong.
 */
#ifndef CT_UTIL_ERROR_H
#define CT_UTIL_ERROR_H

#include <ctrecord/common.h>

#if defined(__GNUC__)
#define CT__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CT__PRINTF(f, a)
#endif

/** Record `code` and a printf-style message in `err` (may be NULL); returns `code`. */
ct_status ct__error_set(ct_error *err, ct_status code, const char *fmt, ...) CT__PRINTF(3, 4);

/** Same, with the byte offset of the input the error concerns. */
ct_status ct__error_set_at(ct_error *err, ct_status code, uint64_t offset, const char *fmt, ...)
    CT__PRINTF(4, 5);

/** Same as ct__error_set, appending ": <strerror(errno)>". Reads errno before anything else. */
ct_status ct__error_errno(ct_error *err, ct_status code, const char *fmt, ...) CT__PRINTF(3, 4);

/** Copy `src` into `dst` (either may be NULL); returns src->code or CT_OK. */
ct_status ct__error_copy(ct_error *dst, const ct_error *src);

void ct__error_clear(ct_error *err);

/** Forward a failure unchanged. */
#define CT_TRY(expr)                                                                           \
    do {                                                                                       \
        ct_status ct__rc = (expr);                                                             \
        if (ct__rc < 0)                                                                        \
            return ct__rc;                                                                     \
    } while (0)

#endif
