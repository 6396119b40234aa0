/* Errors and warnings of a replay, each naming the transaction, step, op and Erigon-style op
 * path (position of the op in each nested frame), plus the byte offset of the op object. */
#include "replay_internal.h"

#include "util/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void locate(ct_replay *r, uint32_t level, char *buf, size_t cap, uint64_t *off)
{
    char path[200];
    ct__vt_level *l = ct__vt_level_at(r->reader, level);
    ct__frame *f = level < r->frames_alloc ? r->frames[level] : NULL;
    ct__vt_path(r->reader, level + 1, path, sizeof path);
    *off = l ? l->op.offset : ct__vt_offset(r->reader);
    snprintf(buf, cap, "%s: byte %llu: tx %llu step %llu %s (op path %s)", r->name,
             (unsigned long long)*off, (unsigned long long)r->tx.index,
             (unsigned long long)(f ? f->cur_index : r->tx.steps),
             f ? ct_opcode_name(f->cur_opcode) : "op", path);
}

ct_status ct__replay_fail(ct_replay *r, ct_status code, uint32_t level, const char *fmt, ...)
{
    char where[320], msg[300];
    uint64_t off;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    locate(r, level, where, sizeof where, &off);
    return ct__error_set_at(&r->err, code, off, "%s: %s", where, msg);
}

void ct__replay_warn(ct_replay *r, int kind, uint32_t level, const char *fmt, ...)
{
    char where[320], msg[300];
    uint64_t off;
    size_t n;
    va_list ap;
    if (kind < 0 || kind >= CT__W_COUNT || r->warnings[kind])
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    locate(r, level, where, sizeof where, &off);
    n = strlen(where) + strlen(msg) + 3;
    r->warnings[kind] = ct__malloc(&r->alloc, n);
    if (!r->warnings[kind])
        return;   /* a warning is not worth failing the replay */
    snprintf(r->warnings[kind], n, "%s: %s", where, msg);
    r->warn_order[r->warn_len++] = (uint32_t)kind;
}

void ct__replay_warnings_free(ct_replay *r)
{
    int i;
    for (i = 0; i < CT__W_COUNT; i++) {
        if (r->warnings[i])
            ct__free(&r->alloc, r->warnings[i], strlen(r->warnings[i]) + 1);
        r->warnings[i] = NULL;
    }
    r->warn_len = 0;
}

size_t ct_replay_warning_count(const ct_replay *r)
{
    return r ? r->warn_len : 0;
}

const char *ct_replay_warning(const ct_replay *r, size_t i)
{
    if (!r || i >= r->warn_len)
        return NULL;
    return r->warnings[r->warn_order[i]];
}
