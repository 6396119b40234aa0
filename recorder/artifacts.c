/* The artifact table and the steps every format loader shares; see artifacts.h. */
#include "artifacts.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bytecode_match.h"
#include "util/alloc.h"
#include "util/error.h"

void ct__artifacts_init(ct__artifacts *t, const ct__artifact_options *opts,
                        const ct_allocator *a)
{
    memset(t, 0, sizeof *t);
    t->alloc = ct__allocator_or_default(a);
    ct__arena_init(&t->arena, &t->alloc);
    if (opts)
        t->opts = *opts;
}

void ct__artifacts_free(ct__artifacts *t)
{
    size_t i;
    for (i = 0; i < t->nsets; i++)
        ct__free(&t->alloc, t->sets[i]->sources,
                 t->sets[i]->capsources * sizeof *t->sets[i]->sources);
    for (i = 0; i < t->ndocs; i++)
        cJSON_Delete(t->docs[i]);
    cJSON_Delete(t->inputs);
    ct__free(&t->alloc, t->docs, t->capdocs * sizeof *t->docs);
    ct__free(&t->alloc, t->sets, t->capsets * sizeof *t->sets);
    ct__free(&t->alloc, t->contracts, t->capcontracts * sizeof *t->contracts);
    ct__free(&t->alloc, t->warnings, t->capwarnings * sizeof *t->warnings);
    ct__arena_free(&t->arena);
    memset(t, 0, sizeof *t);
}

/* Grow an array of `elem`-sized items so one more fits. */
static bool grow(const ct_allocator *a, void *arrp, size_t *cap, size_t n, size_t elem)
{
    void **arr = arrp;
    size_t nc;
    void *p;
    if (n < *cap)
        return true;
    nc = *cap ? *cap * 2 : 8;
    p = ct__realloc(a, *arr, *cap * elem, nc * elem);
    if (!p)
        return false;
    *arr = p;
    *cap = nc;
    return true;
}

void ct__artifacts_warn(ct__artifacts *t, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    char *w;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    w = ct__arena_strndup(&t->arena, buf, strlen(buf));
    if (!w || !grow(&t->alloc, &t->warnings, &t->capwarnings, t->nwarnings, sizeof *t->warnings))
        return;
    t->warnings[t->nwarnings++] = w;
}

ct_status ct__artifacts_keep(ct__artifacts *t, cJSON *doc)
{
    if (!grow(&t->alloc, &t->docs, &t->capdocs, t->ndocs, sizeof *t->docs)) {
        cJSON_Delete(doc);
        return CT_ENOMEM;
    }
    t->docs[t->ndocs++] = doc;
    return CT_OK;
}

ct_status ct__artifacts_new_set(ct__artifact_set **out, ct__artifacts *t, const char *origin)
{
    ct__artifact_set *s = ct__arena_alloc(&t->arena, sizeof *s);
    if (!s || !(s->origin = ct__arena_strndup(&t->arena, origin, strlen(origin))) ||
        !grow(&t->alloc, &t->sets, &t->capsets, t->nsets, sizeof *t->sets))
        return CT_ENOMEM;
    t->sets[t->nsets++] = s;
    *out = s;
    return CT_OK;
}

ct_status ct__artifacts_add_source(ct__artifacts *t, ct__artifact_set *set, int64_t id,
                                   const char *name, const cJSON *ast)
{
    ct__source *s;
    size_t i;
    for (i = 0; i < set->nsources; i++)
        if (set->sources[i].id == id)
            return CT_OK;
    if (id < 0 || id > 1000000)
        return CT_OK;
    if (!grow(&t->alloc, &set->sources, &set->capsources, set->nsources, sizeof *s))
        return CT_ENOMEM;
    s = &set->sources[set->nsources];
    memset(s, 0, sizeof *s);
    s->id = (int32_t)id;
    s->ast = ast;
    if (!(s->name = ct__arena_strndup(&t->arena, name, strlen(name))))
        return CT_ENOMEM;
    set->nsources++;
    return CT_OK;
}

ct_status ct__artifacts_add_contract(ct__contract **out, ct__artifacts *t,
                                     ct__artifact_set *set, const char *unit,
                                     const char *name)
{
    ct__contract *c = ct__arena_alloc(&t->arena, sizeof *c);
    if (!c || !(c->unit = ct__arena_strndup(&t->arena, unit, strlen(unit))) ||
        !(c->name = ct__arena_strndup(&t->arena, name, strlen(name))) ||
        !grow(&t->alloc, &t->contracts, &t->capcontracts, t->ncontracts, sizeof *t->contracts))
        return CT_ENOMEM;
    c->set = set;
    t->contracts[t->ncontracts++] = c;
    *out = c;
    return CT_OK;
}

const ct__source *ct__artifacts_source(const ct__artifact_set *set, int64_t id)
{
    if (!set || id < 0 || (size_t)id >= set->nids)
        return NULL;
    return set->by_id[id];
}

/* Read the whole file; small documents only (compiler output). */
static ct_status slurp(char **buf, size_t *len, const char *path, const ct_allocator *a,
                       ct_error *err)
{
    FILE *f = fopen(path, "rb");
    long n;
    if (!f)
        return ct__error_errno(err, CT_EIO, "%s: cannot open", path);
    if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        fclose(f);
        return ct__error_errno(err, CT_EIO, "%s: cannot read", path);
    }
    *buf = ct__malloc(a, (size_t)n + 1);
    if (!*buf) {
        fclose(f);
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", path);
    }
    if (fread(*buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        ct__free(a, *buf, (size_t)n + 1);
        return ct__error_errno(err, CT_EIO, "%s: cannot read", path);
    }
    fclose(f);
    (*buf)[n] = '\0';
    *len = (size_t)n;
    return CT_OK;
}

ct_status ct__json_file(cJSON **out, const char *path, const ct_allocator *a, ct_error *err)
{
    char *buf = NULL;
    size_t n = 0;
    const char *end = NULL;
    *out = NULL;
    CT_TRY(slurp(&buf, &n, path, a, err));
    *out = cJSON_ParseWithLengthOpts(buf, n, &end, 0);
    if (!*out) {
        size_t off = end && end >= buf && end <= buf + n ? (size_t)(end - buf) : 0;
        ct__free(a, buf, n + 1);
        return ct__error_set_at(err, CT_EPARSE, off, "%s: byte %zu: invalid JSON", path, off);
    }
    ct__free(a, buf, n + 1);
    return CT_OK;
}

void ct__artifacts_metadata(ct__contract *c, const cJSON *metadata)
{
    cJSON *parsed = NULL;
    const cJSON *settings;
    if (cJSON_IsString(metadata))
        metadata = parsed = cJSON_Parse(metadata->valuestring);
    settings = cJSON_GetObjectItemCaseSensitive(metadata, "settings");
    c->via_ir = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(settings, "viaIR"));
    cJSON_Delete(parsed);
}
