/*
 * Definition events (Path, Function, Type, VariableName/Variable) and the tables behind them.
 * Every definition gets the next dense id of its kind, as the loader assigns ids by counting
 * these events. Interned definitions are emitted once per key; the verbatim register_* calls
 * (intern = false) emit every time and leave the index alone, like runtime_tracing's
 * register_* functions. Everything that can fail (checks, allocation) happens before the event
 * is written, so a refused definition leaves no trace in the output.
 */
#include "writer_impl.h"

#include "util/alloc.h"

#include <string.h>

static ct_status oom(ct_writer *w, const char *what)
{
    return ct__writer_fail(w, CT_ENOMEM, "%s: out of memory", what);
}

static ct_status scratch_reserve(ct_writer *w, size_t need, const char *what)
{
    void *p = w->scratch;
    if (ct__grow_array(&w->alloc, &p, &w->scratch_cap, need, 1) < 0)
        return oom(w, what);
    w->scratch = p;
    return CT_OK;
}

static size_t put_bytes(unsigned char *dst, size_t at, const void *src, size_t len)
{
    memcpy(dst + at, src, len);
    return at + len;
}

void ct__writer_free_tables(ct_writer *w)
{
    size_t i;
    ct__intern_free(&w->path_index, &w->alloc);
    ct__intern_free(&w->function_index, &w->alloc);
    ct__intern_free(&w->type_index, &w->alloc);
    ct__intern_free(&w->variable_index, &w->alloc);
    for (i = 0; i < w->npaths; i++)
        ct__free(&w->alloc, w->paths[i], strlen(w->paths[i]) + 1);
    ct__free(&w->alloc, w->paths, w->paths_cap * sizeof *w->paths);
    ct__free(&w->alloc, w->functions, w->functions_cap * sizeof *w->functions);
    ct__free(&w->alloc, w->types, w->types_cap * sizeof *w->types);
    ct__free(&w->alloc, w->scratch, w->scratch_cap);
}

/* Add a key to an index unless this is a verbatim registration. */
static ct_status index_add(ct_writer *w, ct__intern *ix, bool intern, const void *key,
                           size_t len, uint64_t id, const char *what)
{
    if (intern && ct__intern_add(ix, &w->alloc, key, len, id) < 0)
        return oom(w, what);
    return CT_OK;
}

/* ---- Path ----------------------------------------------------------------------------------- */

/* A path that files/ cannot hold (a ".." component, no file name) would make close fail after
 * the whole recording; refuse it when it is registered instead. */
static ct_status check_source_path(ct_writer *w, const char *path)
{
    ct_error e;
    char *rel = NULL;
    ct_status rc;
    if (!w->copy_sources)
        return CT_OK;
    rc = ct__source_relpath(&rel, path, &w->alloc, &e);
    if (rc < 0)
        return ct__writer_fail(w, rc, "Path: %s (use an absolute path, or set "
                               "options.copy_sources = false)", e.message);
    ct__free(&w->alloc, rel, strlen(rel) + 1);
    return CT_OK;
}

ct_status ct__writer_emit_path(ct_writer *w, const char *path, size_t len, bool intern,
                               ct_path_id *out)
{
    void *paths = w->paths;
    char *copy;
    if (intern && ct__intern_find(&w->path_index, path, len, out))
        return CT_OK;
    CT_TRY(ct__writer_check_text(w, path, len, "Path"));
    CT_TRY(check_source_path(w, path));
    if (ct__grow_array(&w->alloc, &paths, &w->paths_cap, w->npaths + 1, sizeof *w->paths) < 0)
        return oom(w, "Path");
    w->paths = paths;
    copy = ct__malloc(&w->alloc, len + 1);
    if (!copy)
        return oom(w, "Path");
    memcpy(copy, path, len);
    copy[len] = '\0';
    if (index_add(w, &w->path_index, intern, path, len, w->npaths, "Path") < 0) {
        ct__free(&w->alloc, copy, len + 1);
        return w->err.code;
    }
    *out = w->npaths;
    w->paths[w->npaths++] = copy;
    ct__writer_begin_event(w);
    CT__PUT(w->out, "{\"Path\":");
    ct__sink_json_string(w->out, path, len);
    ct__sink_putc(w->out, '}');
    return ct__writer_sink_status(w);
}

/* ---- Function ------------------------------------------------------------------------------ */

