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
    int pick;                    /* which of several variables packed in the slot (consumed) */
} resolved;

/* At a choice among `count` packed candidates: the one asked for, or -1 when out of range. */
static int choose(resolved *r, int count)
{
    int k;
    if (count <= 1)
        return 0;
    k = r->pick;
    r->pick = 0;
    return k < count ? k : -1;
}

static const char *type_field(const ct__storage_layout *l, const char *type, const char *key)
{
    const cJSON *f;
    if (!l)
        return NULL;
    f = GET(GET(l->types, type), key);
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

static long type_slots(const ct__storage_layout *l, const char *type)
{
    const char *nb = type_field(l, type, "numberOfBytes");
    long n = nb ? atol(nb) : 32;
    return n <= 32 ? 1 : (n + 31) / 32;
}

/* r->name = "<base>.<member>" / "<base>[<i>]" / "<base>.data[<i>]"; false when too long. */
static bool name_member(resolved *r, const char *base, const char *member)
{
    int n = snprintf(r->name, sizeof r->name, "%s.%s", base, member ? member : "?");
    return n >= 0 && (size_t)n < sizeof r->name;
}

static bool name_index(resolved *r, const char *base, const char *sep, long i)
{
    int n = snprintf(r->name, sizeof r->name, "%s%s[%ld]", base, sep, i);
    return n >= 0 && (size_t)n < sizeof r->name;
}

/* The variable `d` slots into a value of `type` named r->name: a struct member or a static
 * array element, recursively; d == 0 of a plain type is the value itself. */
static bool descend(resolved *r, const ct__storage_layout *l, const char *type, long d,
                    int depth)
{
    const cJSON *t = GET(l->types, type), *members = GET(t, "members"), *m, *best = NULL;
    const char *base = type_field(l, type, "base"), *enc = type_field(l, type, "encoding");
    char name[sizeof r->name];
    long bslot = 0;
    r->type = type;
    if (depth > 8)
        return false;
    if (cJSON_IsArray(members)) {
        int count = 0, k;
        cJSON_ArrayForEach(m, members) {
            const cJSON *ms = GET(m, "slot"), *mt = GET(m, "type");
            long s = cJSON_IsString(ms) ? atol(ms->valuestring) : 0;
            if (cJSON_IsString(mt) && s <= d && d < s + type_slots(l, mt->valuestring))
                count++;
        }
        if ((k = choose(r, count)) < 0)
            return false;
        cJSON_ArrayForEach(m, members) {
            const cJSON *ms = GET(m, "slot"), *mt = GET(m, "type");
            long s = cJSON_IsString(ms) ? atol(ms->valuestring) : 0;
            if (!cJSON_IsString(mt) || s > d || d >= s + type_slots(l, mt->valuestring) ||
                k-- > 0)
                continue;
            best = m;
            bslot = s;
            break;
        }
        if (!best)
            return false;
        snprintf(name, sizeof name, "%s", r->name);
        if (!name_member(r, name, cJSON_GetStringValue(GET(best, "label"))))
            return false;
        r->offset = cJSON_IsNumber(GET(best, "offset")) ? (uint32_t)GET(best, "offset")->valuedouble
                                                        : 0;
        return descend(r, l, cJSON_GetStringValue(GET(best, "type")), d - bslot, depth + 1);
    }
    if (base && enc && !strcmp(enc, "inplace")) {   /* a static array */
        const char *nb = type_field(l, base, "numberOfBytes");
        long size = nb ? atol(nb) : 32, spe = type_slots(l, base);
        snprintf(name, sizeof name, "%s", r->name);
        r->offset = 0;
        if (size > 0 && size <= 16) {
            int k = choose(r, (int)(32 / size));
            r->offset = (uint32_t)(k * size);
            return k >= 0 && name_index(r, name, "", d * (32 / size) + k) &&
                   descend(r, l, base, 0, depth + 1);
        }
        return name_index(r, name, "", d / spe) &&
               descend(r, l, base, d % spe, depth + 1);
    }
    return d == 0;
}

/* ERC-1967 proxy slots (keccak256("eip1967.proxy.<x>") - 1): named whatever the layout. */
static bool well_known(resolved *r, const ct_u256 *slot)
{
    static const struct { const char *name; uint8_t head[4]; } known[] = {
        {"eip1967.proxy.implementation", {0x36, 0x08, 0x94, 0xa1}},
        {"eip1967.proxy.admin", {0xb5, 0x31, 0x27, 0x68}},
        {"eip1967.proxy.beacon", {0xa3, 0xf0, 0xad, 0x74}}};
    static const uint8_t tails[3][4] = {{0x5d, 0x38, 0x2b, 0xbc}, {0x5b, 0x5d, 0x61, 0x03},
                                        {0x51, 0x33, 0x3d, 0x50}};
    size_t i;
    for (i = 0; i < 3; i++)
        if (!memcmp(slot->bytes, known[i].head, 4) && !memcmp(slot->bytes + 28, tails[i], 4)) {
            snprintf(r->name, sizeof r->name, "%s", known[i].name);
            r->type = "t_address";
            r->offset = 0;
            return true;
        }
    return false;
}

static bool resolve_mapping(resolved *r, const ct__storage_layout *l, const ct__preimages *p,
                            const pre_entry *e, long d, int depth)
{
    resolved base;
    const char *ktype, *vtype;
    char key[80];
    base.pick = 0;
    if (!resolve(&base, l, p, &e->words[1], depth + 1))
        return false;
    ktype = type_field(l, base.type, "key");
    vtype = type_field(l, base.type, "value");
    if (!ktype || !vtype || d >= type_slots(l, vtype))
        return false;
    format_key(key, sizeof key, l, ktype, &e->words[0]);
    {
        int n = snprintf(r->name, sizeof r->name, "%s[%s]", base.name, key);
        if (n < 0 || (size_t)n >= sizeof r->name)
            return false;
    }
    r->offset = 0;
    return descend(r, l, vtype, d, depth + 1);
}

/* A value inside a mapping entry (a struct member) lives a few slots after the entry. */
static bool resolve_near_mapping(resolved *r, const ct__storage_layout *l,
                                 const ct__preimages *p, const ct_u256 *slot, int depth)
{
    size_t i;
    for (i = 0; p && i < p->cap; i++) {
        const pre_entry *e = &p->tab[i];
        long d;
        if (e->nwords != 2 || (d = small_diff(slot, &e->hash)) <= 0)
            continue;
        if (resolve_mapping(r, l, p, e, d, depth))
            return true;
    }
    return false;
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
        long size, spe;
        base.pick = 0;
        if (diff < 0 || !resolve(&base, l, p, &e->words[0], depth + 1))
            continue;
        enc = type_field(l, base.type, "encoding");
        elem = type_field(l, base.type, "base");
        if (enc && !strcmp(enc, "bytes")) {
            r->type = "t_bytes32";
            r->offset = 0;
            return name_index(r, base.name, ".data", diff);
        }
        if (!enc || strcmp(enc, "dynamic_array") || !elem)
            continue;
        nb = type_field(l, elem, "numberOfBytes");
        size = nb ? atol(nb) : 32;
        spe = type_slots(l, elem);
        r->offset = 0;
        if (size > 0 && size <= 16) {
            int k = choose(r, (int)(32 / size));
            r->offset = (uint32_t)(k * size);
            return k >= 0 && name_index(r, base.name, "", diff * (32 / size) + k) &&
                   descend(r, l, elem, 0, depth + 1);
        }
        return name_index(r, base.name, "", diff / spe) &&
               descend(r, l, elem, diff % spe, depth + 1);
    }
    return false;
}

