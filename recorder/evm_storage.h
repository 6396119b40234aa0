/* Geth's struct-logger storage view: for every storage address, the slots SLOADed or SSTOREd
 * so far in the transaction (last value wins). One contiguous slot array per address, so a
 * step can point at it without copying; a small open-addressing index finds a key. Buffers are
 * kept across transactions and only grow to the largest seen. */
#ifndef CT_RECORDER_EVM_STORAGE_H
#define CT_RECORDER_EVM_STORAGE_H

#include <ctrecord/replay.h>

typedef struct ct__storage_account {
    ct_u256 address;
    ct_storage_slot *slots;
    size_t len, cap;
    uint32_t *index;      /* slot position + 1, 0 = empty; index_cap is a power of two */
    size_t index_cap;
} ct__storage_account;

typedef struct ct__storage {
    ct__storage_account *accounts;
    size_t len, cap;      /* accounts in use / allocated (entries past len keep buffers) */
} ct__storage;

void ct__storage_free(ct__storage *s, const ct_allocator *a);
/** Forget every slot (new transaction); keeps the buffers. */
void ct__storage_reset(ct__storage *s);
/** Position of `address`'s account, created empty if new. */
ct_status ct__storage_find(ct__storage *s, const ct_allocator *a, const ct_u256 *address,
                           size_t *pos, ct_error *err);
/** Position of `address`'s account without creating it; false when it has none. */
bool ct__storage_lookup(const ct__storage *s, const ct_u256 *address, size_t *pos);
/** Record key -> value for the account at `pos`. */
ct_status ct__storage_set(ct__storage *s, const ct_allocator *a, size_t pos, const ct_u256 *key,
                          const ct_u256 *value, ct_error *err);

#endif
