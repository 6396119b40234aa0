/* Per-address slot maps for the Geth storage view. */
#include "evm_storage.h"

#include "evm_word.h"
#include "util/alloc.h"
#include "util/error.h"

#include <string.h>

static void account_free(ct__storage_account *acc, const ct_allocator *a)
{
    ct__free(a, acc->slots, acc->cap * sizeof *acc->slots);
    ct__free(a, acc->index, acc->index_cap * sizeof *acc->index);
}

void ct__storage_free(ct__storage *s, const ct_allocator *a)
{
    size_t i;
    for (i = 0; i < s->cap; i++)
        account_free(&s->accounts[i], a);
    ct__free(a, s->accounts, s->cap * sizeof *s->accounts);
    memset(s, 0, sizeof *s);
}

void ct__storage_reset(ct__storage *s)
{
    size_t i;
    for (i = 0; i < s->len; i++) {
        s->accounts[i].len = 0;
        if (s->accounts[i].index)
            memset(s->accounts[i].index, 0, s->accounts[i].index_cap * sizeof(uint32_t));
    }
    s->len = 0;
}

bool ct__storage_lookup(const ct__storage *s, const ct_u256 *address, size_t *pos)
{
    size_t i;
    for (i = 0; i < s->len; i++) {
        if (ct__u256_eq(&s->accounts[i].address, address)) {
            *pos = i;
            return true;
        }
    }
    return false;
}

ct_status ct__storage_find(ct__storage *s, const ct_allocator *a, const ct_u256 *address,
                           size_t *pos, ct_error *err)
{
    if (ct__storage_lookup(s, address, pos))
        return CT_OK;
    if (s->len == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 8;
        ct__storage_account *na = ct__realloc(a, s->accounts, s->cap * sizeof *na,
                                              ncap * sizeof *na);
        if (!na)
            return ct__error_set(err, CT_ENOMEM, "out of memory for the storage view");
        memset(na + s->cap, 0, (ncap - s->cap) * sizeof *na);
        s->accounts = na;
        s->cap = ncap;
    }
    s->accounts[s->len].address = *address;
    s->accounts[s->len].len = 0;
    *pos = s->len++;
    return CT_OK;
}

static size_t hash_key(const ct_u256 *k, size_t mask)
{
    uint64_t h = 0;
    int i;
    for (i = 0; i < 32; i += 8) {
        uint64_t w;
        memcpy(&w, k->bytes + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15u;
    }
    return (size_t)(h ^ (h >> 29)) & mask;
}

/* Position of key in the index (its slot or the empty place where it belongs). */
static size_t probe(const ct__storage_account *acc, const ct_u256 *key)
{
    size_t mask = acc->index_cap - 1, i = hash_key(key, mask);
    while (acc->index[i] && !ct__u256_eq(&acc->slots[acc->index[i] - 1].key, key))
        i = (i + 1) & mask;
    return i;
}

static ct_status grow_account(ct__storage_account *acc, const ct_allocator *a, ct_error *err)
{
    size_t ncap = acc->cap ? acc->cap * 2 : 16, i;
    ct_storage_slot *ns = ct__realloc(a, acc->slots, acc->cap * sizeof *ns, ncap * sizeof *ns);
    uint32_t *ni;
    if (!ns)
        return ct__error_set(err, CT_ENOMEM, "out of memory for the storage view");
    acc->slots = ns;
    acc->cap = ncap;
    ni = ct__calloc(a, ncap * 2, sizeof *ni);
    if (!ni)
        return ct__error_set(err, CT_ENOMEM, "out of memory for the storage view");
    ct__free(a, acc->index, acc->index_cap * sizeof *acc->index);
    acc->index = ni;
    acc->index_cap = ncap * 2;
    for (i = 0; i < acc->len; i++)
        acc->index[probe(acc, &acc->slots[i].key)] = (uint32_t)(i + 1);
    return CT_OK;
}

ct_status ct__storage_set(ct__storage *s, const ct_allocator *a, size_t pos, const ct_u256 *key,
                          const ct_u256 *value, ct_error *err)
{
    ct__storage_account *acc = &s->accounts[pos];
    size_t i;
    if (acc->len == acc->cap || !acc->index)
        CT_TRY(grow_account(acc, a, err));
    i = probe(acc, key);
    if (acc->index[i]) {
        acc->slots[acc->index[i] - 1].value = *value;
        return CT_OK;
    }
    acc->slots[acc->len].key = *key;
    acc->slots[acc->len].value = *value;
    acc->index[i] = (uint32_t)(++acc->len);
    return CT_OK;
}
