/*
 * Applying an op's effects after its step was yielded: memory expansion by EVM rules (the
 * vmTrace reports only some writes), the reported memory write, MCOPY when no write was
 * reported, return data, and the stack (DUP/SWAP executed directly, everything else popped by
 * the instruction table and pushed from `ex.push`, with every client defect checked).
 */
#include "replay_internal.h"

#include "evm_word.h"
#include "opcodes.h"
#include "util/alloc.h"

#include <string.h>

#define S(i) (&f->stack[f->stack_len - 1 - (i)])

static ct_status expand(ct_replay *r, uint32_t level, ct__frame *f, const ct_u256 *off,
                        const ct_u256 *size)
{
    ct_error e;
    ct_status rc = ct__memory_expand_words(&f->mem, &r->alloc, off, size, r->opts.max_memory,
                                           "memory", &e);
    return rc < 0 ? ct__replay_fail(r, rc, level, "%s", e.message) : CT_OK;
}

static ct_status expand_n(ct_replay *r, uint32_t level, ct__frame *f, const ct_u256 *off,
                          uint64_t n)
{
    ct_u256 size;
    ct__u256_from_u64(&size, n);
    return expand(r, level, f, off, &size);
}

/* EVM memory expansion of every op that touches memory (EIP-5656 MCOPY included). */
static ct_status expand_windows(ct_replay *r, uint32_t level, ct__frame *f, uint8_t opc)
{
    switch (opc) {
    case CT_OP_MLOAD:
    case CT_OP_MSTORE:
        return expand_n(r, level, f, S(0), 32);
    case CT_OP_MSTORE8:
        return expand_n(r, level, f, S(0), 1);
    case CT_OP_KECCAK256:
    case CT_OP_RETURN:
    case CT_OP_REVERT:
    case CT_OP_LOG0: case CT_OP_LOG1: case CT_OP_LOG2: case CT_OP_LOG3: case CT_OP_LOG4:
        return expand(r, level, f, S(0), S(1));
    case CT_OP_CALLDATACOPY:
    case CT_OP_CODECOPY:
    case CT_OP_RETURNDATACOPY:
        return expand(r, level, f, S(0), S(2));
    case CT_OP_EXTCODECOPY:
        return expand(r, level, f, S(1), S(3));
    case CT_OP_MCOPY:
        CT_TRY(expand(r, level, f, S(0), S(2)));
        return expand(r, level, f, S(1), S(2));
    case CT_OP_CREATE:
    case CT_OP_CREATE2:
        return expand(r, level, f, S(1), S(2));
    case CT_OP_CALL:
    case CT_OP_CALLCODE:
        CT_TRY(expand(r, level, f, S(3), S(4)));
        return expand(r, level, f, S(5), S(6));
    case CT_OP_DELEGATECALL:
    case CT_OP_STATICCALL:
        CT_TRY(expand(r, level, f, S(2), S(3)));
        return expand(r, level, f, S(4), S(5));
    default:
        return CT_OK;
    }
}

/* RETURN/REVERT output becomes the caller's return data (Geth: none after a successful
 * CREATE) or the transaction's output. */
static ct_status capture_return(ct_replay *r, uint32_t level, ct__frame *f, uint8_t opc)
{
    uint64_t off = 0, size = 0;
    const uint8_t *data;
    if (opc != CT_OP_RETURN && opc != CT_OP_REVERT)
        return CT_OK;
    if (!ct__u256_is_zero(S(1))) {
        ct__u256_to_u64(S(0), &off);
        ct__u256_to_u64(S(1), &size);
    }
    data = size ? f->mem.data + off : NULL;
    if (level == 0) {
        CT_TRY(ct__frame_set_ret(r, f, data, (size_t)size));   /* becomes the tx output */
        r->root_ret_known = true;
        return CT_OK;
    }
    if (opc == CT_OP_RETURN &&
        (f->pub.kind == CT_FRAME_CREATE || f->pub.kind == CT_FRAME_CREATE2))
        size = 0;
    return ct__frame_set_ret(r, r->frames[level - 1], data, (size_t)size);
}

