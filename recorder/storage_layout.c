/* storageLayout parsing and slot naming; see storage_layout.h. */
#include "storage_layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "util/alloc.h"
#include "util/error.h"

#define GET(o, k) cJSON_GetObjectItemCaseSensitive((o), (k))

static void u256_from_decimal(ct_u256 *w, const char *s)
{
    memset(w, 0, sizeof *w);
    for (; *s >= '0' && *s <= '9'; s++) {
        unsigned carry = (unsigned)(*s - '0');
        int i;
        for (i = 31; i >= 0; i--) {
            unsigned x = w->bytes[i] * 10u + carry;
            w->bytes[i] = (uint8_t)x;
            carry = x >> 8;
        }
    }
}

ct_status ct__storage_layout_parse(ct__storage_layout *out, ct__arena *arena,
                                   const cJSON *layout, ct_error *err)
{
    const cJSON *list = GET(layout, "storage"), *v;
    size_t n = (size_t)cJSON_GetArraySize(list), i = 0;
    ct__storage_var *vars = ct__arena_alloc(arena, (n + 1) * sizeof *vars);
    if (!vars)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    cJSON_ArrayForEach(v, list) {
        const cJSON *label = GET(v, "label"), *type = GET(v, "type"), *slot = GET(v, "slot"),
                    *off = GET(v, "offset");
        if (!cJSON_IsString(label) || !cJSON_IsString(type))
            continue;
        vars[i].label = label->valuestring;
        vars[i].type = type->valuestring;
        u256_from_decimal(&vars[i].slot, cJSON_IsString(slot) ? slot->valuestring : "0");
        vars[i].offset = cJSON_IsNumber(off) ? (uint32_t)off->valuedouble : 0;
        i++;
    }
    out->vars = vars;
    out->nvars = i;
    out->types = GET(layout, "types");
    return CT_OK;
}

/* ---- preimage table: open addressing keyed by the hash ---------------------------------- */

typedef struct pre_entry {
    ct_u256 hash;
    ct_u256 words[2];
    uint8_t nwords;              /* 0 = empty slot */
} pre_entry;

struct ct__preimages {
    ct_allocator alloc;
    pre_entry *tab;
    size_t cap, n;
    size_t *singles;             /* indexes of 32-byte preimages (array bases) */
    size_t nsingles, capsingles;
};

ct_status ct__preimages_new(ct__preimages **out, const ct_allocator *a, ct_error *err)
{
    ct_allocator al = ct__allocator_or_default(a);
    ct__preimages *p = ct__calloc(&al, 1, sizeof *p);
    if (!p || !(p->tab = ct__calloc(&al, 256, sizeof *p->tab))) {
        ct__free(&al, p, sizeof *p);
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    }
    p->alloc = al;
    p->cap = 256;
    *out = p;
    return CT_OK;
}

void ct__preimages_free(ct__preimages *p)
{
    if (!p)
        return;
    ct__free(&p->alloc, p->tab, p->cap * sizeof *p->tab);
    ct__free(&p->alloc, p->singles, p->capsingles * sizeof *p->singles);
    ct__free(&p->alloc, p, sizeof *p);
}

void ct__preimages_clear(ct__preimages *p)
{
    memset(p->tab, 0, p->cap * sizeof *p->tab);
    p->n = 0;
    p->nsingles = 0;
}

static size_t bucket(const ct__preimages *p, const ct_u256 *h)
{
    uint64_t k;
    memcpy(&k, h->bytes + 24, 8);
    return (size_t)(k % p->cap);
}

static const pre_entry *lookup(const ct__preimages *p, const ct_u256 *h)
{
    size_t i = bucket(p, h);
    while (p->tab[i].nwords) {
        if (!memcmp(p->tab[i].hash.bytes, h->bytes, 32))
            return &p->tab[i];
        i = (i + 1) % p->cap;
    }
    return NULL;
}

static size_t insert_at(ct__preimages *p, const pre_entry *e)
{
    size_t i = bucket(p, &e->hash);
    while (p->tab[i].nwords && memcmp(p->tab[i].hash.bytes, e->hash.bytes, 32))
        i = (i + 1) % p->cap;
    if (!p->tab[i].nwords)
        p->n++;
    p->tab[i] = *e;
    return i;
}

