/* solc outputs: standard-JSON output and `solc --combined-json`. */
#include "artifacts.h"

#include <string.h>

#include "util/error.h"

#define GET(o, k) cJSON_GetObjectItemCaseSensitive((o), (k))

static const char *str_or_null(const cJSON *j)
{
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

/* Older solc put the ABI / layout into combined-json as JSON text; parse and keep it. */
static const cJSON *maybe_text_json(ct__artifacts *t, const cJSON *j)
{
    cJSON *doc;
    if (!cJSON_IsString(j))
        return j;
    doc = cJSON_Parse(j->valuestring);
    if (!doc || ct__artifacts_keep(t, doc) < 0)
        return NULL;
    return doc;
}

static ct_status set_abi(ct__artifacts *t, ct__contract *c, const cJSON *abi, const char *origin)
{
    ct_error e;
    if (!abi)
        return CT_OK;
    if (ct__abi_parse(&c->abi, &t->arena, abi, &e) < 0) {
        if (e.code == CT_ENOMEM)
            return CT_ENOMEM;
        ct__artifacts_warn(t, "%s: %s:%s: ABI skipped: %s", origin, c->unit, c->name,
                           e.message);
    }
    return CT_OK;
}

static ct_status standard_contract(ct__artifacts *t, ct__artifact_set *set, const char *unit,
                                   const cJSON *cj, ct_error *err)
{
    const cJSON *evm = GET(cj, "evm"), *b = GET(evm, "bytecode"),
                *d = GET(evm, "deployedBytecode");
    ct__contract *c;
    if (ct__artifacts_add_contract(&c, t, set, unit, cj->string) < 0)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    CT_TRY(ct__artifacts_bytecode(t, &c->creation, str_or_null(GET(b, "object")),
                                  str_or_null(GET(b, "sourceMap")), GET(b, "linkReferences"),
                                  NULL, GET(b, "functionDebugData"), err));
    CT_TRY(ct__artifacts_bytecode(t, &c->runtime, str_or_null(GET(d, "object")),
                                  str_or_null(GET(d, "sourceMap")), GET(d, "linkReferences"),
                                  GET(d, "immutableReferences"), GET(d, "functionDebugData"),
                                  err));
    c->storage_layout = GET(cj, "storageLayout");
    ct__artifacts_metadata(c, GET(cj, "metadata"));
    if (set_abi(t, c, GET(cj, "abi"), set->origin) < 0)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    return CT_OK;
}

/* `contracts` is {unit: {name: contract}} and `sources` {unit: {...}}: anything else (an
 * array, a number) would otherwise load as "no contracts" and only warn much later. */
static ct_status check_shape(const char *origin, const cJSON *output, ct_error *err)
{
    const cJSON *units = GET(output, "contracts"), *sources = GET(output, "sources"), *u;
    if (!cJSON_IsObject(units))
        return ct__error_set(err, CT_EPARSE, "%s: `contracts` must be an object of source "
                             "units", origin);
    cJSON_ArrayForEach(u, units)
        if (!cJSON_IsObject(u))
            return ct__error_set(err, CT_EPARSE, "%s: `contracts.%s` must be an object of "
                                 "contracts", origin, u->string);
    if (sources && !cJSON_IsObject(sources) && !cJSON_IsNull(sources))
        return ct__error_set(err, CT_EPARSE, "%s: `sources` must be an object", origin);
    return CT_OK;
}

ct_status ct__artifacts_load_standard(ct__artifacts *t, const char *origin, const cJSON *output,
                                      ct_error *err)
{
    ct__artifact_set *set;
    const cJSON *src, *unit, *cj;
    CT_TRY(check_shape(origin, output, err));
    if (ct__artifacts_new_set(&set, t, origin) < 0)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    cJSON_ArrayForEach(src, GET(output, "sources")) {
        const cJSON *id = GET(src, "id");
        if (cJSON_IsNumber(id) &&
            ct__artifacts_add_source(t, set, (int64_t)id->valuedouble, src->string,
                                     GET(src, "ast")) < 0)
            return ct__error_set(err, CT_ENOMEM, "out of memory");
    }
    cJSON_ArrayForEach(unit, GET(output, "contracts"))
        cJSON_ArrayForEach(cj, unit)
            CT_TRY(standard_contract(t, set, unit->string, cj, err));
    return CT_OK;
}

static ct_status combined_contract(ct__artifacts *t, ct__artifact_set *set, const cJSON *cj,
                                   ct_error *err)
{
    const char *key = cj->string, *colon = strrchr(key, ':');
    char unit[1024];
    ct__contract *c;
    size_t ul = colon ? (size_t)(colon - key) : 0;
    if (ul >= sizeof unit)
        ul = sizeof unit - 1;
    memcpy(unit, key, ul);
    unit[ul] = '\0';
    if (ct__artifacts_add_contract(&c, t, set, unit, colon ? colon + 1 : key) < 0)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    CT_TRY(ct__artifacts_bytecode(t, &c->creation, str_or_null(GET(cj, "bin")),
                                  str_or_null(GET(cj, "srcmap")), NULL, NULL,
                                  GET(cj, "function-debug"), err));
    CT_TRY(ct__artifacts_bytecode(t, &c->runtime, str_or_null(GET(cj, "bin-runtime")),
                                  str_or_null(GET(cj, "srcmap-runtime")), NULL, NULL,
                                  GET(cj, "function-debug-runtime"), err));
    c->storage_layout = maybe_text_json(t, GET(cj, "storage-layout"));
    ct__artifacts_metadata(c, GET(cj, "metadata"));
    if (set_abi(t, c, maybe_text_json(t, GET(cj, "abi")), set->origin) < 0)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    return CT_OK;
}

ct_status ct__artifacts_load_combined(ct__artifacts *t, const char *origin, const cJSON *doc,
                                      ct_error *err)
{
    ct__artifact_set *set;
    const cJSON *s, *cj, *list = GET(doc, "sourceList");
    int64_t i = 0;
    if (ct__artifacts_new_set(&set, t, origin) < 0)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    /* Source ids are positions in sourceList; newer solc also gives sources[name].id. */
    cJSON_ArrayForEach(s, list) {
        const cJSON *info = GET(GET(doc, "sources"), cJSON_IsString(s) ? s->valuestring : "");
        const cJSON *ast = GET(info, "AST");
        if (cJSON_IsString(s) && ct__artifacts_add_source(t, set, i, s->valuestring, ast) < 0)
            return ct__error_set(err, CT_ENOMEM, "out of memory");
        i++;
    }
    cJSON_ArrayForEach(s, GET(doc, "sources")) {
        const cJSON *id = GET(s, "id");
        if (cJSON_IsNumber(id) &&
            ct__artifacts_add_source(t, set, (int64_t)id->valuedouble, s->string,
                                     GET(s, "AST")) < 0)
            return ct__error_set(err, CT_ENOMEM, "out of memory");
    }
    cJSON_ArrayForEach(cj, GET(doc, "contracts"))
        CT_TRY(combined_contract(t, set, cj, err));
    return CT_OK;
}
