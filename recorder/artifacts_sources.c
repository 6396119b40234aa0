/* Source contents for every set (standard-JSON input, git revision, disk) and their lines. */
#include "artifacts.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ast_functions.h"
#include "trace_dir_impl.h"   /* ct__git_source: the writer's libgit2 reader */
#include "util/alloc.h"
#include "util/error.h"

static const char *base_dir(const ct__artifacts *t, const ct__artifact_set *set, char *cwd,
                            size_t cap)
{
    if (t->opts.sources_dir)
        return t->opts.sources_dir;
    if (t->opts.git_repo)
        return t->opts.git_repo;
    if (set->root)
        return set->root;
    return getcwd(cwd, cap) ? cwd : "/";
}

/* Absolute path for a source unit name: kept when absolute, else joined to the base. */
static ct_status make_path(ct__artifacts *t, const ct__artifact_set *set, ct__source *s)
{
    char cwd[PATH_MAX], buf[PATH_MAX * 3], absbase[PATH_MAX * 2];
    const char *base = base_dir(t, set, cwd, sizeof cwd), *name = s->name;
    if (name[0] == '/') {
        snprintf(buf, sizeof buf, "%s", name);
    } else {
        if (base[0] != '/' && realpath(base, absbase))
            base = absbase;
        else if (base[0] != '/' && getcwd(cwd, sizeof cwd)) {   /* missing folder: still absolute */
            if (snprintf(absbase, sizeof absbase, "%s/%s", cwd, base) < (int)sizeof absbase)
                base = absbase;
        }
        while (name[0] == '.' && name[1] == '/')
            name += 2;
        snprintf(buf, sizeof buf, "%s/%s", base, name);
    }
    s->path = ct__arena_strndup(&t->arena, buf, strlen(buf));
    return s->path ? CT_OK : CT_ENOMEM;
}

static ct_status read_disk(ct__artifacts *t, ct__source *s)
{
    FILE *f = fopen(s->path, "rb");
    long n;
    char *buf;
    if (!f)
        return CT_DONE;
    if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
        !(buf = ct__arena_alloc(&t->arena, (size_t)n + 1)) ||
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        return CT_DONE;
    }
    fclose(f);
    s->content = buf;
    s->len = (size_t)n;
    return CT_OK;
}

static ct_status read_git(ct__artifacts *t, ct__git_source *g, ct__source *s, const char *set)
{
    const void *data;
    size_t len;
    bool inside = false;
    char why[256] = "";
    ct_error e;
    char *buf;
    ct_status rc = ct__git_source_read(g, s->path, &inside, &data, &len, why, sizeof why, &e);
    if (rc >= 0 && !inside)
        return read_disk(t, s);   /* outside the repository: from the disk */
    if (rc < 0 || rc == CT_DONE) {
        if (inside)
            ct__artifacts_warn(t, "%s: source %s (id %d) not in the git revision: %s", set,
                               s->name, s->id, rc < 0 ? e.message : why);
        return CT_DONE;
    }
    if (!(buf = ct__arena_alloc(&t->arena, len + 1)))
        return CT_ENOMEM;
    memcpy(buf, data, len);
    s->content = buf;
    s->len = len;
    return CT_OK;
}

static ct_status index_lines(ct__artifacts *t, ct__source *s)
{
    size_t i, n = 1;
    uint32_t *starts;
    for (i = 0; i < s->len; i++)
        n += s->content[i] == '\n';
    if (!(starts = ct__arena_alloc(&t->arena, n * sizeof *starts)))
        return CT_ENOMEM;
    starts[0] = 0;
    for (i = 0, n = 1; i < s->len; i++)
        if (s->content[i] == '\n')
            starts[n++] = (uint32_t)(i + 1);
    s->line_starts = starts;
    s->nlines = n;
    return CT_OK;
}

static ct_status load_content(ct__artifacts *t, ct__git_source *g, const ct__artifact_set *set,
                              ct__source *s)
{
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(t->inputs, s->name);
    ct_status rc = CT_DONE;
    if (cJSON_IsString(in)) {
        s->content = in->valuestring;
        s->len = strlen(in->valuestring);
        rc = CT_OK;
    }
    if (rc == CT_DONE && g)
        CT_TRY(rc = read_git(t, g, s, set->origin));
    if (rc == CT_DONE && !g)
        rc = read_disk(t, s);
    if (rc == CT_DONE) {
        ct__artifacts_warn(t, "%s: source %s (id %d) not found at %s; its lines are skipped",
                           set->origin, s->name, s->id, s->path);
        return CT_OK;
    }
    return index_lines(t, s);
}

static ct_status index_ids(ct__artifacts *t, ct__artifact_set *set)
{
    size_t i, max = 0;
    for (i = 0; i < set->nsources; i++)
        if ((size_t)set->sources[i].id + 1 > max)
            max = (size_t)set->sources[i].id + 1;
    set->by_id = ct__arena_alloc(&t->arena, (max ? max : 1) * sizeof *set->by_id);
    if (!set->by_id)
        return CT_ENOMEM;
    set->nids = max;
    for (i = 0; i < set->nsources; i++)
        set->by_id[set->sources[i].id] = &set->sources[i];
    return CT_OK;
}

static ct_status finish_set(ct__artifacts *t, ct__git_source *g, ct__artifact_set *set,
                            ct_error *err)
{
    size_t i;
    for (i = 0; i < set->nsources; i++) {
        ct__source *s = &set->sources[i];
        if (make_path(t, set, s) < 0 || load_content(t, g, set, s) < 0)
            return ct__error_set(err, CT_ENOMEM, "out of memory");
    }
    if (index_ids(t, set) < 0)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    for (i = 0; i < set->nsources; i++)
        CT_TRY(ct__ast_collect(t, set, &set->sources[i], err));
    return ct__ast_shapes(t, set, err);
}

ct_status ct__artifacts_finish(ct__artifacts *t, ct_error *err)
{
    ct__git_source *g = NULL;
    ct_status rc = CT_OK;
    size_t i;
    if (t->opts.git_repo)
        CT_TRY(ct__git_source_open(&g, t->opts.git_repo, t->opts.git_rev, &t->alloc, err));
    for (i = 0; i < t->nsets && rc == CT_OK; i++)
        rc = finish_set(t, g, t->sets[i], err);
    if (g)
        ct__git_source_close(g);
    return rc;
}
