/*
 * The everyday events: Step, Value, Call, Return, Event, Asm, and ct_writer_source. Each entry
 * point checks everything first (sticky status, order, ids, values) and only then writes, so a
 * refused event leaves no partial JSON. Step and Value are the hot path: no allocation, a few
 * buffered writes.
 */
#include "writer_impl.h"

#include <string.h>

#define CHECK_HANDLE(w)                                                                        \
    do {                                                                                       \
        if (!(w))                                                                              \
            return CT_EINVAL;                                                                  \
    } while (0)

/* Step and Value are the hot path: formatted in place, state checked inline. */
static ct_status step_json(ct_writer *w, ct_path_id path, int64_t line)
{
    char *start, *o = ct__writer_event_reserve(w, 64, &start);
    if (!o)
        return ct__writer_sink_status(w);
    CT__LIT(o, "{\"Step\":{\"path_id\":");
    o += ct__fmt_u64(o, path);
    CT__LIT(o, ",\"line\":");
    o += ct__fmt_i64(o, line);
    CT__LIT(o, "}}");
    ct__sink_advance(w->out, (size_t)(o - start));
    w->steps++;
    return CT_OK;
}

ct_status ct_writer_step(ct_writer *w, ct_path_id path, int64_t line)
{
    CHECK_HANDLE(w);
    if (!ct__writer_fast_ok(w))
        CT_TRY(ct__writer_ready(w, "Step"));
    if (path >= w->npaths)
        return ct__writer_check_path(w, path, "Step");
    return step_json(w, path, line);
}

static ct_status value_json(ct_writer *w, ct_variable_id variable, const ct_value *v)
{
    char *start, *o = ct__writer_event_reserve(w, 256, &start);
    size_t n;
    if (!o)
        return ct__writer_sink_status(w);
    CT__LIT(o, "{\"Value\":{\"variable_id\":");
    o += ct__fmt_u64(o, variable);
    CT__LIT(o, ",\"value\":");
    n = ct__value_json_inplace(o, 256 - 2 - (size_t)(o - start), v,
                               ct__writer_value_fmt(w));
    if (n > 0) {
        o += n;
        CT__LIT(o, "}}");
        ct__sink_advance(w->out, (size_t)(o - start));
        return CT_OK;
    }
    ct__sink_advance(w->out, (size_t)(o - start));
    ct__value_json(w->out, v, ct__writer_value_fmt(w));
    CT__PUT(w->out, "}}");
    return ct__writer_sink_status(w);
}

ct_status ct_writer_value(ct_writer *w, ct_variable_id variable, const ct_value *v)
{
    CHECK_HANDLE(w);
    if (!ct__writer_fast_ok(w))
        CT_TRY(ct__writer_ready(w, "Value"));
    CT_TRY(ct__writer_check_variable(w, variable, "Value"));
    CT_TRY(ct__value_check(w, v, CT__VALUE_PLAIN, "Value.value"));
    return value_json(w, variable, v);
}

/* ---- Call and Return ------------------------------------------------------------------------ */

static ct_status check_call(ct_writer *w, ct_function_id function, const ct_arg *args,
                            size_t nargs)
{
    size_t i;
    CT_TRY(ct__writer_ready(w, "Call"));
    CT_TRY(ct__writer_check_function(w, function, "Call"));
    if (!args && nargs > 0)
        return ct__writer_fail(w, CT_EINVAL, "Call: args is NULL with %zu arguments", nargs);
    for (i = 0; i < nargs; i++) {
        CT_TRY(ct__writer_check_variable(w, args[i].variable_id, "Call argument"));
        CT_TRY(ct__value_check_arg(w, &args[i].value, i));
    }
    return CT_OK;
}

static void call_json(ct_writer *w, ct_function_id function, const ct_arg *args, size_t nargs)
{
    ct__writer_begin_event(w);
    CT__PUT(w->out, "{\"Call\":{\"function_id\":");
    ct__sink_u64(w->out, function);
    CT__PUT(w->out, ",\"args\":");
    ct__args_json(w->out, args, nargs, ct__writer_value_fmt(w));
    CT__PUT(w->out, "}}");
    w->depth++;
}

ct_status ct_writer_call(ct_writer *w, ct_function_id function, const ct_arg *args,
                         size_t nargs)
{
    size_t i;
    CHECK_HANDLE(w);
    CT_TRY(check_call(w, function, args, nargs));
    if (function != 0 && w->order == CT_ORDER_STRICT) {
        /* runtime_tracing's register_call: the loader attributes the Step to the callee.
         * Verbatim order emits only what it is given, like ct_writer_register_call. */
        for (i = 0; i < nargs; i++)
            CT_TRY(value_json(w, args[i].variable_id, &args[i].value));
        CT_TRY(step_json(w, w->functions[function].path_id, w->functions[function].line));
    }
    call_json(w, function, args, nargs);
    return ct__writer_sink_status(w);
}

