/*
 * The arena behind the syntax tree: a chain of blocks, never shrunk, freed together. Growing an
 * array copies it and abandons the old copy, which at most doubles the memory of a parse.
 */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 65536

struct tl_arena_block {
    tl_arena_block *next;
    size_t size, used;
    max_align_t data[];
};

void *tl_arena_alloc(tl_arena *a, size_t size)
{
    const size_t align = sizeof(max_align_t);
    tl_arena_block *b = a->blocks;
    void *p;
    if (size > SIZE_MAX / 2)
        return NULL;
    size = (size + align - 1) / align * align;
    if (!b || b->size - b->used < size) {
        size_t bsize = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        if (!(b = malloc(sizeof *b + bsize)))
            return NULL;
        b->size = bsize;
        b->used = 0;
        b->next = a->blocks;
        a->blocks = b;
    }
    p = (unsigned char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

void *tl_arena_grow(tl_arena *a, const void *old, size_t old_count, size_t new_count,
                    size_t item)
{
    void *p;
    if (item && new_count > SIZE_MAX / 2 / item)
        return NULL;
    if ((p = tl_arena_alloc(a, new_count * item)) && old_count)
        memcpy(p, old, old_count * item);
    return p;
}

void tl_arena_free(tl_arena *a)
{
    tl_arena_block *b = a->blocks, *next;
    for (; b; b = next) {
        next = b->next;
        free(b);
    }
    a->blocks = NULL;
}
