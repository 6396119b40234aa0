/*
 * Solidity type strings of the AST (typeDescriptions.typeString: "uint256[] memory",
 * "struct Args.Order memory", "bytes calldata") turned into parameter shapes: how many stack
 * items an internal call passes, where the data lives, and its type as an ABI type tree (a
 * struct is a tuple of its members) for the decoders of evm_refs.c.
 */
#include "ast_functions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

/* Structs nest (a member of struct type); a bad or recursive AST must not loop. */
#define MAX_TYPE_DEPTH 16

typedef struct conv {
    ct__artifacts *t;
    const ct__artifact_set *set;
} conv;

static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && !memcmp(s + len - n, suffix, n);
}

/* The type text without data locations ("uint256[] memory" -> "uint256[]"): nested
 * locations are dropped too ("string memory[] memory" -> "string[]"). */
static size_t strip_locations(char *out, size_t cap, const char *s)
{
    static const char *const words[] = {" storage pointer", " storage ref", " storage",
                                        " memory", " calldata", " slice"};
    size_t n = 0, k;
    while (*s && n + 1 < cap) {
        bool skipped = false;
        for (k = 0; k < sizeof words / sizeof *words && !skipped; k++) {
            size_t wl = strlen(words[k]);
            if (!strncmp(s, words[k], wl) && (s[wl] == '\0' || s[wl] == '[' || s[wl] == ' ')) {
                s += wl;
                skipped = true;
            }
        }
        if (!skipped)
            out[n++] = *s++;
    }
    out[n] = '\0';
    return n;
}

static ct__abi_type *new_type(conv *c, ct__abi_kind kind, unsigned size, const char *canon,
                              size_t canon_len)
{
    ct__abi_type *t = ct__arena_alloc(&c->t->arena, sizeof *t);
    if (!t)
        return NULL;
    t->kind = kind;
    t->size = size;
    t->canonical = ct__arena_strndup(&c->t->arena, canon, canon_len);
    return t->canonical ? t : NULL;
}

static unsigned bits(const char *s, size_t len, unsigned lo, unsigned hi, unsigned step)
{
    unsigned v = 0;
    size_t i;
    if (!len || len > 3)
        return 0;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    return v >= lo && v <= hi && v % step == 0 ? v : 0;
}

static ct_status convert(const ct__abi_type **out, conv *c, const char *s, size_t len,
                         int depth);

static ct_status struct_type(const ct__abi_type **out, conv *c, const char *name, size_t len,
                             int depth)
{
    const ct__ast_struct *st = NULL;
    ct__abi_type *t;
    size_t i;
    for (i = 0; i < c->set->nstructs && !st; i++)
        if (strlen(c->set->structs[i].name) == len && !memcmp(c->set->structs[i].name, name, len))
            st = &c->set->structs[i];
    if (!st)
        return CT_OK;
    if (!(t = new_type(c, CT__ABI_TUPLE, 0, name, len)))
        return CT_ENOMEM;
    t->fields = ct__arena_alloc(&c->t->arena, (st->nmembers + 1) * sizeof *t->fields);
    if (!t->fields)
        return CT_ENOMEM;
    t->names = st->members;
    for (i = 0; i < st->nmembers; i++) {
        char buf[256];
        size_t n = strip_locations(buf, sizeof buf, st->types[i]);
        CT_TRY(convert(&t->fields[i], c, buf, n, depth + 1));
        if (!t->fields[i])
            return CT_OK;   /* a member we cannot show (a mapping): no struct either */
    }
    t->nfields = st->nmembers;
    *out = t;
    return CT_OK;
}

/* A user-defined value type (`Price`, `C.Inner`): its underlying elementary type. */
static ct_status udvt(const ct__abi_type **out, conv *c, const char *s, size_t len, int depth)
{
    size_t i;
    for (i = 0; i < c->set->nudvts; i++) {
        const ct__ast_struct *u = &c->set->udvts[i];
        if (strlen(u->name) == len && !memcmp(u->name, s, len))
            return convert(out, c, u->types[0], strlen(u->types[0]), depth + 1);
    }
    return CT_OK;
}

