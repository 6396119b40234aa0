/*
 * Storage across reverts. The replay's storage map is Geth's struct-logger view: a slot keeps
 * the last value written even when the frame that wrote it reverted. A debugger must show the
 * value the contract really has, so the recorder follows SLOAD (the value read) and SSTORE (the
 * value written) itself, journals each SSTORE with the value it replaced, and when a frame
 * fails undoes its journal (and those of the calls it made that returned): the restored value
 * is shown until the next SLOAD or SSTORE of the slot brings the replay's map up to date. A
 * write over a value the trace never showed is restored as "unknown".
 */
#include "evm_rec.h"

#include <string.h>

#include "opcodes.h"
#include "util/alloc.h"
#include "util/error.h"

static ct_status journal_push(ct__evm_rec *r, ct__frame_state *fs, const uint8_t key[52],
                              uint8_t old_state, const ct_u256 *old)
{
    ct__journal_entry *j;
    if (fs->njournal == fs->capjournal) {
        size_t nc = fs->capjournal ? fs->capjournal * 2 : 16;
        ct__journal_entry *p = ct__realloc(&r->alloc, fs->journal,
                                           fs->capjournal * sizeof *p, nc * sizeof *p);
        if (!p)
            return ct__error_set(r->err, CT_ENOMEM, "out of memory");
        fs->journal = p;
        fs->capjournal = nc;
    }
    j = &fs->journal[fs->njournal++];
    memcpy(j->key, key, 52);
    j->old_state = old_state;
    j->old = *old;
    return CT_OK;
}

ct_status ct__evm_journal_op(ct__evm_rec *r, const ct_evm_step *s)
{
    ct__slot_cache_entry *e;
    const ct_u256 *value;
    if (s->error || s->stack_len < 1)
        return CT_OK;
    if (s->opcode == CT_OP_SLOAD) {
        if (!s->executed || s->push_len < 1)
            return CT_OK;
        value = &s->push[0];
    } else if (s->opcode == CT_OP_SSTORE) {
        if (s->stack_len < 2)
            return CT_OK;
        value = &s->stack[s->stack_len - 2];
    } else {
        return CT_OK;
    }
    CT_TRY(ct__evm_slot_entry(&e, r, s, &s->stack[s->stack_len - 1]));
    if (s->opcode == CT_OP_SSTORE && r->depth > 1)   /* the root's writes are never undone */
        CT_TRY(journal_push(r, &r->frames[r->depth], e->key, e->shadow_state, &e->shadow));
    e->shadow = *value;
    e->shadow_state = CT__SHADOW_KNOWN;
    return CT_OK;
}

static ct_status hand_to_caller(ct__evm_rec *r, ct__frame_state *fs)
{
    ct__frame_state *caller = &r->frames[r->depth - 1];
    size_t i;
    if (r->depth <= 2)   /* the caller is the root: nothing can undo it any more */
        return CT_OK;
    for (i = 0; i < fs->njournal; i++)
        CT_TRY(journal_push(r, caller, fs->journal[i].key, fs->journal[i].old_state,
                            &fs->journal[i].old));
    return CT_OK;
}

ct_status ct__evm_journal_leave(ct__evm_rec *r, bool failed)
{
    ct__frame_state *fs = &r->frames[r->depth];
    size_t i = fs->njournal;
    if (!failed) {
        CT_TRY(hand_to_caller(r, fs));
        fs->njournal = 0;
        return CT_OK;
    }
    while (i > 0) {
        const ct__journal_entry *j = &fs->journal[--i];
        ct__slot_cache_entry *e = ct__evm_slot_lookup(r, j->key);
        if (!e)
            continue;
        e->shadow = j->old;
        e->shadow_state = j->old_state == CT__SHADOW_NONE ||
                                  j->old_state == CT__SHADOW_REVERTED_UNKNOWN
                              ? CT__SHADOW_REVERTED_UNKNOWN : CT__SHADOW_REVERTED;
    }
    fs->njournal = 0;
    return CT_OK;
}
