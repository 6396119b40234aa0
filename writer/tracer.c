/*
 * The helper API for interpreters: names instead of ids, staged call arguments, and built-in
 * Int/Bool/String types over ct_writer. It adds no event ordering of its own (the writer keeps
 * the loader's rules) and no buffering: every call maps onto one or a few writer calls.
 * The tracer's sticky status covers both its own failures (staging) and the writer's.
 */
#include <ctrecord/tracer.h>

#include <string.h>

#include "tracer_stage.h"
#include "util/alloc.h"
#include "util/error.h"

struct ct_tracer {
    ct_allocator alloc;
    ct_writer *writer;
    ct_status status;          /* CT_OK until the first failure, then that failure for good */
    ct_error error;
    ct__tracer_stage stage;
    ct_type_id int_type, bool_type, string_type;
    bool has_int_type, has_bool_type, has_string_type;
};

/* Every entry point starts here: refuse a NULL handle, repeat an earlier failure. */
static ct_status check(const ct_tracer *t)
{
    if (!t)
        return CT_EINVAL;
    return t->status < 0 ? t->status : CT_OK;
}

/* Make a writer failure the tracer's, with the writer's detail. */
static ct_status from_writer(ct_tracer *t, ct_status rc)
{
    const ct_error *werr;
    if (rc >= 0 || t->status < 0)
        return rc;
    t->status = rc;
    werr = ct_writer_error(t->writer);
    if (werr && werr->code < 0)
        ct__error_copy(&t->error, werr);
    else
        ct__error_set(&t->error, rc, "trace writer failed: %s", ct_strerror(rc));
    return rc;
}

/* Make a failure the tracer detected itself (detail already in t->error) sticky. */
static ct_status own(ct_tracer *t, ct_status rc)
{
    if (rc < 0)
        t->status = rc;
    return rc;
}

static void tracer_free(ct_tracer *t)
{
    ct_allocator alloc = t->alloc;
    ct__tracer_stage_free(&t->stage);
    ct__free(&alloc, t, sizeof *t);
}

ct_status ct_tracer_open(ct_tracer **out, const char *dir, const char *program,
                         const char *const *args, size_t nargs, const ct_writer_options *opts,
                         ct_error *err)
{
    ct_writer_options o;
    ct_tracer *t;
    ct_status rc;
    if (!out)
        return ct__error_set(err, CT_EINVAL, "ct_tracer_open: out is NULL");
    *out = NULL;
    /* Checked before the copy: options of another version may be smaller than ours. */
    if (opts && opts->version != CT_WRITER_OPTIONS_VERSION)
        return ct__error_set(err, CT_EINVAL, "ct_tracer_open: options.version is %u, expected %u"
                             " (call ct_writer_options_init)", opts->version,
                             CT_WRITER_OPTIONS_VERSION);
    if (opts)
        o = *opts;
    else
        ct_writer_options_init(&o);
    if (program)
        o.program = program;
    if (args) {
        o.args = args;
        o.nargs = nargs;
    }
    if (!(t = ct__calloc(o.allocator, 1, sizeof *t)))
        return ct__error_set(err, CT_ENOMEM, "out of memory opening a tracer");
    t->alloc = ct__allocator_or_default(o.allocator);
    ct__tracer_stage_init(&t->stage, &t->alloc);
    if ((rc = ct_writer_open(&t->writer, dir, &o, err)) < 0) {
        tracer_free(t);
        return rc;
    }
    *out = t;
    return CT_OK;
}

ct_status ct_tracer_finish(ct_tracer *t, ct_error *err)
{
    ct_status rc;
    if (!t)
        return ct__error_set(err, CT_EINVAL, "ct_tracer_finish: tracer is NULL");
    if (t->status < 0) {
        ct_writer_abort(t->writer);
        rc = ct__error_copy(err, &t->error);
    } else {
        rc = ct_writer_close(t->writer, err);
    }
    tracer_free(t);
    return rc;
}

void ct_tracer_abort(ct_tracer *t)
{
    if (!t)
        return;
    ct_writer_abort(t->writer);
    tracer_free(t);
}

const ct_error *ct_tracer_error(const ct_tracer *t)
{
    return t ? &t->error : NULL;
}

ct_writer *ct_tracer_writer(ct_tracer *t)
{
    return t ? t->writer : NULL;
}

ct_status ct_tracer_start(ct_tracer *t, const char *path, int64_t line)
{
    CT_TRY(check(t));
    return from_writer(t, ct_writer_start(t->writer, path, line));
}

ct_status ct_tracer_step(ct_tracer *t, const char *path, int64_t line)
{
    ct_path_id path_id;
    CT_TRY(ct_tracer_path_id(&path_id, t, path));
    return from_writer(t, ct_writer_step(t->writer, path_id, line));
}

ct_status ct_tracer_path_id(ct_path_id *out, ct_tracer *t, const char *path)
{
    CT_TRY(check(t));
    return from_writer(t, ct_writer_path_id(out, t->writer, path));
}

