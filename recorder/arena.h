/* A bump allocator for short-lived trees (decoded ABI values, parsed types). Reset keeps the
 * chunks, so a pipeline that decodes one call after another stops allocating once warm. */
#ifndef CT_RECORDER_ARENA_H
#define CT_RECORDER_ARENA_H

#include <ctrecord/common.h>

typedef struct ct__arena_chunk ct__arena_chunk;

typedef struct ct__arena {
    const ct_allocator *allocator;   /* borrowed; must outlive the arena */
    ct__arena_chunk *first;
    ct__arena_chunk *cur;
} ct__arena;

void ct__arena_init(ct__arena *a, const ct_allocator *allocator);
/** `size` zeroed bytes aligned for any scalar, valid until reset/free; NULL when out of memory. */
void *ct__arena_alloc(ct__arena *a, size_t size);
/** A NUL-terminated copy of `s[0..len)`, in the arena. */
char *ct__arena_strndup(ct__arena *a, const char *s, size_t len);
/** Forget every allocation but keep the memory. */
void ct__arena_reset(ct__arena *a);
void ct__arena_free(ct__arena *a);

#endif
