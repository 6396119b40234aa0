/* Events of single ops: LOGn (EvmEvent), REVERT / INVALID / failures (Error), KECCAK256
 * preimages for storage names. */
#include "evm_rec.h"
#include "evm_word.h"

#include <stdio.h>
#include <string.h>

#include "opcodes.h"
#include "util/error.h"

#define CONTENT_MAX 4096
#define MAX_ABIS 64

static ct_status mem_range(const uint8_t **data, uint64_t *len, ct__evm_rec *r,
                           const ct_evm_step *s, size_t off_k, size_t len_k)
{
    uint64_t off;
    if (!ct__u256_to_u64(ct__evm_stack_item(s, off_k), &off) ||
        !ct__u256_to_u64(ct__evm_stack_item(s, len_k), len)) {
        *len = 0;
        *data = NULL;
        return CT_OK;
    }
    return ct__evm_mem(r, s, off, *len, data);
}

/* This frame's ABI first, then every other contract's (errors bubble up from callees), then
 * the built-in interfaces. */
static size_t abis_for(const ct__abi **out, const ct__evm_rec *r, const ct__frame_state *fs)
{
    size_t n = 0, i;
    if (fs->abi)
        out[n++] = fs->abi;
    for (i = 0; i < r->art.ncontracts && n + 1 < MAX_ABIS; i++)
        if (&r->art.contracts[i]->abi != fs->abi)
            out[n++] = &r->art.contracts[i]->abi;
    if (fs->abi != &r->builtin)
        out[n++] = &r->builtin;
    return n;
}

/* The first event with this topic0 whose inputs decode the log (ERC-20 and ERC-721 Transfer
 * share a topic and differ in what is indexed). */
static const ct__abi_entry *decode_log(ct__abi_value *v, ct__evm_rec *r,
                                       const ct__abi *const *abis, size_t nabis,
                                       const uint8_t (*topics)[32], size_t ntopics,
                                       const uint8_t *data, size_t len)
{
    size_t i, k;
    for (i = 0; ntopics && i < nabis; i++)
        for (k = 0; k < abis[i]->count; k++) {
            const ct__abi_entry *e = &abis[i]->entries[k];
            if (e->kind == CT__ABI_ENTRY_EVENT && !e->anonymous &&
                !memcmp(e->hash, topics[0], 32) &&
                ct__abi_decode_event(v, &r->scratch, e, topics, ntopics, data, len, NULL) ==
                    CT_OK)
                return e;
        }
    return NULL;
}

static void hex_append(char *buf, size_t cap, const uint8_t *p, size_t n)
{
    size_t len = strlen(buf), i;
    for (i = 0; i < n && len + 3 < cap; i++, len += 2)
        snprintf(buf + len, cap - len, "%02x", p[i]);
}

static ct_status log_event(ct__evm_rec *r, const ct_evm_step *s, unsigned ntopics)
{
    ct__frame_state *fs = &r->frames[r->depth];
    uint8_t topics[4][32];
    const uint8_t *data;
    uint64_t len;
    char content[CONTENT_MAX], md[96];
    const ct__abi *abis[MAX_ABIS];
    size_t nabis, k;
    const ct__abi_entry *ev;
    ct__abi_value v;
    if (s->stack_len < 2 + ntopics)
        return CT_OK;
    CT_TRY(mem_range(&data, &len, r, s, 0, 1));
    for (k = 0; k < ntopics; k++)
        memcpy(topics[k], ct__evm_stack_item(s, 2 + k)->bytes, 32);
    nabis = abis_for(abis, r, fs);
    ev = decode_log(&v, r, abis, nabis, (const uint8_t(*)[32])topics, ntopics, data,
                    (size_t)len);
    if (ev) {
        int n = snprintf(content, sizeof content, "%s(", ev->name);
        size_t m = ct__abi_format_named(content + n, sizeof content - (size_t)n, &v);
        if ((size_t)n + m + 1 < sizeof content)
            strcpy(content + n + m, ")");
        snprintf(md, sizeof md, "%s", ev->name);
    } else {
        snprintf(md, sizeof md, "LOG%u", ntopics);
        snprintf(content, sizeof content, "topics=[");
        for (k = 0; k < ntopics; k++) {
            snprintf(content + strlen(content), sizeof content - strlen(content), "%s0x",
                     k ? ", " : "");
            hex_append(content, sizeof content, topics[k], 32);
        }
        snprintf(content + strlen(content), sizeof content - strlen(content), "] data=0x");
        hex_append(content, sizeof content, data, (size_t)len);
    }
    ct__arena_reset(&r->scratch);
    r->report->events++;
    return ct_writer_event(r->w, CT_EVENT_EVM, md, content) < 0 ? ct__evm_writer_failed(r)
                                                                 : CT_OK;
}

