/* ABI decoding (head/tail encoding of docs/abi-spec.rst) and rendering of decoded values. */
#include "abi.h"

#include <stdio.h>
#include <string.h>

#include "util/error.h"

typedef struct dec {
    ct__arena *arena;
    const uint8_t *data;
    size_t len;
    ct_error *err;
} dec;

static ct_status short_data(dec *d, const ct__abi_type *t, uint64_t pos)
{
    return ct__error_set_at(d->err, CT_EPARSE, pos,
                            "ABI data too short for %s at byte %llu (have %zu bytes)",
                            t->canonical, (unsigned long long)pos, d->len);
}

/* A word used as an offset or a length: must fit the data at all to be meaningful. */
static ct_status read_size(dec *d, const ct__abi_type *t, uint64_t pos, uint64_t *out)
{
    size_t i;
    if (pos > d->len || d->len - pos < 32)
        return short_data(d, t, pos);
    for (i = 0; i < 24; i++)
        if (d->data[pos + i])
            return ct__error_set_at(d->err, CT_EPARSE, pos,
                                    "ABI offset or length of %s at byte %llu is out of range",
                                    t->canonical, (unsigned long long)pos);
    *out = 0;
    for (i = 24; i < 32; i++)
        *out = (*out << 8) | d->data[pos + i];
    if (*out > d->len)
        return ct__error_set_at(d->err, CT_EPARSE, pos,
                                "ABI offset or length of %s at byte %llu is %llu, beyond the "
                                "%zu bytes of data", t->canonical, (unsigned long long)pos,
                                (unsigned long long)*out, d->len);
    return CT_OK;
}

static uint64_t static_size(const ct__abi_type *t)
{
    uint64_t s = 0;
    size_t i;
    if (t->kind == CT__ABI_ARRAY)
        return t->length * static_size(t->elem);
    if (t->kind == CT__ABI_TUPLE) {
        for (i = 0; i < t->nfields; i++)
            s += ct__abi_is_dynamic(t->fields[i]) ? 32 : static_size(t->fields[i]);
        return s;
    }
    return 32;
}

static ct_status decode_at(dec *d, ct__abi_value *v, const ct__abi_type *t, uint64_t pos);

/* Elements of a tuple or array whose heads start at `base`; dynamic ones are relative to it. */
static ct_status decode_seq(dec *d, ct__abi_value *v, const ct__abi_type *t, uint64_t base,
                            size_t n)
{
    ct__abi_value *items;
    uint64_t head = base;
    size_t i;
    items = ct__arena_alloc(d->arena, (n ? n : 1) * sizeof *items);
    if (!items)
        return ct__error_set(d->err, CT_ENOMEM, "out of memory");
    v->items = items;
    v->count = n;
    for (i = 0; i < n; i++) {
        const ct__abi_type *et = t->kind == CT__ABI_TUPLE ? t->fields[i] : t->elem;
        if (ct__abi_is_dynamic(et)) {
            uint64_t off;
            CT_TRY(read_size(d, et, head, &off));
            if (base + off > d->len)
                return short_data(d, et, base + off);
            CT_TRY(decode_at(d, &items[i], et, base + off));
            head += 32;
        } else {
            CT_TRY(decode_at(d, &items[i], et, head));
            head += static_size(et);
        }
    }
    return CT_OK;
}

static ct_status decode_bytes(dec *d, ct__abi_value *v, const ct__abi_type *t, uint64_t pos)
{
    uint64_t n;
    CT_TRY(read_size(d, t, pos, &n));
    if (d->len - pos - 32 < n)
        return short_data(d, t, pos + 32);
    v->data = d->data + pos + 32;
    v->len = (size_t)n;
    return CT_OK;
}

static ct_status decode_at(dec *d, ct__abi_value *v, const ct__abi_type *t, uint64_t pos)
{
    uint64_t n;
    v->type = t;
    switch (t->kind) {
    case CT__ABI_BYTES:
    case CT__ABI_STRING:
        return decode_bytes(d, v, t, pos);
    case CT__ABI_DYN_ARRAY:
        CT_TRY(read_size(d, t, pos, &n));
        if (n > (d->len - pos - 32) / 32)
            return short_data(d, t, pos + 32);
        return decode_seq(d, v, t, pos + 32, (size_t)n);
    case CT__ABI_ARRAY:
        if (t->length > d->len / 32 + 1)
            return short_data(d, t, pos);
        return decode_seq(d, v, t, pos, t->length);
    case CT__ABI_TUPLE:
        return decode_seq(d, v, t, pos, t->nfields);
    default:
        if (pos > d->len || d->len - pos < 32)
            return short_data(d, t, pos);
        v->data = d->data + pos;
        v->len = 32;
        return CT_OK;
    }
}

ct_status ct__abi_decode(ct__abi_value *out, ct__arena *arena, const ct__abi_type *tuple,
                         const uint8_t *data, size_t len, ct_error *err)
{
    dec d;
    d.arena = arena;
    d.data = data;
    d.len = len;
    d.err = err;
    memset(out, 0, sizeof *out);
    return decode_at(&d, out, tuple, 0);
}

/* Build the type of the non-indexed inputs so the data part decodes as one tuple. */
static ct_status data_tuple(const ct__abi_type **out, ct__arena *arena, const ct__abi_type *in,
                            ct_error *err)
{
    ct__abi_type *t = ct__arena_alloc(arena, sizeof *t);
    size_t i;
    if (!t || !(t->fields = ct__arena_alloc(arena, (in->nfields + 1) * sizeof *t->fields)))
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    t->kind = CT__ABI_TUPLE;
    t->canonical = "(data)";
    for (i = 0; i < in->nfields; i++)
        if (!in->indexed[i])
            t->fields[t->nfields++] = in->fields[i];
    *out = t;
    return CT_OK;
}

ct_status ct__abi_decode_event(ct__abi_value *out, ct__arena *arena, const ct__abi_entry *ev,
                               const uint8_t (*topics)[32], size_t ntopics,
                               const uint8_t *data, size_t len, ct_error *err)
{
    const ct__abi_type *in = ev->inputs, *dt = NULL;
    ct__abi_value body, *items;
    size_t i, ti = ev->anonymous ? 0 : 1, di = 0;
    CT_TRY(data_tuple(&dt, arena, in, err));
    CT_TRY(ct__abi_decode(&body, arena, dt, data, len, err));
    items = ct__arena_alloc(arena, (in->nfields + 1) * sizeof *items);
    if (!items)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    for (i = 0; i < in->nfields; i++) {
        if (!in->indexed[i]) {
            items[i] = body.items[di++];
            continue;
        }
        if (ti >= ntopics)
            return ct__error_set(err, CT_EPARSE, "event %s: %zu topics, indexed argument %zu "
                                 "missing", ev->signature, ntopics, i);
        items[i].type = in->fields[i];
        items[i].data = topics[ti++];
        items[i].len = 32;
        items[i].hashed = in->fields[i]->kind >= CT__ABI_BYTES &&
                          in->fields[i]->kind != CT__ABI_FUNCTION;
    }
    memset(out, 0, sizeof *out);
    out->type = in;
    out->items = items;
    out->count = in->nfields;
    return CT_OK;
}
