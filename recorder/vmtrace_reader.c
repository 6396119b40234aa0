/*
 * The vmTrace walker. Two explicit stacks replace recursion so that the walk can stop after
 * every event: `outer` for the containers around the transactions (arrays, envelopes, fixture
 * entries, result objects) and `levels` for the nested vmTrace frames. Small values (an op's
 * `ex`, the root entry of `trace`) are read synchronously; nothing else is buffered.
 */
#include "vmtrace_reader.h"

#include "evm_word.h"
#include "opcodes.h"
#include "util/alloc.h"
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
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
} outer_ctx;

struct ct__vt_reader {
    ct_allocator alloc;
    ct__json_reader *json;
    char *name;
    outer_ctx outer[MAX_OUTER];
    uint32_t outer_len;
    ct__vt_level **levels;
    uint32_t levels_alloc;     /* levels allocated (kept for reuse) */
    uint32_t levels_cap;       /* pointer slots in `levels` */
    uint32_t depth;            /* levels active */
    ct__vt_tx tx;
    uint64_t txs;
    bool started;
    bool saw_list;
    ct__vt_event q_ev[QUEUE];
    uint32_t q_level[QUEUE];
    unsigned q_head, q_len;
    ct__json_token tok;
    uint64_t fast_ops;         /* ops read by vmtrace_fastop.c (tests, benchmarks) */
};

/* ---- errors ------------------------------------------------------------------------------ */

void ct__vt_path(const ct__vt_reader *r, uint32_t levels, char *buf, size_t cap)
{
    size_t used = 0;
    uint32_t i;
    buf[0] = '\0';
    for (i = 0; i < levels && i < r->levels_alloc && used + 24 < cap; i++) {
        uint64_t n = r->levels[i]->ops ? r->levels[i]->ops - 1 : 0;
        used += (size_t)snprintf(buf + used, cap - used, i ? "-%llu" : "%llu",
                                 (unsigned long long)n);
    }
}

static ct_status fail(ct__vt_reader *r, ct_error *err, ct_status code, uint64_t off,
                      const char *fmt, ...) CT__PRINTF(5, 6);

static ct_status fail(ct__vt_reader *r, ct_error *err, ct_status code, uint64_t off,
                      const char *fmt, ...)
{
    char msg[300], path[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->depth == 0)
        return ct__error_set_at(err, code, off, "%s: byte %llu: %s", r->name,
                                (unsigned long long)off, msg);
    ct__vt_path(r, r->depth, path, sizeof path);
    return ct__error_set_at(err, code, off, "%s: byte %llu: tx %llu op path %s: %s", r->name,
                            (unsigned long long)off, (unsigned long long)r->tx.index, path, msg);
}

/* ---- construction ------------------------------------------------------------------------ */

ct_status ct__vt_reader_new(ct__vt_reader **out, ct__input *in, const char *name,
                            const ct_allocator *a, ct_error *err)
{
    ct_allocator al = ct__allocator_or_default(a);
    ct__vt_reader *r = ct__calloc(&al, 1, sizeof *r);
    ct_status rc;
    *out = NULL;
    if (!r)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", name);
    r->alloc = al;
    r->name = ct__strdup(&al, name);
    if (!r->name) {
        ct__vt_reader_free(r);
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", name);
    }
    rc = ct__json_reader_new(&r->json, in, name, &al, err);
    if (rc >= 0)
        rc = ct__json_reader_set_max_depth(r->json, JSON_DEPTH, err);
    if (rc < 0) {
        ct__vt_reader_free(r);
        return rc;
    }
    *out = r;
    return CT_OK;
}

void ct__vt_reader_free(ct__vt_reader *r)
{
    const ct_allocator *a;
    uint32_t i;
    if (!r)
        return;
    a = &r->alloc;
    for (i = 0; i < r->levels_alloc; i++) {
        ct__vt_level *l = r->levels[i];
        ct__free(a, l->code, l->code_cap);
        ct__free(a, l->op.mem_data, l->op.mem_cap);
        ct__free(a, l, sizeof *l);
    }
    ct__free(a, r->levels, (size_t)r->levels_cap * sizeof *r->levels);
    ct__free(a, r->tx.output, r->tx.output_cap);
    ct__free(a, r->tx.input, r->tx.input_cap);
    ct__json_reader_free(r->json);
    if (r->name)
        ct__free(a, r->name, strlen(r->name) + 1);
    ct__free(a, r, sizeof *r);
}

