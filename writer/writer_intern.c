/*
 * Public entry points that define things: ct_writer_start, the interning ct_writer_*_id calls
 * (emit on first use) and the verbatim ct_writer_register_* calls (emit every time).
 */
#include "writer_impl.h"

#include <string.h>

#define CHECK_HANDLE(w)                                                                        \
    do {                                                                                       \
        if (!(w))                                                                              \
            return CT_EINVAL;                                                                  \
    } while (0)

static ct_status check_out(ct_writer *w, const void *out, const char *what)
{
    if (!out)
        return ct__writer_fail(w, CT_EINVAL, "%s: out is NULL", what);
    return CT_OK;
}

/* The toplevel Call of ct_writer_start: no arguments, no Step (the loader's convention). */
static ct_status emit_toplevel_call(ct_writer *w, ct_function_id f)
{
    ct__writer_begin_event(w);
    CT__PUT(w->out, "{\"Call\":{\"function_id\":");
    ct__sink_u64(w->out, f);
    CT__PUT(w->out, ",\"args\":[]}}");
    w->depth++;
    return ct__writer_sink_status(w);
}

ct_status ct_writer_start(ct_writer *w, const char *path, int64_t line)
{
    ct_path_id p;
    ct_function_id f;
    ct_type_id t;
    CHECK_HANDLE(w);
    if (w->err.code < 0)
        return w->err.code;
    if (w->started)
        return ct__writer_fail(w, CT_EINVAL, "ct_writer_start called twice");
    if (w->order == CT_ORDER_STRICT && w->events > 0)
        return ct__writer_fail(w, CT_EINVAL, "ct_writer_start must be the first call");
    if (!path)
        return ct__writer_fail(w, CT_EINVAL, "ct_writer_start: path is NULL");
    CT_TRY(ct__writer_emit_path(w, path, strlen(path), true, &p));
    CT_TRY(ct__writer_emit_function(w, "<toplevel>", p, line, true, &f));
    CT_TRY(emit_toplevel_call(w, f));
    CT_TRY(ct__writer_emit_type(w, CT_TYPE_NONE, "None", NULL, 0, NULL, true, &t));
    w->started = true;
    return CT_OK;
}

ct_status ct_writer_path_id(ct_path_id *out, ct_writer *w, const char *path)
{
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "Path"));
    CT_TRY(check_out(w, out, "ct_writer_path_id"));
    if (!path)
        return ct__writer_fail(w, CT_EINVAL, "Path: path is NULL");
    return ct__writer_emit_path(w, path, strlen(path), true, out);
}

ct_status ct_writer_function_id(ct_function_id *out, ct_writer *w, const char *name,
                                ct_path_id path, int64_t line)
{
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "Function"));
    CT_TRY(check_out(w, out, "ct_writer_function_id"));
    return ct__writer_emit_function(w, name, path, line, true, out);
}

ct_status ct_writer_type_id(ct_type_id *out, ct_writer *w, ct_type_kind kind,
                            const char *lang_type)
{
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "Type"));
    CT_TRY(check_out(w, out, "ct_writer_type_id"));
    return ct__writer_emit_type(w, kind, lang_type, NULL, 0, NULL, true, out);
}

ct_status ct_writer_struct_type_id(ct_type_id *out, ct_writer *w, const char *lang_type,
                                   const ct_field *fields, size_t nfields)
{
    static const ct_field no_fields[1] = {{"", 0}};
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "Type"));
    CT_TRY(check_out(w, out, "ct_writer_struct_type_id"));
    if (!fields && nfields > 0)
        return ct__writer_fail(w, CT_EINVAL, "Type: fields is NULL");
    /* a non-NULL fields pointer is what marks specific_info Struct, also with no fields */
    return ct__writer_emit_type(w, CT_TYPE_STRUCT, lang_type, fields ? fields : no_fields,
                                nfields, NULL, true, out);
}

ct_status ct_writer_pointer_type_id(ct_type_id *out, ct_writer *w, const char *lang_type,
                                    ct_type_id dereference_type_id)
{
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "Type"));
    CT_TRY(check_out(w, out, "ct_writer_pointer_type_id"));
    return ct__writer_emit_type(w, CT_TYPE_POINTER, lang_type, NULL, 0, &dereference_type_id,
                                true, out);
}

ct_status ct_writer_variable_id(ct_variable_id *out, ct_writer *w, const char *name)
{
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "VariableName"));
    CT_TRY(check_out(w, out, "ct_writer_variable_id"));
    return ct__writer_emit_variable(w, name, false, true, out);
}

/* ---- verbatim registration ------------------------------------------------------------------ */

ct_status ct_writer_register_path(ct_writer *w, const char *path)
{
    ct_path_id id;
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "Path"));
    if (!path)
        return ct__writer_fail(w, CT_EINVAL, "Path: path is NULL");
    return ct__writer_emit_path(w, path, strlen(path), false, &id);
}

ct_status ct_writer_register_function(ct_writer *w, const char *name, ct_path_id path,
                                      int64_t line)
{
    ct_function_id id;
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "Function"));
    return ct__writer_emit_function(w, name, path, line, false, &id);
}

ct_status ct_writer_register_type(ct_writer *w, ct_type_kind kind, const char *lang_type,
                                  const ct_field *fields, size_t nfields,
                                  const ct_type_id *dereference)
{
    ct_type_id id;
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "Type"));
    return ct__writer_emit_type(w, kind, lang_type, fields, nfields, dereference, false, &id);
}

ct_status ct_writer_register_variable_name(ct_writer *w, const char *name, bool legacy)
{
    ct_variable_id id;
    CHECK_HANDLE(w);
    CT_TRY(ct__writer_ready(w, "VariableName"));
    return ct__writer_emit_variable(w, name, legacy, false, &id);
}