static bool resolve(resolved *r, const ct__storage_layout *l, const ct__preimages *p,
                    const ct_u256 *slot, int depth)
{
    size_t i;
    const pre_entry *e;
    int count = 0, k;
    if (depth > 8)
        return false;
    for (i = 0; l && i < l->nvars; i++) {
        long d = small_diff(slot, &l->vars[i].slot);
        count += d >= 0 && d < type_slots(l, l->vars[i].type);
    }
    if (count && (k = choose(r, count)) < 0)
        return false;
    for (i = 0; count && l && i < l->nvars; i++) {
        long d = small_diff(slot, &l->vars[i].slot);
        if (d < 0 || d >= type_slots(l, l->vars[i].type) || k-- > 0)
            continue;
        snprintf(r->name, sizeof r->name, "%s", l->vars[i].label);
        r->offset = l->vars[i].offset;
        return descend(r, l, l->vars[i].type, d, depth);
    }
    e = p ? lookup(p, slot) : NULL;
    if (e && e->nwords == 2 && resolve_mapping(r, l, p, e, 0, depth))
        return true;
    if (resolve_array(r, l, p, slot, depth) || resolve_near_mapping(r, l, p, slot, depth))
        return true;
    return depth == 0 && r->pick == 0 && well_known(r, slot);
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
    if (!strcmp(label, "string")) return CT__SLOT_STRING;
    if (!strcmp(label, "bytes")) return CT__SLOT_DYN_BYTES;
    return CT__SLOT_RAW;
}

bool ct__storage_name_slot(ct__slot_info *out, const ct__storage_layout *layout,
                           const ct__preimages *pre, const ct_u256 *slot, int index)
{
    resolved r;
    const char *label, *nb;
    memset(out, 0, sizeof *out);
    out->kind = CT__SLOT_RAW;
    out->nbytes = 32;
    r.pick = index;
    if (!resolve(&r, layout, pre, slot, 0) || r.pick != 0)
        return false;
    label = type_field(layout, r.type, "label");
    nb = type_field(layout, r.type, "numberOfBytes");
    if (!label && !strcmp(r.type, "t_address")) {   /* a well-known slot, layout or not */
        label = "address";
        nb = "20";
    }
    snprintf(out->name, sizeof out->name, "%s", r.name);
    snprintf(out->type_label, sizeof out->type_label, "%s", label ? label : r.type);
    out->kind = kind_of(label);
    out->offset = r.offset;
    out->nbytes = nb ? (uint32_t)atol(nb) : 32;
    if (out->nbytes == 0 || out->nbytes > 32 || out->kind == CT__SLOT_RAW ||
        out->kind == CT__SLOT_STRING || out->kind == CT__SLOT_DYN_BYTES ||
        out->offset + out->nbytes > 32) {
        out->offset = 0;
        out->nbytes = 32;
    }
    return true;
}
