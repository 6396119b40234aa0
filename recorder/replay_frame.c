/* Entering a call frame: the per-depth state is reset and the frame's identity (kind, storage
 * and code address, value, input) is read from the calling op's operands, which are still on
 * the caller's stack because a calling op's effects are applied only after its sub frame. */
#include "replay_internal.h"

#include "evm_word.h"
#include "opcodes.h"
#include "util/alloc.h"

#include <string.h>

ct_status ct__frame_get(ct_replay *r, uint32_t level, ct__frame **out)
{
    if (level >= r->frames_cap) {
        uint32_t ncap = level + 8;
        ct__frame **nf = ct__realloc(&r->alloc, r->frames, (size_t)r->frames_cap * sizeof *nf,
                                     (size_t)ncap * sizeof *nf);
        if (!nf)
            return ct__error_set(&r->err, CT_ENOMEM, "%s: out of memory", r->name);
        r->frames = nf;
        r->frames_cap = ncap;
    }
    while (r->frames_alloc <= level) {
        r->frames[r->frames_alloc] = ct__calloc(&r->alloc, 1, sizeof **r->frames);
        if (!r->frames[r->frames_alloc])
            return ct__error_set(&r->err, CT_ENOMEM, "%s: out of memory", r->name);
        r->frames_alloc++;
    }
    *out = r->frames[level];
    return CT_OK;
}

void ct__frames_free(ct_replay *r)
{
    uint32_t i;
    for (i = 0; i < r->frames_alloc; i++) {
        ct__frame *f = r->frames[i];
        ct__free(&r->alloc, f->stack, f->stack_cap * sizeof *f->stack);
        ct__memory_free(&f->mem, &r->alloc);
        ct__free(&r->alloc, f->ret, f->ret_cap);
        ct__free(&r->alloc, f, sizeof *f);
    }
    ct__free(&r->alloc, r->frames, (size_t)r->frames_cap * sizeof *r->frames);
    r->frames = NULL;
    r->frames_alloc = r->frames_cap = 0;
}

ct_status ct__frame_set_ret(ct_replay *r, ct__frame *f, const uint8_t *data, size_t len)
{
    if (len > f->ret_cap) {
        uint8_t *nb = ct__realloc(&r->alloc, f->ret, f->ret_cap, len);
        if (!nb)
            return ct__error_set(&r->err, CT_ENOMEM, "%s: out of memory", r->name);
        f->ret = nb;
        f->ret_cap = len;
    }
    if (len)
        memcpy(f->ret, data, len);
    f->ret_len = len;
    f->ret_known = true;
    return CT_OK;
}

static void reset_frame(ct__frame *f, uint32_t level)
{
    f->stack_len = 0;
    ct__memory_reset(&f->mem);
    f->ret_len = 0;
    f->ret_known = true;
    f->have_prev = f->next_pc_known = f->last_jump = f->jump_taken = false;
    f->ended = f->failed = f->reverted = false;
    f->storage_pos_valid = false;
    f->storage_seen = 0;
    f->ops = 0;
    memset(&f->pub, 0, sizeof f->pub);
    f->pub.depth = level + 1;
}

static void root_frame(ct_replay *r, ct__frame *f)
{
    const ct__vt_tx *tx = ct__vt_tx_info(r->reader);
    f->pub.kind = tx->root_create ? CT_FRAME_ROOT_CREATE : CT_FRAME_ROOT_CALL;
    f->pub.address_known = tx->root_create ? tx->has_created : tx->has_to;
    if (f->pub.address_known)
        ct__u256_to_address(&f->pub.address, tx->root_create ? &tx->created : &tx->to);
    f->pub.code_address = f->pub.address;
    f->pub.value = tx->value;
    f->pub.value_known = tx->has_value;
    if (tx->root_create) {
        f->pub.input = f->pub.code;
        f->pub.input_len = f->pub.code_len;
        f->pub.input_known = f->pub.code != NULL;
    } else if (tx->has_input) {
        f->pub.input = tx->input;
        f->pub.input_len = tx->input_len;
        f->pub.input_known = true;
    }
}

/* s(i): i-th item from the top of the caller's stack. */
#define S(i) (&p->stack[p->stack_len - 1 - (i)])

static ct_status window(ct_replay *r, ct__frame *p, uint32_t level, int off_i, int size_i,
                        ct__frame *f)
{
    uint64_t off, size;
    ct_error e;
    ct_status rc = ct__memory_expand_words(&p->mem, &r->alloc, S(off_i), S(size_i),
                                           r->opts.max_memory, "memory", &e);
    if (rc < 0)
        return ct__replay_fail(r, rc, level - 1, "%s", e.message);
    if (!f)
        return CT_OK;
    ct__u256_to_u64(S(off_i), &off);
    ct__u256_to_u64(S(size_i), &size);
    f->pub.input_known = true;
    f->pub.input_len = ct__u256_is_zero(S(size_i)) ? 0 : (size_t)size;
    f->pub.input = f->pub.input_len ? p->mem.data + off : NULL;
    return CT_OK;
}