ct__vt_level *ct__vt_level_at(ct__vt_reader *r, uint32_t level)
{
    return level < r->levels_alloc ? r->levels[level] : NULL;
}

const ct__vt_tx *ct__vt_tx_info(const ct__vt_reader *r)
{
    return &r->tx;
}

const char *ct__vt_name(const ct__vt_reader *r)
{
    return r->name;
}

uint64_t ct__vt_offset(const ct__vt_reader *r)
{
    return ct__json_offset(r->json);
}

/* ---- small helpers ----------------------------------------------------------------------- */

static void push_event(ct__vt_reader *r, ct__vt_event ev, uint32_t level)
{
    unsigned i = (r->q_head + r->q_len) % QUEUE;
    r->q_ev[i] = ev;
    r->q_level[i] = level;
    r->q_len++;
}

/* Key comparison with the literal's length known at compile time (no strlen per token). */
#define key_is(t, lit) \
    ((t)->len == sizeof(lit) - 1 && !(t)->escaped && memcmp((t)->text, lit, sizeof(lit) - 1) == 0)

static ct_status next_tok(ct__vt_reader *r, ct_error *err)
{
    return ct__json_next(r->json, &r->tok, err);
}

static ct_status skip_value(ct__vt_reader *r, ct_error *err)
{
    CT_TRY(next_tok(r, err));
    return ct__json_skip(r->json, &r->tok, err);
}

static const char *tok_kind(ct__json_tok t)
{
    switch (t) {
    case CT__JSON_OBJECT_BEGIN: return "an object";
    case CT__JSON_ARRAY_BEGIN: return "an array";
    case CT__JSON_STRING: return "a string";
    case CT__JSON_NUMBER: return "a number";
    case CT__JSON_TRUE:
    case CT__JSON_FALSE: return "a boolean";
    case CT__JSON_NULL: return "null";
    default: return "the end of a container";
    }
}

static ct_status wrong_type(ct__vt_reader *r, ct_error *err, const char *field, const char *want)
{
    return fail(r, err, CT_EPARSE, r->tok.offset, "`%s` must be %s, found %s", field, want,
                tok_kind(r->tok.type));
}

/* A non-negative integer field (JSON number, or a "0x" quantity that fits in 64 bits). */
static ct_status read_u64(ct__vt_reader *r, const char *field, uint64_t *out, ct_error *err)
{
    ct_u256 w;
    CT_TRY(next_tok(r, err));
    if (r->tok.type == CT__JSON_NUMBER && ct__parse_u64(r->tok.text, r->tok.len, out))
        return CT_OK;
    if (r->tok.type == CT__JSON_STRING && ct__u256_from_hex(&w, r->tok.text, r->tok.len) &&
        ct__u256_to_u64(&w, out))
        return CT_OK;
    return wrong_type(r, err, field, "a non-negative 64-bit integer");
}

static ct_status read_word(ct__vt_reader *r, const char *field, ct_u256 *out, ct_error *err)
{
    CT_TRY(next_tok(r, err));
    if (r->tok.type == CT__JSON_STRING && ct__u256_from_hex(out, r->tok.text, r->tok.len))
        return CT_OK;
    if (r->tok.type == CT__JSON_NUMBER) {
        uint64_t v;
        if (ct__parse_u64(r->tok.text, r->tok.len, &v)) {
            ct__u256_from_u64(out, v);
            return CT_OK;
        }
    }
    return wrong_type(r, err, field, "a \"0x\" hex quantity of at most 256 bits");
}

static ct_status grow_bytes(ct__vt_reader *r, uint8_t **buf, size_t *cap, size_t need,
                            ct_error *err)
{
    size_t ncap = *cap ? *cap : 64;
    uint8_t *nb;
    if (need <= *cap)
        return CT_OK;
    while (ncap < need)
        ncap *= 2;
    nb = ct__realloc(&r->alloc, *buf, *cap, ncap);
    if (!nb)
        return fail(r, err, CT_ENOMEM, r->tok.offset, "out of memory (%zu bytes)", need);
    *buf = nb;
    *cap = ncap;
    return CT_OK;
}