ct_status ct_writer_register_call(ct_writer *w, ct_function_id function, const ct_arg *args,
                                  size_t nargs)
{
    CHECK_HANDLE(w);
    CT_TRY(check_call(w, function, args, nargs));
    call_json(w, function, args, nargs);
    return ct__writer_sink_status(w);
}

ct_status ct_writer_return(ct_writer *w, const ct_value *v)
{
    ct_value none = ct_value_none();
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "Return"));
    if (w->depth == 0)
        return ct__writer_fail(w, CT_EINVAL, "Return without an open Call (the loader "
                               "asserts Returns never outnumber Calls)");
    if (!v)
        v = &none;
    CT_TRY(ct__value_check(w, v, CT__VALUE_PLAIN, "Return.return_value"));
    ct__writer_begin_event(w);
    CT__PUT(w->out, "{\"Return\":{\"return_value\":");
    ct__value_json(w->out, v, ct__writer_value_fmt(w));
    CT__PUT(w->out, "}}");
    w->depth--;
    return ct__writer_sink_status(w);
}

/* ---- Event and Asm ----------------------------------------------------------------------- */

ct_status ct_writer_event(ct_writer *w, ct_event_kind kind, const char *metadata,
                          const char *content)
{
    size_t mlen, clen;
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "Event"));
    if ((unsigned)kind > CT_EVENT_EVM)
        return ct__writer_fail(w, CT_EINVAL, "Event: kind %d is not a CodeTracer "
                               "EventLogKind (0..13)", (int)kind);
    if (!content)
        return ct__writer_fail(w, CT_EINVAL, "Event: content is NULL");
    if (!metadata)
        metadata = "";
    mlen = strlen(metadata);
    clen = strlen(content);
    CT_TRY(ct__writer_check_text(w, metadata, mlen, "Event.metadata"));
    CT_TRY(ct__writer_check_text(w, content, clen, "Event.content"));
    ct__writer_begin_event(w);
    CT__PUT(w->out, "{\"Event\":{\"kind\":");
    ct__sink_u64(w->out, (uint64_t)kind);
    CT__PUT(w->out, ",\"metadata\":");
    ct__sink_json_string(w->out, metadata, mlen);
    CT__PUT(w->out, ",\"content\":");
    ct__sink_json_string(w->out, content, clen);
    CT__PUT(w->out, "}}");
    return ct__writer_sink_status(w);
}

static ct_status check_asm(ct_writer *w, const char *const *lines, size_t nlines)
{
    size_t i;
    CT_TRY(ct__writer_ready(w, "Asm"));
    if (w->order == CT_ORDER_STRICT && w->steps == 0)
        return ct__writer_fail(w, CT_EINVAL, "Asm before the first Step (it attaches to the "
                               "current step)");
    if (!lines && nlines > 0)
        return ct__writer_fail(w, CT_EINVAL, "Asm: lines is NULL with %zu lines", nlines);
    for (i = 0; i < nlines; i++) {
        if (!lines[i])
            return ct__writer_fail(w, CT_EINVAL, "Asm: line %zu is NULL", i);
        CT_TRY(ct__writer_check_text(w, lines[i], strlen(lines[i]), "Asm line"));
    }
    return CT_OK;
}

ct_status ct_writer_asm(ct_writer *w, const char *const *lines, size_t nlines)
{
    size_t i;
    CHECK_HANDLE(w);
    CT_TRY(check_asm(w, lines, nlines));
    ct__writer_begin_event(w);
    CT__PUT(w->out, "{\"Asm\":[");
    for (i = 0; i < nlines; i++) {
        if (i)
            ct__sink_putc(w->out, ',');
        ct__sink_json_string(w->out, lines[i], strlen(lines[i]));
    }
    CT__PUT(w->out, "]}");
    return ct__writer_sink_status(w);
}

/* ---- sources ----------------------------------------------------------------------------- */

ct_status ct_writer_source(ct_writer *w, ct_path_id path, const void *data, size_t len)
{
    CHECK_HANDLE(w);
    if (w->err.code < 0)
        return w->err.code;
    CT_TRY(ct__writer_check_path(w, path, "ct_writer_source"));
    if (!data && len > 0)
        return ct__writer_fail(w, CT_EINVAL, "ct_writer_source: data is NULL");
    return ct__trace_dir_add_source(w->dir, w->paths[path], data ? data : "", len, &w->err);
}
