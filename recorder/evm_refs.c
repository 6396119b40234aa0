/*
 * Reference-type arguments and return values of internal calls: the stack holds a memory
 * pointer or a calldata offset (and length), the debugger shows the data. Memory follows
 * solc's layout (bytes/string: length word then the bytes; T[]: length word then one word
 * per element; T[N] and structs: one word per element or member; reference elements are
 * pointers to their own data); calldata is ABI-encoded relative to the offset. Every read is
 * bounds-checked against the step's memory or the frame's calldata: a bad pointer gives an
 * Error value and a reason, never a read outside.
 */
#include "evm_rec.h"

#include <stdio.h>
#include <string.h>

#include "util/error.h"

/* Values are written at every step: long ones are cut so a step stays cheap. */
#define MAX_REF_BYTES 4096
#define MAX_REF_ITEMS 256
#define MAX_REF_DEPTH 8

typedef struct mem {
    ct__arena *a;
    const uint8_t *m;
    uint64_t len;
    char *why;
    size_t whycap;
    bool cut;
} mem;

static bool word_u64(const uint8_t *w, uint64_t *out)
{
    size_t i;
    for (i = 0; i < 24; i++)
        if (w[i])
            return false;
    *out = 0;
    for (i = 24; i < 32; i++)
        *out = *out << 8 | w[i];
    return true;
}

static ct_status bad(mem *d, const char *what, uint64_t at)
{
    snprintf(d->why, d->whycap, "%s at memory 0x%llx is outside the %llu bytes of memory", what,
             (unsigned long long)at, (unsigned long long)d->len);
    return CT_EPARSE;
}

/* solc's zero slot: uninitialized memory references point there (an empty bytes or array);
 * it reads as zero even before memory has grown over it. */
#define ZERO_SLOT 0x60

/* The 32-byte word at `at`, bounds-checked. */
static ct_status word_at(mem *d, uint64_t at, const uint8_t **w, const char *what)
{
    static const uint8_t zero[32];
    if (at == ZERO_SLOT && d->len < ZERO_SLOT + 32) {
        *w = zero;
        return CT_OK;
    }
    if (at > d->len || d->len - at < 32)
        return bad(d, what, at);
    *w = d->m + at;
    return CT_OK;
}

static ct_status mem_value(mem *d, ct__abi_value *v, const ct__abi_type *t, uint64_t ptr,
                           int depth);

static bool is_reference(const ct__abi_type *t)
{
    return t->kind == CT__ABI_BYTES || t->kind == CT__ABI_STRING || t->kind == CT__ABI_ARRAY ||
           t->kind == CT__ABI_DYN_ARRAY || t->kind == CT__ABI_TUPLE;
}

/* `n` words from `at`: values in place, references through their pointers. */
static ct_status mem_items(mem *d, ct__abi_value *v, const ct__abi_type *t, uint64_t at,
                           size_t n, int depth)
{
    ct__abi_value *items = ct__arena_alloc(d->a, (n ? n : 1) * sizeof *items);
    size_t i;
    if (!items)
        return CT_ENOMEM;
    v->items = items;
    v->count = n;
    for (i = 0; i < n; i++) {
        const ct__abi_type *et = t->kind == CT__ABI_TUPLE ? t->fields[i] : t->elem;
        const uint8_t *w;
        uint64_t p;
        CT_TRY(word_at(d, at + 32 * i, &w, et->canonical));
        if (!is_reference(et)) {
            items[i].type = et;
            items[i].data = w;
            items[i].len = 32;
        } else if (!word_u64(w, &p)) {
            return bad(d, "a pointer beyond 2^64 stored", at + 32 * i);
        } else {
            CT_TRY(mem_value(d, &items[i], et, p, depth + 1));
        }
    }
    return CT_OK;
}

