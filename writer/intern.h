/*
 * Interning table: byte-string keys to dense ids. Used for paths, functions, types and
 * variable names, so the writer's memory grows only with distinct names, never with events.
 * Keys are copied; lookups allocate nothing.
 */
#ifndef CT_INTERN_H
#define CT_INTERN_H

#include <ctrecord/common.h>

typedef struct ct__intern_entry {
    unsigned char *key;   /* owned copy */
    size_t len;
    uint64_t hash;
    uint64_t id;
} ct__intern_entry;

typedef struct ct__intern {
    ct__intern_entry *entries;   /* in insertion order */
    size_t count;
    size_t cap;
    size_t *slots;               /* open addressing: entry index + 1, 0 = empty */
    size_t nslots;               /* power of two, or 0 before the first insert */
} ct__intern;

/** A zeroed table is empty and valid. */
void ct__intern_free(ct__intern *t, const ct_allocator *a);

/** True and *id set when `key` is present. */
bool ct__intern_find(const ct__intern *t, const void *key, size_t len, uint64_t *id);

/** Add `key` (known absent) with `id`. CT_ENOMEM leaves the table unchanged. */
ct_status ct__intern_add(ct__intern *t, const ct_allocator *a, const void *key, size_t len,
                         uint64_t id);

/**
 * Grow the array *p of *cap elements of `elem` bytes so it holds at least `need`. CT_ENOMEM
 * leaves it unchanged. Shared by the writer's per-id vectors.
 */
ct_status ct__grow_array(const ct_allocator *a, void **p, size_t *cap, size_t need, size_t elem);

#endif
