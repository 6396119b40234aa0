/* Incremental formatting of struct-log stacks (see structlogs_stack.h). */
#include "structlogs_stack.h"

#include "structlogs_hex.h"
#include "util/alloc.h"
#include "util/error.h"

#include <string.h>

/* Room per item: a quantity's quotes, "0x" and 64 digits, the ',' and the 64-byte writes of
 * ct__hex_quoted_quantity past a short item. */
#define ITEM_ROOM 70

ct_status ct__stack_text_init(ct__stack_text *t, const ct_allocator *a, ct_error *err)
{
    memset(t, 0, sizeof *t);
    t->items = ct__malloc(a, CT__STACK_TEXT_MAX * sizeof *t->items);
    t->text = ct__malloc(a, CT__STACK_TEXT_MAX * ITEM_ROOM);
    t->end = ct__malloc(a, CT__STACK_TEXT_MAX * sizeof *t->end);
    if (!t->items || !t->text || !t->end) {
        ct__stack_text_free(t, a);
        return ct__error_set(err, CT_ENOMEM, "structlogs: out of memory for the stack text");
    }
    return CT_OK;
}

void ct__stack_text_free(ct__stack_text *t, const ct_allocator *a)
{
    ct__free(a, t->items, CT__STACK_TEXT_MAX * sizeof *t->items);
    ct__free(a, t->text, CT__STACK_TEXT_MAX * ITEM_ROOM);
    ct__free(a, t->end, CT__STACK_TEXT_MAX * sizeof *t->end);
    memset(t, 0, sizeof *t);
}

static inline uint64_t load8(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* Straight 8-byte loads (a memcmp call or copies to arrays cost more than the compare). */
static inline bool same(const ct_u256 *x, const ct_u256 *y)
{
    const uint8_t *a = x->bytes, *b = y->bytes;
    return ((load8(a) ^ load8(b)) | (load8(a + 8) ^ load8(b + 8)) |
            (load8(a + 16) ^ load8(b + 16)) | (load8(a + 24) ^ load8(b + 24))) == 0;
}

const char *ct__stack_text_get(ct__stack_text *t, const ct_u256 *stack, size_t len, size_t *n)
{
    size_t i = 0, keep = len < t->len ? len : t->len, pos;
    if (len > CT__STACK_TEXT_MAX)
        return NULL;
    while (i < keep && same(&t->items[i], &stack[i]))
        i++;
    pos = i ? t->end[i - 1] : 0;
    for (; i < len; i++) {
        if (i)
            t->text[pos++] = ',';
        pos += ct__hex_quoted_quantity(t->text + pos, stack[i].bytes);
        t->end[i] = (uint32_t)pos;
        t->items[i] = stack[i];
    }
    t->len = len;
    *n = len ? t->end[len - 1] : 0;
    return t->text;
}
