/*
 * The JSON shape of event records, as serde reads them: records are objects with exactly the
 * declared keys (unknown keys only with CT_VALIDATE_ALLOW_UNKNOWN_FIELDS), no key twice (serde:
 * "duplicate field"), and each key of its type. Ids are also checked against the definitions
 * seen so far, because an id is only meaningful as "an earlier Path/Function/Type/VariableName".
 * Values and RValues are in validate_value.c.
 */
#include "validate_impl.h"

#include <string.h>

#include "util/sink.h"

static const char *json_type(const cJSON *n)
{
    if (cJSON_IsString(n)) return "a string";
    if (cJSON_IsNumber(n)) return "a number";
    if (cJSON_IsBool(n)) return "a boolean";
    if (cJSON_IsNull(n)) return "null";
    if (cJSON_IsArray(n)) return "an array";
    if (cJSON_IsObject(n)) return "an object";
    return "invalid";
}

static ct_status check_id(ct__vstate *st, const cJSON *n, uint64_t defined, const char *what)
{
    uint64_t id;
    if (!ct__vnum_u64(st, n, &id))
        return ct__vfail(st, "expected a non-negative integer id, got %s", json_type(n));
    if (id >= defined)
        return ct__vfail(st, "%llu is not registered (%llu %s events so far)",
                         (unsigned long long)id, (unsigned long long)defined, what);
    return CT_OK;
}

static ct_status check_ranged(ct__vstate *st, const cJSON *n, uint64_t max, const char *what)
{
    uint64_t v;
    if (!ct__vnum_u64(st, n, &v) || v > max)
        return ct__vfail(st, "expected %s 0..%llu", what, (unsigned long long)max);
    return CT_OK;
}

static ct_status check_array(ct__vstate *st, const cJSON *n, unsigned item_type)
{
    const cJSON *it;
    size_t i = 0;
    if (!cJSON_IsArray(n))
        return ct__vfail(st, "expected an array, got %s", json_type(n));
    cJSON_ArrayForEach(it, n) {
        size_t saved = ct__vwhere_index(st, i++);
        CT_TRY(ct__vcheck(st, it, item_type));
        ct__vwhere_pop(st, saved);
    }
    return CT_OK;
}

ct_status ct__vcheck_scalar(ct__vstate *st, const cJSON *n, unsigned type)
{
    uint64_t u;
    int64_t i;
    switch (type) {
    case CT__V_U64:
        return ct__vnum_u64(st, n, &u) ? CT_OK : ct__vfail(st, "expected an integer 0..2^64-1");
    case CT__V_I64:
        return ct__vnum_i64(st, n, &i) ? CT_OK
                                       : ct__vfail(st, "expected an integer -2^63..2^63-1");
    case CT__V_STR:
        if (!cJSON_IsString(n))
            return ct__vfail(st, "expected a string, got %s", json_type(n));
        if (!ct__utf8_valid(n->valuestring, strlen(n->valuestring)))
            return ct__vfail(st, "invalid UTF-8");
        return CT_OK;
    case CT__V_BOOL:
        return cJSON_IsBool(n) ? CT_OK : ct__vfail(st, "expected a boolean, got %s",
                                                    json_type(n));
    case CT__V_PATH_ID:
        return check_id(st, n, st->paths, "Path");
    case CT__V_FUNCTION_ID:
        return check_id(st, n, st->functions, "Function");
    case CT__V_TYPE_ID:
        return check_id(st, n, st->types, "Type");
    case CT__V_VARIABLE_ID:
        return check_id(st, n, st->variables, "VariableName");
    case CT__V_TYPE_KIND:
        return check_ranged(st, n, 33, "a TypeKind");
    case CT__V_EVENT_KIND:
        return check_ranged(st, n, 13, "an EventLogKind");
    default:
        return ct__vfail(st, "internal: unknown check %u", type);
    }
}

