/*
 * The experimental value-tracking events (CompoundValue, CellValue, AssignCompoundItem,
 * AssignCell, VariableCell, DropVariable), Thread events and DropLastStep. The cell events are
 * accepted by every profile (runtime_tracing has had them since 2024) but, in strict order,
 * only where the loader does not panic: after a Step, VariableCell/DropVariable inside a Call,
 * CompoundValue only for a Sequence (anything else is todo!() in the loader), and
 * AssignCompoundItem only after some CompoundValue.
 */
#include "writer_impl.h"

#define CHECK_HANDLE(w)                                                                        \
    do {                                                                                       \
        if (!(w))                                                                              \
            return CT_EINVAL;                                                                  \
    } while (0)

static ct_status need_step(ct_writer *w, const char *what, bool needs_call)
{
    CT_TRY(ct__writer_ready(w, what));
    if (w->order != CT_ORDER_STRICT)
        return CT_OK;
    if (w->steps == 0)
        return ct__writer_fail(w, CT_EINVAL, "%s before the first Step (it attaches to the "
                               "current step)", what);
    if (needs_call && w->depth == 0)
        return ct__writer_fail(w, CT_EINVAL, "%s without an open Call", what);
    return CT_OK;
}

/* {"<Name>":{"place":P,"<field>":<value>}} for CompoundValue, CellValue and AssignCell */
static void place_value_json(ct_writer *w, const char *head, ct_place place, const char *field,
                             const ct_value *v)
{
    ct__writer_begin_event(w);
    ct__sink_puts(w->out, head);
    ct__sink_i64(w->out, place);
    ct__sink_puts(w->out, field);
    ct__value_json(w->out, v, ct__writer_value_fmt(w));
    CT__PUT(w->out, "}}");
}

ct_status ct_writer_compound_value(ct_writer *w, ct_place place, const ct_value *v)
{
    CHECK_HANDLE(w);
    CT_TRY(need_step(w, "CompoundValue", false));
    CT_TRY(ct__value_check(w, v, CT__VALUE_COMPOUND, "CompoundValue.value"));
    if (w->order == CT_ORDER_STRICT && v->kind != CT_VALUE_SEQUENCE)
        return ct__writer_fail(w, CT_EINVAL, "CompoundValue.value: only a Sequence is "
                               "handled by the loader (others are todo!())");
    place_value_json(w, "{\"CompoundValue\":{\"place\":", place, ",\"value\":", v);
    w->compound_values++;
    return ct__writer_sink_status(w);
}

ct_status ct_writer_cell_value(ct_writer *w, ct_place place, const ct_value *v)
{
    CHECK_HANDLE(w);
    CT_TRY(need_step(w, "CellValue", false));
    CT_TRY(ct__value_check(w, v, CT__VALUE_PLAIN, "CellValue.value"));
    place_value_json(w, "{\"CellValue\":{\"place\":", place, ",\"value\":", v);
    return ct__writer_sink_status(w);
}

ct_status ct_writer_assign_cell(ct_writer *w, ct_place place, const ct_value *v)
{
    CHECK_HANDLE(w);
    CT_TRY(need_step(w, "AssignCell", false));
    CT_TRY(ct__value_check(w, v, CT__VALUE_PLAIN, "AssignCell.new_value"));
    place_value_json(w, "{\"AssignCell\":{\"place\":", place, ",\"new_value\":", v);
    return ct__writer_sink_status(w);
}

ct_status ct_writer_assign_compound_item(ct_writer *w, ct_place place, uint64_t index,
                                         ct_place item_place)
{
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "AssignCompoundItem"));
    if (w->order == CT_ORDER_STRICT && w->compound_values == 0)
        return ct__writer_fail(w, CT_EINVAL, "AssignCompoundItem before any CompoundValue "
                               "(the loader looks its place up)");
    ct__writer_begin_event(w);
    CT__PUT(w->out, "{\"AssignCompoundItem\":{\"place\":");
    ct__sink_i64(w->out, place);
    CT__PUT(w->out, ",\"index\":");
    ct__sink_u64(w->out, index);
    CT__PUT(w->out, ",\"item_place\":");
    ct__sink_i64(w->out, item_place);
    CT__PUT(w->out, "}}");
    return ct__writer_sink_status(w);
}

ct_status ct_writer_variable_cell(ct_writer *w, ct_variable_id variable, ct_place place)
{
    CHECK_HANDLE(w);
    CT_TRY(need_step(w, "VariableCell", true));
    CT_TRY(ct__writer_check_variable(w, variable, "VariableCell"));
    ct__writer_begin_event(w);
    CT__PUT(w->out, "{\"VariableCell\":{\"variable_id\":");
    ct__sink_u64(w->out, variable);
    CT__PUT(w->out, ",\"place\":");
    ct__sink_i64(w->out, place);
    CT__PUT(w->out, "}}");
    return ct__writer_sink_status(w);
}

ct_status ct_writer_drop_variable(ct_writer *w, ct_variable_id variable)
{
    CHECK_HANDLE(w);
    CT_TRY(need_step(w, "DropVariable", true));
    CT_TRY(ct__writer_check_variable(w, variable, "DropVariable"));
    ct__writer_begin_event(w);
    CT__PUT(w->out, "{\"DropVariable\":");
    ct__sink_u64(w->out, variable);
    ct__sink_putc(w->out, '}');
    return ct__writer_sink_status(w);
}

/* ---- Thread events (trace types 0.15+: unknown variants for 25.11) ---------------------- */

static ct_status thread_event(ct_writer *w, const char *head, const char *what,
                              ct_thread_id thread)
{
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, what));
    if (w->profile != CT_PROFILE_CURRENT)
        return ct__writer_unsupported(w, what, "CodeTracer 25.11 does not know Thread events "
                                      "and fails to parse the whole trace");
    ct__writer_begin_event(w);
    ct__sink_puts(w->out, head);
    ct__sink_u64(w->out, thread);
    ct__sink_putc(w->out, '}');
    return ct__writer_sink_status(w);
}

ct_status ct_writer_thread_start(ct_writer *w, ct_thread_id thread)
{
    return thread_event(w, "{\"ThreadStart\":", "ThreadStart", thread);
}

ct_status ct_writer_thread_exit(ct_writer *w, ct_thread_id thread)
{
    return thread_event(w, "{\"ThreadExit\":", "ThreadExit", thread);
}

ct_status ct_writer_thread_switch(ct_writer *w, ct_thread_id thread)
{
    return thread_event(w, "{\"ThreadSwitch\":", "ThreadSwitch", thread);
}

/* ---- DropLastStep ------------------------------------------------------------------------- */

ct_status ct_writer_drop_last_step(ct_writer *w)
{
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "DropLastStep"));
    if (!w->allow_drop_last_step)
        return ct__writer_fail(w, CT_EUNSUPPORTED, "DropLastStep crashes every CodeTracer "
                               "loader; set options.allow_drop_last_step to write it anyway");
    ct__writer_begin_event(w);
    CT__PUT(w->out, "\"DropLastStep\"");   /* serde's unit variant: a bare string */
    if (w->steps > 0)
        w->steps--;
    return ct__writer_sink_status(w);
}
