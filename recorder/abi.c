/* ABI types and ABI JSON entries (docs/evm.md "Calls"). Decoding lives in abi_decode.c. */
#include "abi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keccak.h"
#include "util/error.h"

bool ct__abi_is_dynamic(const ct__abi_type *t)
{
    size_t i;
    switch (t->kind) {
    case CT__ABI_BYTES:
    case CT__ABI_STRING:
    case CT__ABI_DYN_ARRAY:
        return true;
    case CT__ABI_ARRAY:
        return t->length > 0 && ct__abi_is_dynamic(t->elem);
    case CT__ABI_TUPLE:
        for (i = 0; i < t->nfields; i++)
            if (ct__abi_is_dynamic(t->fields[i]))
                return true;
        return false;
    default:
        return false;
    }
}

/* Parse a decimal suffix in [lo, hi] that is a multiple of `step`; 0 when invalid. */
static unsigned parse_size(const char *s, size_t len, unsigned lo, unsigned hi, unsigned step)
{
    unsigned v = 0;
    size_t i;
    if (len == 0 || len > 3)
        return 0;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    return (v >= lo && v <= hi && v % step == 0) ? v : 0;
}

static ct_status parse_elementary(ct__abi_type *t, const char *s, size_t len, ct__arena *arena,
                                  ct_error *err)
{
    char canon[16];
#define IS(lit) (len == sizeof(lit) - 1 && !memcmp(s, lit, len))
#define STARTS(lit) (len >= sizeof(lit) - 1 && !memcmp(s, lit, sizeof(lit) - 1))
    if (IS("address")) { t->kind = CT__ABI_ADDRESS; t->size = 160; }
    else if (IS("bool")) t->kind = CT__ABI_BOOL;
    else if (IS("string")) t->kind = CT__ABI_STRING;
    else if (IS("bytes")) t->kind = CT__ABI_BYTES;
    else if (IS("function")) t->kind = CT__ABI_FUNCTION;
    else if (IS("uint") || IS("int")) {
        t->kind = s[0] == 'u' ? CT__ABI_UINT : CT__ABI_INT;
        t->size = 256;
    } else if (STARTS("uint") && (t->size = parse_size(s + 4, len - 4, 8, 256, 8)))
        t->kind = CT__ABI_UINT;
    else if (STARTS("int") && (t->size = parse_size(s + 3, len - 3, 8, 256, 8)))
        t->kind = CT__ABI_INT;
    else if (STARTS("bytes") && (t->size = parse_size(s + 5, len - 5, 1, 32, 1)))
        t->kind = CT__ABI_FIXED_BYTES;
    else
        return ct__error_set(err, CT_EPARSE, "ABI type '%.*s' is not a Solidity ABI type",
                             (int)len, s);
#undef IS
#undef STARTS
    if (t->kind == CT__ABI_UINT || t->kind == CT__ABI_INT) {
        snprintf(canon, sizeof canon, "%s%u", t->kind == CT__ABI_UINT ? "uint" : "int", t->size);
        t->canonical = ct__arena_strndup(arena, canon, strlen(canon));
    } else {
        t->canonical = ct__arena_strndup(arena, s, len);
    }
    return t->canonical ? CT_OK : ct__error_set(err, CT_ENOMEM, "out of memory");
}

static ct_status parse_components(ct__abi_type *t, ct__arena *arena, const cJSON *comps,
                                  ct_error *err);

/* `s[0..len)` is the type text without its trailing array dimensions already peeled off. */
static ct_status parse_type_text(const ct__abi_type **out, ct__arena *arena, const char *s,
                                 size_t len, const cJSON *comps, ct_error *err)
{
    ct__abi_type *t = ct__arena_alloc(arena, sizeof *t);
    if (!t)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    *out = t;
    if (len > 0 && s[len - 1] == ']') {
        size_t open = len - 1, n = 0, k;
        char *canon;
        while (open > 0 && s[open] != '[')
            open--;
        if (s[open] != '[' || open == 0)
            return ct__error_set(err, CT_EPARSE, "ABI type '%.*s': unbalanced '['", (int)len, s);
        CT_TRY(parse_type_text(&t->elem, arena, s, open, comps, err));
        t->kind = open + 2 == len ? CT__ABI_DYN_ARRAY : CT__ABI_ARRAY;
        for (k = open + 1; k + 1 < len; k++) {
            if (s[k] < '0' || s[k] > '9' || n > 100000000)
                return ct__error_set(err, CT_EPARSE, "ABI type '%.*s': bad array length",
                                     (int)len, s);
            n = n * 10 + (size_t)(s[k] - '0');
        }
        t->length = n;
        canon = ct__arena_alloc(arena, strlen(t->elem->canonical) + (len - open) + 1);
        if (!canon)
            return ct__error_set(err, CT_ENOMEM, "out of memory");
        sprintf(canon, "%s%.*s", t->elem->canonical, (int)(len - open), s + open);
        t->canonical = canon;
        return CT_OK;
    }
    if (len == 5 && !memcmp(s, "tuple", 5))
        return parse_components(t, arena, comps, err);
    return parse_elementary(t, s, len, arena, err);
}

