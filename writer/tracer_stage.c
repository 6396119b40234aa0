/*
 * Deep copies of staged argument values in a reusable block chain. Values are trees (elements,
 * variant contents, dereferenced targets); the copy walks them with a depth bound so a cyclic or
 * absurdly deep caller value is refused instead of overflowing the stack.
 */
#include "tracer_stage.h"

#include <stddef.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

#define BLOCK_MIN 4096
#define COPY_MAX_DEPTH 256

struct ct__stage_block {
    ct__stage_block *next;
    size_t size;
    size_t used;
    max_align_t data[];
};

void ct__tracer_stage_init(ct__tracer_stage *s, const ct_allocator *alloc)
{
    memset(s, 0, sizeof *s);
    s->alloc = alloc;
}

static ct__stage_block *new_block(ct__tracer_stage *s, size_t n)
{
    size_t size = n > BLOCK_MIN ? n : BLOCK_MIN;
    ct__stage_block *b = ct__malloc(s->alloc, sizeof *b + size);
    ct__stage_block **tail = &s->head;
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    while (*tail)
        tail = &(*tail)->next;
    *tail = b;
    return b;
}

static void *stage_alloc(ct__tracer_stage *s, size_t n)
{
    const size_t align = sizeof(max_align_t);
    ct__stage_block *b = s->current ? s->current : s->head;
    void *p;
    if (n > SIZE_MAX - align)
        return NULL;
    n = (n + align - 1) / align * align;
    while (b && b->size - b->used < n)
        b = b->next;
    if (!b && !(b = new_block(s, n)))
        return NULL;
    s->current = b;
    p = (unsigned char *)b->data + b->used;
    b->used += n;
    return p;
}

static ct_status copy_bytes(const void **dst, ct__tracer_stage *s, const void *src, size_t len,
                            ct_error *err)
{
    unsigned char *p;
    if (len == 0) {
        *dst = src;
        return CT_OK;
    }
    if (!src)
        return ct__error_set(err, CT_EINVAL, "argument value has NULL data of length %zu", len);
    if (!(p = stage_alloc(s, len + 1)))
        return ct__error_set(err, CT_ENOMEM, "out of memory staging an argument value");
    memcpy(p, src, len);
    p[len] = '\0';
    *dst = p;
    return CT_OK;
}

static ct_status copy_value(ct_value *dst, ct__tracer_stage *s, const ct_value *src, int depth,
                            ct_error *err);

static ct_status copy_items(ct_value *dst, ct__tracer_stage *s, const ct_value *src, int depth,
                            ct_error *err)
{
    size_t i, n = src->as.seq.count;
    ct_value *items;
    if (n == 0)
        return CT_OK;
    if (!src->as.seq.items)
        return ct__error_set(err, CT_EINVAL, "argument value has NULL items of count %zu", n);
    if (n > SIZE_MAX / sizeof *items || !(items = stage_alloc(s, n * sizeof *items)))
        return ct__error_set(err, CT_ENOMEM, "out of memory staging an argument value");
    for (i = 0; i < n; i++)
        CT_TRY(copy_value(&items[i], s, &src->as.seq.items[i], depth + 1, err));
    dst->as.seq.items = items;
    return CT_OK;
}

static ct_status copy_one(const ct_value **dst, ct__tracer_stage *s, const ct_value *src,
                          int depth, ct_error *err)
{
    ct_value *copy;
    if (!src)
        return ct__error_set(err, CT_EINVAL, "argument value has a NULL nested value");
    if (!(copy = stage_alloc(s, sizeof *copy)))
        return ct__error_set(err, CT_ENOMEM, "out of memory staging an argument value");
    CT_TRY(copy_value(copy, s, src, depth + 1, err));
    *dst = copy;
    return CT_OK;
}

static ct_status copy_value(ct_value *dst, ct__tracer_stage *s, const ct_value *src, int depth,
                            ct_error *err)
{
    const void *p = NULL;
    if (depth > COPY_MAX_DEPTH)
        return ct__error_set(err, CT_EINVAL, "argument value nested deeper than %d",
                             COPY_MAX_DEPTH);
    *dst = *src;
    switch (src->kind) {
    case CT_VALUE_STRING: case CT_VALUE_RAW: case CT_VALUE_ERROR:
        CT_TRY(copy_bytes(&p, s, src->as.text.ptr, src->as.text.len, err));
        dst->as.text.ptr = p;
        return CT_OK;
    case CT_VALUE_SEQUENCE: case CT_VALUE_TUPLE: case CT_VALUE_STRUCT:
        return copy_items(dst, s, src, depth, err);
    case CT_VALUE_VARIANT:
        CT_TRY(copy_bytes(&p, s, src->as.variant.discriminator.ptr,
                          src->as.variant.discriminator.len, err));
        dst->as.variant.discriminator.ptr = p;
        return copy_one(&dst->as.variant.contents, s, src->as.variant.contents, depth, err);
    case CT_VALUE_REFERENCE:
        return copy_one(&dst->as.ref.dereferenced, s, src->as.ref.dereferenced, depth, err);
    case CT_VALUE_BIGINT:
        CT_TRY(copy_bytes(&p, s, src->as.bigint.bytes, src->as.bigint.len, err));
        dst->as.bigint.bytes = p;
        return CT_OK;
    default:
        return CT_OK;   /* scalars: the struct copy is the whole value */
    }
}

static ct_status grow_args(ct__tracer_stage *s, ct_error *err)
{
    size_t cap = s->cap ? s->cap * 2 : 8;
    ct_arg *args;
    if (cap > SIZE_MAX / sizeof *args)
        return ct__error_set(err, CT_ENOMEM, "too many staged arguments");
    args = ct__realloc(s->alloc, s->args, s->cap * sizeof *args, cap * sizeof *args);
    if (!args)
        return ct__error_set(err, CT_ENOMEM, "out of memory staging an argument");
    s->args = args;
    s->cap = cap;
    return CT_OK;
}

ct_status ct__tracer_stage_push(ct__tracer_stage *s, ct_variable_id variable, const ct_value *v,
                                ct_error *err)
{
    if (s->count == s->cap)
        CT_TRY(grow_args(s, err));
    CT_TRY(copy_value(&s->args[s->count].value, s, v, 0, err));
    s->args[s->count].variable_id = variable;
    s->count++;
    return CT_OK;
}

void ct__tracer_stage_clear(ct__tracer_stage *s)
{
    ct__stage_block *b;
    for (b = s->head; b; b = b->next)
        b->used = 0;
    s->current = s->head;
    s->count = 0;
}

void ct__tracer_stage_free(ct__tracer_stage *s)
{
    ct__stage_block *b = s->head, *next;
    for (; b; b = next) {
        next = b->next;
        ct__free(s->alloc, b, sizeof *b + b->size);
    }
    ct__free(s->alloc, s->args, s->cap * sizeof *s->args);
    memset(s, 0, sizeof *s);
}
