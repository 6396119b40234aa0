/*
 * The replay iterator: pulls reader events and turns them into steps. An op without a sub is
 * yielded first and applied at the next call (so the step shows the state before it); an op
 * with a sub is applied when its frame has ended (OP_END). A CREATE step looks two events
 * ahead to learn the gas its child frame started with, because Geth's gasCost excludes it.
 */
#include "replay_internal.h"

#include "evm_word.h"
#include "opcodes.h"
#include "precompile.h"
#include "util/alloc.h"
#include "util/input.h"

#include <string.h>

void ct_replay_options_init(ct_replay_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = CT_REPLAY_OPTIONS_VERSION;
    opts->dialect = CT_DIALECT_AUTO;
    opts->max_memory = (uint64_t)64 << 20;
}

/* Before anything reads past `version`: options of another version may be smaller than ours. */
static ct_status check_options(const ct_replay_options *opts, ct_error *err)
{
    if (!opts)
        return CT_OK;
    if (opts->version != CT_REPLAY_OPTIONS_VERSION)
        return ct__error_set(err, CT_EINVAL, "replay: options.version is %u, expected %u (call "
                             "ct_replay_options_init)", opts->version, CT_REPLAY_OPTIONS_VERSION);
    if ((unsigned)opts->dialect > CT_DIALECT_RETH)
        return ct__error_set(err, CT_EINVAL, "replay: unknown dialect %d", (int)opts->dialect);
    return CT_OK;
}

static ct_status replay_new(ct_replay **out, ct__input *in, const char *name,
                            const ct_replay_options *opts, ct_error *err)
{
    ct_allocator al = ct__allocator_or_default(opts ? opts->allocator : NULL);
    ct_replay *r = ct__calloc(&al, 1, sizeof *r);
    ct_status rc;
    if (!r) {
        /* `name` may belong to `in`: format before freeing it. */
        rc = ct__error_set(err, CT_ENOMEM, "%s: out of memory", name);
        ct__input_free(in);
        return rc;
    }
    r->alloc = al;
    r->in = in;
    if (opts)
        r->opts = *opts;
    else
        ct_replay_options_init(&r->opts);
    if (r->opts.max_memory == 0)
        r->opts.max_memory = (uint64_t)64 << 20;
    r->opts.allocator = NULL;
    r->opts.input_name = NULL;
    r->name = ct__strdup(&r->alloc, name);
    if (!r->name) {
        rc = ct__error_set(err, CT_ENOMEM, "%s: out of memory", name);
        ct_replay_free(r);
        return rc;
    }
    rc = ct__vt_reader_new(&r->reader, in, r->name, &r->alloc, err);
    if (rc < 0) {
        ct_replay_free(r);
        return rc;
    }
    *out = r;
    return CT_OK;
}

ct_status ct_replay_open_file(ct_replay **out, const char *path, const ct_replay_options *opts,
                              ct_error *err)
{
    ct__input *in = NULL;
    const char *name;
    if (!out)
        return ct__error_set(err, CT_EINVAL, "replay: out is NULL");
    *out = NULL;
    if (!path || !*path)
        return ct__error_set(err, CT_EINVAL, "replay: no input path");
    CT_TRY(check_options(opts, err));
    CT_TRY(ct__input_open_file(&in, path, opts ? opts->allocator : NULL, err));
    name = opts && opts->input_name ? opts->input_name : ct__input_name(in);
    return replay_new(out, in, name, opts, err);
}

ct_status ct_replay_open_memory(ct_replay **out, const void *data, size_t len,
                                const ct_replay_options *opts, ct_error *err)
{
    ct__input *in = NULL;
    if (!out)
        return ct__error_set(err, CT_EINVAL, "replay: out is NULL");
    *out = NULL;
    if (!data && len)
        return ct__error_set(err, CT_EINVAL, "replay: no input");
    CT_TRY(check_options(opts, err));
    CT_TRY(ct__input_open_memory(&in, data, len, opts ? opts->allocator : NULL, err));
    return replay_new(out, in, opts && opts->input_name ? opts->input_name : "<memory>", opts,
                      err);
}