ct_status ct_tracer_function_id(ct_function_id *out, ct_tracer *t, const char *name,
                                const char *path, int64_t line)
{
    ct_path_id path_id;
    CT_TRY(ct_tracer_path_id(&path_id, t, path));
    return from_writer(t, ct_writer_function_id(out, t->writer, name, path_id, line));
}

ct_status ct_tracer_type_id(ct_type_id *out, ct_tracer *t, ct_type_kind kind,
                            const char *lang_type)
{
    CT_TRY(check(t));
    return from_writer(t, ct_writer_type_id(out, t->writer, kind, lang_type));
}

ct_status ct_tracer_variable_id(ct_variable_id *out, ct_tracer *t, const char *name)
{
    CT_TRY(check(t));
    return from_writer(t, ct_writer_variable_id(out, t->writer, name));
}

ct_status ct_tracer_arg(ct_tracer *t, const char *name, const ct_value *v)
{
    ct_variable_id variable;
    CT_TRY(check(t));
    if (!v)
        return own(t, ct__error_set(&t->error, CT_EINVAL, "ct_tracer_arg: value is NULL"));
    CT_TRY(ct_tracer_variable_id(&variable, t, name));
    return own(t, ct__tracer_stage_push(&t->stage, variable, v, &t->error));
}

ct_status ct_tracer_call(ct_tracer *t, const char *name, const char *path, int64_t line)
{
    ct_function_id function;
    CT_TRY(ct_tracer_function_id(&function, t, name, path, line));
    return ct_tracer_call_id(t, function);
}

ct_status ct_tracer_call_id(ct_tracer *t, ct_function_id function)
{
    ct_status rc;
    CT_TRY(check(t));
    rc = ct_writer_call(t->writer, function, t->stage.args, t->stage.count);
    ct__tracer_stage_clear(&t->stage);
    return from_writer(t, rc);
}

ct_status ct_tracer_return(ct_tracer *t, const ct_value *v)
{
    CT_TRY(check(t));
    return from_writer(t, ct_writer_return(t->writer, v));
}

ct_status ct_tracer_variable(ct_tracer *t, const char *name, const ct_value *v)
{
    ct_variable_id variable;
    CT_TRY(ct_tracer_variable_id(&variable, t, name));
    return ct_tracer_value(t, variable, v);
}

ct_status ct_tracer_value(ct_tracer *t, ct_variable_id variable, const ct_value *v)
{
    CT_TRY(check(t));
    if (!v)
        return own(t, ct__error_set(&t->error, CT_EINVAL, "ct_tracer_value: value is NULL"));
    return from_writer(t, ct_writer_value(t->writer, variable, v));
}

ct_status ct_tracer_event(ct_tracer *t, ct_event_kind kind, const char *metadata,
                          const char *content)
{
    CT_TRY(check(t));
    return from_writer(t, ct_writer_event(t->writer, kind, metadata ? metadata : "", content));
}

ct_status ct_tracer_asm(ct_tracer *t, const char *const *lines, size_t nlines)
{
    CT_TRY(check(t));
    return from_writer(t, ct_writer_asm(t->writer, lines, nlines));
}

/* The id of a built-in type, registered on first use; CT_NONE_TYPE_ID after a failure. */
static ct_type_id builtin_type(ct_tracer *t, ct_type_id *cache, bool *known, ct_type_kind kind,
                               const char *lang_type)
{
    ct_type_id id;
    if (*known)
        return *cache;
    if (ct_tracer_type_id(&id, t, kind, lang_type) < 0)
        return CT_NONE_TYPE_ID;
    *cache = id;
    *known = true;
    return id;
}

ct_value ct_tracer_int_value(ct_tracer *t, int64_t i)
{
    ct_type_id type = t ? builtin_type(t, &t->int_type, &t->has_int_type, CT_TYPE_INT, "Int")
                        : CT_NONE_TYPE_ID;
    return ct_value_int(type, i);
}

ct_value ct_tracer_bool_value(ct_tracer *t, bool b)
{
    ct_type_id type = t ? builtin_type(t, &t->bool_type, &t->has_bool_type, CT_TYPE_BOOL, "Bool")
                        : CT_NONE_TYPE_ID;
    return ct_value_bool(type, b);
}

ct_value ct_tracer_string_value(ct_tracer *t, const char *s)
{
    return s ? ct_tracer_string_value_n(t, s, strlen(s)) : ct_tracer_string_value_n(t, "", 0);
}

ct_value ct_tracer_string_value_n(ct_tracer *t, const char *s, size_t len)
{
    ct_type_id type = t ? builtin_type(t, &t->string_type, &t->has_string_type, CT_TYPE_STRING,
                                       "String")
                        : CT_NONE_TYPE_ID;
    return ct_value_text(CT_VALUE_STRING, type, s, len);
}