/* The current STRING token's hex bytes into a growable buffer. */
static ct_status read_bytes_tok(ct__vt_reader *r, const char *field, uint8_t **buf, size_t *cap,
                                size_t *len, ct_error *err)
{
    size_t n = r->tok.type == CT__JSON_STRING ? ct__hex_decoded_len(r->tok.text, r->tok.len)
                                              : SIZE_MAX;
    if (n == SIZE_MAX || r->tok.escaped)
        return wrong_type(r, err, field, "a \"0x\" hex byte string");
    CT_TRY(grow_bytes(r, buf, cap, n ? n : 1, err));
    if (!ct__hex_decode(*buf, *cap, len, r->tok.text, r->tok.len))
        return fail(r, err, CT_EPARSE, r->tok.offset, "`%s` is not valid hex", field);
    return CT_OK;
}

/* ---- levels ------------------------------------------------------------------------------ */

static ct_status push_level(ct__vt_reader *r, ct_error *err)
{
    ct__vt_level *l;
    if (r->depth >= CT__VT_MAX_LEVELS)
        return fail(r, err, CT_EPARSE, r->tok.offset, "call frames nested deeper than %d",
                    CT__VT_MAX_LEVELS);
    if (r->depth == r->levels_cap) {
        uint32_t ncap = r->levels_cap ? r->levels_cap * 2 : 8;
        ct__vt_level **nl = ct__realloc(&r->alloc, r->levels,
                                        (size_t)r->levels_cap * sizeof *nl,
                                        (size_t)ncap * sizeof *nl);
        if (!nl)
            return fail(r, err, CT_ENOMEM, r->tok.offset, "out of memory");
        r->levels = nl;
        r->levels_cap = ncap;
    }
    if (r->depth == r->levels_alloc) {
        r->levels[r->levels_alloc] = ct__calloc(&r->alloc, 1, sizeof **r->levels);
        if (!r->levels[r->levels_alloc])
            return fail(r, err, CT_ENOMEM, r->tok.offset, "out of memory");
        r->levels_alloc++;
    }
    l = r->levels[r->depth++];
    l->state = L_VT_OBJ;
    l->frame_begun = false;
    l->has_code = false;
    l->code_len = 0;
    l->ops = 0;
    return CT_OK;
}

static void reset_op(ct__vt_op *op, uint64_t offset)
{
    op->offset = offset;
    op->has_pc = op->has_cost = op->has_ex_key = op->has_ex = op->has_sub = false;
    op->has_idx = op->has_mem = op->has_store = false;
    op->named_opcode = -1;
    op->push_len = 0;
    op->mem_len = 0;
    op->pc = op->cost = op->used = 0;
}

/* ---- ex ---------------------------------------------------------------------------------- */

static ct_status read_push(ct__vt_reader *r, ct__vt_op *op, ct_error *err)
{
    CT_TRY(next_tok(r, err));
    if (r->tok.type == CT__JSON_NULL)
        return CT_OK;
    if (r->tok.type != CT__JSON_ARRAY_BEGIN)
        return wrong_type(r, err, "ex.push", "an array");
    for (;;) {
        CT_TRY(next_tok(r, err));
        if (r->tok.type == CT__JSON_ARRAY_END)
            return CT_OK;
        if (op->push_len == CT__VT_MAX_PUSH)
            return fail(r, err, CT_EPARSE, r->tok.offset, "`ex.push` has more than %d items",
                        CT__VT_MAX_PUSH);
        if (r->tok.type != CT__JSON_STRING ||
            !ct__u256_from_hex(&op->push[op->push_len], r->tok.text, r->tok.len))
            return wrong_type(r, err, "ex.push[]", "a \"0x\" hex quantity of at most 256 bits");
        op->push_len++;
    }
}

static ct_status read_mem(ct__vt_reader *r, ct__vt_op *op, ct_error *err)
{
    bool has_off = false, has_data = false;
    CT_TRY(next_tok(r, err));
    if (r->tok.type == CT__JSON_NULL)
        return CT_OK;
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return wrong_type(r, err, "ex.mem", "an object or null");
    for (;;) {
        CT_TRY(next_tok(r, err));
        if (r->tok.type == CT__JSON_OBJECT_END)
            break;
        if (key_is(&r->tok, "off")) {
            CT_TRY(read_u64(r, "ex.mem.off", &op->mem_off, err));
            has_off = true;
        } else if (key_is(&r->tok, "data")) {
            CT_TRY(next_tok(r, err));
            CT_TRY(read_bytes_tok(r, "ex.mem.data", &op->mem_data, &op->mem_cap, &op->mem_len,
                                  err));
            has_data = true;
        } else {
            CT_TRY(skip_value(r, err));
        }
    }
    if (!has_off || !has_data)
        return fail(r, err, CT_EPARSE, r->tok.offset, "`ex.mem` needs `off` and `data`");
    op->has_mem = true;
    return CT_OK;
}

