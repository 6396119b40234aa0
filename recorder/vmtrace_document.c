/*
 * The document around the vmTrace frames: a bare vmTrace, a result object, a JSON-RPC envelope
 * (or its error), arrays of results for blocks and trace_callMany, the erigontech/rpc-tests
 * fixture form, and the root entry of the `trace` part (address, input, value, error) with the
 * `output`. The frames themselves are vmtrace_reader.c's.
 */
#include "vmtrace_reader_impl.h"

#include "evm_word.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

/* ---- the trace part (root entry only) ---------------------------------------------------- */

static ct_status copy_string(ct__vt_reader *r, const char *field, char *buf, size_t cap,
                             ct_error *err)
{
    long n;
    CT_TRY(ct__vt_next_tok(r, err));
    if (r->tok.type == CT__JSON_NULL) {
        buf[0] = '\0';
        return CT_OK;
    }
    if (r->tok.type != CT__JSON_STRING)
        return ct__vt_wrong_type(r, err, field, "a string");
    n = ct__json_unescape(&r->tok, buf, cap - 1);
    if (n < 0) { /* too long: keep what fits, messages only */
        size_t m = r->tok.len < cap - 1 ? r->tok.len : cap - 1;
        memcpy(buf, r->tok.text, m);
        n = (long)m;
    }
    buf[n] = '\0';
    return CT_OK;
}

static ct_status trace_action(ct__vt_reader *r, ct__vt_tx *tx, ct_error *err)
{
    CT_TRY(ct__vt_next_tok(r, err));
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return ct__json_skip(r->json, &r->tok, err);
    for (;;) {
        CT_TRY(ct__vt_next_tok(r, err));
        if (r->tok.type == CT__JSON_OBJECT_END)
            return CT_OK;
        if (key_is(&r->tok, "from")) {
            CT_TRY(ct__vt_read_word(r, "trace[0].action.from", &tx->from, err));
        } else if (key_is(&r->tok, "to")) {
            CT_TRY(ct__vt_read_word(r, "trace[0].action.to", &tx->to, err));
            tx->has_to = true;
        } else if (key_is(&r->tok, "value")) {
            CT_TRY(ct__vt_read_word(r, "trace[0].action.value", &tx->value, err));
            tx->has_value = true;
        } else if (key_is(&r->tok, "gas")) {
            CT_TRY(ct__vt_read_u64(r, "trace[0].action.gas", &tx->gas, err));
            tx->has_gas = true;
        } else if (key_is(&r->tok, "input") || key_is(&r->tok, "init")) {
            CT_TRY(ct__vt_next_tok(r, err));
            CT_TRY(ct__vt_read_bytes_tok(r, "trace[0].action.input", &tx->input, &tx->input_cap,
                                         &tx->input_len, err));
            tx->has_input = true;
        } else if (key_is(&r->tok, "callType")) {
            CT_TRY(copy_string(r, "callType", tx->call_type, sizeof tx->call_type, err));
        } else {
            CT_TRY(ct__vt_skip_value(r, err));
        }
    }
}

static ct_status trace_result(ct__vt_reader *r, ct__vt_tx *tx, ct_error *err)
{
    CT_TRY(ct__vt_next_tok(r, err));
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return ct__json_skip(r->json, &r->tok, err);
    for (;;) {
        CT_TRY(ct__vt_next_tok(r, err));
        if (r->tok.type == CT__JSON_OBJECT_END)
            return CT_OK;
        if (key_is(&r->tok, "gasUsed")) {
            CT_TRY(ct__vt_read_u64(r, "trace[0].result.gasUsed", &tx->gas_used, err));
            tx->has_gas_used = true;
        } else if (key_is(&r->tok, "address")) {
            CT_TRY(ct__vt_read_word(r, "trace[0].result.address", &tx->created, err));
            tx->has_created = true;
        } else {
            CT_TRY(ct__vt_skip_value(r, err));
        }
    }
}

static ct_status trace_entry(ct__vt_reader *r, ct__vt_tx *tx, ct_error *err)
{
    char type[16];
    tx->has_trace = true;
    for (;;) {
        CT_TRY(ct__vt_next_tok(r, err));
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
            CT_TRY(ct__vt_skip_value(r, err));
        }
    }
}