static ct_status elementary(const ct__abi_type **out, conv *c, const char *s, size_t len)
{
    ct__abi_kind kind;
    unsigned size = 0;
    char canon[32];
#define IS(lit) (len == sizeof(lit) - 1 && !memcmp(s, lit, len))
#define STARTS(lit) (len >= sizeof(lit) - 1 && !memcmp(s, lit, sizeof(lit) - 1))
    if (IS("address") || IS("address payable") || STARTS("contract ")) {
        kind = CT__ABI_ADDRESS;
        s = "address";
        len = 7;
    } else if (IS("bool")) kind = CT__ABI_BOOL;
    else if (IS("string")) kind = CT__ABI_STRING;
    else if (IS("bytes")) kind = CT__ABI_BYTES;
    else if (STARTS("enum ")) { kind = CT__ABI_UINT; size = 8; }
    else if ((size = bits(s + 4, len - (len >= 4 ? 4 : len), 8, 256, 8)) && STARTS("uint"))
        kind = CT__ABI_UINT;
    else if ((size = bits(s + 3, len - (len >= 3 ? 3 : len), 8, 256, 8)) && STARTS("int"))
        kind = CT__ABI_INT;
    else if ((size = bits(s + 5, len - (len >= 5 ? 5 : len), 1, 32, 1)) && STARTS("bytes"))
        kind = CT__ABI_FIXED_BYTES;
    else
        return CT_OK;   /* a user-defined value type (see convert), mapping, function type */
#undef IS
#undef STARTS
    if (kind == CT__ABI_UINT || kind == CT__ABI_INT) {
        snprintf(canon, sizeof canon, "%s%u", kind == CT__ABI_UINT ? "uint" : "int", size);
        s = canon;
        len = strlen(canon);
    }
    *out = new_type(c, kind, size, s, len);
    return *out ? CT_OK : CT_ENOMEM;
}

/* `s[0..len)` without locations; *out stays NULL for a type we cannot decode. */
static ct_status convert(const ct__abi_type **out, conv *c, const char *s, size_t len, int depth)
{
    *out = NULL;
    if (depth > MAX_TYPE_DEPTH || !len)
        return CT_OK;
    if (s[len - 1] == ']') {
        size_t open = len - 1, n = 0, k;
        const ct__abi_type *elem;
        ct__abi_type *t;
        while (open > 0 && s[open] != '[')
            open--;
        if (!open)
            return CT_OK;
        for (k = open + 1; k + 1 < len; k++) {
            if (s[k] < '0' || s[k] > '9' || n > 100000000)
                return CT_OK;
            n = n * 10 + (size_t)(s[k] - '0');
        }
        CT_TRY(convert(&elem, c, s, open, depth + 1));
        if (!elem)
            return CT_OK;
        if (!(t = new_type(c, open + 2 == len ? CT__ABI_DYN_ARRAY : CT__ABI_ARRAY, 0, s, len)))
            return CT_ENOMEM;
        t->elem = elem;
        t->length = n;
        *out = t;
        return CT_OK;
    }
    if (len > 7 && !memcmp(s, "struct ", 7))
        return struct_type(out, c, s + 7, len - 7, depth);
    CT_TRY(elementary(out, c, s, len));
    return *out ? CT_OK : udvt(out, c, s, len, depth);
}

static ct_status shape(ct__param_shape *out, conv *c, const char *type)
{
    char buf[256];
    size_t len = strlen(type), n;
    memset(out, 0, sizeof *out);
    out->slots = 1;
    if (!strncmp(type, "function ", 9)) {   /* external: address and selector */
        out->loc = CT__PARAM_OTHER;
        out->slots = strstr(type, " external") ? 2 : 1;
        return CT_OK;
    }
    if (ends_with(type, len, " memory"))
        out->loc = CT__PARAM_MEMORY;
    else if (ends_with(type, len, " calldata"))
        out->loc = CT__PARAM_CALLDATA;
    else if (strstr(type, " storage"))
        out->loc = CT__PARAM_OTHER;
    else
        out->loc = CT__PARAM_VALUE;
    n = strip_locations(buf, sizeof buf, type);
    CT_TRY(convert(&out->abi, c, buf, n, 0));
    if (out->loc == CT__PARAM_CALLDATA && out->abi &&
        (out->abi->kind == CT__ABI_BYTES || out->abi->kind == CT__ABI_STRING ||
         out->abi->kind == CT__ABI_DYN_ARRAY)) {
        out->loc = CT__PARAM_CALLDATA_DYN;
        out->slots = 2;
    } else if (out->loc == CT__PARAM_CALLDATA && !out->abi &&
               (ends_with(buf, n, "[]") || !strcmp(buf, "bytes") || !strcmp(buf, "string"))) {
        out->slots = 2;   /* not decodable, but still two stack items */
        out->loc = CT__PARAM_CALLDATA_DYN;
    }
    return CT_OK;
}

static ct_status shapes(const ct__param_shape **out, conv *c, const char *const *types,
                        size_t n)
{
    ct__param_shape *p = ct__arena_alloc(&c->t->arena, (n + 1) * sizeof *p);
    size_t i;
    if (!p)
        return CT_ENOMEM;
    for (i = 0; i < n; i++)
        CT_TRY(shape(&p[i], c, types[i]));
    *out = p;
    return CT_OK;
}

ct_status ct__ast_shapes(ct__artifacts *t, ct__artifact_set *set, ct_error *err)
{
    conv c;
    size_t i;
    c.t = t;
    c.set = set;
    for (i = 0; i < set->nfunctions; i++) {
        ct__ast_function *f = &set->functions[i];
        if (shapes(&f->param_shapes, &c, f->param_types, f->nparams) < 0 ||
            shapes(&f->return_shapes, &c, f->return_types, f->nreturns) < 0)
            return ct__error_set(err, CT_ENOMEM, "out of memory");
    }
    return CT_OK;
}