static ct_status read_store(ct__vt_reader *r, ct__vt_op *op, ct_error *err)
{
    bool has_key = false, has_val = false;
    CT_TRY(next_tok(r, err));
    if (r->tok.type == CT__JSON_NULL)
        return CT_OK;
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return wrong_type(r, err, "ex.store", "an object or null");
    for (;;) {
        CT_TRY(next_tok(r, err));
        if (r->tok.type == CT__JSON_OBJECT_END)
            break;
        if (key_is(&r->tok, "key")) {
            CT_TRY(read_word(r, "ex.store.key", &op->store_key, err));
            has_key = true;
        } else if (key_is(&r->tok, "val")) {
            CT_TRY(read_word(r, "ex.store.val", &op->store_val, err));
            has_val = true;
        } else {
            CT_TRY(skip_value(r, err));
        }
    }
    if (!has_key || !has_val)
        return fail(r, err, CT_EPARSE, r->tok.offset, "`ex.store` needs `key` and `val`");
    op->has_store = true;
    return CT_OK;
}

static ct_status read_ex(ct__vt_reader *r, ct__vt_op *op, ct_error *err)
{
    bool has_used = false;
    op->has_ex_key = true;
    CT_TRY(next_tok(r, err));
    if (r->tok.type == CT__JSON_NULL)
        return CT_OK;
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return wrong_type(r, err, "ex", "an object or null");
    for (;;) {
        CT_TRY(next_tok(r, err));
        if (r->tok.type == CT__JSON_OBJECT_END)
            break;
        if (key_is(&r->tok, "used")) {
            CT_TRY(read_u64(r, "ex.used", &op->used, err));
            has_used = true;
        } else if (key_is(&r->tok, "push")) {
            CT_TRY(read_push(r, op, err));
        } else if (key_is(&r->tok, "mem")) {
            CT_TRY(read_mem(r, op, err));
        } else if (key_is(&r->tok, "store")) {
            CT_TRY(read_store(r, op, err));
        } else {
            CT_TRY(skip_value(r, err));
        }
    }
    if (!has_used)
        return fail(r, err, CT_EPARSE, r->tok.offset, "`ex` has no `used`");
    op->has_ex = true;
    return CT_OK;
}

int ct__vt_opcode_of_name(const char *s, size_t n)
{
    static const char pre[] = "opcode 0x", post[] = " not defined";
    int b = ct__opcode_from_name(s, n);
    ct_u256 w;
    uint64_t v;
    if (b >= 0)
        return b;
    if (n == sizeof pre - 1 + 2 + sizeof post - 1 && !memcmp(s, pre, sizeof pre - 1) &&
        !memcmp(s + n - (sizeof post - 1), post, sizeof post - 1) &&
        ct__u256_from_hex(&w, s + sizeof pre - 3, 4) && ct__u256_to_u64(&w, &v))
        return (int)v;
    return -2;
}

/* ---- the vmTrace levels ------------------------------------------------------------------ */

static ct_status vt_key(ct__vt_reader *r, ct__vt_level *l, ct_error *err)
{
    if (key_is(&r->tok, "code")) {
        CT_TRY(next_tok(r, err));
        if (r->tok.type == CT__JSON_NULL)
            return CT_OK;
        CT_TRY(read_bytes_tok(r, "code", &l->code, &l->code_cap, &l->code_len, err));
        l->has_code = true;
        return CT_OK;
    }
    if (key_is(&r->tok, "ops")) {
        CT_TRY(next_tok(r, err));
        if (r->tok.type == CT__JSON_NULL)
            return CT_OK;
        if (r->tok.type != CT__JSON_ARRAY_BEGIN)
            return wrong_type(r, err, "ops", "an array");
        if (!l->frame_begun) {
            l->frame_begun = true;
            push_event(r, CT__VT_FRAME_BEGIN, r->depth - 1);
        }
        l->state = L_OPS;
        return CT_OK;
    }
    return skip_value(r, err);
}

