/*
 * The right-hand side of an Assignment (current profile only): adjacently tagged
 * {"kind": K, "data": D} as codetracer_trace_types 0.19 reads it. The older internally tagged
 * shape ({"kind":"Simple","0":1}) never deserialized in any version and is rejected.
 */
#include "validate_impl.h"

#include <string.h>

static const ct__vfield F_SIMPLE[] = {{"data", CT__V_VARIABLE_ID, 0}};
static const ct__vfield F_COMPOUND[] = {{"data", CT__V_VARIABLE_IDS, 0}};
static const ct__vfield F_NESTED[] = {{"data", CT__V_RECORD, 0}};
static const ct__vfield D_FIELD[] = {{"receiver", CT__V_VARIABLE_ID, 0},
                                     {"field", CT__V_STR, 0}};
static const ct__vfield D_INDEX[] = {{"receiver", CT__V_VARIABLE_ID, 0},
                                     {"index", CT__V_I64, 0}};
static const ct__vfield D_RETURN[] = {{"call_key", CT__V_I64, 0}};

static ct_status check_data(ct__vstate *st, const cJSON *n, const ct__vfield *data, size_t count)
{
    size_t saved;
    CT_TRY(ct__vcheck_record(st, n, F_NESTED, 1, "kind"));
    saved = ct__vwhere_key(st, "data");
    CT_TRY(ct__vcheck_record(st, cJSON_GetObjectItemCaseSensitive(n, "data"), data, count,
                             NULL));
    ct__vwhere_pop(st, saved);
    return CT_OK;
}

ct_status ct__vcheck_rvalue(ct__vstate *st, const cJSON *n)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(n, "kind");
    const char *k;
    if (!cJSON_IsObject(n) || !cJSON_IsString(kind))
        return ct__vfail(st, "expected an RValue: an object with a string \"kind\"");
    k = kind->valuestring;
    if (!strcmp(k, "Simple"))
        return ct__vcheck_record(st, n, F_SIMPLE, 1, "kind");
    if (!strcmp(k, "Compound"))
        return ct__vcheck_record(st, n, F_COMPOUND, 1, "kind");
    if (!strcmp(k, "Literal"))
        return ct__vcheck_record(st, n, NULL, 0, "kind");
    if (!strcmp(k, "FieldAccess"))
        return check_data(st, n, D_FIELD, 2);
    if (!strcmp(k, "IndexAccess"))
        return check_data(st, n, D_INDEX, 2);
    if (!strcmp(k, "FunctionReturn"))
        return check_data(st, n, D_RETURN, 1);
    return ct__vfail(st, "unknown RValue kind \"%.64s\"", k);
}
