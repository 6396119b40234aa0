/* Building the borrowed step view of an op: which opcode it is, the gas before it, the
 * storage view Geth shows at SLOAD/SSTORE, and the error of an op that did not complete. */
#include "replay_internal.h"

#include "evm_word.h"
#include "opcodes.h"

#include <string.h>

static ct_status resolve_opcode(ct_replay *r, uint32_t level, const ct__vt_level *l,
                                uint8_t *out)
{
    const ct__vt_op *op = &l->op;
    int named = op->named_opcode;
    if (l->has_code && l->code_len > 0) {
        uint8_t byte = op->pc < l->code_len ? l->code[op->pc] : CT_OP_STOP;
        if (named >= 0 && named != byte)
            return ct__replay_fail(r, CT_EREPLAY, level,
                                   "the trace names the op %s but the code has %s at pc %llu",
                                   ct_opcode_name((uint8_t)named), ct_opcode_name(byte),
                                   (unsigned long long)op->pc);
        if (named == -2)
            ct__replay_warn(r, CT__W_NAME, level, "unknown `op` name ignored; read from the code");
        *out = byte;
        return CT_OK;
    }
    if (named >= 0) {
        *out = (uint8_t)named;
        return CT_OK;
    }
    if (l->has_code && named == -1)
        return ct__replay_fail(r, CT_EREPLAY, level, "pc %llu is outside the frame's empty code",
                               (unsigned long long)op->pc);
    return ct__replay_fail(r, CT_EUNSUPPORTED, level,
                           "the op has no usable `op` name and the frame no `code` to read it "
                           "from");
}

static ct_status check_pc(ct_replay *r, uint32_t level, ct__frame *f, uint64_t pc)
{
    if (!f->next_pc_known || pc == f->next_pc)
        return CT_OK;
    if (f->last_jump)
        return ct__replay_fail(r, CT_EREPLAY, level,
                               "the previous jump goes to pc %llu by the replayed stack but the "
                               "next op is at pc %llu: the replayed stack is wrong (a client "
                               "defect in this trace)",
                               (unsigned long long)f->next_pc, (unsigned long long)pc);
    ct__replay_warn(r, CT__W_PC_GAP, level,
                    "pc %llu follows an op that continues at pc %llu: ops are missing",
                    (unsigned long long)pc, (unsigned long long)f->next_pc);
    return CT_OK;
}

static void compute_gas(ct_replay *r, uint32_t level, ct__frame *f, const ct__vt_op *op)
{
    const ct__vt_tx *tx = ct__vt_tx_info(r->reader);
    ct_evm_step *s = &r->step;
    s->gas_known = true;
    if (r->dialect == CT_DIALECT_RETH && op->has_ex)
        s->gas = op->used;
    else if (f->have_prev)
        s->gas = f->prev_used;
    else if (op->has_ex)
        s->gas = op->used + op->cost;
    else if (level == 0 && tx->has_gas)
        s->gas = tx->gas;
    else {
        s->gas = 0;
        s->gas_known = false;
        ct__replay_warn(r, CT__W_GAS_UNKNOWN, level,
                        "the first op of a frame did not complete: its gas is unknown");
    }
    s->gas_cost = op->cost;
    if (level == 0 && f->ops == 0) {
        r->root_first_gas = s->gas;
        r->root_first_gas_known = s->gas_known;
    }
}

static ct_status storage_view(ct_replay *r, uint32_t level, ct__frame *f, const ct__vt_op *op,
                              uint8_t opc)
{
    const ct_u256 *key, *val;
    ct__storage_account *acc;
    if (opc != CT_OP_SLOAD && opc != CT_OP_SSTORE)
        return CT_OK;
    if (f->stack_len < (opc == CT_OP_SLOAD ? 1u : 2u))
        return ct__replay_fail(r, CT_EREPLAY, level, "stack underflow: %zu items",
                               f->stack_len);
    if (!f->storage_pos_valid) {
        static const ct_u256 unknown;
        CT_TRY(ct__storage_find(&r->storage, &r->alloc,
                                f->pub.address_known ? &f->pub.address : &unknown,
                                &f->storage_pos, &r->err));
        f->storage_pos_valid = true;
    }
    key = &f->stack[f->stack_len - 1];
    val = opc == CT_OP_SSTORE ? &f->stack[f->stack_len - 2] : op->push;
    if (opc == CT_OP_SSTORE && op->has_store &&
        (!ct__u256_eq(&op->store_key, key) || !ct__u256_eq(&op->store_val, val)))
        return ct__replay_fail(r, CT_EREPLAY, level,
                               "`ex.store` differs from the replayed stack: the stack is wrong");
    if (opc == CT_OP_SSTORE || (op->has_ex && op->push_len == 1))
        CT_TRY(ct__storage_set(&r->storage, &r->alloc, f->storage_pos, key, val, &r->err));
    else
        ct__replay_warn(r, CT__W_SLOAD_FAILED, level,
                        "SLOAD did not complete: the loaded value is unknown");
    acc = &r->storage.accounts[f->storage_pos];
    r->step.storage = acc->slots;
    r->step.storage_len = acc->len;
    return CT_OK;
}