static void end_frame(ct__vt_reader *r, ct__vt_level *l)
{
    uint32_t level = r->depth - 1;
    if (!l->frame_begun)
        push_event(r, CT__VT_FRAME_BEGIN, level);
    push_event(r, CT__VT_FRAME_END, level);
    r->depth--;
    if (r->depth == 0 && r->outer_len > 0 && r->outer[r->outer_len - 1].bare) {
        r->outer_len--;
        push_event(r, CT__VT_TX_END, 0);
    }
}

static ct_status op_sub(ct__vt_reader *r, ct__vt_level *l, ct_error *err)
{
    CT_TRY(next_tok(r, err));
    if (r->tok.type == CT__JSON_NULL)
        return CT_OK;
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return wrong_type(r, err, "sub", "an object or null");
    if (!l->op.has_pc || !l->op.has_cost || !l->op.has_ex_key)
        return fail(r, err, CT_EUNSUPPORTED, r->tok.offset,
                    "`sub` comes before the op's `pc`, `cost` or `ex`; this key order cannot be "
                    "replayed while streaming");
    l->op.has_sub = true;
    push_event(r, CT__VT_OP, r->depth - 1);
    return push_level(r, err);
}

static ct_status op_key(ct__vt_reader *r, ct__vt_level *l, ct_error *err)
{
    ct__vt_op *op = &l->op;
    if (key_is(&r->tok, "pc")) {
        op->has_pc = true;
        return read_u64(r, "pc", &op->pc, err);
    }
    if (key_is(&r->tok, "cost")) {
        op->has_cost = true;
        return read_u64(r, "cost", &op->cost, err);
    }
    if (key_is(&r->tok, "ex"))
        return read_ex(r, op, err);
    if (key_is(&r->tok, "sub"))
        return op_sub(r, l, err);
    if (key_is(&r->tok, "op")) {
        CT_TRY(next_tok(r, err));
        if (r->tok.type != CT__JSON_STRING)
            return wrong_type(r, err, "op", "a string");
        op->named_opcode = ct__vt_op_name(l, op, r->tok.text, r->tok.len);
        return CT_OK;
    }
    if (key_is(&r->tok, "idx"))
        op->has_idx = true;
    return skip_value(r, err);
}

static ct_status op_end(ct__vt_reader *r, ct__vt_level *l, ct_error *err)
{
    if (!l->op.has_pc || !l->op.has_cost)
        return fail(r, err, CT_EPARSE, l->op.offset, "op has no `%s`",
                    l->op.has_pc ? "cost" : "pc");
    push_event(r, l->op.has_sub ? CT__VT_OP_END : CT__VT_OP, r->depth - 1);
    l->state = L_OPS;
    return CT_OK;
}

static ct_status vt_token(ct__vt_reader *r, ct_error *err)
{
    ct__vt_level *l = r->levels[r->depth - 1];
    ct__json_tok t = r->tok.type;
    switch (l->state) {
    case L_VT_OBJ:
        if (t == CT__JSON_KEY)
            return vt_key(r, l, err);
        end_frame(r, l);   /* the tokenizer guarantees OBJECT_END here */
        return CT_OK;
    case L_OPS:
        if (t == CT__JSON_ARRAY_END) {
            l->state = L_VT_OBJ;
            return CT_OK;
        }
        if (t != CT__JSON_OBJECT_BEGIN)
            return wrong_type(r, err, "ops[]", "an object");
        l->ops++;
        reset_op(&l->op, r->tok.offset);
        l->state = L_OP;
        return CT_OK;
    default:
        if (t == CT__JSON_KEY)
            return op_key(r, l, err);
        return op_end(r, l, err);
    }
}

/* ---- the trace part (root entry only) ---------------------------------------------------- */

