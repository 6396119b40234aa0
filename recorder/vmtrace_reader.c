/*
 * The vmTrace walker. Two explicit stacks replace recursion so that the walk can stop after
 * every event: `outer` for the containers around the transactions (arrays, envelopes, fixture
 * entries, result objects) and `levels` for the nested vmTrace frames. Small values (an op's
 * `ex`, the root entry of `trace`) are read synchronously; nothing else is buffered.
 */
#include "vmtrace_reader_impl.h"

#include "evm_word.h"
#include "opcodes.h"
#include "util/alloc.h"
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- errors ------------------------------------------------------------------------------ */

void ct__vt_path(const ct__vt_reader *r, uint32_t levels, char *buf, size_t cap)
{
    size_t used = 0;
    uint32_t i;
    buf[0] = '\0';
    for (i = 0; i < levels && i < r->levels_alloc && used + 24 < cap; i++) {
        uint64_t n = r->levels[i]->ops ? r->levels[i]->ops - 1 : 0;
        used +=
            (size_t)snprintf(buf + used, cap - used, i ? "-%llu" : "%llu", (unsigned long long)n);
    }
}

ct_status ct__vt_fail(ct__vt_reader *r, ct_error *err, ct_status code, uint64_t off,
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

void ct__vt_push_event(ct__vt_reader *r, ct__vt_event ev, uint32_t level)
{
    unsigned i = (r->q_head + r->q_len) % QUEUE;
    r->q_ev[i] = ev;
    r->q_level[i] = level;
    r->q_len++;
}

ct_status ct__vt_next_tok(ct__vt_reader *r, ct_error *err)
{
    return ct__json_next(r->json, &r->tok, err);
}

ct_status ct__vt_skip_value(ct__vt_reader *r, ct_error *err)
{
    CT_TRY(ct__vt_next_tok(r, err));
    return ct__json_skip(r->json, &r->tok, err);
}

const char *ct__vt_tok_kind(ct__json_tok t)
{
    switch (t) {
    case CT__JSON_OBJECT_BEGIN:
        return "an object";
    case CT__JSON_ARRAY_BEGIN:
        return "an array";
    case CT__JSON_STRING:
        return "a string";
    case CT__JSON_NUMBER:
        return "a number";
    case CT__JSON_TRUE:
    case CT__JSON_FALSE:
        return "a boolean";
    case CT__JSON_NULL:
        return "null";
    default:
        return "the end of a container";
    }
}

ct_status ct__vt_wrong_type(ct__vt_reader *r, ct_error *err, const char *field, const char *want)
{
    return ct__vt_fail(r, err, CT_EPARSE, r->tok.offset, "`%s` must be %s, found %s", field, want,
                       ct__vt_tok_kind(r->tok.type));
}

/* A non-negative integer field (JSON number, or a "0x" quantity that fits in 64 bits). */
ct_status ct__vt_read_u64(ct__vt_reader *r, const char *field, uint64_t *out, ct_error *err)
{
    ct_u256 w;
    CT_TRY(ct__vt_next_tok(r, err));
    if (r->tok.type == CT__JSON_NUMBER && ct__parse_u64(r->tok.text, r->tok.len, out))
        return CT_OK;
    if (r->tok.type == CT__JSON_STRING && ct__u256_from_hex(&w, r->tok.text, r->tok.len) &&
        ct__u256_to_u64(&w, out))
        return CT_OK;
    return ct__vt_wrong_type(r, err, field, "a non-negative 64-bit integer");
}

ct_status ct__vt_read_word(ct__vt_reader *r, const char *field, ct_u256 *out, ct_error *err)
{
    CT_TRY(ct__vt_next_tok(r, err));
    if (r->tok.type == CT__JSON_STRING && ct__u256_from_hex(out, r->tok.text, r->tok.len))
        return CT_OK;
    if (r->tok.type == CT__JSON_NUMBER) {
        uint64_t v;
        if (ct__parse_u64(r->tok.text, r->tok.len, &v)) {
            ct__u256_from_u64(out, v);
            return CT_OK;
        }
    }
    return ct__vt_wrong_type(r, err, field, "a \"0x\" hex quantity of at most 256 bits");
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
        return ct__vt_fail(r, err, CT_ENOMEM, r->tok.offset, "out of memory (%zu bytes)", need);
    *buf = nb;
    *cap = ncap;
    return CT_OK;
}

/* The current STRING token's hex bytes into a growable buffer. */
ct_status ct__vt_read_bytes_tok(ct__vt_reader *r, const char *field, uint8_t **buf, size_t *cap,
                                size_t *len, ct_error *err)
{
    size_t n =
        r->tok.type == CT__JSON_STRING ? ct__hex_decoded_len(r->tok.text, r->tok.len) : SIZE_MAX;
    if (n == SIZE_MAX || r->tok.escaped)
        return ct__vt_wrong_type(r, err, field, "a \"0x\" hex byte string");
    CT_TRY(grow_bytes(r, buf, cap, n ? n : 1, err));
    if (!ct__hex_decode(*buf, *cap, len, r->tok.text, r->tok.len))
        return ct__vt_fail(r, err, CT_EPARSE, r->tok.offset, "`%s` is not valid hex", field);
    return CT_OK;
}

/* ---- levels ------------------------------------------------------------------------------ */

ct_status ct__vt_push_level(ct__vt_reader *r, ct_error *err)
{
    ct__vt_level *l;
    if (r->depth >= CT__VT_MAX_LEVELS)
        return ct__vt_fail(r, err, CT_EPARSE, r->tok.offset, "call frames nested deeper than %d",
                           CT__VT_MAX_LEVELS);
    if (r->depth == r->levels_cap) {
        uint32_t ncap = r->levels_cap ? r->levels_cap * 2 : 8;
        ct__vt_level **nl = ct__realloc(&r->alloc, r->levels, (size_t)r->levels_cap * sizeof *nl,
                                        (size_t)ncap * sizeof *nl);
        if (!nl)
            return ct__vt_fail(r, err, CT_ENOMEM, r->tok.offset, "out of memory");
        r->levels = nl;
        r->levels_cap = ncap;
    }
    if (r->depth == r->levels_alloc) {
        r->levels[r->levels_alloc] = ct__calloc(&r->alloc, 1, sizeof **r->levels);
        if (!r->levels[r->levels_alloc])
            return ct__vt_fail(r, err, CT_ENOMEM, r->tok.offset, "out of memory");
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

void ct__vt_reset_op(ct__vt_op *op, uint64_t offset)
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
    CT_TRY(ct__vt_next_tok(r, err));
    if (r->tok.type == CT__JSON_NULL)
        return CT_OK;
    if (r->tok.type != CT__JSON_ARRAY_BEGIN)
        return ct__vt_wrong_type(r, err, "ex.push", "an array");
    for (;;) {
        CT_TRY(ct__vt_next_tok(r, err));
        if (r->tok.type == CT__JSON_ARRAY_END)
            return CT_OK;
        if (op->push_len == CT__VT_MAX_PUSH)
            return ct__vt_fail(r, err, CT_EPARSE, r->tok.offset, "`ex.push` has more than %d items",
                               CT__VT_MAX_PUSH);
        if (r->tok.type != CT__JSON_STRING ||
            !ct__u256_from_hex(&op->push[op->push_len], r->tok.text, r->tok.len))
            return ct__vt_wrong_type(r, err, "ex.push[]",
                                     "a \"0x\" hex quantity of at most 256 bits");
        op->push_len++;
    }
}

static ct_status read_mem(ct__vt_reader *r, ct__vt_op *op, ct_error *err)
{
    bool has_off = false, has_data = false;
    CT_TRY(ct__vt_next_tok(r, err));
    if (r->tok.type == CT__JSON_NULL)
        return CT_OK;
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return ct__vt_wrong_type(r, err, "ex.mem", "an object or null");
    for (;;) {
        CT_TRY(ct__vt_next_tok(r, err));
        if (r->tok.type == CT__JSON_OBJECT_END)
            break;
        if (key_is(&r->tok, "off")) {
            CT_TRY(ct__vt_read_u64(r, "ex.mem.off", &op->mem_off, err));
            has_off = true;
        } else if (key_is(&r->tok, "data")) {
            CT_TRY(ct__vt_next_tok(r, err));
            CT_TRY(ct__vt_read_bytes_tok(r, "ex.mem.data", &op->mem_data, &op->mem_cap,
                                         &op->mem_len, err));
            has_data = true;
        } else {
            CT_TRY(ct__vt_skip_value(r, err));
        }
    }
    if (!has_off || !has_data)
        return ct__vt_fail(r, err, CT_EPARSE, r->tok.offset, "`ex.mem` needs `off` and `data`");
    op->has_mem = true;
    return CT_OK;
}

static ct_status read_store(ct__vt_reader *r, ct__vt_op *op, ct_error *err)
{
    bool has_key = false, has_val = false;
    CT_TRY(ct__vt_next_tok(r, err));
    if (r->tok.type == CT__JSON_NULL)
        return CT_OK;
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return ct__vt_wrong_type(r, err, "ex.store", "an object or null");
    for (;;) {
        CT_TRY(ct__vt_next_tok(r, err));
        if (r->tok.type == CT__JSON_OBJECT_END)
            break;
        if (key_is(&r->tok, "key")) {
            CT_TRY(ct__vt_read_word(r, "ex.store.key", &op->store_key, err));
            has_key = true;
        } else if (key_is(&r->tok, "val")) {
            CT_TRY(ct__vt_read_word(r, "ex.store.val", &op->store_val, err));
            has_val = true;
        } else {
            CT_TRY(ct__vt_skip_value(r, err));
        }
    }
    if (!has_key || !has_val)
        return ct__vt_fail(r, err, CT_EPARSE, r->tok.offset, "`ex.store` needs `key` and `val`");
    op->has_store = true;
    return CT_OK;
}

static ct_status read_ex(ct__vt_reader *r, ct__vt_op *op, ct_error *err)
{
    bool has_used = false;
    op->has_ex_key = true;
    CT_TRY(ct__vt_next_tok(r, err));
    if (r->tok.type == CT__JSON_NULL)
        return CT_OK;
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return ct__vt_wrong_type(r, err, "ex", "an object or null");
    for (;;) {
        CT_TRY(ct__vt_next_tok(r, err));
        if (r->tok.type == CT__JSON_OBJECT_END)
            break;
        if (key_is(&r->tok, "used")) {
            CT_TRY(ct__vt_read_u64(r, "ex.used", &op->used, err));
            has_used = true;
        } else if (key_is(&r->tok, "push")) {
            CT_TRY(read_push(r, op, err));
        } else if (key_is(&r->tok, "mem")) {
            CT_TRY(read_mem(r, op, err));
        } else if (key_is(&r->tok, "store")) {
            CT_TRY(read_store(r, op, err));
        } else {
            CT_TRY(ct__vt_skip_value(r, err));
        }
    }
    if (!has_used)
        return ct__vt_fail(r, err, CT_EPARSE, r->tok.offset, "`ex` has no `used`");
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

ct_status ct__vt_frame_key(ct__vt_reader *r, ct__vt_level *l, ct_error *err)
{
    if (key_is(&r->tok, "code")) {
        CT_TRY(ct__vt_next_tok(r, err));
        if (r->tok.type == CT__JSON_NULL)
            return CT_OK;
        CT_TRY(ct__vt_read_bytes_tok(r, "code", &l->code, &l->code_cap, &l->code_len, err));
        l->has_code = true;
        return CT_OK;
    }
    if (key_is(&r->tok, "ops")) {
        CT_TRY(ct__vt_next_tok(r, err));
        if (r->tok.type == CT__JSON_NULL)
            return CT_OK;
        if (r->tok.type != CT__JSON_ARRAY_BEGIN)
            return ct__vt_wrong_type(r, err, "ops", "an array");
        if (!l->frame_begun) {
            l->frame_begun = true;
            ct__vt_push_event(r, CT__VT_FRAME_BEGIN, r->depth - 1);
        }
        l->state = L_OPS;
        return CT_OK;
    }
    return ct__vt_skip_value(r, err);
}

static void end_frame(ct__vt_reader *r, ct__vt_level *l)
{
    uint32_t level = r->depth - 1;
    if (!l->frame_begun)
        ct__vt_push_event(r, CT__VT_FRAME_BEGIN, level);
    ct__vt_push_event(r, CT__VT_FRAME_END, level);
    r->depth--;
    if (r->depth == 0 && r->outer_len > 0 && r->outer[r->outer_len - 1].bare) {
        r->outer_len--;
        ct__vt_push_event(r, CT__VT_TX_END, 0);
    }
}

static ct_status op_sub(ct__vt_reader *r, ct__vt_level *l, ct_error *err)
{
    CT_TRY(ct__vt_next_tok(r, err));
    if (r->tok.type == CT__JSON_NULL)
        return CT_OK;
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return ct__vt_wrong_type(r, err, "sub", "an object or null");
    if (!l->op.has_pc || !l->op.has_cost || !l->op.has_ex_key)
        return ct__vt_fail(
            r, err, CT_EUNSUPPORTED, r->tok.offset,
            "`sub` comes before the op's `pc`, `cost` or `ex`; this key order cannot be "
            "replayed while streaming");
    l->op.has_sub = true;
    ct__vt_push_event(r, CT__VT_OP, r->depth - 1);
    return ct__vt_push_level(r, err);
}

static ct_status op_key(ct__vt_reader *r, ct__vt_level *l, ct_error *err)
{
    ct__vt_op *op = &l->op;
    if (key_is(&r->tok, "pc")) {
        op->has_pc = true;
        return ct__vt_read_u64(r, "pc", &op->pc, err);
    }
    if (key_is(&r->tok, "cost")) {
        op->has_cost = true;
        return ct__vt_read_u64(r, "cost", &op->cost, err);
    }
    if (key_is(&r->tok, "ex"))
        return read_ex(r, op, err);
    if (key_is(&r->tok, "sub"))
        return op_sub(r, l, err);
    if (key_is(&r->tok, "op")) {
        CT_TRY(ct__vt_next_tok(r, err));
        if (r->tok.type != CT__JSON_STRING)
            return ct__vt_wrong_type(r, err, "op", "a string");
        op->named_opcode = ct__vt_op_name(l, op, r->tok.text, r->tok.len);
        return CT_OK;
    }
    if (key_is(&r->tok, "idx"))
        op->has_idx = true;
    return ct__vt_skip_value(r, err);
}

static ct_status op_end(ct__vt_reader *r, ct__vt_level *l, ct_error *err)
{
    if (!l->op.has_pc || !l->op.has_cost)
        return ct__vt_fail(r, err, CT_EPARSE, l->op.offset, "op has no `%s`",
                           l->op.has_pc ? "cost" : "pc");
    ct__vt_push_event(r, l->op.has_sub ? CT__VT_OP_END : CT__VT_OP, r->depth - 1);
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
            return ct__vt_frame_key(r, l, err);
        end_frame(r, l); /* the tokenizer guarantees OBJECT_END here */
        return CT_OK;
    case L_OPS:
        if (t == CT__JSON_ARRAY_END) {
            l->state = L_VT_OBJ;
            return CT_OK;
        }
        if (t != CT__JSON_OBJECT_BEGIN)
            return ct__vt_wrong_type(r, err, "ops[]", "an object");
        l->ops++;
        ct__vt_reset_op(&l->op, r->tok.offset);
        l->state = L_OP;
        return CT_OK;
    default:
        if (t == CT__JSON_KEY)
            return op_key(r, l, err);
        return op_end(r, l, err);
    }
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
    ct__vt_reset_op(&l->op, off);
    n = ct__vt_fast_op(b, avail, l, &l->op);
    if (n == 0)
        return false;
    l->ops++;
    r->fast_ops++;
    ct__json_raw_consume(r->json, n);
    ct__vt_push_event(r, CT__VT_OP, r->depth - 1);
    return true;
}

ct_status ct__vt_next(ct__vt_reader *r, ct__vt_event *ev, uint32_t *level, ct_error *err)
{
    while (r->q_len == 0) {
        if (r->depth > 0 && fast_op(r))
            break;
        CT_TRY(ct__vt_next_tok(r, err));
        if (r->depth > 0)
            CT_TRY(vt_token(r, err));
        else
            CT_TRY(ct__vt_outer_token(r, err));
    }
    *ev = r->q_ev[r->q_head];
    *level = r->q_level[r->q_head];
    r->q_head = (r->q_head + 1) % QUEUE;
    r->q_len--;
    return CT_OK;
}
