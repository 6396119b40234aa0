/*
 * Open-addressing hash table of copied byte keys. Entries live in an insertion-ordered array and
 * the slot array holds indices, so growing rehashes indices only and the stored hash avoids
 * re-reading keys. Deletion is never needed: a trace only ever defines names.
 */
#include "intern.h"

#include "util/alloc.h"
#include "util/error.h"

#include <string.h>

/* FNV-1a; names are short and this keeps the per-step variable lookup cheap. */
static uint64_t hash_bytes(const unsigned char *p, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u;
    size_t i;
    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h ^ (h >> 29);
}

ct_status ct__grow_array(const ct_allocator *a, void **p, size_t *cap, size_t need, size_t elem)
{
    size_t ncap = *cap ? *cap : 8;
    void *np;
    if (need <= *cap)
        return CT_OK;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem)
            return CT_ENOMEM;
        ncap *= 2;
    }
    np = ct__realloc(a, *p, *cap * elem, ncap * elem);
    if (!np)
        return CT_ENOMEM;
    *p = np;
    *cap = ncap;
    return CT_OK;
}

void ct__intern_free(ct__intern *t, const ct_allocator *a)
{
    size_t i;
    for (i = 0; i < t->count; i++)
        ct__free(a, t->entries[i].key, t->entries[i].len ? t->entries[i].len : 1);
    ct__free(a, t->entries, t->cap * sizeof *t->entries);
    ct__free(a, t->slots, t->nslots * sizeof *t->slots);
    memset(t, 0, sizeof *t);
}

bool ct__intern_find(const ct__intern *t, const void *key, size_t len, uint64_t *id)
{
    uint64_t h;
    size_t mask, i;
    if (t->nslots == 0)
        return false;
    h = hash_bytes(key, len);
    mask = t->nslots - 1;
    for (i = (size_t)h & mask; t->slots[i] != 0; i = (i + 1) & mask) {
        const ct__intern_entry *e = &t->entries[t->slots[i] - 1];
        if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0) {
            *id = e->id;
            return true;
        }
    }
    return false;
}

static void place_slot(size_t *slots, size_t nslots, uint64_t h, size_t index)
{
    size_t mask = nslots - 1, i;
    for (i = (size_t)h & mask; slots[i] != 0; i = (i + 1) & mask)
        ;
    slots[i] = index + 1;
}

/* Keep the load factor at or below 1/2. */
static ct_status ensure_slots(ct__intern *t, const ct_allocator *a, size_t count)
{
    size_t n = t->nslots ? t->nslots : 16, i;
    size_t *slots;
    if (count * 2 <= t->nslots)
        return CT_OK;
    while (count * 2 > n) {
        if (n > SIZE_MAX / 2 / sizeof *slots)
            return CT_ENOMEM;
        n *= 2;
    }
    slots = ct__calloc(a, n, sizeof *slots);
    if (!slots)
        return CT_ENOMEM;
    for (i = 0; i < t->count; i++)
        place_slot(slots, n, t->entries[i].hash, i);
    ct__free(a, t->slots, t->nslots * sizeof *t->slots);
    t->slots = slots;
    t->nslots = n;
    return CT_OK;
}

ct_status ct__intern_add(ct__intern *t, const ct_allocator *a, const void *key, size_t len,
                         uint64_t id)
{
    ct__intern_entry *e;
    unsigned char *copy;
    void *entries = t->entries;
    CT_TRY(ct__grow_array(a, &entries, &t->cap, t->count + 1, sizeof *t->entries));
    t->entries = entries;
    CT_TRY(ensure_slots(t, a, t->count + 1));
    copy = ct__malloc(a, len ? len : 1);
    if (!copy)
        return CT_ENOMEM;
    if (len)
        memcpy(copy, key, len);
    e = &t->entries[t->count];
    e->key = copy;
    e->len = len;
    e->hash = hash_bytes(copy, len);
    e->id = id;
    place_slot(t->slots, t->nslots, e->hash, t->count);
    t->count++;
    return CT_OK;
}
