/*
 * The writer handle: options, open/close/abort, and the checks every entry point shares (the
 * sticky error, call order, id ranges, UTF-8 policy, profile refusals). Event encoding lives
 * in the writer_*.c and value_*.c files; the trace folder itself (temp folder, metadata, paths,
 * files/, rename) belongs to trace_dir.
 */
#include "writer_impl.h"

#include "util/alloc.h"
#include "util/fs.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ct_writer_options_init(ct_writer_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = CT_WRITER_OPTIONS_VERSION;
    opts->profile = CT_PROFILE_PORTABLE;
    opts->order = CT_ORDER_STRICT;
    opts->utf8 = CT_UTF8_REPLACE;
    opts->copy_sources = true;
}

const char *ct__profile_name(ct_profile p)
{
    switch (p) {
    case CT_PROFILE_PORTABLE: return "portable";
    case CT_PROFILE_CODETRACER_25_11: return "codetracer-25.11";
    case CT_PROFILE_CURRENT: return "current";
    }
    return "unknown";
}

/* ---- shared checks ------------------------------------------------------------------------ */

ct_status ct__writer_fail(ct_writer *w, ct_status code, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    if (w->err.code < 0)
        return w->err.code;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ct__error_set(&w->err, code, "trace.json event %" PRIu64 ": %s", w->events, msg);
}

ct_status ct__writer_sink_status(ct_writer *w)
{
    if (ct__sink_status(w->out, NULL) < 0 && w->err.code == CT_OK)
        return ct__sink_status(w->out, &w->err);
    return w->err.code;
}

ct_status ct__writer_ready(ct_writer *w, const char *what)
{
    if (w->err.code < 0)
        return w->err.code;
    if (w->order == CT_ORDER_STRICT && !w->started)
        return ct__writer_fail(w, CT_EINVAL,
                               "%s before ct_writer_start (the loader needs Path, Function "
                               "<toplevel>, Call and Type None first)", what);
    return CT_OK;
}

static ct_status check_id(ct_writer *w, uint64_t id, uint64_t count, const char *kind,
                          const char *what)
{
    if (id < count)
        return CT_OK;
    return ct__writer_fail(w, CT_EINVAL, "%s: %s id %" PRIu64 " is not registered (%" PRIu64
                           " registered)", what, kind, id, count);
}

ct_status ct__writer_check_path(ct_writer *w, ct_path_id id, const char *what)
{
    return check_id(w, id, w->npaths, "path", what);
}

ct_status ct__writer_check_variable(ct_writer *w, ct_variable_id id, const char *what)
{
    return check_id(w, id, w->nvariables, "variable", what);
}

ct_status ct__writer_check_function(ct_writer *w, ct_function_id id, const char *what)
{
    return check_id(w, id, w->nfunctions, "function", what);
}

ct_status ct__writer_check_type(ct_writer *w, ct_type_id id, const char *what)
{
    return check_id(w, id, w->ntypes, "type", what);
}

ct_status ct__writer_check_text(ct_writer *w, const char *s, size_t len, const char *what)
{
    if (!s && len > 0)
        return ct__writer_fail(w, CT_EINVAL, "%s: NULL string", what);
    if (w->utf8 == CT_UTF8_REFUSE && s && !ct__utf8_valid(s, len))
        return ct__writer_fail(w, CT_EINVAL, "%s: invalid UTF-8 (options.utf8 refuses it)",
                               what);
    return CT_OK;
}

ct_status ct__writer_unsupported(ct_writer *w, const char *what, const char *needs)
{
    return ct__writer_fail(w, CT_EUNSUPPORTED, "%s cannot be carried by the %s profile (%s)",
                           what, ct__profile_name(w->profile), needs);
}

void ct__writer_begin_event(ct_writer *w)
{
    if (w->events > 0)
        ct__sink_putc(w->out, ',');
    w->events++;
}

const ct_error *ct_writer_error(const ct_writer *w)
{
    return w ? &w->err : NULL;
}

uint64_t ct_writer_event_count(const ct_writer *w)
{
    return w ? w->events : 0;
}