/* key = name NUL path_id line: the same name at another place is another function */
static ct_status function_key(ct_writer *w, const char *name, size_t len, ct_path_id path,
                              int64_t line, size_t *klen)
{
    size_t at;
    CT_TRY(scratch_reserve(w, len + 1 + sizeof path + sizeof line, "Function"));
    at = put_bytes(w->scratch, 0, name, len);
    w->scratch[at++] = 0;
    at = put_bytes(w->scratch, at, &path, sizeof path);
    *klen = put_bytes(w->scratch, at, &line, sizeof line);
    return CT_OK;
}

ct_status ct__writer_emit_function(ct_writer *w, const char *name, ct_path_id path,
                                   int64_t line, bool intern, ct_function_id *out)
{
    void *functions = w->functions;
    size_t len, klen;
    if (!name)
        return ct__writer_fail(w, CT_EINVAL, "Function: name is NULL");
    len = strlen(name);
    CT_TRY(ct__writer_check_path(w, path, "Function"));
    CT_TRY(function_key(w, name, len, path, line, &klen));
    if (intern && ct__intern_find(&w->function_index, w->scratch, klen, out))
        return CT_OK;
    CT_TRY(ct__writer_check_text(w, name, len, "Function name"));
    if (ct__grow_array(&w->alloc, &functions, &w->functions_cap, w->nfunctions + 1,
                       sizeof *w->functions) < 0)
        return oom(w, "Function");
    w->functions = functions;
    CT_TRY(index_add(w, &w->function_index, intern, w->scratch, klen, w->nfunctions,
                     "Function"));
    w->functions[w->nfunctions].path_id = path;
    w->functions[w->nfunctions].line = line;
    *out = w->nfunctions++;
    ct__writer_begin_event(w);
    CT__PUT(w->out, "{\"Function\":{\"path_id\":");
    ct__sink_u64(w->out, path);
    CT__PUT(w->out, ",\"line\":");
    ct__sink_i64(w->out, line);
    CT__PUT(w->out, ",\"name\":");
    ct__sink_json_string(w->out, name, len);
    CT__PUT(w->out, "}}");
    return ct__writer_sink_status(w);
}

/* ---- Type ------------------------------------------------------------------------------------ */

static ct_status check_type_request(ct_writer *w, ct_type_kind kind, const char *lang_type,
                                    const ct_field *fields, size_t nfields,
                                    const ct_type_id *deref)
{
    size_t i;
    if ((unsigned)kind > CT_TYPE_SLICE)
        return ct__writer_fail(w, CT_EINVAL, "Type: kind %d is not a CodeTracer TypeKind "
                               "(0..33)", (int)kind);
    if (!lang_type)
        return ct__writer_fail(w, CT_EINVAL, "Type: lang_type is NULL");
    if (fields && deref)
        return ct__writer_fail(w, CT_EINVAL, "Type \"%s\": both struct fields and a "
                               "dereference type given", lang_type);
    if (!fields && nfields > 0)
        return ct__writer_fail(w, CT_EINVAL, "Type \"%s\": fields is NULL", lang_type);
    CT_TRY(ct__writer_check_text(w, lang_type, strlen(lang_type), "Type lang_type"));
    for (i = 0; i < nfields; i++) {
        if (!fields[i].name)
            return ct__writer_fail(w, CT_EINVAL, "Type \"%s\": field %zu has no name",
                                   lang_type, i);
        CT_TRY(ct__writer_check_text(w, fields[i].name, strlen(fields[i].name),
                                     "Type field name"));
        CT_TRY(ct__writer_check_type(w, fields[i].type_id, "Type field"));
    }
    if (deref)
        CT_TRY(ct__writer_check_type(w, *deref, "Type dereference_type_id"));
    return CT_OK;
}

