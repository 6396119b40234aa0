/*
 * The `stack` arrays of consecutive struct logs, formatted incrementally. Most ops change only
 * the top one or two items, and the log repeats the whole stack at every step, so the text of
 * the unchanged items below is kept and reused instead of formatted again: one 32-byte compare
 * per item instead of its hex formatting. Allocated once at the EVM's stack limit; nothing per
 * step.
 */
#ifndef CT_RECORDER_STRUCTLOGS_STACK_H
#define CT_RECORDER_STRUCTLOGS_STACK_H

#include <ctrecord/common.h>

typedef struct ct__stack_text {
    ct_u256 *items;      /* the stack formatted last (CT__STACK_TEXT_MAX slots) */
    char *text;          /* its items as JSON strings joined by ',' */
    uint32_t *end;       /* end of item i's text (its closing quote + 1) */
    size_t len;          /* items in `items` */
} ct__stack_text;

/** Items the text is kept for (the EVM's stack limit); deeper stacks are not cached. */
#define CT__STACK_TEXT_MAX 1024

ct_status ct__stack_text_init(ct__stack_text *t, const ct_allocator *a, ct_error *err);
void ct__stack_text_free(ct__stack_text *t, const ct_allocator *a);

/**
 * The text of `stack` (`len` items, bottom first): "\"0x1\",\"0x2a\"" as Geth prints it, owned
 * by `t` and valid until the next call; *n gets its length. NULL when `len` exceeds
 * CT__STACK_TEXT_MAX (the caller formats directly).
 */
const char *ct__stack_text_get(ct__stack_text *t, const ct_u256 *stack, size_t len, size_t *n);

#endif
