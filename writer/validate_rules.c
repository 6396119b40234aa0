/*
 * The rules of CodeTracer's loader (TraceProcessor::process_event, codetracer-format.md
 * section 8) that a well-formed event can still break: the canonical start, a Call before the
 * first Step, never more Returns than Calls, instructions and cell events only after a Step.
 * Id references are checked with the shapes (validate_shape.c): only counts are kept here,
 * so memory does not grow with the trace.
 */
#include "validate_impl.h"

#include <string.h>

static bool is_toplevel_function(const cJSON *p)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
    return cJSON_IsString(name) && !strcmp(name->valuestring, "<toplevel>");
}

static bool is_toplevel_call(const ct__vstate *st, const cJSON *p)
{
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(p, "args");
    uint64_t id = 1;
    ct__vnum_u64(st, cJSON_GetObjectItemCaseSensitive(p, "function_id"), &id);
    return id == 0 && (!args || cJSON_GetArraySize(args) == 0);
}

static bool is_none_type(const ct__vstate *st, const cJSON *p)
{
    const cJSON *lang = cJSON_GetObjectItemCaseSensitive(p, "lang_type");
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(p, "specific_info");
    uint64_t kind = 0;
    ct__vnum_u64(st, cJSON_GetObjectItemCaseSensitive(p, "kind"), &kind);
    return kind == CT_TYPE_NONE && !strcmp(lang->valuestring, "None") &&
           !strcmp(cJSON_GetObjectItemCaseSensitive(info, "kind")->valuestring, "None");
}

/* Path, Function "<toplevel>", Call(0, []), Type None as events 0..3 (what start() writes). */
static bool start_ok(const ct__vstate *st, ct_event_type type, const cJSON *p)
{
    switch (st->index) {
    case 0: return type == CT_EV_PATH;
    case 1: return type == CT_EV_FUNCTION && is_toplevel_function(p);
    case 2: return type == CT_EV_CALL && is_toplevel_call(st, p);
    default: return type == CT_EV_TYPE && is_none_type(st, p);
    }
}

static ct_status check_start(ct__vstate *st, ct_event_type type, const cJSON *p)
{
    static const char *const want[] = {"Path", "Function \"<toplevel>\"",
                                       "Call of function 0 without args", "Type None"};
    if (start_ok(st, type, p)) {
        st->start_done = st->index == 3;
        return CT_OK;
    }
    st->start_done = true;
    if (st->opts.flags & CT_VALIDATE_LENIENT_START) {
        ct__vwarn(st, "expected %s: a trace starts with Path, Function \"<toplevel>\", Call, "
                      "Type None", want[st->index]);
        return CT_OK;
    }
    return ct__vfail(st, "expected %s: a trace starts with Path, Function \"<toplevel>\", "
                         "Call, Type None (the lenient-start option accepts others)",
                     want[st->index]);
}

static ct_status need_step(ct__vstate *st)
{
    if (st->steps == 0)
        return ct__vfail(st, "comes before the first Step (it attaches to the current step)");
    return CT_OK;
}

static ct_status need_step_and_call(ct__vstate *st)
{
    CT_TRY(need_step(st));
    if (st->depth == 0)
        return ct__vfail(st, "needs an open Call (CodeTracer 25.11 asserts one)");
    return CT_OK;
}

static void open_call(ct__vstate *st)
{
    st->calls++;
    if (++st->depth > st->report->max_depth)
        st->report->max_depth = st->depth;
}

static ct_status flow(ct__vstate *st, ct_event_type type)
{
    switch (type) {
    case CT_EV_STEP:
        if (st->calls == 0 && st->profile_bit != CT__P_CURRENT)
            return ct__vfail(st, "a Step before any Call (CodeTracer 25.11 asserts that a "
                                 "Call comes first)");
        if (st->calls == 0) {
            /* Current CodeTracer opens a "<top-level>" call at such a Step. */
            ct__vwarn(st, "a Step before any Call: current CodeTracer opens an implicit "
                          "toplevel call here");
            open_call(st);
        }
        st->steps++;
        return CT_OK;
    case CT_EV_CALL:
        open_call(st);
        return CT_OK;
    case CT_EV_RETURN:
        if (st->depth == 0)
            return ct__vfail(st, "more Returns than Calls (the loader asserts depth > 0)");
        st->depth--;
        return CT_OK;
    case CT_EV_ASM: case CT_EV_COMPOUND_VALUE: case CT_EV_CELL_VALUE:
    case CT_EV_ASSIGN_COMPOUND_ITEM: case CT_EV_ASSIGN_CELL:
        return need_step(st);
    case CT_EV_VARIABLE_CELL:
        return need_step_and_call(st);
    case CT_EV_DROP_VARIABLE:   /* only 25.11's loader needs the step and the call */
        return st->profile_bit == CT__P_CURRENT ? CT_OK : need_step_and_call(st);
    default:
        return CT_OK;
    }
}

ct_status ct__vrules(ct__vstate *st, ct_event_type type, const cJSON *payload)
{
    if (!st->start_done)
        CT_TRY(check_start(st, type, payload));
    CT_TRY(flow(st, type));
    switch (type) {
    case CT_EV_PATH:
        CT_TRY(ct__vpath_event(st, payload->valuestring));
        st->paths++;
        break;
    case CT_EV_VARIABLE_NAME: case CT_EV_VARIABLE:
        st->variables++;
        break;
    case CT_EV_TYPE:
        st->types++;
        break;
    case CT_EV_FUNCTION:
        st->functions++;
        break;
    default:
        break;
    }
    return CT_OK;
}

ct_status ct__vrules_end(ct__vstate *st)
{
    st->report->open_calls = st->depth;
    if (!st->start_done && !(st->opts.flags & CT_VALIDATE_LENIENT_START))
        return ct__error_set(st->err, CT_EPARSE, "trace.json: ends after %llu events, inside "
                             "the canonical start (Path, Function \"<toplevel>\", Call, Type "
                             "None)", (unsigned long long)st->index);
    if (st->steps == 0)
        return ct__error_set(st->err, CT_EPARSE, "trace.json: no Step event (CodeTracer "
                             "opens a trace at step 0)");
    return ct__vpaths_end(st);
}