static ct_status mem_value(mem *d, ct__abi_value *v, const ct__abi_type *t, uint64_t ptr,
                           int depth)
{
    const uint8_t *w;
    uint64_t n;
    memset(v, 0, sizeof *v);
    v->type = t;
    if (depth > MAX_REF_DEPTH) {
        snprintf(d->why, d->whycap, "nested deeper than %d levels", MAX_REF_DEPTH);
        return CT_EPARSE;
    }
    if (ptr > d->len && ptr != ZERO_SLOT)   /* also keeps ptr + 32 * i from wrapping */
        return bad(d, "a pointer", ptr);
    if (!is_reference(t)) {
        CT_TRY(word_at(d, ptr, &w, t->canonical));
        v->data = w;
        v->len = 32;
        return CT_OK;
    }
    if (t->kind == CT__ABI_TUPLE || t->kind == CT__ABI_ARRAY) {
        n = t->kind == CT__ABI_TUPLE ? t->nfields : t->length;
        if (n > MAX_REF_ITEMS) {
            n = MAX_REF_ITEMS;
            d->cut = true;
        }
        return mem_items(d, v, t, ptr, (size_t)n, depth);
    }
    CT_TRY(word_at(d, ptr, &w, "length"));
    if (!word_u64(w, &n) || n > d->len)
        return bad(d, "a length beyond memory", ptr);
    if (t->kind == CT__ABI_DYN_ARRAY) {
        if (n > MAX_REF_ITEMS) {
            n = MAX_REF_ITEMS;
            d->cut = true;
        }
        return mem_items(d, v, t, ptr + 32, (size_t)n, depth);
    }
    if (!n) {   /* also the zero slot, which may lie past the memory */
        v->data = (const uint8_t *)"";
        v->len = 0;
        return CT_OK;
    }
    if (d->len - ptr - 32 < n)
        return bad(d, "the end of the bytes", ptr + 32 + n);
    if (n > MAX_REF_BYTES) {
        n = MAX_REF_BYTES;
        d->cut = true;
    }
    v->data = d->m + ptr + 32;
    v->len = (size_t)n;
    return CT_OK;
}

/* Calldata: the ABI decoder, relative to the offset; dynamic arrays as a static array of the
 * length on the stack. */
static ct_status calldata_value(ct__abi_value *v, ct__evm_rec *r, ct__arena *a,
                                const ct__param_shape *sh, const ct_u256 *words,
                                const ct_evm_frame *f, mem *d)
{
    uint64_t off, n = 0;
    ct__abi_type *arr;
    ct_error de;
    (void)r;
    if (!f->input_known || f->kind == CT_FRAME_CREATE || f->kind == CT_FRAME_CREATE2 ||
        f->kind == CT_FRAME_ROOT_CREATE) {
        snprintf(d->why, d->whycap, "the frame's calldata is not known");
        return CT_EPARSE;
    }
    if (!word_u64(words[0].bytes, &off) || off > f->input_len ||
        (sh->loc == CT__PARAM_CALLDATA_DYN && (!word_u64(words[1].bytes, &n) ||
                                               n > f->input_len - off))) {
        snprintf(d->why, d->whycap, "calldata offset or length outside the %zu bytes of "
                 "calldata", f->input_len);
        return CT_EPARSE;
    }
    memset(v, 0, sizeof *v);
    v->type = sh->abi;
    if (sh->abi->kind == CT__ABI_BYTES || sh->abi->kind == CT__ABI_STRING) {
        d->cut = n > MAX_REF_BYTES;
        v->data = f->input + off;
        v->len = (size_t)(d->cut ? MAX_REF_BYTES : n);
        return CT_OK;
    }
    if (sh->abi->kind == CT__ABI_DYN_ARRAY) {
        if (!(arr = ct__arena_alloc(a, sizeof *arr)))
            return CT_ENOMEM;
        *arr = *sh->abi;
        arr->kind = CT__ABI_ARRAY;
        d->cut = n > MAX_REF_ITEMS;
        arr->length = (size_t)(d->cut ? MAX_REF_ITEMS : n);
        if (ct__abi_decode(v, a, arr, f->input + off, f->input_len - off, &de) < 0)
            goto undecodable;
        v->type = sh->abi;
        return CT_OK;
    }
    if (ct__abi_decode(v, a, sh->abi, f->input + off, f->input_len - off, &de) == CT_OK)
        return CT_OK;
undecodable:
    if (de.code == CT_ENOMEM)
        return CT_ENOMEM;
    snprintf(d->why, d->whycap, "calldata at 0x%llx: %s", (unsigned long long)off, de.message);
    return CT_EPARSE;
}