static void inherit_address(ct__frame *f, const ct__frame *p)
{
    f->pub.address = p->pub.address;
    f->pub.address_known = p->pub.address_known;
}

static ct_status call_frame(ct_replay *r, uint32_t level, ct__frame *p, ct__frame *f)
{
    uint8_t op = p->cur_opcode;
    bool with_value = op == CT_OP_CALL || op == CT_OP_CALLCODE;
    int in = with_value ? 3 : 2;
    ct__u256_to_address(&f->pub.code_address, S(1));
    if (op == CT_OP_CALL || op == CT_OP_STATICCALL) {
        f->pub.address = f->pub.code_address;
        f->pub.address_known = true;
    } else {
        inherit_address(f, p);
    }
    f->pub.kind = op == CT_OP_CALL ? CT_FRAME_CALL : op == CT_OP_CALLCODE ? CT_FRAME_CALLCODE
                : op == CT_OP_DELEGATECALL ? CT_FRAME_DELEGATECALL : CT_FRAME_STATICCALL;
    if (with_value) {
        f->pub.value = *S(2);
        f->pub.value_known = true;
    } else if (op == CT_OP_DELEGATECALL) {
        f->pub.value = p->pub.value;
        f->pub.value_known = p->pub.value_known;
    } else {
        f->pub.value_known = true;
    }
    CT_TRY(window(r, p, level, in + 2, in + 3, NULL));
    return window(r, p, level, in, in + 1, f);
}

static ct_status create_frame(ct_replay *r, uint32_t level, ct__frame *p, ct__frame *f)
{
    const ct__vt_op *cop = &ct__vt_level_at(r->reader, level - 1)->op;
    f->pub.kind = p->cur_opcode == CT_OP_CREATE ? CT_FRAME_CREATE : CT_FRAME_CREATE2;
    f->pub.value = *S(0);
    f->pub.value_known = true;
    if (cop->has_ex && cop->push_len >= 1 && !ct__u256_is_zero(&cop->push[cop->push_len - 1])) {
        ct__u256_to_address(&f->pub.address, &cop->push[cop->push_len - 1]);
        f->pub.address_known = true;
    }
    f->pub.code_address = f->pub.address;
    f->pub.input = f->pub.code;
    f->pub.input_len = f->pub.code_len;
    f->pub.input_known = f->pub.code != NULL;
    return window(r, p, level, 1, 2, NULL);
}

static ct_status child_frame(ct_replay *r, uint32_t level, ct__frame *f)
{
    ct__frame *p = r->frames[level - 1];
    uint8_t op = p->cur_opcode;
    if (p->stack_len < ct__opcode(op)->pops)
        return ct__replay_fail(r, CT_EREPLAY, level - 1,
                               "stack underflow: %zu items, the op needs %u", p->stack_len,
                               ct__opcode(op)->pops);
    p->ret_len = 0;
    p->ret_known = true;
    switch (op) {
    case CT_OP_CALL:
    case CT_OP_CALLCODE:
    case CT_OP_DELEGATECALL:
    case CT_OP_STATICCALL:
        return call_frame(r, level, p, f);
    case CT_OP_CREATE:
    case CT_OP_CREATE2:
        return create_frame(r, level, p, f);
    case CT_OP_SELFDESTRUCT:
        f->pub.kind = CT_FRAME_SELFDESTRUCT;
        ct__u256_to_address(&f->pub.address, S(0));
        f->pub.address_known = true;
        f->pub.code_address = f->pub.address;
        return CT_OK;
    default:
        return ct__replay_fail(r, CT_EREPLAY, level - 1, "a sub frame on an op that makes no call");
    }
}

ct_status ct__frame_begin(ct_replay *r, uint32_t level)
{
    ct__vt_level *l = ct__vt_level_at(r->reader, level);
    ct__frame *f;
    if (level != r->depth)
        return ct__replay_fail(r, CT_EREPLAY, level, "internal: frame order");
    CT_TRY(ct__frame_get(r, level, &f));
    reset_frame(f, level);
    f->pub.code = l->has_code ? l->code : NULL;
    f->pub.code_len = l->has_code ? l->code_len : 0;
    f->pub.parent = level ? &r->frames[level - 1]->pub : NULL;
    if (level == 0)
        root_frame(r, f);
    else
        CT_TRY(child_frame(r, level, f));
    r->depth = level + 1;
    return CT_OK;
}
