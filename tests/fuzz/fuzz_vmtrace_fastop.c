/*
 * libFuzzer target for the vmTrace reader's fast path (recorder/vmtrace_fastop.c), which parses
 * op objects straight from the JSON window: for any bytes, reading the document whole (ops in
 * the window: fast path), in 1-byte reads (token path only) and in reads of a size taken from
 * the input (ops cut anywhere) must give the same events, the same op records and the same
 * error message. Also: no crash, no out-of-bounds read (ASan), no UB.
 */
#include "util/input.h"
#include "vmtrace_reader.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct logbuf {
    char *s;
    size_t len, cap;
} logbuf;

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_vmtrace_fastop: property violated: %s\n", what);
    abort();
}

#if defined(__GNUC__)
static void add(logbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#endif

static void add(logbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            fail("vsnprintf");
        if (b->s && b->len + (size_t)n < b->cap)
            break;
        b->cap = (b->cap + (size_t)n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s)
            fail("out of memory");
    }
    b->len += (size_t)n;
}

static void add_bytes(logbuf *b, const uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        add(b, "%02x", p[i]);
    add(b, " ");
}

static void add_op(logbuf *b, const ct__vt_op *op)
{
    size_t i;
    add(b, "%llu %llu %llu %llu %d%d%d%d%d%d %d ", (unsigned long long)op->offset,
        (unsigned long long)op->pc, (unsigned long long)op->cost, (unsigned long long)op->used,
        op->has_pc, op->has_cost, op->has_ex_key, op->has_ex, op->has_sub, op->has_idx,
        op->named_opcode);
    for (i = 0; i < op->push_len; i++)
        add_bytes(b, op->push[i].bytes, 32);
    if (op->has_mem) {
        add(b, "mem %llu ", (unsigned long long)op->mem_off);
        add_bytes(b, op->mem_data, op->mem_len);
    }
    if (op->has_store) {
        add_bytes(b, op->store_key.bytes, 32);
        add_bytes(b, op->store_val.bytes, 32);
    }
    add(b, "\n");
}

static char *read_log(const uint8_t *data, size_t size, size_t chunk)
{
    ct__input *in = NULL;
    ct__vt_reader *r = NULL;
    ct_error err;
    logbuf b = {0};
    ct__vt_event ev = CT__VT_TX_BEGIN;
    uint32_t level;
    unsigned guard = 0;
    if (ct__input_open_memory_chunked(&in, data, size, chunk, NULL, &err) < 0 ||
        ct__vt_reader_new(&r, in, "<fuzz>", NULL, &err) < 0)
        fail("cannot open");
    add(&b, "%s", "");   /* allocates the buffer, so an empty log is still a string */
    while (ev != CT__VT_EOF && guard++ < 1000000) {
        const ct__vt_level *l;
        if (ct__vt_next(r, &ev, &level, &err) < 0) {
            add(&b, "error %d %s\n", (int)err.code, err.message);
            break;
        }
        add(&b, "%d %u ", (int)ev, level);
        l = ct__vt_level_at(r, level);
        if (ev == CT__VT_OP || ev == CT__VT_OP_END)
            add_op(&b, &l->op);
        else if (ev == CT__VT_FRAME_BEGIN)
            add_bytes(&b, l->code, l->has_code ? l->code_len : 0);
        else
            add(&b, "\n");
    }
    ct__vt_reader_free(r);
    ct__input_free(in);
    return b.s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *whole, *bytes, *cut;
    size_t chunk = size ? 2 + data[size / 2] % 61 : 1;
    /* gzip: a corrupt stream fails at a point that depends on the read sizes (the input
     * layer's business, not this parser's) */
    if (size > 65536 || (size >= 2 && data[0] == 0x1f && data[1] == 0x8b))
        return 0;
    whole = read_log(data, size, size ? size : 1);
    bytes = read_log(data, size, 1);
    cut = read_log(data, size, chunk);
    if (strcmp(whole, bytes) != 0)
        fail("whole and 1-byte reads differ");
    if (strcmp(whole, cut) != 0)
        fail("whole and cut reads differ");
    free(whole);
    free(bytes);
    free(cut);
    return 0;
}