static ct_status rehash(ct__preimages *p)
{
    pre_entry *old = p->tab;
    size_t oldcap = p->cap, i;
    p->tab = ct__calloc(&p->alloc, oldcap * 2, sizeof *p->tab);
    if (!p->tab) {
        p->tab = old;
        return CT_ENOMEM;
    }
    p->cap = oldcap * 2;
    p->n = 0;
    p->nsingles = 0;   /* indexes moved; rebuilt below */
    for (i = 0; i < oldcap; i++)
        if (old[i].nwords) {
            size_t at = insert_at(p, &old[i]);
            if (old[i].nwords == 1 && p->nsingles < p->capsingles)
                p->singles[p->nsingles++] = at;
        }
    ct__free(&p->alloc, old, oldcap * sizeof *old);
    return CT_OK;
}

ct_status ct__preimages_add(ct__preimages *p, const ct_u256 *hash, const uint8_t *input,
                            size_t len)
{
    pre_entry e;
    size_t at;
    if ((len != 32 && len != 64) || lookup(p, hash))
        return CT_OK;
    if ((p->n + 1) * 2 > p->cap)
        CT_TRY(rehash(p));
    memset(&e, 0, sizeof e);
    e.hash = *hash;
    e.nwords = (uint8_t)(len / 32);
    memcpy(e.words, input, len);
    if (len == 32 && p->nsingles == p->capsingles) {
        size_t nc = p->capsingles ? p->capsingles * 2 : 16;
        size_t *s = ct__realloc(&p->alloc, p->singles, p->capsingles * sizeof *s,
                                nc * sizeof *s);
        if (!s)
            return CT_ENOMEM;
        p->singles = s;
        p->capsingles = nc;
    }
    at = insert_at(p, &e);
    if (len == 32)
        p->singles[p->nsingles++] = at;
    return CT_OK;
}

/* ---- naming ------------------------------------------------------------------------------ */

typedef struct resolved {
    char name[256];
    const char *type;            /* solc type id */
    uint32_t offset;
} resolved;

static const char *type_field(const ct__storage_layout *l, const char *type, const char *key)
{
    const cJSON *f = GET(GET(l->types, type), key);
    return cJSON_IsString(f) ? f->valuestring : NULL;
}

static void format_key(char *buf, size_t cap, const ct__storage_layout *l, const char *ktype,
                       const ct_u256 *key)
{
    const char *label = type_field(l, ktype, "label");
    size_t i, n;
    if (label && !strncmp(label, "uint", 4)) {
        ct__u256_decimal(buf, cap, key->bytes, false);
        return;
    }
    if (label && !strncmp(label, "int", 3)) {
        ct__u256_decimal(buf, cap, key->bytes, true);
        return;
    }
    if (label && !strcmp(label, "bool")) {
        snprintf(buf, cap, "%s", key->bytes[31] ? "true" : "false");
        return;
    }
    /* address / contract: the low 20 bytes; bytesN: the high N bytes; else the word. */
    i = 0, n = 32;
    if (label && (!strcmp(label, "address") || !strncmp(label, "contract ", 9)))
        i = 12;
    else if (label && !strncmp(label, "bytes", 5) && label[5] >= '1' && label[5] <= '9')
        n = (size_t)atoi(label + 5);
    snprintf(buf, cap, "0x");
    for (; i < n && 2 * i + 3 < cap; i++)
        snprintf(buf + strlen(buf), cap - strlen(buf), "%02x", key->bytes[i]);
}

/* slot - base when 0 <= it < 2^16, else -1. */
static long small_diff(const ct_u256 *slot, const ct_u256 *base)
{
    uint8_t d[32];
    int i, borrow = 0;
    for (i = 31; i >= 0; i--) {
        int x = slot->bytes[i] - base->bytes[i] - borrow;
        borrow = x < 0;
        d[i] = (uint8_t)(x + (borrow ? 256 : 0));
    }
    if (borrow)
        return -1;
    for (i = 0; i < 30; i++)
        if (d[i])
            return -1;
    return (long)d[30] << 8 | d[31];
}

static bool resolve(resolved *r, const ct__storage_layout *l, const ct__preimages *p,
                    const ct_u256 *slot, int depth);

