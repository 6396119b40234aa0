/*
 * What the two halves of the vmTrace walker share: vmtrace_reader.c walks the nested frames
 * (ops, `ex`, `sub`) and vmtrace_document.c the document around them (JSON-RPC envelopes,
 * block arrays, rpc-tests fixtures, the `trace` and `output` parts). Private to those files and
 * vmtrace_fastop.c.
 */
#ifndef CT_RECORDER_VMTRACE_READER_IMPL_H
#define CT_RECORDER_VMTRACE_READER_IMPL_H

#include "vmtrace_reader.h"

#include "util/error.h"

#include <string.h>

#define MAX_OUTER 16
#define QUEUE 4
/* JSON nesting a vmTrace needs at the deepest call level: the outer containers, 3 per level
 * (the frame's object, its `ops`, the op holding the `sub`), the last op's `ex` and `ex.mem`. */
#define JSON_DEPTH (MAX_OUTER + 3 * CT__VT_MAX_LEVELS + 3)

enum { L_VT_OBJ, L_OPS, L_OP };
enum { O_OBJ, O_ARR };

typedef struct outer_ctx {
    uint8_t kind;
    bool is_tx;
    bool bare;
    uint64_t txs_at_open;   /* transactions begun before it opened: did it hold one? */
} outer_ctx;

struct ct__vt_reader {
    ct_allocator alloc;
    ct__json_reader *json;
    char *name;
    outer_ctx outer[MAX_OUTER];
    uint32_t outer_len;
    ct__vt_level **levels;
    uint32_t levels_alloc; /* levels allocated (kept for reuse) */
    uint32_t levels_cap;   /* pointer slots in `levels` */
    uint32_t depth;        /* levels active */
    ct__vt_tx tx;
    uint64_t txs;
    bool started;
    bool saw_list;
    ct__vt_event q_ev[QUEUE];
    uint32_t q_level[QUEUE];
    unsigned q_head, q_len;
    ct__json_token tok;
    uint64_t fast_ops; /* ops read by vmtrace_fastop.c (tests, benchmarks) */
};

/* Key comparison with the literal's length known at compile time (no strlen per token). */
#define key_is(t, lit)                                                                             \
    ((t)->len == sizeof(lit) - 1 && !(t)->escaped && memcmp((t)->text, lit, sizeof(lit) - 1) == 0)

/* A one-line parse error naming the input, byte offset and (inside a frame) the op path. */
ct_status ct__vt_fail(ct__vt_reader *r, ct_error *err, ct_status code, uint64_t off,
                      const char *fmt, ...) CT__PRINTF(5, 6);
ct_status ct__vt_wrong_type(ct__vt_reader *r, ct_error *err, const char *field, const char *want);
const char *ct__vt_tok_kind(ct__json_tok t);

void ct__vt_push_event(ct__vt_reader *r, ct__vt_event ev, uint32_t level);
ct_status ct__vt_next_tok(ct__vt_reader *r, ct_error *err);
ct_status ct__vt_skip_value(ct__vt_reader *r, ct_error *err);

/* Field readers over the current token (names are for messages). */
ct_status ct__vt_read_u64(ct__vt_reader *r, const char *field, uint64_t *out, ct_error *err);
ct_status ct__vt_read_word(ct__vt_reader *r, const char *field, ct_u256 *out, ct_error *err);
ct_status ct__vt_read_bytes_tok(ct__vt_reader *r, const char *field, uint8_t **buf, size_t *cap,
                                size_t *len, ct_error *err);

/* Frame levels. */
ct_status ct__vt_push_level(ct__vt_reader *r, ct_error *err);
void ct__vt_reset_op(ct__vt_op *op, uint64_t offset);
ct_status ct__vt_frame_key(ct__vt_reader *r, ct__vt_level *l, ct_error *err);

/* The containers around the transactions: one token at depth 0. */
ct_status ct__vt_outer_token(ct__vt_reader *r, ct_error *err);

#endif