static ct_status copy_string(ct__vt_reader *r, const char *field, char *buf, size_t cap,
                             ct_error *err)
{
    long n;
    CT_TRY(next_tok(r, err));
    if (r->tok.type == CT__JSON_NULL) {
        buf[0] = '\0';
        return CT_OK;
    }
    if (r->tok.type != CT__JSON_STRING)
        return wrong_type(r, err, field, "a string");
    n = ct__json_unescape(&r->tok, buf, cap - 1);
    if (n < 0) {   /* too long: keep what fits, messages only */
        size_t m = r->tok.len < cap - 1 ? r->tok.len : cap - 1;
        memcpy(buf, r->tok.text, m);
        n = (long)m;
    }
    buf[n] = '\0';
    return CT_OK;
}

static ct_status trace_action(ct__vt_reader *r, ct__vt_tx *tx, ct_error *err)
{
    CT_TRY(next_tok(r, err));
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return ct__json_skip(r->json, &r->tok, err);
    for (;;) {
        CT_TRY(next_tok(r, err));
        if (r->tok.type == CT__JSON_OBJECT_END)
            return CT_OK;
        if (key_is(&r->tok, "from")) {
            CT_TRY(read_word(r, "trace[0].action.from", &tx->from, err));
        } else if (key_is(&r->tok, "to")) {
            CT_TRY(read_word(r, "trace[0].action.to", &tx->to, err));
            tx->has_to = true;
        } else if (key_is(&r->tok, "value")) {
            CT_TRY(read_word(r, "trace[0].action.value", &tx->value, err));
            tx->has_value = true;
        } else if (key_is(&r->tok, "gas")) {
            CT_TRY(read_u64(r, "trace[0].action.gas", &tx->gas, err));
            tx->has_gas = true;
        } else if (key_is(&r->tok, "input") || key_is(&r->tok, "init")) {
            CT_TRY(next_tok(r, err));
            CT_TRY(read_bytes_tok(r, "trace[0].action.input", &tx->input, &tx->input_cap,
                                  &tx->input_len, err));
            tx->has_input = true;
        } else if (key_is(&r->tok, "callType")) {
            CT_TRY(copy_string(r, "callType", tx->call_type, sizeof tx->call_type, err));
        } else {
            CT_TRY(skip_value(r, err));
        }
    }
}

static ct_status trace_result(ct__vt_reader *r, ct__vt_tx *tx, ct_error *err)
{
    CT_TRY(next_tok(r, err));
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return ct__json_skip(r->json, &r->tok, err);
    for (;;) {
        CT_TRY(next_tok(r, err));
        if (r->tok.type == CT__JSON_OBJECT_END)
            return CT_OK;
        if (key_is(&r->tok, "gasUsed")) {
            CT_TRY(read_u64(r, "trace[0].result.gasUsed", &tx->gas_used, err));
            tx->has_gas_used = true;
        } else if (key_is(&r->tok, "address")) {
            CT_TRY(read_word(r, "trace[0].result.address", &tx->created, err));
            tx->has_created = true;
        } else {
            CT_TRY(skip_value(r, err));
        }
    }
}

static ct_status trace_entry(ct__vt_reader *r, ct__vt_tx *tx, ct_error *err)
{
    char type[16];
    tx->has_trace = true;
    for (;;) {
        CT_TRY(next_tok(r, err));
        if (r->tok.type == CT__JSON_OBJECT_END)
            return CT_OK;
        if (key_is(&r->tok, "action")) {
            CT_TRY(trace_action(r, tx, err));
        } else if (key_is(&r->tok, "result")) {
            CT_TRY(trace_result(r, tx, err));
        } else if (key_is(&r->tok, "error")) {
            CT_TRY(copy_string(r, "trace[0].error", tx->error, sizeof tx->error, err));
            tx->has_error = tx->error[0] != '\0';
        } else if (key_is(&r->tok, "type")) {
            CT_TRY(copy_string(r, "trace[0].type", type, sizeof type, err));
            tx->root_create = strcmp(type, "create") == 0;
        } else {
            CT_TRY(skip_value(r, err));
        }
    }
}

static ct_status read_trace(ct__vt_reader *r, ct_error *err)
{
    bool first = true;
    CT_TRY(next_tok(r, err));
    if (r->tok.type != CT__JSON_ARRAY_BEGIN)
        return ct__json_skip(r->json, &r->tok, err);
    for (;;) {
        CT_TRY(next_tok(r, err));
        if (r->tok.type == CT__JSON_ARRAY_END)
            return CT_OK;
        if (first && r->tok.type == CT__JSON_OBJECT_BEGIN)
            CT_TRY(trace_entry(r, &r->tx, err));
        else
            CT_TRY(ct__json_skip(r->json, &r->tok, err));
        first = false;
    }
}

