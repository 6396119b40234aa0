/*
 * Messages of the validator: every problem is one line that starts with the file and, for
 * trace.json, the event index and name, then the JSON path inside the event. Only the first
 * problem is reported (validation stops there); warnings keep a count and the first text.
 */
#include "validate_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Keys and names quoted from the input may hold control characters (a decoded "\n" in a key):
 * they are written as JSON escapes, so the message stays one line. A cut keeps escapes whole. */
static void escape_controls(char *out, size_t cap, const char *in)
{
    size_t used = 0;
    for (; *in; in++) {
        unsigned char c = (unsigned char)*in;
        char esc[8];
        size_t len;
        if (c < 0x20 || c == 0x7f)
            len = (size_t)snprintf(esc, sizeof esc, "\\u%04x", c);
        else
            esc[0] = (char)c, len = 1;
        if (used + len >= cap)
            break;
        memcpy(out + used, esc, len);
        used += len;
    }
    out[used] = '\0';
}

static CT__PRINTF(4, 0) void compose_raw(ct__vstate *st, char *out, size_t cap, const char *fmt,
                                         va_list ap)
{
    int n = snprintf(out, cap, "trace.json: event %llu (%s): ", (unsigned long long)st->index,
                     st->name ? st->name : "?");
    size_t used = n > 0 && (size_t)n < cap ? (size_t)n : 0;
    if (st->where_len) {
        n = snprintf(out + used, cap - used, "%s: ", st->where);
        used += n > 0 && (size_t)n < cap - used ? (size_t)n : 0;
    }
    vsnprintf(out + used, cap - used, fmt, ap);
}

static CT__PRINTF(4, 0) void compose(ct__vstate *st, char *out, size_t cap, const char *fmt,
                                     va_list ap)
{
    char raw[sizeof st->err->message];
    compose_raw(st, raw, sizeof raw, fmt, ap);
    escape_controls(out, cap, raw);
}

ct_status ct__vfail(ct__vstate *st, const char *fmt, ...)
{
    char msg[sizeof st->err->message];
    va_list ap;
    va_start(ap, fmt);
    compose(st, msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ct__error_set_at(st->err, CT_EPARSE, st->offset, "%s", msg);
}

void ct__vwarn(ct__vstate *st, const char *fmt, ...)
{
    va_list ap;
    if (st->report->warnings++ > 0)
        return;
    va_start(ap, fmt);
    compose(st, st->report->first_warning, sizeof st->report->first_warning, fmt, ap);
    va_end(ap);
}

/* A path too deep for the buffer is cut; the message stays one line. */
static size_t advance(ct__vstate *st, size_t saved, int n)
{
    size_t room = sizeof st->where - saved;
    st->where_len = n > 0 && (size_t)n < room ? saved + (size_t)n : sizeof st->where - 1;
    return saved;
}

size_t ct__vwhere_key(ct__vstate *st, const char *key)
{
    size_t saved = st->where_len;
    return advance(st, saved, snprintf(st->where + saved, sizeof st->where - saved,
                                       saved ? ".%s" : "%s", key));
}

size_t ct__vwhere_index(ct__vstate *st, size_t i)
{
    size_t saved = st->where_len;
    return advance(st, saved, snprintf(st->where + saved, sizeof st->where - saved, "[%zu]", i));
}

void ct__vwhere_pop(ct__vstate *st, size_t saved)
{
    st->where_len = saved;
    st->where[saved] = '\0';
}