uint64_t ct_writer_call_depth(const ct_writer *w)
{
    return w ? w->depth : 0;
}

/* ---- open --------------------------------------------------------------------------------- */

static ct_status copy_string(ct_writer *w, char **dst, const char *src, ct_error *err)
{
    if (!src)
        return CT_OK;
    *dst = ct__strdup(&w->alloc, src);
    if (!*dst)
        return ct__error_set(err, CT_ENOMEM, "ct_writer_open: out of memory");
    return CT_OK;
}

static ct_status check_option_text(const ct_writer_options *o, const char *s, const char *what,
                                   ct_error *err)
{
    if (s && o->utf8 == CT_UTF8_REFUSE && !ct__utf8_valid(s, strlen(s)))
        return ct__error_set(err, CT_EINVAL, "ct_writer_open: options.%s is not valid UTF-8",
                             what);
    return CT_OK;
}

static ct_status check_options(const ct_writer_options *o, ct_error *err)
{
    size_t i;
    if (o->version != CT_WRITER_OPTIONS_VERSION)
        return ct__error_set(err, CT_EINVAL, "ct_writer_open: options.version is %u, expected %u"
                             " (call ct_writer_options_init)", o->version,
                             CT_WRITER_OPTIONS_VERSION);
    if ((unsigned)o->profile > CT_PROFILE_CURRENT || (unsigned)o->order > CT_ORDER_VERBATIM ||
        (unsigned)o->utf8 > CT_UTF8_REFUSE)
        return ct__error_set(err, CT_EINVAL, "ct_writer_open: unknown profile, order or utf8 "
                             "mode");
    if (o->nargs > 0 && !o->args)
        return ct__error_set(err, CT_EINVAL, "ct_writer_open: options.args is NULL");
    CT_TRY(check_option_text(o, o->program, "program", err));
    CT_TRY(check_option_text(o, o->workdir, "workdir", err));
    for (i = 0; i < o->nargs; i++) {
        if (!o->args[i])
            return ct__error_set(err, CT_EINVAL, "ct_writer_open: options.args[%zu] is NULL", i);
        CT_TRY(check_option_text(o, o->args[i], "args", err));
    }
    return CT_OK;
}

static ct_status copy_options(ct_writer *w, const ct_writer_options *o, ct_error *err)
{
    size_t i;
    w->profile = o->profile;
    w->order = o->order;
    w->utf8 = o->utf8;
    w->copy_sources = o->copy_sources;
    w->allow_drop_last_step = o->allow_drop_last_step;
    w->on_missing_source = o->on_missing_source;
    w->missing_source_payload = o->missing_source_payload;
    CT_TRY(copy_string(w, &w->program, o->program, err));
    CT_TRY(copy_string(w, &w->workdir, o->workdir, err));
    CT_TRY(copy_string(w, &w->git_repo, o->git_repo, err));
    CT_TRY(copy_string(w, &w->git_rev, o->git_rev, err));
    if (o->nargs == 0)
        return CT_OK;
    w->args = ct__calloc(&w->alloc, o->nargs, sizeof *w->args);
    if (!w->args)
        return ct__error_set(err, CT_ENOMEM, "ct_writer_open: out of memory");
    w->nargs = o->nargs;
    for (i = 0; i < o->nargs; i++)
        CT_TRY(copy_string(w, &w->args[i], o->args[i], err));
    return CT_OK;
}

static void free_string(ct_writer *w, char *s)
{
    if (s)
        ct__free(&w->alloc, s, strlen(s) + 1);
}

/* Free the handle and everything it owns; the trace folder must already be dealt with. */
static void writer_free(ct_writer *w)
{
    ct_allocator a = w->alloc;
    size_t i;
    ct__sink_free(w->out);
    ct__trace_dir_abort(w->dir);
    ct__writer_free_tables(w);
    free_string(w, w->program);
    free_string(w, w->workdir);
    free_string(w, w->git_repo);
    free_string(w, w->git_rev);
    for (i = 0; i < w->nargs; i++)
        free_string(w, w->args[i]);
    ct__free(&a, w->args, w->nargs * sizeof *w->args);
    ct__free(&a, w, sizeof *w);
}