/* Geth's wording of the failure of an op whose `ex` is null. */
static const char *op_error(ct_replay *r, uint32_t level)
{
    static const struct { const char *from, *to; } oe[] = {
        {"Out of gas", "out of gas"},
        {"Bad jump destination", "invalid jump destination"},
        {"Bad instruction", "invalid opcode"},
        {"Stack underflow", "stack underflow"},
        {"Out of stack", "stack limit reached 1024"},
        {"Reverted", "execution reverted"},
        {"Mutable Call In Static Context", "write protection"},
    };
    const ct__vt_tx *tx = ct__vt_tx_info(r->reader);
    size_t i;
    if (level != 0 || !tx->has_error)
        return "out of gas";
    for (i = 0; i < sizeof oe / sizeof oe[0]; i++)
        if (!strcmp(tx->error, oe[i].from))
            return oe[i].to;
    return tx->error;
}

/* The frame's storage address may have slots from another frame (re-entry): look it up again
 * only when the view gained accounts since the last look. */
static void current_storage(ct_replay *r, ct__frame *f)
{
    static const ct_u256 unknown;
    ct_evm_step *s = &r->step;
    s->storage = NULL;
    s->storage_len = 0;
    if (!f->storage_pos_valid && f->storage_seen != r->storage.len) {
        f->storage_seen = r->storage.len;
        f->storage_pos_valid = ct__storage_lookup(
            &r->storage, f->pub.address_known ? &f->pub.address : &unknown, &f->storage_pos);
    }
    if (f->storage_pos_valid) {
        s->storage = r->storage.accounts[f->storage_pos].slots;
        s->storage_len = r->storage.accounts[f->storage_pos].len;
    }
}

static void fill_state(ct_replay *r, ct__frame *f)
{
    ct_evm_step *s = &r->step;
    s->depth = f->pub.depth;
    s->frame = &f->pub;
    s->stack = f->stack;
    s->stack_len = f->stack_len;
    s->memory = f->mem.data;
    s->memory_len = f->mem.len;
    s->return_data = f->ret;
    s->return_data_len = f->ret_known ? f->ret_len : 0;
    s->return_data_known = f->ret_known;
    current_storage(r, f);
    s->index = r->tx.steps;
}

ct_status ct__step_build(ct_replay *r, uint32_t level)
{
    ct__vt_level *l = ct__vt_level_at(r->reader, level);
    const ct__vt_op *op = &l->op;
    ct__frame *f;
    ct_evm_step *s = &r->step;
    uint8_t opc = 0;
    if (level + 1 != r->depth)
        return ct__replay_fail(r, CT_EREPLAY, level, "internal: op outside its frame");
    f = r->frames[level];
    ct__dialect_observe(r, op);
    CT_TRY(resolve_opcode(r, level, l, &opc));
    f->cur_opcode = opc;
    f->cur_pc = op->pc;
    f->cur_index = r->tx.steps;
    if (f->ended)
        return ct__replay_fail(r, CT_EREPLAY, level, "an op after the frame halted");
    CT_TRY(check_pc(r, level, f, op->pc));
    fill_state(r, f);
    compute_gas(r, level, f, op);
    CT_TRY(storage_view(r, level, f, op, opc));
    s->pc = op->pc;
    s->opcode = opc;
    s->op = ct_opcode_name(opc);
    s->error = op->has_ex ? NULL : op_error(r, level);
    s->synthetic = false;
    s->executed = op->has_ex;
    s->push = op->push;
    s->push_len = op->has_ex ? op->push_len : 0;
    f->ops++;
    r->tx.steps++;
    return CT_OK;
}

ct_status ct__step_synthetic_stop(ct_replay *r, uint32_t level, bool *yielded)
{
    ct__frame *f = r->frames[level];
    ct_evm_step *s = &r->step;
    *yielded = false;
    if (f->ops == 0 || f->ended || !f->next_pc_known || !f->pub.code)
        return CT_OK;
    if (f->jump_taken) {
        f->failed = true;   /* the jump went to an invalid destination */
        return CT_OK;
    }
    if (f->next_pc < f->pub.code_len && f->pub.code[f->next_pc] != CT_OP_STOP) {
        ct__replay_warn(r, CT__W_FRAME_CUT, level,
                        "the frame's ops stop before pc %llu (%s) inside its code: the client "
                        "dropped a failing op (OpenEthereum, Besu and Nethermind drop stack "
                        "underflows and undefined opcodes)",
                        (unsigned long long)f->next_pc,
                        ct_opcode_name(f->pub.code[f->next_pc]));
        f->failed = true;
        return CT_OK;
    }
    f->cur_opcode = CT_OP_STOP;
    f->cur_index = r->tx.steps;
    /* A STOP inside the code cannot fail (it costs nothing), so the frame ran it: Erigon's
     * classic tracer drops a top-level STOP that directly follows a STOP of another frame
     * (vmtrace.md §2.1). Geth logs it like any STOP. */
    if (f->next_pc < f->pub.code_len)
        ct__replay_warn(r, CT__W_STOP_DROPPED, level,
                        "the frame ends before the STOP at pc %llu, which cannot fail: the "
                        "client dropped it (Erigon drops a top-level STOP that follows a STOP "
                        "of another frame); synthesized",
                        (unsigned long long)f->next_pc);
    fill_state(r, f);
    s->pc = f->next_pc;
    s->opcode = CT_OP_STOP;
    s->op = ct_opcode_name(CT_OP_STOP);
    s->gas = f->prev_used;
    s->gas_known = f->have_prev;
    s->gas_cost = 0;
    s->error = NULL;
    s->synthetic = true;
    s->executed = true;
    s->push = NULL;
    s->push_len = 0;
    f->ops++;
    f->ended = true;
    r->tx.steps++;
    *yielded = true;
    return CT_OK;
}