static ct_status build_canonical_tuple(ct__abi_type *t, ct__arena *arena, ct_error *err)
{
    size_t i, n = 3;
    char *c;
    for (i = 0; i < t->nfields; i++)
        n += strlen(t->fields[i]->canonical) + 1;
    c = ct__arena_alloc(arena, n);
    if (!c)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    t->canonical = c;
    *c++ = '(';
    for (i = 0; i < t->nfields; i++) {
        size_t l = strlen(t->fields[i]->canonical);
        if (i)
            *c++ = ',';
        memcpy(c, t->fields[i]->canonical, l);
        c += l;
    }
    *c++ = ')';
    *c = '\0';
    return CT_OK;
}

/* A tuple from a JSON array of parameters (components, inputs or outputs). */
static ct_status parse_components(ct__abi_type *t, ct__arena *arena, const cJSON *comps,
                                  ct_error *err)
{
    size_t i = 0, n = (size_t)cJSON_GetArraySize(comps);
    const cJSON *p;
    bool *indexed;
    t->kind = CT__ABI_TUPLE;
    t->nfields = n;
    t->fields = ct__arena_alloc(arena, (n + 1) * sizeof *t->fields);
    t->names = ct__arena_alloc(arena, (n + 1) * sizeof *t->names);
    indexed = ct__arena_alloc(arena, (n + 1) * sizeof *indexed);
    if (!t->fields || !t->names || !indexed)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    t->indexed = indexed;
    cJSON_ArrayForEach(p, comps) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
        CT_TRY(ct__abi_parse_param(&t->fields[i], arena, p, err));
        t->names[i] = cJSON_IsString(name) ? name->valuestring : "";
        t->names[i] = ct__arena_strndup(arena, t->names[i], strlen(t->names[i]));
        if (!t->names[i])
            return ct__error_set(err, CT_ENOMEM, "out of memory");
        indexed[i] = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "indexed"));
        i++;
    }
    return build_canonical_tuple(t, arena, err);
}

/* "struct Args.Pair[2]" names the tuple inside the arrays: shown as the struct's name. */
static ct_status struct_name(const ct__abi_type *t, ct__arena *arena, const cJSON *internal,
                             ct_error *err)
{
    const char *s = cJSON_IsString(internal) ? internal->valuestring : NULL, *end;
    while (t->kind == CT__ABI_ARRAY || t->kind == CT__ABI_DYN_ARRAY)
        t = t->elem;
    if (!s || strncmp(s, "struct ", 7) || t->kind != CT__ABI_TUPLE)
        return CT_OK;
    s += 7;
    end = strchr(s, '[');
    if (!(((ct__abi_type *)t)->display = ct__arena_strndup(arena, s, end ? (size_t)(end - s)
                                                                          : strlen(s))))
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    return CT_OK;
}

ct_status ct__abi_parse_param(const ct__abi_type **out, ct__arena *arena, const cJSON *param,
                              ct_error *err)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(param, "type");
    const cJSON *comps = cJSON_GetObjectItemCaseSensitive(param, "components");
    if (!cJSON_IsString(type))
        return ct__error_set(err, CT_EPARSE, "ABI parameter without a \"type\" string");
    if (!strncmp(type->valuestring, "tuple", 5) && !cJSON_IsArray(comps))
        return ct__error_set(err, CT_EPARSE, "ABI tuple parameter without \"components\"");
    CT_TRY(parse_type_text(out, arena, type->valuestring, strlen(type->valuestring), comps, err));
    return struct_name(*out, arena,
                       cJSON_GetObjectItemCaseSensitive(param, "internalType"), err);
}