static ct_status open_output(ct_writer *w, const char *dir, bool overwrite, ct_error *err)
{
    char *path;
    ct_status rc;
    CT_TRY(ct__trace_dir_open(&w->dir, dir, overwrite, &w->alloc, err));
    if (w->on_missing_source)
        ct__trace_dir_on_missing(w->dir, w->on_missing_source, w->missing_source_payload);
    path = ct__path_join(&w->alloc, ct__trace_dir_path(w->dir), "trace.json");
    if (!path)
        return ct__error_set(err, CT_ENOMEM, "ct_writer_open: out of memory");
    rc = ct__sink_open_file(&w->out, path, &w->alloc, err);
    ct__path_free(&w->alloc, path);
    if (rc < 0)
        return rc;
    ct__sink_putc(w->out, '[');
    return CT_OK;
}

ct_status ct_writer_open(ct_writer **out, const char *dir, const ct_writer_options *opts,
                         ct_error *err)
{
    ct_writer_options defaults;
    ct_allocator a;
    ct_writer *w;
    ct_status rc;
    if (!out)
        return ct__error_set(err, CT_EINVAL, "ct_writer_open: out is NULL");
    *out = NULL;
    if (!dir || !*dir)
        return ct__error_set(err, CT_EINVAL, "ct_writer_open: no trace folder given");
    if (!opts) {
        ct_writer_options_init(&defaults);
        opts = &defaults;
    }
    CT_TRY(check_options(opts, err));
    a = ct__allocator_or_default(opts->allocator);
    w = ct__calloc(&a, 1, sizeof *w);
    if (!w)
        return ct__error_set(err, CT_ENOMEM, "ct_writer_open: out of memory");
    w->alloc = a;
    rc = copy_options(w, opts, err);
    if (rc == CT_OK)
        rc = open_output(w, dir, opts->overwrite, err);
    if (rc < 0) {
        writer_free(w);
        return rc;
    }
    ct__error_clear(&w->err);
    *out = w;
    return CT_OK;
}

/* ---- close, abort ------------------------------------------------------------------------- */

static ct_status finish_folder(ct_writer *w)
{
    ct__trace_dir *d = w->dir;
    const char *const *paths = (const char *const *)w->paths;
    if (w->copy_sources)
        CT_TRY(ct__trace_dir_copy_sources(d, paths, w->npaths, w->git_repo, w->git_rev,
                                          &w->err));
    CT_TRY(ct__trace_dir_write_metadata(d, w->workdir, w->program,
                                        (const char *const *)w->args, w->nargs, &w->err));
    CT_TRY(ct__trace_dir_write_paths(d, paths, w->npaths, &w->err));
    w->dir = NULL;   /* commit frees it, whatever the outcome */
    return ct__trace_dir_commit(d, &w->err);
}

/* What only the end of a strict trace can tell: CodeTracer opens a trace at step 0. */
static ct_status check_loadable(ct_writer *w)
{
    if (!w->started)
        return ct__writer_fail(w, CT_EINVAL, "closing a trace that was never started "
                               "(ct_writer_start); it would not load");
    if (w->steps == 0)
        return ct__writer_fail(w, CT_EINVAL, "closing a trace without any Step (CodeTracer "
                               "opens a trace at step 0)");
    return CT_OK;
}

ct_status ct_writer_close(ct_writer *w, ct_error *err)
{
    ct_status rc;
    if (!w)
        return ct__error_set(err, CT_EINVAL, "ct_writer_close: writer is NULL");
    rc = w->err.code;
    if (rc == CT_OK && w->order == CT_ORDER_STRICT)
        rc = check_loadable(w);
    if (rc == CT_OK) {
        ct__sink_putc(w->out, ']');
        rc = ct__sink_commit(w->out, &w->err);
    }
    if (rc == CT_OK)
        rc = finish_folder(w);
    if (rc < 0)
        ct__error_copy(err, &w->err);
    else
        ct__error_clear(err);
    writer_free(w);
    return rc;
}

void ct_writer_abort(ct_writer *w)
{
    if (w)
        writer_free(w);
}
