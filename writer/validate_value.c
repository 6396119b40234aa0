/*
 * ValueRecord and RValue shapes per profile. A value is an object tagged by "kind" with exactly
 * the fields of that kind; which kinds exist depends on the profile (Float, Variant, Char), and
 * so does Float's encoding (a JSON number for CodeTracer 25.11, a string for current).
 * Every type_id must name an earlier Type: CodeTracer indexes its type table with it when it
 * shows the value, and panics otherwise.
 */
#include "validate_impl.h"

#include <string.h>
#include <strings.h>

#include "util/sink.h"

static const ct__vfield F_INT[] = {{"i", CT__V_I64, 0}, {"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield F_FLOAT[] = {{"f", CT__V_FLOAT, 0}, {"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield F_BOOL[] = {{"b", CT__V_BOOL, 0}, {"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield F_STRING[] = {{"text", CT__V_STR, 0}, {"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield F_SEQUENCE[] = {{"elements", CT__V_VALUES, 0},
                                        {"is_slice", CT__V_BOOL, 0},
                                        {"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield F_TUPLE[] = {{"elements", CT__V_VALUES, 0},
                                     {"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield F_STRUCT[] = {{"field_values", CT__V_VALUES, 0},
                                      {"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield F_VARIANT[] = {{"discriminator", CT__V_STR, 0},
                                       {"contents", CT__V_VALUE, 0},
                                       {"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield F_REFERENCE[] = {{"dereferenced", CT__V_VALUE, 0},
                                         {"address", CT__V_U64, 0},
                                         {"mutable", CT__V_BOOL, 0},
                                         {"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield F_RAW[] = {{"r", CT__V_STR, 0}, {"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield F_ERROR[] = {{"msg", CT__V_STR, 0}, {"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield F_NONE[] = {{"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield F_CELL[] = {{"place", CT__V_I64, 0}};
static const ct__vfield F_BIGINT[] = {{"b", CT__V_BASE64, 0}, {"negative", CT__V_BOOL, 0},
                                      {"type_id", CT__V_TYPE_ID, 0}};
static const ct__vfield F_CHAR[] = {{"c", CT__V_CHAR, 0}, {"type_id", CT__V_TYPE_ID, 0}};

#define KIND(name, profiles, fields) {name, profiles, fields, sizeof fields / sizeof fields[0]}

static const struct value_kind {
    const char *name;
    unsigned profiles;
    const ct__vfield *fields;
    size_t nfields;
} KINDS[] = {
    KIND("Int", CT__P_ALL, F_INT),
    KIND("Float", CT__P_25_11 | CT__P_CURRENT, F_FLOAT),
    KIND("Bool", CT__P_ALL, F_BOOL),
    KIND("String", CT__P_ALL, F_STRING),
    KIND("Sequence", CT__P_ALL, F_SEQUENCE),
    KIND("Tuple", CT__P_ALL, F_TUPLE),
    KIND("Struct", CT__P_ALL, F_STRUCT),
    KIND("Variant", CT__P_25_11 | CT__P_CURRENT, F_VARIANT),
    KIND("Reference", CT__P_ALL, F_REFERENCE),
    KIND("Raw", CT__P_ALL, F_RAW),
    KIND("Error", CT__P_ALL, F_ERROR),
    KIND("None", CT__P_ALL, F_NONE),
    KIND("Cell", CT__P_ALL, F_CELL),
    KIND("BigInt", CT__P_ALL, F_BIGINT),
    KIND("Char", CT__P_CURRENT, F_CHAR),
};

static const struct value_kind *find_kind(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (!strcmp(KINDS[i].name, name))
            return &KINDS[i];
    return NULL;
}

/* `cell_ok`: Cells are only shown inside a CompoundValue (elsewhere unimplemented!()). */
ct_status ct__vcheck_value(ct__vstate *st, const cJSON *n, bool cell_ok)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(n, "kind");
    const struct value_kind *k;
    if (!cJSON_IsObject(n) || !cJSON_IsString(kind))
        return ct__vfail(st, "expected a value: an object with a string \"kind\"");
    k = find_kind(kind->valuestring);
    if (!k)
        return ct__vfail(st, "unknown value kind \"%.64s\"", kind->valuestring);
    if (!(k->profiles & st->profile_bit))
        return ct__vfail(st, "value kind %s is not loadable in profile %s", k->name,
                         st->profile_bit == CT__P_PORTABLE ? "portable" : "codetracer-25.11");
    if (!strcmp(k->name, "Cell") && !cell_ok)
        return ct__vfail(st, "a Cell value is only valid as an element of a CompoundValue");
    return ct__vcheck_record(st, n, k->fields, k->nfields, "kind");
}

/* Rust's f64::from_str: sign, then inf/infinity/nan (any case) or a decimal with exponent. */
static bool rust_float(const char *s)
{
    size_t digits = 0;
    if (*s == '+' || *s == '-')
        s++;
    if (!strcasecmp(s, "inf") || !strcasecmp(s, "infinity") || !strcasecmp(s, "nan"))
        return true;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    if (!digits)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

static int b64_index(char c)
{
    static const char A[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(A, c) : NULL;
    return p ? (int)(p - A) : -1;
}

/* Standard alphabet, padded, canonical trailing bits: what base64 0.22 STANDARD decodes. */
static bool base64_canonical(const char *s)
{
    size_t len = strlen(s), i, pad = 0;
    if (len % 4)
        return false;
    if (len && s[len - 1] == '=')
        pad = (len >= 2 && s[len - 2] == '=') ? 2 : 1;
    for (i = 0; i < len - pad; i++)
        if (b64_index(s[i]) < 0)
            return false;
    if (pad == 2)
        return (b64_index(s[len - 3]) & 0xf) == 0;
    if (pad == 1)
        return (b64_index(s[len - 2]) & 0x3) == 0;
    return true;
}

/* Exactly one Unicode scalar value, UTF-8 encoded (cJSON already decoded any escapes). */
static bool one_char(const char *s)
{
    size_t len = strlen(s), want;
    unsigned char c = (unsigned char)s[0];
    want = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    return want && len == want && ct__utf8_valid(s, len);
}

/* A Sequence whose elements may be Cells. */
static const ct__vfield F_COMPOUND[] = {{"elements", CT__V_RECORD, 0},
                                        {"is_slice", CT__V_BOOL, 0},
                                        {"type_id", CT__V_TYPE_ID, 0}};

static ct_status check_compound(ct__vstate *st, const cJSON *n)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(n, "kind");
    const cJSON *it, *elements;
    size_t i = 0, saved;
    if (!cJSON_IsObject(n) || !cJSON_IsString(kind) || strcmp(kind->valuestring, "Sequence"))
        return ct__vfail(st, "a CompoundValue holds a Sequence (others are todo!() in "
                             "CodeTracer)");
    CT_TRY(ct__vcheck_record(st, n, F_COMPOUND, 3, "kind"));
    saved = ct__vwhere_key(st, "elements");
    elements = cJSON_GetObjectItemCaseSensitive(n, "elements");
    if (!cJSON_IsArray(elements))
        return ct__vfail(st, "expected an array");
    cJSON_ArrayForEach(it, elements) {
        size_t at = ct__vwhere_index(st, i++);
        CT_TRY(ct__vcheck_value(st, it, true));
        ct__vwhere_pop(st, at);
    }
    ct__vwhere_pop(st, saved);
    return CT_OK;
}

ct_status ct__vcheck_value_field(ct__vstate *st, const cJSON *n, unsigned type)
{
    switch (type) {
    case CT__V_FLOAT:
        if (st->profile_bit == CT__P_25_11)
            return cJSON_IsNumber(n) ? CT_OK
                                     : ct__vfail(st, "profile codetracer-25.11 reads Float "
                                                     "as a JSON number");
        if (!cJSON_IsString(n) || !rust_float(n->valuestring))
            return ct__vfail(st, "profile current reads Float as a string such as \"2.5\", "
                                 "\"inf\" or \"NaN\"");
        return CT_OK;
    case CT__V_BASE64:
        if (!cJSON_IsString(n) || !base64_canonical(n->valuestring))
            return ct__vfail(st, "expected standard padded base64 (big-endian magnitude)");
        return CT_OK;
    case CT__V_CHAR:
        if (!cJSON_IsString(n) || !one_char(n->valuestring))
            return ct__vfail(st, "expected a string of exactly one character");
        return CT_OK;
    default:
        return check_compound(st, n);
    }
}