/* key = kind info lang_type NUL [field name NUL type_id]... | [dereference id] */
static ct_status type_key(ct_writer *w, ct_type_kind kind, const char *lang_type,
                          const ct_field *fields, size_t nfields, const ct_type_id *deref,
                          size_t *klen)
{
    size_t need = 3 + strlen(lang_type) + sizeof *deref, at = 0, i;
    for (i = 0; i < nfields; i++)
        need += strlen(fields[i].name) + 1 + sizeof fields[i].type_id;
    CT_TRY(scratch_reserve(w, need, "Type"));
    w->scratch[at++] = (unsigned char)kind;
    w->scratch[at++] = (unsigned char)(fields ? CT__INFO_STRUCT
                                              : deref ? CT__INFO_POINTER : CT__INFO_NONE);
    at = put_bytes(w->scratch, at, lang_type, strlen(lang_type) + 1);
    for (i = 0; i < nfields; i++) {
        at = put_bytes(w->scratch, at, fields[i].name, strlen(fields[i].name) + 1);
        at = put_bytes(w->scratch, at, &fields[i].type_id, sizeof fields[i].type_id);
    }
    if (deref)
        at = put_bytes(w->scratch, at, deref, sizeof *deref);
    *klen = at;
    return CT_OK;
}

static void type_json(ct__sink *s, ct_type_kind kind, const char *lang_type,
                      const ct_field *fields, size_t nfields, const ct_type_id *deref)
{
    size_t i;
    CT__PUT(s, "{\"Type\":{\"kind\":");
    ct__sink_u64(s, (uint64_t)kind);
    CT__PUT(s, ",\"lang_type\":");
    ct__sink_json_string(s, lang_type, strlen(lang_type));
    if (deref) {
        CT__PUT(s, ",\"specific_info\":{\"kind\":\"Pointer\",\"dereference_type_id\":");
        ct__sink_u64(s, *deref);
        CT__PUT(s, "}}}");
        return;
    }
    if (!fields) {
        CT__PUT(s, ",\"specific_info\":{\"kind\":\"None\"}}}");
        return;
    }
    CT__PUT(s, ",\"specific_info\":{\"kind\":\"Struct\",\"fields\":[");
    for (i = 0; i < nfields; i++) {
        if (i)
            ct__sink_putc(s, ',');
        CT__PUT(s, "{\"name\":");
        ct__sink_json_string(s, fields[i].name, strlen(fields[i].name));
        CT__PUT(s, ",\"type_id\":");
        ct__sink_u64(s, fields[i].type_id);
        ct__sink_putc(s, '}');
    }
    CT__PUT(s, "]}}}");
}

ct_status ct__writer_emit_type(ct_writer *w, ct_type_kind kind, const char *lang_type,
                               const ct_field *fields, size_t nfields,
                               const ct_type_id *deref, bool intern, ct_type_id *out)
{
    void *types = w->types;
    size_t klen;
    CT_TRY(check_type_request(w, kind, lang_type, fields, nfields, deref));
    CT_TRY(type_key(w, kind, lang_type, fields, nfields, deref, &klen));
    if (intern && ct__intern_find(&w->type_index, w->scratch, klen, out))
        return CT_OK;
    if (ct__grow_array(&w->alloc, &types, &w->types_cap, w->ntypes + 1, sizeof *w->types) < 0)
        return oom(w, "Type");
    w->types = types;
    CT_TRY(index_add(w, &w->type_index, intern, w->scratch, klen, w->ntypes, "Type"));
    w->types[w->ntypes].kind = (uint8_t)kind;
    w->types[w->ntypes].info = fields ? CT__INFO_STRUCT : deref ? CT__INFO_POINTER
                                                               : CT__INFO_NONE;
    w->types[w->ntypes].nfields = nfields;
    *out = w->ntypes++;
    ct__writer_begin_event(w);
    type_json(w->out, kind, lang_type, fields, nfields, deref);
    return ct__writer_sink_status(w);
}

/* ---- VariableName ---------------------------------------------------------------------------- */

ct_status ct__writer_emit_variable(ct_writer *w, const char *name, bool legacy, bool intern,
                                   ct_variable_id *out)
{
    size_t len;
    if (!name)
        return ct__writer_fail(w, CT_EINVAL, "VariableName: name is NULL");
    len = strlen(name);
    if (intern && ct__intern_find(&w->variable_index, name, len, out))
        return CT_OK;
    CT_TRY(ct__writer_check_text(w, name, len, "VariableName"));
    CT_TRY(index_add(w, &w->variable_index, intern, name, len, w->nvariables,
                     "VariableName"));
    *out = w->nvariables++;
    ct__writer_begin_event(w);
    if (legacy)
        CT__PUT(w->out, "{\"Variable\":");
    else
        CT__PUT(w->out, "{\"VariableName\":");
    ct__sink_json_string(w->out, name, len);
    ct__sink_putc(w->out, '}');
    return ct__writer_sink_status(w);
}