void ct_replay_free(ct_replay *r)
{
    if (!r)
        return;
    ct__frames_free(r);
    ct__storage_free(&r->storage, &r->alloc);
    ct__replay_warnings_free(r);
    ct__vt_reader_free(r->reader);
    ct__input_free(r->in);
    if (r->name)
        ct__free(&r->alloc, r->name, strlen(r->name) + 1);
    ct__free(&r->alloc, r, sizeof *r);
}

const ct_error *ct_replay_error(const ct_replay *r)
{
    return r ? &r->err : NULL;
}

bool ct_replay_input_is_list(const ct_replay *r)
{
    if (!r)
        return false;
    return r->txs_seen ? r->first_in_list : ct__vt_saw_list(r->reader);
}

/* ---- transactions ------------------------------------------------------------------------ */

static void refresh_tx(ct_replay *r)
{
    const ct__vt_tx *t = ct__vt_tx_info(r->reader);
    ct_evm_tx *tx = &r->tx;
    tx->index = t->index;
    tx->hash = t->has_hash ? t->hash : NULL;
    tx->dialect = r->dialect_known ? r->dialect : r->opts.dialect;
    tx->has_vmtrace = t->has_vmtrace;
    tx->output = t->output;
    tx->output_len = t->has_output ? t->output_len : 0;
    tx->output_known = t->has_output;
    tx->error = t->has_error ? t->error : NULL;
    tx->in_list = t->in_list;
    tx->is_create = t->root_create;
    tx->input = t->has_input ? t->input : NULL;
    tx->input_len = t->has_input ? t->input_len : 0;
    tx->input_known = t->has_input;
}

static void start_tx(ct_replay *r)
{
    ct__storage_reset(&r->storage);
    memset(&r->tx, 0, sizeof r->tx);
    r->depth = 0;
    r->la_len = r->la_head = 0;
    r->pending_apply = r->pending_frame_end = false;
    r->root_first_gas_known = r->root_last_used_known = false;
    r->root_ret_known = r->root_seen = false;
    refresh_tx(r);
}

static void finish_gas(ct_replay *r, const ct__vt_tx *t)
{
    ct_evm_tx *tx = &r->tx;
    tx->exec_gas_limit_known = t->has_gas || r->root_first_gas_known;
    tx->exec_gas_limit = t->has_gas ? t->gas : r->root_first_gas;
    if (t->has_gas_used) {
        tx->exec_gas_used = t->gas_used;
        tx->exec_gas_used_known = true;
    } else if (tx->failed && !tx->reverted) {
        tx->exec_gas_used = tx->exec_gas_limit;   /* a failure consumes all gas */
        tx->exec_gas_used_known = tx->exec_gas_limit_known;
    } else if (r->root_first_gas_known && r->root_last_used_known) {
        tx->exec_gas_used = r->root_first_gas - r->root_last_used;
        tx->exec_gas_used_known = r->root_first_gas >= r->root_last_used;
    } else if (!r->root_seen || r->frames[0]->ops == 0) {
        tx->exec_gas_used = 0;    /* no code ran */
        tx->exec_gas_used_known = true;
    }
}

static void finish_tx(ct_replay *r)
{
    const ct__vt_tx *t = ct__vt_tx_info(r->reader);
    ct__frame *root = r->root_seen ? r->frames[0] : NULL;
    ct_evm_tx *tx = &r->tx;
    refresh_tx(r);
    tx->reverted = (root && root->reverted) ||
                   (t->has_error && (!strcmp(t->error, "Reverted") ||
                                     !strcmp(t->error, "execution reverted")));
    tx->failed = t->has_error || (root && root->failed);
    if (!tx->output_known && r->root_ret_known) {
        tx->output = root->ret;
        tx->output_len = root->ret_len;
        tx->output_known = true;
    }
    finish_gas(r, t);
}

static ct_status fetch(ct_replay *r, ct__vt_event *ev, uint32_t *level)
{
    if (r->la_len) {
        *ev = r->la_ev[r->la_head];
        *level = r->la_level[r->la_head];
        r->la_head++;
        r->la_len--;
        return CT_OK;
    }
    return ct__vt_next(r->reader, ev, level, &r->err);
}