static ct_status apply_mem(ct_replay *r, uint32_t level, ct__frame *f, const ct__vt_op *op,
                           uint8_t opc)
{
    ct_error e;
    ct_status rc = CT_OK;
    if (op->has_mem) {
        if (r->dialect == CT_DIALECT_RETH && op->mem_off == op->mem_len &&
            op->mem_len >= f->mem.len) {
            ct__replay_warn(r, CT__W_RETH_MEM, level,
                            "reth reports the whole memory (off == length); used as a snapshot");
            rc = ct__memory_assign(&f->mem, &r->alloc, op->mem_data, op->mem_len,
                                   r->opts.max_memory, "memory", &e);
        } else {
            rc = ct__memory_write(&f->mem, &r->alloc, op->mem_off, op->mem_data, op->mem_len,
                                  r->opts.max_memory, "ex.mem", &e);
        }
    } else if (opc == CT_OP_MCOPY && !ct__u256_is_zero(S(2))) {
        uint64_t dst, src, n;
        ct__u256_to_u64(S(0), &dst);
        ct__u256_to_u64(S(1), &src);
        ct__u256_to_u64(S(2), &n);
        memmove(f->mem.data + dst, f->mem.data + src, (size_t)n);
        ct__replay_warn(r, CT__W_MCOPY_LOCAL, level,
                        "MCOPY without `ex.mem` (Besu, Erigon before #23952): executed locally");
    }
    return rc < 0 ? ct__replay_fail(r, rc, level, "%s", e.message) : CT_OK;
}

/* The value a PUSHn reads from the code (zero-padded past the end, as the EVM does). */
static void push_immediate(const ct__frame *f, uint64_t pc, unsigned n, ct_u256 *out)
{
    unsigned i;
    memset(out->bytes, 0, 32);
    for (i = 0; i < n; i++)
        if (pc + 1 + i < f->pub.code_len)
            out->bytes[32 - n + i] = f->pub.code[pc + 1 + i];
}

static ct_status reserve_stack(ct_replay *r, uint32_t level, ct__frame *f, size_t need)
{
    size_t cap = f->stack_cap ? f->stack_cap : 64;
    ct_u256 *ns;
    if (need > CT__STACK_LIMIT)
        return ct__replay_fail(r, CT_EREPLAY, level, "stack overflow beyond %d items",
                               CT__STACK_LIMIT);
    if (need <= f->stack_cap)
        return CT_OK;
    while (cap < need)
        cap *= 2;
    ns = ct__realloc(&r->alloc, f->stack, f->stack_cap * sizeof *ns, cap * sizeof *ns);
    if (!ns)
        return ct__error_set(&r->err, CT_ENOMEM, "%s: out of memory for the stack", r->name);
    f->stack = ns;
    f->stack_cap = cap;
    return CT_OK;
}

static ct_status underflow(ct_replay *r, uint32_t level, ct__frame *f, unsigned need)
{
    return ct__replay_fail(r, CT_EREPLAY, level,
                           "stack underflow: the replayed stack has %zu items, the op needs %u",
                           f->stack_len, need);
}

/* The push list of DUPn/SWAPn must show the top items after the op: n+1 of them, or n for
 * Nethermind's DUPn (traced before the copy is written). */
static ct_status verify_window(ct_replay *r, uint32_t level, ct__frame *f, const ct__vt_op *op,
                               size_t base)
{
    size_t i;
    for (i = 0; i < op->push_len; i++)
        if (!ct__u256_eq(&op->push[i], &f->stack[base + i]))
            return ct__replay_fail(r, CT_EREPLAY, level,
                                   "`ex.push[%zu]` differs from the replayed stack: the stack "
                                   "is wrong",
                                   i);
    return CT_OK;
}