static const ct__vfield FIELD[] = {{"name", CT__V_STR, 0}, {"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield INFO_STRUCT[] = {{"fields", CT__V_RECORD, 0}};
static const ct__vfield INFO_POINTER[] = {{"dereference_type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield FULL_VALUE[] = {{"variable_id", CT__V_VARIABLE_ID, 0},
                                        {"value", CT__V_VALUE, 0}};

/* Struct field types must be earlier Types: the consumer resolves them by index. */
static ct_status check_fields(ct__vstate *st, const cJSON *n)
{
    const cJSON *it;
    size_t i = 0;
    if (!cJSON_IsArray(n))
        return ct__vfail(st, "expected an array, got %s", json_type(n));
    cJSON_ArrayForEach(it, n) {
        size_t saved = ct__vwhere_index(st, i++);
        CT_TRY(ct__vcheck_record(st, it, FIELD, 2, NULL));
        ct__vwhere_pop(st, saved);
    }
    return CT_OK;
}

static ct_status check_specific_info(ct__vstate *st, const cJSON *n)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(n, "kind");
    size_t saved;
    if (!cJSON_IsObject(n) || !cJSON_IsString(kind))
        return ct__vfail(st, "expected an object with a string \"kind\"");
    if (!strcmp(kind->valuestring, "None"))
        return ct__vcheck_record(st, n, NULL, 0, "kind");
    if (!strcmp(kind->valuestring, "Pointer"))
        return ct__vcheck_record(st, n, INFO_POINTER, 1, "kind");
    if (strcmp(kind->valuestring, "Struct"))
        return ct__vfail(st, "unknown kind \"%.64s\" (None, Struct or Pointer)",
                         kind->valuestring);
    CT_TRY(ct__vcheck_record(st, n, INFO_STRUCT, 1, "kind"));   /* keys only */
    saved = ct__vwhere_key(st, "fields");
    CT_TRY(check_fields(st, cJSON_GetObjectItemCaseSensitive(n, "fields")));
    ct__vwhere_pop(st, saved);
    return CT_OK;
}

ct_status ct__vcheck(ct__vstate *st, const cJSON *n, unsigned type)
{
    switch (type) {
    case CT__V_VALUE:
        return ct__vcheck_value(st, n, false);
    case CT__V_VALUES:
        return check_array(st, n, CT__V_VALUE);
    case CT__V_ARGS:
        return check_array(st, n, CT__V_FULL_VALUE);
    case CT__V_FULL_VALUE:
        return ct__vcheck_record(st, n, FULL_VALUE, 2, NULL);
    case CT__V_STRS:
        return check_array(st, n, CT__V_STR);
    case CT__V_VARIABLE_IDS:
        return check_array(st, n, CT__V_VARIABLE_ID);
    case CT__V_SPECIFIC_INFO:
        return check_specific_info(st, n);
    case CT__V_RVALUE:
        return ct__vcheck_rvalue(st, n);
    case CT__V_PASS_BY:
        if (cJSON_IsString(n) && (!strcmp(n->valuestring, "Value") ||
                                  !strcmp(n->valuestring, "Reference")))
            return CT_OK;
        return ct__vfail(st, "expected \"Value\" or \"Reference\"");
    case CT__V_FLOAT: case CT__V_BASE64: case CT__V_CHAR: case CT__V_COMPOUND:
        return ct__vcheck_value_field(st, n, type);
    default:
        return ct__vcheck_scalar(st, n, type);
    }
}

static const ct__vfield *find_field(const ct__vfield *f, size_t n, const char *key)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!strcmp(f[i].key, key))
            return &f[i];
    return NULL;
}

static int count_key(const cJSON *obj, const char *key)
{
    const cJSON *a;
    int n = 0;
    for (a = obj->child; a; a = a->next)
        n += !strcmp(a->string, key);
    return n;
}

/* Linear in the keys: only declared keys can be duplicates serde complains about. */
static ct_status check_keys(ct__vstate *st, const cJSON *obj, const ct__vfield *f, size_t n,
                            const char *tag_key)
{
    const cJSON *a;
    size_t i;
    for (i = 0; i <= n; i++) {
        const char *key = i < n ? f[i].key : tag_key;
        if (key && count_key(obj, key) > 1)
            return ct__vfail(st, "duplicate key \"%s\"", key);
    }
    if (st->opts.flags & CT_VALIDATE_ALLOW_UNKNOWN_FIELDS)
        return CT_OK;
    for (a = obj->child; a; a = a->next)
        if (!(tag_key && !strcmp(a->string, tag_key)) && !find_field(f, n, a->string))
            return ct__vfail(st, "unknown key \"%.64s\"", a->string);
    return CT_OK;
}

/*
 * An object with the keys `fields` (plus `tag_key`, checked by the caller). A field of type
 * CT__V_RECORD is only required here; its content is checked by the caller.
 */
ct_status ct__vcheck_record(ct__vstate *st, const cJSON *obj, const ct__vfield *fields,
                            size_t nfields, const char *tag_key)
{
    size_t i;
    if (!cJSON_IsObject(obj))
        return ct__vfail(st, "expected an object, got %s", json_type(obj));
    CT_TRY(check_keys(st, obj, fields, nfields, tag_key));
    for (i = 0; i < nfields; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, fields[i].key);
        size_t saved;
        if (!v) {
            if (fields[i].optional_in & st->profile_bit)
                continue;
            return ct__vfail(st, "missing key \"%s\"", fields[i].key);
        }
        if (fields[i].type == CT__V_RECORD)
            continue;
        saved = ct__vwhere_key(st, fields[i].key);
        CT_TRY(ct__vcheck(st, v, fields[i].type));
        ct__vwhere_pop(st, saved);
    }
    return CT_OK;
}
