/*
 * Events whose acceptance depends on the CodeTracer version (the profile) or that the loader
 * only tolerates in a certain state: history events (BindVariable, Assignment, DropVariables),
 * the experimental cell events, Thread events and DropLastStep. The refusals follow the
 * reference's findings: 25.11 panics (unimplemented!) on BindVariable/Assignment/DropVariables
 * and does not know Thread events; runtime_tracing <= 0.16 cannot even serialize Assignment;
 * every loader panics on DropLastStep.
 */
#include "writer_impl.h"

#include <inttypes.h>
#include <string.h>

#define CHECK_HANDLE(w)                                                                        \
    do {                                                                                       \
        if (!(w))                                                                              \
            return CT_EINVAL;                                                                  \
    } while (0)

static ct_status need_current(ct_writer *w, const char *what, const char *why)
{
    CT_TRY(ct__writer_ready(w, what));
    if (w->profile != CT_PROFILE_CURRENT)
        return ct__writer_unsupported(w, what, why);
    return CT_OK;
}

static ct_status finish(ct_writer *w)
{
    return ct__writer_sink_status(w);
}

/* ---- history events (current CodeTracer only) ------------------------------------------- */

ct_status ct_writer_bind_variable(ct_writer *w, ct_variable_id variable, ct_place place)
{
    CHECK_HANDLE(w);
    CT_TRY(need_current(w, "BindVariable", "CodeTracer 25.11 panics on it"));
    CT_TRY(ct__writer_check_variable(w, variable, "BindVariable"));
    ct__writer_begin_event(w);
    CT__PUT(w->out, "{\"BindVariable\":{\"variable_id\":");
    ct__sink_u64(w->out, variable);
    CT__PUT(w->out, ",\"place\":");
    ct__sink_i64(w->out, place);
    CT__PUT(w->out, "}}");
    return finish(w);
}

static ct_status check_rvalue(ct_writer *w, const ct_rvalue *r)
{
    size_t i;
    if (!r)
        return ct__writer_fail(w, CT_EINVAL, "Assignment: from is NULL");
    switch (r->kind) {
    case CT_RVALUE_SIMPLE:
        return ct__writer_check_variable(w, r->variable, "Assignment.from");
    case CT_RVALUE_COMPOUND:
        if (!r->variables && r->nvariables > 0)
            return ct__writer_fail(w, CT_EINVAL, "Assignment.from: variables is NULL");
        for (i = 0; i < r->nvariables; i++)
            CT_TRY(ct__writer_check_variable(w, r->variables[i], "Assignment.from"));
        return CT_OK;
    case CT_RVALUE_LITERAL:
        return CT_OK;
    case CT_RVALUE_FIELD_ACCESS:
        if (!r->field)
            return ct__writer_fail(w, CT_EINVAL, "Assignment.from: field is NULL");
        CT_TRY(ct__writer_check_text(w, r->field, strlen(r->field), "Assignment.from.field"));
        return ct__writer_check_variable(w, r->variable, "Assignment.from");
    case CT_RVALUE_INDEX_ACCESS:
        return ct__writer_check_variable(w, r->variable, "Assignment.from");
    case CT_RVALUE_FUNCTION_RETURN:
        if (r->call_key > (uint64_t)INT64_MAX)
            return ct__writer_fail(w, CT_EINVAL, "Assignment.from: call key %" PRIu64
                                   " exceeds i64", r->call_key);
        return CT_OK;
    }
    return ct__writer_fail(w, CT_EINVAL, "Assignment.from: unknown RValue kind %d",
                           (int)r->kind);
}

/* RValue is adjacently tagged in trace types 0.19: {"kind":K,"data":payload}. */
static void rvalue_json(ct__sink *s, const ct_rvalue *r)
{
    size_t i;
    switch (r->kind) {
    case CT_RVALUE_SIMPLE:
        CT__PUT(s, "{\"kind\":\"Simple\",\"data\":");
        ct__sink_u64(s, r->variable);
        break;
    case CT_RVALUE_COMPOUND:
        CT__PUT(s, "{\"kind\":\"Compound\",\"data\":[");
        for (i = 0; i < r->nvariables; i++) {
            if (i)
                ct__sink_putc(s, ',');
            ct__sink_u64(s, r->variables[i]);
        }
        ct__sink_putc(s, ']');
        break;
    case CT_RVALUE_LITERAL: CT__PUT(s, "{\"kind\":\"Literal\""); break;
    case CT_RVALUE_FIELD_ACCESS:
        CT__PUT(s, "{\"kind\":\"FieldAccess\",\"data\":{\"receiver\":");
        ct__sink_u64(s, r->variable);
        CT__PUT(s, ",\"field\":");
        ct__sink_json_string(s, r->field, strlen(r->field));
        ct__sink_putc(s, '}');
        break;
    case CT_RVALUE_INDEX_ACCESS:
        CT__PUT(s, "{\"kind\":\"IndexAccess\",\"data\":{\"receiver\":");
        ct__sink_u64(s, r->variable);
        CT__PUT(s, ",\"index\":");
        ct__sink_i64(s, r->index);
        ct__sink_putc(s, '}');
        break;
    case CT_RVALUE_FUNCTION_RETURN:
        CT__PUT(s, "{\"kind\":\"FunctionReturn\",\"data\":{\"call_key\":");
        ct__sink_u64(s, r->call_key);
        ct__sink_putc(s, '}');
        break;
    }
    ct__sink_putc(s, '}');
}

ct_status ct_writer_assignment(ct_writer *w, ct_variable_id to, ct_pass_by pass_by,
                               const ct_rvalue *from)
{
    CHECK_HANDLE(w);
    CT_TRY(need_current(w, "Assignment", "runtime_tracing <= 0.16 cannot serialize its RValue "
                        "and CodeTracer 25.11 panics on it"));
    CT_TRY(ct__writer_check_variable(w, to, "Assignment.to"));
    if ((unsigned)pass_by > CT_PASS_BY_REFERENCE)
        return ct__writer_fail(w, CT_EINVAL, "Assignment: unknown pass_by %d", (int)pass_by);
    CT_TRY(check_rvalue(w, from));
    ct__writer_begin_event(w);
    CT__PUT(w->out, "{\"Assignment\":{\"to\":");
    ct__sink_u64(w->out, to);
    if (pass_by == CT_PASS_BY_VALUE)
        CT__PUT(w->out, ",\"pass_by\":\"Value\",\"from\":");
    else
        CT__PUT(w->out, ",\"pass_by\":\"Reference\",\"from\":");
    rvalue_json(w->out, from);
    CT__PUT(w->out, "}}");
    return finish(w);
}

ct_status ct_writer_drop_variables(ct_writer *w, const ct_variable_id *variables, size_t n)
{
    size_t i;
    CHECK_HANDLE(w);
    CT_TRY(need_current(w, "DropVariables", "CodeTracer 25.11 panics on it"));
    if (!variables && n > 0)
        return ct__writer_fail(w, CT_EINVAL, "DropVariables: variables is NULL");
    for (i = 0; i < n; i++)
        CT_TRY(ct__writer_check_variable(w, variables[i], "DropVariables"));
    ct__writer_begin_event(w);
    CT__PUT(w->out, "{\"DropVariables\":[");
    for (i = 0; i < n; i++) {
        if (i)
            ct__sink_putc(w->out, ',');
        ct__sink_u64(w->out, variables[i]);
    }
    CT__PUT(w->out, "]}");
    return finish(w);
}