static bool resolve_mapping(resolved *r, const ct__storage_layout *l, const ct__preimages *p,
                            const pre_entry *e, int depth)
{
    resolved base;
    const char *ktype, *vtype;
    char key[80];
    if (!resolve(&base, l, p, &e->words[1], depth + 1))
        return false;
    ktype = type_field(l, base.type, "key");
    vtype = type_field(l, base.type, "value");
    if (!ktype || !vtype)
        return false;
    format_key(key, sizeof key, l, ktype, &e->words[0]);
    if (snprintf(r->name, sizeof r->name, "%s[%s]", base.name, key) >= (int)sizeof r->name)
        return false;
    r->type = vtype;
    r->offset = 0;
    return true;
}

static bool resolve_array(resolved *r, const ct__storage_layout *l, const ct__preimages *p,
                          const ct_u256 *slot, int depth)
{
    size_t i;
    for (i = 0; p && i < p->nsingles; i++) {
        const pre_entry *e = &p->tab[p->singles[i]];
        long diff = small_diff(slot, &e->hash);
        resolved base;
        const char *enc, *elem, *nb;
        long per, size;
        if (diff < 0 || !resolve(&base, l, p, &e->words[0], depth + 1))
            continue;
        enc = type_field(l, base.type, "encoding");
        elem = type_field(l, base.type, "base");
        if (enc && !strcmp(enc, "bytes")) {
            if (snprintf(r->name, sizeof r->name, "%s.data[%ld]", base.name, diff) >=
                (int)sizeof r->name)
                return false;
            r->type = "t_bytes32";
            r->offset = 0;
            return true;
        }
        if (!enc || strcmp(enc, "dynamic_array") || !elem)
            continue;
        nb = type_field(l, elem, "numberOfBytes");
        size = nb ? atol(nb) : 32;
        per = size >= 32 ? -((size + 31) / 32) : 32 / (size ? size : 32);
        if (snprintf(r->name, sizeof r->name, "%s[%ld]", base.name,
                     per < 0 ? diff / -per : diff * per) >= (int)sizeof r->name)
            return false;
        r->type = elem;
        r->offset = 0;
        return true;
    }
    return false;
}

static bool resolve(resolved *r, const ct__storage_layout *l, const ct__preimages *p,
                    const ct_u256 *slot, int depth)
{
    size_t i;
    const pre_entry *e;
    if (depth > 8)
        return false;
    for (i = 0; l && i < l->nvars; i++)
        if (!memcmp(l->vars[i].slot.bytes, slot->bytes, 32)) {
            snprintf(r->name, sizeof r->name, "%s", l->vars[i].label);
            r->type = l->vars[i].type;
            r->offset = l->vars[i].offset;
            return true;
        }
    e = p ? lookup(p, slot) : NULL;
    if (e && e->nwords == 2 && resolve_mapping(r, l, p, e, depth))
        return true;
    return resolve_array(r, l, p, slot, depth);
}

static ct__slot_kind kind_of(const char *label)
{
    if (!label) return CT__SLOT_RAW;
    if (!strncmp(label, "uint", 4)) return CT__SLOT_UINT;
    if (!strncmp(label, "int", 3)) return CT__SLOT_INT;
    if (!strcmp(label, "bool")) return CT__SLOT_BOOL;
    if (!strcmp(label, "address") || !strncmp(label, "address ", 8) ||
        !strncmp(label, "contract ", 9))
        return CT__SLOT_ADDRESS;
    if (!strncmp(label, "bytes", 5) && label[5] >= '1' && label[5] <= '9') return CT__SLOT_BYTES;
    if (!strncmp(label, "enum ", 5)) return CT__SLOT_UINT;
    return CT__SLOT_RAW;
}

bool ct__storage_name_slot(ct__slot_info *out, const ct__storage_layout *layout,
                           const ct__preimages *pre, const ct_u256 *slot)
{
    resolved r;
    const char *label, *nb;
    memset(out, 0, sizeof *out);
    out->kind = CT__SLOT_RAW;
    out->nbytes = 32;
    if (!resolve(&r, layout, pre, slot, 0))
        return false;
    label = type_field(layout, r.type, "label");
    nb = type_field(layout, r.type, "numberOfBytes");
    snprintf(out->name, sizeof out->name, "%s", r.name);
    snprintf(out->type_label, sizeof out->type_label, "%s", label ? label : r.type);
    out->kind = kind_of(label);
    out->offset = r.offset;
    out->nbytes = nb ? (uint32_t)atol(nb) : 32;
    if (out->nbytes == 0 || out->nbytes > 32 || out->kind == CT__SLOT_RAW ||
        out->offset + out->nbytes > 32) {
        out->offset = 0;
        out->nbytes = 32;
    }
    return true;
}
