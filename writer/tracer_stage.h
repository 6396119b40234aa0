/*
 * The tracer's staged call arguments: deep copies of caller values, kept from ct_tracer_arg()
 * until the next call. The copies live in a chain of blocks that is reset, not freed, after
 * each call, so a steady interpreter stages arguments without allocating.
 */
#ifndef CT_WRITER_TRACER_STAGE_H
#define CT_WRITER_TRACER_STAGE_H

#include <ctrecord/value.h>
#include <ctrecord/writer.h>

typedef struct ct__stage_block ct__stage_block;

typedef struct ct__tracer_stage {
    const ct_allocator *alloc;   /* the tracer's; outlives the stage */
    ct_arg *args;                /* args[0..count) are the staged arguments */
    size_t count;
    size_t cap;
    ct__stage_block *head;       /* every block, in order */
    ct__stage_block *current;    /* the block being filled; the ones after it are empty */
} ct__tracer_stage;

void ct__tracer_stage_init(ct__tracer_stage *s, const ct_allocator *alloc);
/** Append (variable, deep copy of *v). On failure nothing is staged. */
ct_status ct__tracer_stage_push(ct__tracer_stage *s, ct_variable_id variable, const ct_value *v,
                                ct_error *err);
/** Forget the staged arguments, keeping the memory for the next ones. */
void ct__tracer_stage_clear(ct__tracer_stage *s);
void ct__tracer_stage_free(ct__tracer_stage *s);

#endif