static ct_status read_trace(ct__vt_reader *r, ct_error *err)
{
    bool first = true;
    CT_TRY(ct__vt_next_tok(r, err));
    if (r->tok.type != CT__JSON_ARRAY_BEGIN)
        return ct__json_skip(r->json, &r->tok, err);
    for (;;) {
        CT_TRY(ct__vt_next_tok(r, err));
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
        return ct__vt_fail(r, err, CT_EPARSE, r->tok.offset,
                           "containers nested deeper than %d around the vmTrace", MAX_OUTER);
    r->outer[r->outer_len].kind = kind;
    r->outer[r->outer_len].is_tx = false;
    r->outer[r->outer_len].bare = false;
    r->outer[r->outer_len].txs_at_open = r->txs;
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
    ct__vt_push_event(r, CT__VT_TX_BEGIN, 0);
}

static ct_status rpc_error(ct__vt_reader *r, ct_error *err)
{
    char msg[200] = "";
    uint64_t off;
    CT_TRY(ct__vt_next_tok(r, err));
    off = r->tok.offset;
    if (r->tok.type == CT__JSON_OBJECT_BEGIN) {
        for (;;) {
            CT_TRY(ct__vt_next_tok(r, err));
            if (r->tok.type == CT__JSON_OBJECT_END)
                break;
            if (key_is(&r->tok, "message"))
                CT_TRY(copy_string(r, "error.message", msg, sizeof msg, err));
            else
                CT_TRY(ct__vt_skip_value(r, err));
        }
    } else if (r->tok.type == CT__JSON_NULL) {
        return CT_OK;
    } else {
        CT_TRY(ct__json_skip(r->json, &r->tok, err));
    }
    return ct__vt_fail(r, err, CT_EREPLAY, off, "the response is a JSON-RPC error: %s",
                       msg[0] ? msg : "(no message)");
}

static ct_status vmtrace_value(ct__vt_reader *r, outer_ctx *o, ct_error *err)
{
    CT_TRY(ct__vt_next_tok(r, err));
    o->is_tx = true;
    if (r->tok.type == CT__JSON_NULL)
        return CT_OK;
    if (r->tok.type != CT__JSON_OBJECT_BEGIN)
        return ct__vt_wrong_type(r, err, "vmTrace", "an object or null");
    r->tx.has_vmtrace = true;
    begin_tx(r);
    return ct__vt_push_level(r, err);
}

/* A bare vmTrace: the object being read is the root frame itself. */
static ct_status bare_vmtrace(ct__vt_reader *r, outer_ctx *o, ct_error *err)
{
    if (o->is_tx || r->tx.has_vmtrace)
        return ct__vt_fail(r, err, CT_EPARSE, r->tok.offset,
                           "`code`/`ops` next to result fields: not a vmTrace");
    o->is_tx = o->bare = true;
    r->tx.has_vmtrace = r->tx.bare = true;
    begin_tx(r);
    CT_TRY(ct__vt_push_level(r, err));
    return ct__vt_frame_key(r, r->levels[0], err);
}

static ct_status outer_key(ct__vt_reader *r, outer_ctx *o, ct_error *err)
{
    if (key_is(&r->tok, "vmTrace"))
        return vmtrace_value(r, o, err);
    if (key_is(&r->tok, "code") || key_is(&r->tok, "ops"))
        return bare_vmtrace(r, o, err);
    if (key_is(&r->tok, "output")) {
        o->is_tx = true;
        CT_TRY(ct__vt_next_tok(r, err));
        if (r->tok.type == CT__JSON_NULL)
            return CT_OK;
        r->tx.has_output = true;
        return ct__vt_read_bytes_tok(r, "output", &r->tx.output, &r->tx.output_cap,
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
        return ct__vt_skip_value(r, err);
    }
    if (key_is(&r->tok, "result") || key_is(&r->tok, "response")) {
        CT_TRY(ct__vt_next_tok(r, err));
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
    return ct__vt_skip_value(r, err);
}

ct_status ct__vt_outer_token(ct__vt_reader *r, ct_error *err)
{
    outer_ctx *o;
    ct__json_tok t = r->tok.type;
    if (r->outer_len == 0) {
        if (t == CT__JSON_EOF) {
            ct__vt_push_event(r, CT__VT_EOF, 0);
            return CT_OK;
        }
        if (r->started)
            return ct__vt_fail(r, err, CT_EPARSE, r->tok.offset, "data after the document");
        r->started = true;
        r->saw_list = t == CT__JSON_ARRAY_BEGIN;
        if (t == CT__JSON_OBJECT_BEGIN || t == CT__JSON_ARRAY_BEGIN)
            return push_outer(r, t == CT__JSON_OBJECT_BEGIN ? O_OBJ : O_ARR, err);
        return ct__vt_fail(r, err, CT_EPARSE, r->tok.offset,
                           "expected a JSON object or array (a vmTrace, trace result or JSON-RPC "
                           "response), found %s",
                           ct__vt_tok_kind(t));
    }
    o = &r->outer[r->outer_len - 1];
    if (o->kind == O_ARR) {
        if (t == CT__JSON_ARRAY_END) {
            r->outer_len--;
            return CT_OK;
        }
        if (t == CT__JSON_OBJECT_BEGIN)
            return push_outer(r, O_OBJ, err);
        return ct__vt_fail(r, err, CT_EPARSE, r->tok.offset,
                           "expected an object in the result array, found %s", ct__vt_tok_kind(t));
    }
    if (t == CT__JSON_KEY)
        return outer_key(r, o, err);
    /* OBJECT_END of a candidate object; an entry of a block that holds no transaction would
     * otherwise vanish from the output without a word */
    if (!o->is_tx && r->txs == o->txs_at_open && r->outer_len >= 2 &&
        r->outer[r->outer_len - 2].kind == O_ARR)
        return ct__vt_fail(r, err, CT_EPARSE, r->tok.offset,
                           "an entry of the result array holds no transaction result (no "
                           "vmTrace, trace or output)");
    if (o->is_tx && !r->tx.has_vmtrace)
        begin_tx(r);
    if (o->is_tx)
        ct__vt_push_event(r, CT__VT_TX_END, 0);
    r->outer_len--;
    return CT_OK;
}
