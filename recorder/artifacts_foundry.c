/* Foundry out/: out/<File.sol>/<Contract>.json, one artifact per contract. */
#include "artifacts.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/error.h"

#define GET(o, k) cJSON_GetObjectItemCaseSensitive((o), (k))

static const char *str_or_null(const cJSON *j)
{
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

static ct_status one_artifact(ct__artifacts *t, ct__artifact_set *set, const char *path,
                              const char *name, ct_error *err)
{
    cJSON *doc;
    const cJSON *ast, *b, *d, *id;
    const char *unit;
    ct__contract *c;
    ct_error e;
    if (ct__json_file(&doc, path, &t->alloc, &e) < 0) {
        if (e.code == CT_ENOMEM)
            return ct__error_copy(err, &e);
        ct__artifacts_warn(t, "%s", e.message);
        return CT_OK;
    }
    if (ct__artifacts_keep(t, doc) < 0)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    ast = GET(doc, "ast");
    b = GET(doc, "bytecode");
    d = GET(doc, "deployedBytecode");
    id = GET(doc, "id");
    unit = str_or_null(GET(ast, "absolutePath"));
    if (!cJSON_IsObject(b) && !cJSON_IsObject(d))
        return CT_OK;   /* not a contract artifact (e.g. cache files) */
    if (!unit)
        unit = "";
    if (cJSON_IsNumber(id) &&
        ct__artifacts_add_source(t, set, (int64_t)id->valuedouble, unit, ast) < 0)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    if (ct__artifacts_add_contract(&c, t, set, unit, name) < 0)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    CT_TRY(ct__artifacts_bytecode(t, &c->creation, str_or_null(GET(b, "object")),
                                  str_or_null(GET(b, "sourceMap")), GET(b, "linkReferences"),
                                  NULL, NULL, err));
    CT_TRY(ct__artifacts_bytecode(t, &c->runtime, str_or_null(GET(d, "object")),
                                  str_or_null(GET(d, "sourceMap")), GET(d, "linkReferences"),
                                  GET(d, "immutableReferences"), NULL, err));
    c->storage_layout = GET(doc, "storageLayout");
    ct__artifacts_metadata(c, GET(doc, "metadata") ? GET(doc, "metadata")
                                                   : GET(doc, "rawMetadata"));
    if (GET(doc, "abi") && ct__abi_parse(&c->abi, &t->arena, GET(doc, "abi"), &e) < 0) {
        if (e.code == CT_ENOMEM)
            return ct__error_copy(err, &e);
        ct__artifacts_warn(t, "%s: ABI skipped: %s", path, e.message);
    }
    return CT_OK;
}

static ct_status unit_dir(ct__artifacts *t, ct__artifact_set *set, const char *dir,
                          ct_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[4096], name[512];
    ct_status rc = CT_OK;
    if (!d)
        return CT_OK;
    while (rc == CT_OK && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") || n - 5 >= sizeof name)
            continue;
        snprintf(name, sizeof name, "%.*s", (int)(n - 5), e->d_name);
        if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p)
            continue;
        rc = one_artifact(t, set, p, name, err);
    }
    closedir(d);
    return rc;
}

ct_status ct__artifacts_load_foundry(ct__artifacts *t, const char *dir, ct_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    ct__artifact_set *set;
    char p[4096], *root;
    ct_status rc = CT_OK;
    size_t before = t->ncontracts;
    if (!d)
        return ct__error_errno(err, CT_EIO, "%s: cannot list", dir);
    if (ct__artifacts_new_set(&set, t, dir) < 0) {
        closedir(d);
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    }
    while (rc == CT_OK && (e = readdir(d))) {
        struct stat st;
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "build-info"))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rc = unit_dir(t, set, p, err);
    }
    closedir(d);
    CT_TRY(rc);
    if (t->ncontracts == before)
        return ct__error_set(err, CT_EPARSE, "%s: no contract artifacts found (expected a "
                             "Foundry out/ folder or a folder with build-info/)", dir);
    snprintf(p, sizeof p, "%s/..", dir);
    if ((root = realpath(p, NULL))) {
        set->root = ct__arena_strndup(&t->arena, root, strlen(root));
        free(root);
    }
    return CT_OK;
}