ct_status ct_replay_next_tx(const ct_evm_tx **out, ct_replay *r)
{
    const ct_evm_step *s;
    ct__vt_event ev;
    uint32_t level;
    ct_status rc;
    if (!r)
        return CT_EINVAL;
    if (!out)   /* refused without changing the replay's state */
        return ct__error_set(&r->err, CT_EINVAL, "%s: ct_replay_next_tx: out is NULL", r->name);
    if (r->phase == CT__PHASE_FAILED)
        return r->err.code;
    if (r->phase == CT__PHASE_EOF)
        return CT_DONE;
    while (r->phase == CT__PHASE_TX) {
        rc = ct_replay_next(&s, r);
        if (rc < 0)
            return rc;
    }
    rc = fetch(r, &ev, &level);
    if (rc < 0) {
        r->phase = CT__PHASE_FAILED;
        return rc;
    }
    if (ev == CT__VT_EOF) {
        r->phase = CT__PHASE_EOF;
        return CT_DONE;
    }
    start_tx(r);
    if (r->txs_seen++ == 0)
        r->first_in_list = r->tx.in_list;
    r->phase = CT__PHASE_TX;
    *out = &r->tx;
    return CT_OK;
}

/* ---- steps ------------------------------------------------------------------------------- */

/* A call to a precompile has an empty frame: its output comes from the caller's side. */
static ct_status precompile_return(ct_replay *r, uint32_t level, const ct__frame *f)
{
    ct__frame *p = r->frames[level - 1];
    const ct__vt_op *call = &ct__vt_level_at(r->reader, level - 1)->op;
    const uint8_t *data;
    size_t len;
    if (ct__precompile_output(p->cur_opcode, p->stack, p->stack_len, call, &f->pub,
                              p->mem.data, p->mem.len, &data, &len))
        return ct__frame_set_ret(r, p, data, len);
    p->ret_known = p->ret_size_known = false;
    ct__replay_warn(r, CT__W_RETURNDATA, level - 1,
                    "the output of this precompile call is not in the vmTrace: return data "
                    "unknown until the next call, a RETURNDATASIZE of 0 or a RETURNDATACOPY "
                    "of all of it");
    return CT_OK;
}

static ct_status end_frame(ct_replay *r, uint32_t level)
{
    ct__frame *f;
    if (level + 1 != r->depth)
        return ct__replay_fail(r, CT_EREPLAY, level, "internal: frame end order");
    f = r->frames[level];
    if (level > 0 && f->ops == 0 && f->pub.code_len == 0 && f->pub.kind != CT_FRAME_SELFDESTRUCT &&
        f->pub.kind != CT_FRAME_CREATE && f->pub.kind != CT_FRAME_CREATE2 &&
        ct__is_precompile(&f->pub.code_address))
        CT_TRY(precompile_return(r, level, f));
    r->depth = level;
    return CT_OK;
}

/* Geth's CREATE gasCost excludes the gas handed to the init code, which the vmTrace `cost`
 * includes: subtract the child frame's starting gas, read ahead from its first op. */
static ct_status create_gas(ct_replay *r, uint32_t level)
{
    ct__vt_event e1, e2;
    uint32_t l1, l2;
    const ct__vt_op *c;
    uint64_t g;
    CT_TRY(ct__vt_next(r->reader, &e1, &l1, &r->err));
    CT_TRY(ct__vt_next(r->reader, &e2, &l2, &r->err));
    r->la_ev[0] = e1;
    r->la_level[0] = l1;
    r->la_ev[1] = e2;
    r->la_level[1] = l2;
    r->la_head = 0;
    r->la_len = 2;
    if (e1 == CT__VT_FRAME_BEGIN && e2 == CT__VT_OP && l2 == level + 1) {
        c = &ct__vt_level_at(r->reader, l2)->op;
        g = r->dialect == CT_DIALECT_RETH ? c->used : c->used + c->cost;
        if (c->has_ex && g <= r->step.gas_cost) {
            r->step.gas_cost -= g;
            return CT_OK;
        }
    }
    ct__replay_warn(r, CT__W_CREATE_GAS, level,
                    "the init code's starting gas is unknown: gasCost includes it");
    return CT_OK;
}