/* ---- the containers around transactions --------------------------------------------------- */

static void reset_tx(ct__vt_tx *tx)
{
    uint8_t *out = tx->output, *in = tx->input;
    size_t oc = tx->output_cap, ic = tx->input_cap;
    uint64_t index = tx->index;
    memset(tx, 0, sizeof *tx);
    tx->output = out;
    tx->output_cap = oc;
    tx->input = in;
    tx->input_cap = ic;
    tx->index = index;
}

static ct_status push_outer(ct__vt_reader *r, uint8_t kind, ct_error *err)
{
    if (r->outer_len == MAX_OUTER)
        return fail(r, err, CT_EPARSE, r->tok.offset,
                    "containers nested deeper than %d around the vmTrace", MAX_OUTER);
    r->outer[r->outer_len].kind = kind;
    r->outer[r->outer_len].is_tx = false;
    r->outer[r->outer_len].bare = false;
    r->outer_len++;
    if (kind == O_OBJ)
        reset_tx(&r->tx);
    return CT_OK;
}

bool ct__vt_saw_list(const ct__vt_reader *r)
{
    return r->saw_list;
}

uint64_t ct__vt_fast_ops(const ct__vt_reader *r)
{
    return r->fast_ops;
}

/* Called while the transaction's object is the innermost outer container. */
static void begin_tx(ct__vt_reader *r)
{
    r->tx.index = r->txs++;
    r->tx.in_list = r->outer_len >= 2 && r->outer[r->outer_len - 2].kind == O_ARR;
    push_event(r, CT__VT_TX_BEGIN, 0);
}

static ct_status rpc_error(ct__vt_reader *r, ct_error *err)
{
    char msg[200] = "";
    uint64_t off;
    CT_TRY(next_tok(r, err));
    off = r->tok.offset;
    if (r->tok.type == CT__JSON_OBJECT_BEGIN) {
        for (;;) {
            CT_TRY(next_tok(r, err));
            if (r->tok.type == CT__JSON_OBJECT_END)
                break;
            if (key_is(&r->tok, "message"))
                CT_TRY(copy_string(r, "error.message", msg, sizeof msg, err));
            else
                CT_TRY(skip_value(r, err));
        }
    } else if (r->tok.type == CT__JSON_NULL) {
        return CT_OK;
    } else {
        CT_TRY(ct__json_skip(r->json, &r->tok, err));
    }
    return fail(r, err, CT_EREPLAY, off, "the response is a JSON-RPC error: %s",
                msg[0] ? msg : "(no message)");
}

static ct_status vmtrace_value(ct__vt_reader *r, outer_ctx *o, ct_error *err)
{
    CT_TRY(next_tok(r, err));
    o->is_tx = true;
    if (r->tok.type == CT__JSON_NULL)
        return CT_OK;
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return wrong_type(r, err, "vmTrace", "an object or null");
    r->tx.has_vmtrace = true;
    begin_tx(r);
    return push_level(r, err);
}

/* A bare vmTrace: the object being read is the root frame itself. */
static ct_status bare_vmtrace(ct__vt_reader *r, outer_ctx *o, ct_error *err)
{
    if (o->is_tx || r->tx.has_vmtrace)
        return fail(r, err, CT_EPARSE, r->tok.offset,
                    "`code`/`ops` next to result fields: not a vmTrace");
    o->is_tx = o->bare = true;
    r->tx.has_vmtrace = r->tx.bare = true;
    begin_tx(r);
    CT_TRY(push_level(r, err));
    return vt_key(r, r->levels[0], err);
}

