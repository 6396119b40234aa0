/*
 * Allocation through a handle's ct_allocator (NULL = libc). Every allocation of the library
 * goes through here, which is what lets tests fail the Nth allocation and count leaks.
 */
#ifndef CT_UTIL_ALLOC_H
#define CT_UTIL_ALLOC_H

#include <ctrecord/common.h>

void *ct__malloc(const ct_allocator *a, size_t size);
void *ct__calloc(const ct_allocator *a, size_t count, size_t size);
/** Like realloc; on failure the old block is untouched and NULL is returned. */
void *ct__realloc(const ct_allocator *a, void *ptr, size_t old_size, size_t new_size);
void ct__free(const ct_allocator *a, void *ptr, size_t size);
/** A copy of `s` (NUL-terminated) owned by the caller; free with ct__free(a, p, strlen(p)+1). */
char *ct__strdup(const ct_allocator *a, const char *s);
/** A copy of the whole allocator struct, so a handle does not point at the caller's. */
ct_allocator ct__allocator_or_default(const ct_allocator *a);

#endif