static ct_status dup_swap(ct_replay *r, uint32_t level, ct__frame *f, const ct__vt_op *op,
                          uint8_t opc)
{
    bool dup = opc <= CT_OP_DUP16;
    unsigned n = dup ? opc - CT_OP_DUP1 + 1u : opc - CT_OP_SWAP1 + 1u;
    size_t k = op->push_len, base;
    if (f->stack_len < (dup ? n : n + 1))
        return underflow(r, level, f, dup ? n : n + 1);
    if (k != 0 && k != n + 1 && !(dup && k == n))
        return ct__replay_fail(r, CT_EREPLAY, level, "`ex.push` has %zu items, expected %u", k,
                               n + 1);
    if (dup) {
        CT_TRY(reserve_stack(r, level, f, f->stack_len + 1));
        f->stack[f->stack_len] = f->stack[f->stack_len - n];
        f->stack_len++;
        if (k == n && r->opts.dialect == CT_DIALECT_AUTO &&
            r->dialect == CT_DIALECT_OPENETHEREUM)
            r->dialect = r->tx.dialect = CT_DIALECT_NETHERMIND;
        if (k == n)
            ct__replay_warn(r, CT__W_NM_DUP, level,
                            "DUP%u lists %u pushed items, not %u (Nethermind); executed directly",
                            n, n, n + 1);
        base = f->stack_len - 1 - n;
    } else {
        ct_u256 t = *S(0);
        *S(0) = *S(n);
        *S(n) = t;
        base = f->stack_len - 1 - n;
    }
    return verify_window(r, level, f, op, base);
}

static bool is_call_or_create(uint8_t opc)
{
    return opc == CT_OP_CALL || opc == CT_OP_CALLCODE || opc == CT_OP_DELEGATECALL ||
           opc == CT_OP_STATICCALL || opc == CT_OP_CREATE || opc == CT_OP_CREATE2;
}

/* The single item an op produced when `ex.push` is empty: recoverable only for PUSHn. */
static ct_status missing_push(ct_replay *r, uint32_t level, ct__frame *f, uint8_t opc,
                              ct_u256 *out)
{
    if (opc >= CT_OP_PUSH0 && opc <= CT_OP_PUSH32) {
        push_immediate(f, f->cur_pc, (unsigned)(opc - CT_OP_PUSH0), out);
        ct__replay_warn(r, CT__W_PUSH0, level,
                        "%s with an empty `ex.push` (Erigon before #7970): value taken from "
                        "the code", ct_opcode_name(opc));
        return CT_OK;
    }
    if (is_call_or_create(opc))
        return ct__replay_fail(r, CT_EREPLAY, level,
                               "no result pushed by %s (a reth defect): the stack cannot be "
                               "reconstructed", ct_opcode_name(opc));
    return ct__replay_fail(r, CT_EREPLAY, level,
                           "%s pushed no value (Erigon omitted it for TLOAD, BLOBHASH, "
                           "BLOBBASEFEE, CLZ and SLOTNUM before #19570, and for SMOD, CHAINID "
                           "and COINBASE before #4806/#4808): the stack cannot be reconstructed",
                           ct_opcode_name(opc));
}

static ct_status pop_push(ct_replay *r, uint32_t level, ct__frame *f, const ct__vt_op *op,
                          uint8_t opc)
{
    const ct__opcode_info *info = ct__opcode(opc);
    size_t k = op->push_len, i;
    ct_u256 fixed;
    const ct_u256 *items = op->push;
    if (f->stack_len < info->pops)
        return underflow(r, level, f, info->pops);
    if (k == 0 && info->pushes == 1) {
        CT_TRY(missing_push(r, level, f, opc, &fixed));
        items = &fixed;
        k = 1;
    } else if (k != info->pushes) {
        return ct__replay_fail(r, CT_EREPLAY, level, "`ex.push` has %zu items, %s produces %u",
                               k, ct_opcode_name(opc), info->pushes);
    } else if (k == 1 && opc >= CT_OP_PUSH1 && opc <= CT_OP_PUSH32 && f->pub.code_len) {
        push_immediate(f, f->cur_pc, (unsigned)(opc - CT_OP_PUSH0), &fixed);
        if (!ct__u256_eq(&fixed, &op->push[0]))
            return ct__replay_fail(r, CT_EREPLAY, level,
                                   "the pushed value differs from the code's immediate");
    }
    f->stack_len -= info->pops;
    CT_TRY(reserve_stack(r, level, f, f->stack_len + k));
    for (i = 0; i < k; i++)
        f->stack[f->stack_len++] = items[i];
    return CT_OK;
}

