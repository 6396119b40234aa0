/* EVM memory expansion with a hard bound: an absurd offset in the input is an error before
 * any allocation, never an attempt to allocate it. */
#include "evm_memory.h"

#include "evm_word.h"
#include "util/alloc.h"
#include "util/error.h"

#include <string.h>

void ct__memory_free(ct__memory *m, const ct_allocator *a)
{
    ct__free(a, m->data, m->cap);
    m->data = NULL;
    m->len = m->cap = 0;
}

void ct__memory_reset(ct__memory *m)
{
    m->len = 0;
}

static ct_status reserve(ct__memory *m, const ct_allocator *a, size_t need, const char *what,
                         ct_error *err)
{
    size_t cap = m->cap ? m->cap : 1024;
    uint8_t *nb;
    if (need <= m->cap)
        return CT_OK;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    nb = ct__realloc(a, m->data, m->cap, cap);
    if (!nb)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory growing EVM memory to %zu bytes",
                             what, need);
    m->data = nb;
    m->cap = cap;
    return CT_OK;
}

ct_status ct__memory_expand(ct__memory *m, const ct_allocator *a, uint64_t off, uint64_t size,
                            uint64_t max, const char *what, ct_error *err)
{
    uint64_t end, words;
    if (size == 0)
        return CT_OK;
    if (off > max || size > max - off)
        return ct__error_set(err, CT_EREPLAY,
                             "%s: memory access at offset %llu size %llu exceeds the limit of "
                             "%llu bytes (max_memory)",
                             what, (unsigned long long)off, (unsigned long long)size,
                             (unsigned long long)max);
    end = off + size;
    words = end / 32 + (end % 32 != 0);
    if (words * 32 <= m->len)
        return CT_OK;
    CT_TRY(reserve(m, a, (size_t)(words * 32), what, err));
    memset(m->data + m->len, 0, (size_t)(words * 32) - m->len);
    m->len = (size_t)(words * 32);
    return CT_OK;
}

ct_status ct__memory_expand_words(ct__memory *m, const ct_allocator *a, const ct_u256 *off,
                                  const ct_u256 *size, uint64_t max, const char *what,
                                  ct_error *err)
{
    uint64_t o, s;
    if (ct__u256_is_zero(size))
        return CT_OK;
    ct__u256_to_u64(off, &o);
    ct__u256_to_u64(size, &s);   /* UINT64_MAX on overflow: rejected by the bound */
    return ct__memory_expand(m, a, o, s, max, what, err);
}

ct_status ct__memory_write(ct__memory *m, const ct_allocator *a, uint64_t off,
                           const uint8_t *data, size_t len, uint64_t max, const char *what,
                           ct_error *err)
{
    if (len == 0)
        return CT_OK;
    CT_TRY(ct__memory_expand(m, a, off, len, max, what, err));
    memcpy(m->data + off, data, len);
    return CT_OK;
}

ct_status ct__memory_assign(ct__memory *m, const ct_allocator *a, const uint8_t *data,
                            size_t len, uint64_t max, const char *what, ct_error *err)
{
    m->len = 0;
    CT_TRY(ct__memory_expand(m, a, 0, len, max, what, err));
    if (len)
        memcpy(m->data, data, len);
    return CT_OK;
}