static ct_status outer_key(ct__vt_reader *r, outer_ctx *o, ct_error *err)
{
    if (key_is(&r->tok, "vmTrace"))
        return vmtrace_value(r, o, err);
    if (key_is(&r->tok, "code") || key_is(&r->tok, "ops"))
        return bare_vmtrace(r, o, err);
    if (key_is(&r->tok, "output")) {
        o->is_tx = true;
        CT_TRY(next_tok(r, err));
        if (r->tok.type == CT__JSON_NULL)
            return CT_OK;
        r->tx.has_output = true;
        return read_bytes_tok(r, "output", &r->tx.output, &r->tx.output_cap,
                              &r->tx.output_len, err);
    }
    if (key_is(&r->tok, "trace")) {
        o->is_tx = true;
        return read_trace(r, err);
    }
    if (key_is(&r->tok, "transactionHash") || key_is(&r->tok, "txHash")) {
        CT_TRY(copy_string(r, "transactionHash", r->tx.hash, sizeof r->tx.hash, err));
        r->tx.has_hash = r->tx.hash[0] != '\0';
        return CT_OK;
    }
    if (key_is(&r->tok, "stateDiff")) {
        o->is_tx = true;
        return skip_value(r, err);
    }
    if (key_is(&r->tok, "result") || key_is(&r->tok, "response")) {
        CT_TRY(next_tok(r, err));
        if (r->tok.type == CT__JSON_OBJECT_BEGIN)
            return push_outer(r, O_OBJ, err);
        if (r->tok.type == CT__JSON_ARRAY_BEGIN) {
            r->saw_list = true;
            return push_outer(r, O_ARR, err);
        }
        return ct__json_skip(r->json, &r->tok, err);
    }
    if (key_is(&r->tok, "error"))
        return rpc_error(r, err);
    return skip_value(r, err);
}

static ct_status outer_token(ct__vt_reader *r, ct_error *err)
{
    outer_ctx *o;
    ct__json_tok t = r->tok.type;
    if (r->outer_len == 0) {
        if (t == CT__JSON_EOF) {
            push_event(r, CT__VT_EOF, 0);
            return CT_OK;
        }
        if (r->started)
            return fail(r, err, CT_EPARSE, r->tok.offset, "data after the document");
        r->started = true;
        r->saw_list = t == CT__JSON_ARRAY_BEGIN;
        if (t == CT__JSON_OBJECT_BEGIN || t == CT__JSON_ARRAY_BEGIN)
            return push_outer(r, t == CT__JSON_OBJECT_BEGIN ? O_OBJ : O_ARR, err);
        return fail(r, err, CT_EPARSE, r->tok.offset,
                    "expected a JSON object or array (a vmTrace, trace result or JSON-RPC "
                    "response), found %s", tok_kind(t));
    }
    o = &r->outer[r->outer_len - 1];
    if (o->kind == O_ARR) {
        if (t == CT__JSON_ARRAY_END) {
            r->outer_len--;
            return CT_OK;
        }
        if (t == CT__JSON_OBJECT_BEGIN)
            return push_outer(r, O_OBJ, err);
        return fail(r, err, CT_EPARSE, r->tok.offset,
                    "expected an object in the result array, found %s", tok_kind(t));
    }
    if (t == CT__JSON_KEY)
        return outer_key(r, o, err);
    /* OBJECT_END of a candidate object */
    if (o->is_tx && !r->tx.has_vmtrace)
        begin_tx(r);
    if (o->is_tx)
        push_event(r, CT__VT_TX_END, 0);
    r->outer_len--;
    return CT_OK;
}

/* The next op of the current frame straight from the window, when it has the common shape. */
static bool fast_op(ct__vt_reader *r)
{
    ct__vt_level *l = r->levels[r->depth - 1];
    const unsigned char *b;
    size_t avail, n;
    uint64_t off;
    if (l->state != L_OPS || !ct__json_raw_value(r->json, 3, &b, &avail, &off) || *b != '{')
        return false;
    reset_op(&l->op, off);
    n = ct__vt_fast_op(b, avail, l, &l->op);
    if (n == 0)
        return false;
    l->ops++;
    r->fast_ops++;
    ct__json_raw_consume(r->json, n);
    push_event(r, CT__VT_OP, r->depth - 1);
    return true;
}

ct_status ct__vt_next(ct__vt_reader *r, ct__vt_event *ev, uint32_t *level, ct_error *err)
{
    while (r->q_len == 0) {
        if (r->depth > 0 && fast_op(r))
            break;
        CT_TRY(next_tok(r, err));
        if (r->depth > 0)
            CT_TRY(vt_token(r, err));
        else
            CT_TRY(outer_token(r, err));
    }
    *ev = r->q_ev[r->q_head];
    *level = r->q_level[r->q_head];
    r->q_head = (r->q_head + 1) % QUEUE;
    r->q_len--;
    return CT_OK;
}
