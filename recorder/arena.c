/* Chunks grow geometrically; an oversized request gets a chunk of its own size. */
#include "arena.h"

#include <string.h>

#include "util/alloc.h"

struct ct__arena_chunk {
    ct__arena_chunk *next;
    size_t cap;
    size_t used;
    _Alignas(16) unsigned char data[];
};

void ct__arena_init(ct__arena *a, const ct_allocator *allocator)
{
    a->allocator = allocator;
    a->first = NULL;
    a->cur = NULL;
}

static ct__arena_chunk *new_chunk(ct__arena *a, size_t need)
{
    size_t cap = a->cur ? a->cur->cap * 2 : 4096;
    ct__arena_chunk *c;
    if (cap < need)
        cap = need;
    c = ct__malloc(a->allocator, sizeof *c + cap);
    if (!c)
        return NULL;
    c->next = NULL;
    c->cap = cap;
    c->used = 0;
    return c;
}

/* Walk to a chunk with room, reusing chunks kept by a reset before allocating a new one. */
static ct__arena_chunk *chunk_with_room(ct__arena *a, size_t size)
{
    ct__arena_chunk *c = a->cur;
    while (c && c->cap - c->used < size) {
        if (!c->next)
            break;
        c = c->next;
        c->used = 0;
        a->cur = c;
    }
    if (c && c->cap - c->used >= size)
        return c;
    c = new_chunk(a, size);
    if (!c)
        return NULL;
    if (a->cur) {
        c->next = a->cur->next;
        a->cur->next = c;
    } else {
        a->first = c;
    }
    a->cur = c;
    return c;
}

void *ct__arena_alloc(ct__arena *a, size_t size)
{
    ct__arena_chunk *c;
    void *p;
    if (size > SIZE_MAX - 32)
        return NULL;
    size = (size + 15) & ~(size_t)15;
    c = chunk_with_room(a, size ? size : 16);
    if (!c)
        return NULL;
    p = c->data + c->used;
    c->used += size ? size : 16;
    memset(p, 0, size);
    return p;
}

char *ct__arena_strndup(ct__arena *a, const char *s, size_t len)
{
    char *p = ct__arena_alloc(a, len + 1);
    if (p) {
        if (len)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

void ct__arena_reset(ct__arena *a)
{
    a->cur = a->first;
    if (a->cur)
        a->cur->used = 0;
}

void ct__arena_free(ct__arena *a)
{
    ct__arena_chunk *c = a->first;
    while (c) {
        ct__arena_chunk *n = c->next;
        ct__free(a->allocator, c, sizeof *c + c->cap);
        c = n;
    }
    a->first = a->cur = NULL;
}
