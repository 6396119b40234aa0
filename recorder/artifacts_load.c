/* Detecting what an artifact path is and dispatching to the format loaders. */
#include "artifacts.h"

#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/error.h"

#define GET(o, k) cJSON_GetObjectItemCaseSensitive((o), (k))

/* Remember the contents of a standard-JSON input's sources (by source unit name). */
static ct_status merge_input(ct__artifacts *t, const cJSON *input)
{
    const cJSON *s;
    if (!t->inputs && !(t->inputs = cJSON_CreateObject()))
        return CT_ENOMEM;
    cJSON_ArrayForEach(s, GET(input, "sources")) {
        const cJSON *c = GET(s, "content");
        if (!cJSON_IsString(c) || GET(t->inputs, s->string))
            continue;
        if (!cJSON_AddStringToObject(t->inputs, s->string, c->valuestring))
            return CT_ENOMEM;
    }
    return CT_OK;
}

static bool is_combined(const cJSON *doc)
{
    const cJSON *c = GET(doc, "contracts"), *first = c ? c->child : NULL;
    if (GET(doc, "sourceList"))
        return true;
    return first && first->string && strchr(first->string, ':') && !GET(first, "evm") &&
           (GET(first, "bin") || GET(first, "bin-runtime") || GET(first, "abi"));
}

static void set_root(ct__artifacts *t, const char *dir_of)
{
    ct__artifact_set *set = t->nsets ? t->sets[t->nsets - 1] : NULL;
    char buf[4096], *r;
    snprintf(buf, sizeof buf, "%s", dir_of);
    r = realpath(buf, NULL);
    if (set && r)
        set->root = ct__arena_strndup(&t->arena, r, strlen(r));
    free(r);
}

/* One parsed JSON file; `doc` is owned by the table from here on. */
static ct_status load_doc(ct__artifacts *t, const char *path, cJSON *doc, ct_error *err)
{
    const cJSON *out = GET(doc, "output");
    CT_TRY(ct__artifacts_keep(t, doc) < 0 ? ct__error_set(err, CT_ENOMEM, "out of memory")
                                          : CT_OK);
    if (cJSON_IsObject(out) && GET(out, "contracts")) {   /* Hardhat / Foundry build-info */
        size_t first = t->ncontracts, i;
        bool via_ir = cJSON_IsTrue(GET(GET(GET(doc, "input"), "settings"), "viaIR"));
        if (merge_input(t, GET(doc, "input")) < 0)
            return ct__error_set(err, CT_ENOMEM, "out of memory");
        CT_TRY(ct__artifacts_load_standard(t, path, out, err));
        for (i = first; i < t->ncontracts; i++)
            t->contracts[i]->via_ir |= via_ir;
        return CT_OK;
    }
    if (GET(doc, "contracts")) {
        if (!cJSON_IsObject(GET(doc, "contracts")))   /* keys name the contracts */
            return ct__error_set(err, CT_EPARSE, "%s: `contracts` must be an object", path);
        if (is_combined(doc))
            return ct__artifacts_load_combined(t, path, doc, err);
        return ct__artifacts_load_standard(t, path, doc, err);
    }
    if (GET(doc, "language") && GET(doc, "sources")) {     /* standard-JSON input */
        if (merge_input(t, doc) < 0)
            return ct__error_set(err, CT_ENOMEM, "out of memory");
        return CT_OK;
    }
    return ct__error_set(err, CT_EPARSE, "%s: not solc standard-JSON output or input, "
                         "combined-json, or a build-info file", path);
}

static ct_status load_file(ct__artifacts *t, const char *path, ct_error *err)
{
    cJSON *doc;
    CT_TRY(ct__json_file(&doc, path, &t->alloc, err));
    return load_doc(t, path, doc, err);
}

/* Every *.json of a build-info folder; returns CT_DONE when there was none. */
static ct_status load_build_info(ct__artifacts *t, const char *dir, ct_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[4096];
    ct_status rc = CT_DONE;
    if (!d)
        return CT_DONE;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json"))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        rc = load_file(t, p, err);
        if (rc < 0)
            break;
        snprintf(p, sizeof p, "%s/../..", dir);  /* artifacts/build-info -> project */
        set_root(t, p);
    }
    closedir(d);
    return rc;
}

ct_status ct__artifacts_load(ct__artifacts *t, const char *path, ct_error *err)
{
    struct stat st;
    char bi[4096];
    ct_status rc;
    if (stat(path, &st) != 0)
        return ct__error_errno(err, CT_EIO, "%s: cannot open artifacts", path);
    if (!S_ISDIR(st.st_mode))
        return load_file(t, path, err);
    snprintf(bi, sizeof bi, "%s/build-info", path);
    rc = load_build_info(t, bi, err);
    if (rc != CT_DONE)
        return rc;
    rc = load_build_info(t, path, err);   /* the build-info folder itself */
    if (rc != CT_DONE)
        return rc;
    return ct__artifacts_load_foundry(t, path, err);
}
