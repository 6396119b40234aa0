/* Dispatch to the handle's allocator or libc. Sizes are passed to free so custom allocators
 * (and the test allocator that counts live bytes) need no headers. */
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>

static void *libc_malloc(void *ctx, size_t size)
{
    (void)ctx;
    return malloc(size ? size : 1);
}

static void *libc_realloc(void *ctx, void *ptr, size_t old_size, size_t new_size)
{
    (void)ctx;
    (void)old_size;
    return realloc(ptr, new_size ? new_size : 1);
}

static void libc_free(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    (void)size;
    free(ptr);
}

ct_allocator ct__allocator_or_default(const ct_allocator *a)
{
    ct_allocator d;
    if (a && a->malloc && a->realloc && a->free)
        return *a;
    d.malloc = libc_malloc;
    d.realloc = libc_realloc;
    d.free = libc_free;
    d.ctx = NULL;
    return d;
}

void *ct__malloc(const ct_allocator *a, size_t size)
{
    if (a && a->malloc)
        return a->malloc(a->ctx, size);
    return malloc(size ? size : 1);
}

void *ct__calloc(const ct_allocator *a, size_t count, size_t size)
{
    void *p;
    if (size && count > SIZE_MAX / size)
        return NULL;
    p = ct__malloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *ct__realloc(const ct_allocator *a, void *ptr, size_t old_size, size_t new_size)
{
    if (!ptr)
        return ct__malloc(a, new_size);
    if (a && a->realloc)
        return a->realloc(a->ctx, ptr, old_size, new_size);
    return realloc(ptr, new_size ? new_size : 1);
}

void ct__free(const ct_allocator *a, void *ptr, size_t size)
{
    if (!ptr)
        return;
    if (a && a->free)
        a->free(a->ctx, ptr, size);
    else
        free(ptr);
}

char *ct__strdup(const ct_allocator *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = ct__malloc(a, n);
    if (p)
        memcpy(p, s, n);
    return p;
}