static ct_status error_event(ct__evm_rec *r, const char *md, const char *what)
{
    ct__frame_state *fs = &r->frames[r->depth];
    char content[CONTENT_MAX + 200];
    fs->failed = true;
    /* The frame keeps a one-line summary; the event below carries the whole text. */
    snprintf(fs->failure, sizeof fs->failure, "%.*s", (int)sizeof fs->failure - 1, what);
    snprintf(content, sizeof content, "%s: %s", fs->name, what);
    r->report->errors++;
    return ct_writer_event(r->w, CT_EVENT_ERROR, md, content) < 0 ? ct__evm_writer_failed(r)
                                                                   : CT_OK;
}

static ct_status revert_event(ct__evm_rec *r, const ct_evm_step *s)
{
    ct__frame_state *fs = &r->frames[r->depth];
    const uint8_t *data = NULL;
    uint64_t len = 0;
    char desc[CONTENT_MAX], md[96];
    const ct__abi *abis[MAX_ABIS];
    size_t nabis;
    if (s->stack_len >= 2)
        CT_TRY(mem_range(&data, &len, r, s, 0, 1));
    nabis = abis_for(abis, r, fs);
    ct__abi_describe_revert(desc, sizeof desc, md, sizeof md, abis, nabis, data, (size_t)len,
                            &r->scratch);
    ct__arena_reset(&r->scratch);
    return error_event(r, md, desc);
}

static ct_status keccak_preimage(ct__evm_rec *r, const ct_evm_step *s)
{
    const uint8_t *data;
    uint64_t len;
    if (!s->executed || s->push_len < 1 || s->stack_len < 2)
        return CT_OK;
    if (!ct__u256_to_u64(ct__evm_stack_item(s, 1), &len) || (len != 32 && len != 64))
        return CT_OK;
    CT_TRY(mem_range(&data, &len, r, s, 0, 1));
    if (ct__preimages_add(r->pre, &s->push[0], data, (size_t)len) < 0)
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    return CT_OK;
}

ct_status ct__evm_op_events(ct__evm_rec *r, const ct_evm_step *s)
{
    char what[200];
    switch (s->opcode) {
    case CT_OP_KECCAK256:
        CT_TRY(keccak_preimage(r, s));
        break;
    case CT_OP_LOG0: case CT_OP_LOG1: case CT_OP_LOG2: case CT_OP_LOG3: case CT_OP_LOG4:
        if (!s->error)
            return log_event(r, s, (unsigned)(s->opcode - CT_OP_LOG0));
        break;
    case CT_OP_REVERT:
        return revert_event(r, s);
    case CT_OP_INVALID:
        return error_event(r, "InvalidOpcode", "invalid opcode 0xfe (INVALID)");
    default:
        if (!ct__opcode(s->opcode)->name) {
            snprintf(what, sizeof what, "invalid opcode 0x%02x", s->opcode);
            return error_event(r, "InvalidOpcode", what);
        }
        break;
    }
    if (s->error) {
        snprintf(what, sizeof what, "%s at pc %llu (%s)", s->error,
                 (unsigned long long)s->pc, s->op ? s->op : "?");
        return error_event(r, "Failure", what);
    }
    return CT_OK;
}

ct_status ct__evm_root_failure(ct__evm_rec *r)
{
    if (r->depth != 1 || !r->tx->failed || r->frames[1].failed || !r->tx->error ||
        !*r->tx->error)
        return CT_OK;
    return error_event(r, "Failure", r->tx->error);
}