static ct_status on_op(ct_replay *r, uint32_t level)
{
    const ct__vt_op *op = &ct__vt_level_at(r->reader, level)->op;
    CT_TRY(ct__step_build(r, level));
    if (!op->has_sub) {
        r->pending_apply = true;
        r->pending_level = level;
    } else if (r->step.opcode == CT_OP_CREATE || r->step.opcode == CT_OP_CREATE2) {
        CT_TRY(create_gas(r, level));
    }
    return CT_OK;
}

/* Erigon writes `op` after `sub`: the name of a calling op arrives after its step was
 * yielded (from the code), so it is checked here. */
static ct_status check_late_name(ct_replay *r, uint32_t level)
{
    const ct__vt_level *l = ct__vt_level_at(r->reader, level);
    uint8_t opc = r->frames[level]->cur_opcode;
    if (l->op.named_opcode >= 0 && l->op.named_opcode != opc)
        return ct__replay_fail(r, CT_EREPLAY, level,
                               "the trace names the op %s but the code has %s at pc %llu",
                               ct_opcode_name((uint8_t)l->op.named_opcode),
                               ct_opcode_name(opc), (unsigned long long)l->op.pc);
    return CT_OK;
}

static ct_status next_step(ct_replay *r, const ct_evm_step **out)
{
    ct__vt_event ev;
    uint32_t level;
    bool yielded;
    if (r->pending_apply) {
        r->pending_apply = false;
        CT_TRY(ct__op_apply(r, r->pending_level));
    }
    if (r->pending_frame_end) {
        r->pending_frame_end = false;
        CT_TRY(end_frame(r, r->pending_end_level));
    }
    for (;;) {
        CT_TRY(fetch(r, &ev, &level));
        switch (ev) {
        case CT__VT_FRAME_BEGIN:
            CT_TRY(ct__frame_begin(r, level));
            if (level == 0)
                r->root_seen = true;
            break;
        case CT__VT_OP:
            CT_TRY(on_op(r, level));
            *out = &r->step;
            return CT_OK;
        case CT__VT_FRAME_END:
            CT_TRY(ct__step_synthetic_stop(r, level, &yielded));
            if (yielded) {
                r->pending_frame_end = true;
                r->pending_end_level = level;
                *out = &r->step;
                return CT_OK;
            }
            CT_TRY(end_frame(r, level));
            break;
        case CT__VT_OP_END:
            CT_TRY(check_late_name(r, level));
            CT_TRY(ct__op_apply(r, level));
            break;
        case CT__VT_TX_END:
            finish_tx(r);
            return CT_DONE;
        default:
            return ct__error_set(&r->err, CT_EPARSE, "%s: internal: unexpected event %d",
                                 r->name, (int)ev);
        }
    }
}

ct_status ct_replay_next(const ct_evm_step **out, ct_replay *r)
{
    ct_status rc;
    if (!r)
        return CT_EINVAL;
    if (!out)
        return ct__error_set(&r->err, CT_EINVAL, "%s: ct_replay_next: out is NULL", r->name);
    if (r->phase == CT__PHASE_FAILED)
        return r->err.code;
    if (r->phase != CT__PHASE_TX)
        return r->phase == CT__PHASE_TX_DONE ? CT_DONE
                                             : ct__error_set(&r->err, CT_EINVAL,
                                                             "%s: no current transaction "
                                                             "(call ct_replay_next_tx first)",
                                                             r->name);
    rc = next_step(r, out);
    if (rc < 0)
        r->phase = CT__PHASE_FAILED;
    else if (rc == CT_DONE)
        r->phase = CT__PHASE_TX_DONE;
    return rc;
}

ct_status ct_replay_foreach(ct_replay *r, ct_replay_step_cb cb, void *payload)
{
    const ct_evm_tx *tx;
    const ct_evm_step *s;
    ct_status rc;
    if (!r)
        return CT_EINVAL;
    if (!cb)
        return ct__error_set(&r->err, CT_EINVAL, "%s: ct_replay_foreach: no callback", r->name);
    while ((rc = ct_replay_next_tx(&tx, r)) == CT_OK) {
        while ((rc = ct_replay_next(&s, r)) == CT_OK) {
            ct_status crc = cb(tx, s, payload);
            if (crc != CT_OK)
                return crc < 0 ? crc : CT_EUSER;
        }
        if (rc < 0)
            return rc;
    }
    return rc < 0 ? rc : CT_OK;
}