static bool halts(uint8_t opc)
{
    return opc == CT_OP_STOP || opc == CT_OP_RETURN || opc == CT_OP_REVERT ||
           opc == CT_OP_INVALID || opc == CT_OP_SELFDESTRUCT || ct__opcode(opc)->name == NULL;
}

/* Where execution continues, from the operands before they are popped. */
static void next_pc(ct__frame *f, uint8_t opc)
{
    uint64_t dest;
    f->last_jump = opc == CT_OP_JUMP || opc == CT_OP_JUMPI;
    f->next_pc_known = true;
    f->jump_taken = opc == CT_OP_JUMP || (opc == CT_OP_JUMPI && !ct__u256_is_zero(S(1)));
    if (f->jump_taken) {
        f->next_pc_known = ct__u256_to_u64(S(0), &dest);
        f->next_pc = dest;
    } else {
        f->next_pc = f->cur_pc + 1 + ct__opcode(opc)->immediate;
    }
}

/* Unknown return data (a precompile's output) becomes known when the frame reads all of it:
 * RETURNDATASIZE gives its length (0: empty), a RETURNDATACOPY of that length from offset 0
 * reports its bytes in `ex.mem`. */
static ct_status learn_return_data(ct_replay *r, ct__frame *f, const ct__vt_op *op, uint8_t opc)
{
    uint64_t dst, src, n;
    if (f->ret_known)
        return CT_OK;
    if (opc == CT_OP_RETURNDATASIZE && op->push_len == 1 &&
        ct__u256_to_u64(&op->push[0], &n)) {
        f->ret_size = n;
        f->ret_size_known = true;
        if (n == 0)
            return ct__frame_set_ret(r, f, NULL, 0);
        return CT_OK;
    }
    if (opc != CT_OP_RETURNDATACOPY || !f->ret_size_known || !op->has_mem ||
        !ct__u256_to_u64(S(0), &dst) || !ct__u256_to_u64(S(1), &src) ||
        !ct__u256_to_u64(S(2), &n))
        return CT_OK;
    if (src == 0 && n == f->ret_size && op->mem_off == dst && op->mem_len == n)
        return ct__frame_set_ret(r, f, op->mem_data, (size_t)n);
    return CT_OK;
}

ct_status ct__op_apply(ct_replay *r, uint32_t level)
{
    ct__frame *f = r->frames[level];
    const ct__vt_op *op = &ct__vt_level_at(r->reader, level)->op;
    uint8_t opc = f->cur_opcode;
    unsigned need = opc >= CT_OP_SWAP1 && opc <= CT_OP_SWAP16 ? opc - CT_OP_SWAP1 + 2u
                                                               : ct__opcode(opc)->pops;
    if (!op->has_ex) {
        f->ended = f->failed = true;
        f->next_pc_known = false;
        return CT_OK;
    }
    if (f->stack_len < need)
        return underflow(r, level, f, need);
    f->prev_used = r->dialect != CT_DIALECT_RETH ? op->used
                  : op->used >= op->cost ? op->used - op->cost : 0;
    f->have_prev = true;
    if (level == 0) {
        r->root_last_used = f->prev_used;
        r->root_last_used_known = true;
    }
    next_pc(f, opc);
    if (halts(opc)) {
        f->ended = true;
        f->failed = opc == CT_OP_REVERT || opc == CT_OP_INVALID || ct__opcode(opc)->name == NULL;
        f->reverted = opc == CT_OP_REVERT;
    }
    CT_TRY(expand_windows(r, level, f, opc));
    CT_TRY(capture_return(r, level, f, opc));
    CT_TRY(apply_mem(r, level, f, op, opc));
    if (is_call_or_create(opc) && !op->has_sub) {
        f->ret_len = 0;   /* the call failed before entering: Geth clears the return data */
        f->ret_known = true;
    }
    CT_TRY(learn_return_data(r, f, op, opc));
    if (opc >= CT_OP_DUP1 && opc <= CT_OP_SWAP16)
        return dup_swap(r, level, f, op, opc);
    return pop_push(r, level, f, op, opc);
}