static ct_status parse_tuple_field(const ct__abi_type **out, ct__arena *arena,
                                   const cJSON *entry, const char *key, ct_error *err)
{
    static const cJSON empty = {0};
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(entry, key);
    ct__abi_type *t = ct__arena_alloc(arena, sizeof *t);
    if (!t)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    *out = t;
    return parse_components(t, arena, cJSON_IsArray(arr) ? arr : &empty, err);
}

static bool entry_kind(const char *s, ct__abi_entry_kind *k)
{
    static const char *const names[] = {"function", "constructor", "fallback",
                                        "receive",  "event",       "error"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(s, names[i])) {
            *k = (ct__abi_entry_kind)i;
            return true;
        }
    return false;
}

static ct_status parse_entry(ct__abi_entry *e, ct__arena *arena, const cJSON *j, ct_error *err)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "name");
    const char *nm;
    char *sig;
    size_t nl;
    CT_TRY(parse_tuple_field(&e->inputs, arena, j, "inputs", err));
    CT_TRY(parse_tuple_field(&e->outputs, arena, j, "outputs", err));
    e->anonymous = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "anonymous"));
    if (e->kind == CT__ABI_ENTRY_CONSTRUCTOR) nm = "constructor";
    else if (e->kind == CT__ABI_ENTRY_FALLBACK) nm = "fallback";
    else if (e->kind == CT__ABI_ENTRY_RECEIVE) nm = "receive";
    else nm = cJSON_IsString(name) ? name->valuestring : "";
    nl = strlen(nm);
    e->name = ct__arena_strndup(arena, nm, nl);
    sig = ct__arena_alloc(arena, nl + strlen(e->inputs->canonical) + 1);
    if (!e->name || !sig)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    sprintf(sig, "%s%s", nm, e->inputs->canonical);
    e->signature = sig;
    ct__keccak256(sig, strlen(sig), e->hash);
    return CT_OK;
}

ct_status ct__abi_parse(ct__abi *out, ct__arena *arena, const cJSON *abi, ct_error *err)
{
    size_t n = (size_t)cJSON_GetArraySize(abi), i = 0, idx = 0;
    ct__abi_entry *entries;
    const cJSON *j;
    out->entries = NULL;
    out->count = 0;
    if (!cJSON_IsArray(abi))
        return ct__error_set(err, CT_EPARSE, "ABI is not a JSON array");
    entries = ct__arena_alloc(arena, (n + 1) * sizeof *entries);
    if (!entries)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    cJSON_ArrayForEach(j, abi) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(j, "type");
        ct__abi_entry_kind k = CT__ABI_ENTRY_FUNCTION;
        ct_status rc;
        idx++;
        if (cJSON_IsString(type) && !entry_kind(type->valuestring, &k))
            continue;
        entries[i].kind = k;
        rc = parse_entry(&entries[i], arena, j, err);
        if (rc < 0) {
            char msg[sizeof err->message];
            if (!err)
                return rc;
            snprintf(msg, sizeof msg, "%s", err->message);
            return ct__error_set(err, rc, "ABI entry %zu: %s", idx - 1, msg);
        }
        i++;
    }
    out->entries = entries;
    out->count = i;
    return CT_OK;
}

const ct__abi_entry *ct__abi_find(const ct__abi *abi, ct__abi_entry_kind kind,
                                  const uint8_t sel[4])
{
    size_t i;
    for (i = 0; abi && i < abi->count; i++)
        if (abi->entries[i].kind == kind && !memcmp(abi->entries[i].hash, sel, 4))
            return &abi->entries[i];
    return NULL;
}

const ct__abi_entry *ct__abi_first(const ct__abi *abi, ct__abi_entry_kind kind)
{
    size_t i;
    for (i = 0; abi && i < abi->count; i++)
        if (abi->entries[i].kind == kind)
            return &abi->entries[i];
    return NULL;
}

const ct__abi_entry *ct__abi_find_event(const ct__abi *abi, const uint8_t topic[32])
{
    size_t i;
    for (i = 0; abi && i < abi->count; i++)
        if (abi->entries[i].kind == CT__ABI_ENTRY_EVENT && !abi->entries[i].anonymous &&
            !memcmp(abi->entries[i].hash, topic, 32))
            return &abi->entries[i];
    return NULL;
}