ct_status ct__evm_ref_value(ct_value *out, ct__evm_rec *r, ct__arena *a,
                            const ct__param_shape *sh, const ct_u256 *words,
                            const ct_evm_step *s, char *why, size_t whycap)
{
    ct__abi_value v;
    mem d;
    uint64_t ptr;
    ct_status rc;
    char *msg;
    d.a = a;
    d.m = s->memory;
    d.len = s->memory_len;
    d.why = why;
    d.whycap = whycap;
    d.cut = false;
    why[0] = '\0';
    if (sh->loc == CT__PARAM_MEMORY)
        rc = word_u64(words[0].bytes, &ptr) ? mem_value(&d, &v, sh->abi, ptr, 0)
                                            : bad(&d, "a pointer beyond 2^64", UINT64_MAX);
    else
        rc = calldata_value(&v, r, a, sh, words, s->frame, &d);
    if (rc == CT_ENOMEM)
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    if (rc == CT_OK) {
        CT_TRY(ct__evm_abi_value(out, r, a, &v));
        if (d.cut && out->kind == CT_VALUE_SEQUENCE)
            out->as.seq.is_slice = true;
        return CT_OK;
    }
    if (!(msg = ct__arena_strndup(a, why, strlen(why))))
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    *out = ct_value_text(CT_VALUE_ERROR, r->t_error, msg, strlen(msg));
    return CT_OK;
}

size_t ct__evm_shape_slots(const ct__param_shape *shapes, size_t n)
{
    size_t i, total = 0;
    for (i = 0; i < n; i++)
        total += shapes ? shapes[i].slots : 1;
    return total;
}

/* A value-type stack word as its type says: the legacy code generator may leave dirty bits
 * above a small type (cleaned only when used), bytesN is left-aligned, enums are uint8. */
static bool scalar_value(ct_value *out, ct__evm_rec *r, const ct__abi_type *t,
                         const char *lang, const ct_u256 *word, int slot)
{
    ct_u256 *w = &r->cleaned[slot];
    ct_type_id tid;
    size_t n, i;
    bool any = false;
    switch (t->kind) {
    case CT__ABI_UINT:
    case CT__ABI_INT:
        n = t->size / 8;
        memcpy(w, word, sizeof *w);
        if (n < 32)   /* zero- or sign-extend from the type's top bit */
            memset(w->bytes, t->kind == CT__ABI_INT && (w->bytes[32 - n] & 0x80) ? 0xff : 0,
                   32 - n);
        if (ct_writer_type_id(&tid, r->w, CT_TYPE_INT, *lang ? lang : t->canonical) < 0)
            return false;
        *out = ct_value_bigint_from_u256(tid, w, t->kind == CT__ABI_INT, &r->bigscratch[slot]);
        return true;
    case CT__ABI_BOOL:
        for (i = 0; i < 32; i++)
            any |= word->bytes[i] != 0;
        *out = ct_value_bool(r->t_bool, any);
        return true;
    case CT__ABI_FIXED_BYTES:
        memset(w, 0, sizeof *w);
        memcpy(w->bytes + 32 - t->size, word->bytes, t->size);
        if (ct_writer_type_id(&tid, r->w, CT_TYPE_RAW, t->canonical) < 0)
            return false;
        *out = ct_value_raw_from_u256(tid, w, t->size, r->wordhex[slot]);
        return true;
    default:
        return false;
    }
}

ct_status ct__evm_param_value(ct_value *out, ct__evm_rec *r, ct__arena *a,
                              const ct__param_shape *sh, const char *type,
                              const ct_u256 *words, int slot, const ct_evm_step *s,
                              char *why, size_t whycap)
{
    why[0] = '\0';
    if (sh && sh->abi && (sh->loc == CT__PARAM_MEMORY || sh->loc == CT__PARAM_CALLDATA ||
                          sh->loc == CT__PARAM_CALLDATA_DYN))
        return ct__evm_ref_value(out, r, a, sh, words, s, why, whycap);
    if (sh && sh->loc != CT__PARAM_VALUE) {   /* a pointer we cannot follow: the word */
        ct_type_id t;
        if (ct_writer_type_id(&t, r->w, CT_TYPE_RAW, type) < 0)
            return ct__evm_writer_failed(r);
        *out = ct_value_raw_from_u256(t, &words[0], 32, r->wordhex[slot]);
        return CT_OK;
    }
    if (sh && sh->abi && scalar_value(out, r, sh->abi, type, &words[0], slot))
        return CT_OK;
    if (r->w && ct_writer_error(r->w)->code < 0)
        return ct__evm_writer_failed(r);
    return ct__evm_word_value(out, r, type, &words[0], slot);
}
