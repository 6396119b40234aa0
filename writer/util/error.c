/* Formatting of error records and the static status texts. */
#include "util/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void format_into(ct_error *err, const char *fmt, va_list ap) CT__PRINTF(2, 0);

static void format_into(ct_error *err, const char *fmt, va_list ap)
{
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    if (n < 0)
        err->message[0] = '\0';
}

ct_status ct__error_set(ct_error *err, ct_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        err->offset = 0;
        format_into(err, fmt, ap);
        va_end(ap);
    }
    return code;
}

ct_status ct__error_set_at(ct_error *err, ct_status code, uint64_t offset, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        err->offset = offset;
        format_into(err, fmt, ap);
        va_end(ap);
    }
    return code;
}

ct_status ct__error_errno(ct_error *err, ct_status code, const char *fmt, ...)
{
    int saved = errno;
    if (err) {
        va_list ap;
        size_t used;
        va_start(ap, fmt);
        err->code = code;
        err->offset = 0;
        format_into(err, fmt, ap);
        va_end(ap);
        used = strlen(err->message);
        snprintf(err->message + used, sizeof err->message - used, ": %s", strerror(saved));
    }
    return code;
}

ct_status ct__error_copy(ct_error *dst, const ct_error *src)
{
    if (!src)
        return CT_OK;
    if (dst && dst != src)
        *dst = *src;
    return src->code;
}

void ct__error_clear(ct_error *err)
{
    if (err) {
        err->code = CT_OK;
        err->offset = 0;
        err->message[0] = '\0';
    }
}

const char *ct_strerror(ct_status code)
{
    switch (code) {
    case CT_OK: return "success";
    case CT_DONE: return "iteration finished";
    case CT_ERROR: return "error";
    case CT_ENOMEM: return "out of memory";
    case CT_EIO: return "input/output error";
    case CT_EPARSE: return "malformed input";
    case CT_EINVAL: return "invalid argument or call order";
    case CT_EUNSUPPORTED: return "not supported";
    case CT_EUSER: return "stopped by callback";
    case CT_EREPLAY: return "input cannot be replayed faithfully";
    }
    return "unknown status";
}

const char *ct_version(void)
{
    return CT_VERSION_STRING;
}
