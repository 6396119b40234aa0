/* Walk of the compact AST; see ast_functions.h. */
#include "ast_functions.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

#define GET(o, k) cJSON_GetObjectItemCaseSensitive((o), (k))

uint32_t ct__source_line(const ct__source *src, uint32_t offset)
{
    size_t lo = 0, hi = src->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (src->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return (uint32_t)lo + 1;
}

static const char *dup(ct__artifacts *t, const char *s)
{
    return ct__arena_strndup(&t->arena, s ? s : "", s ? strlen(s) : 0);
}

static const char *str(const cJSON *j)
{
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

/* typeString with the data location of the declaration ("uint256[] memory"): the AST's
 * typeString of a parameter leaves it out, and it decides what the stack item is. */
static const char *param_type(ct__artifacts *t, const cJSON *p)
{
    const char *ts = str(GET(GET(p, "typeDescriptions"), "typeString"));
    const char *loc = str(GET(p, "storageLocation"));
    size_t n = ts ? strlen(ts) : 0, m;
    char *out;
    if (!loc || !strcmp(loc, "default") || !ts)
        return dup(t, ts);
    m = strlen(loc);
    if (!(out = ct__arena_alloc(&t->arena, n + m + 2)))
        return NULL;
    memcpy(out, ts, n);
    out[n] = ' ';
    memcpy(out + n + 1, loc, m + 1);
    return out;
}

static ct_status returns(ct__artifacts *t, ct__ast_function *f, const cJSON *node)
{
    const cJSON *list = GET(GET(node, "returnParameters"), "parameters"), *p;
    size_t n = (size_t)cJSON_GetArraySize(list), i = 0;
    const char **types = ct__arena_alloc(&t->arena, (n + 1) * sizeof *types);
    const char **names = ct__arena_alloc(&t->arena, (n + 1) * sizeof *names);
    if (!types || !names)
        return CT_ENOMEM;
    cJSON_ArrayForEach(p, list) {
        names[i] = dup(t, str(GET(p, "name")));
        if (!names[i] || !(types[i++] = param_type(t, p)))
            return CT_ENOMEM;
    }
    f->return_types = types;
    f->return_names = names;
    f->nreturns = i;
    return CT_OK;
}

static ct_status params(ct__artifacts *t, ct__ast_function *f, const cJSON *node)
{
    const cJSON *list = GET(GET(node, "parameters"), "parameters"), *p;
    size_t n = (size_t)cJSON_GetArraySize(list), i = 0;
    const char **names = ct__arena_alloc(&t->arena, (n + 1) * sizeof *names);
    const char **types = ct__arena_alloc(&t->arena, (n + 1) * sizeof *types);
    if (!names || !types)
        return CT_ENOMEM;
    cJSON_ArrayForEach(p, list) {
        names[i] = dup(t, str(GET(p, "name")));
        types[i] = param_type(t, p);
        if (!names[i] || !types[i])
            return CT_ENOMEM;
        i++;
    }
    f->params = names;
    f->param_types = types;
    f->nparams = i;
    return CT_OK;
}

static ct_status add_function(ct__artifacts *t, ct__artifact_set *set, const ct__source *src,
                              const cJSON *node, const char *contract, bool modifier)
{
    ct__ast_function f;
    const char *kind = str(GET(node, "kind")), *name = str(GET(node, "name")),
               *srcs = str(GET(node, "src"));
    unsigned long start = 0, len = 0;
    long file = -1;
    char *end;
    memset(&f, 0, sizeof f);
    if (!srcs)
        return CT_OK;
    start = strtoul(srcs, &end, 10);
    if (*end == ':')
        len = strtoul(end + 1, &end, 10);
    if (*end == ':')
        file = strtol(end + 1, &end, 10);
    if (kind && (!strcmp(kind, "constructor") || !strcmp(kind, "fallback") ||
                 !strcmp(kind, "receive")))
        name = kind;
    f.ast_id = (int64_t)(cJSON_IsNumber(GET(node, "id")) ? GET(node, "id")->valuedouble : -1);
    f.name = dup(t, name);
    f.contract = dup(t, contract);
    f.visibility = dup(t, str(GET(node, "visibility")));
    f.file = (int32_t)(file >= 0 ? file : src->id);
    f.start = (uint32_t)start;
    f.length = (uint32_t)len;
    f.line = src->content && f.file == src->id ? ct__source_line(src, f.start) : 1;
    f.is_modifier = modifier;
    if (!f.name || !f.contract || !f.visibility || params(t, &f, node) < 0 ||
        returns(t, &f, node) < 0)
        return CT_ENOMEM;
    if (set->nfunctions == set->capfunctions) {
        size_t nc = set->capfunctions ? set->capfunctions * 2 : 32;
        ct__ast_function *p = ct__arena_alloc(&t->arena, nc * sizeof *p);
        if (!p)
            return CT_ENOMEM;
        if (set->nfunctions)
            memcpy(p, set->functions, set->nfunctions * sizeof *p);
        set->functions = p;
        set->capfunctions = nc;
    }
    set->functions[set->nfunctions++] = f;
    return CT_OK;
}

/* "start:length:file" */
static bool parse_src(const char *srcs, unsigned long *start, unsigned long *len, long *file)
{
    char *end;
    if (!srcs)
        return false;
    *start = strtoul(srcs, &end, 10);
    if (*end != ':')
        return false;
    *len = strtoul(end + 1, &end, 10);
    *file = *end == ':' ? strtol(end + 1, &end, 10) : -1;
    return true;
}

static ct_status add_var_range(ct__artifacts *t, ct__artifact_set *set,
                               const ct__source *src, const cJSON *node)
{
    unsigned long start, len;
    long file;
    if (!parse_src(str(GET(node, "src")), &start, &len, &file))
        return CT_OK;
    if (set->nvars_src == set->capvars_src) {
        size_t nc = set->capvars_src ? set->capvars_src * 2 : 16;
        ct__range *r = ct__arena_alloc(&t->arena, nc * sizeof *r);
        int32_t *f = ct__arena_alloc(&t->arena, nc * sizeof *f);
        if (!r || !f)
            return CT_ENOMEM;
        if (set->nvars_src) {
            memcpy(r, set->vars_src, set->nvars_src * sizeof *r);
            memcpy(f, set->vars_file, set->nvars_src * sizeof *f);
        }
        set->vars_src = r;
        set->vars_file = f;
        set->capvars_src = nc;
    }
    set->vars_src[set->nvars_src].start = (uint32_t)start;
    set->vars_src[set->nvars_src].length = (uint32_t)len;
    set->vars_file[set->nvars_src] = (int32_t)(file >= 0 ? file : src->id);
    set->nvars_src++;
    return CT_OK;
}

uint8_t ct__ast_whole_definition(const ct__artifact_set *set, int32_t file, uint32_t start,
                                 uint32_t length)
{
    size_t i;
    for (i = 0; i < set->nfunctions; i++) {
        const ct__ast_function *f = &set->functions[i];
        if (f->file == file && f->start == start && f->length == length && !f->is_modifier)
            return CT__WHOLE_FUNCTION;
    }
    for (i = 0; i < set->nvars_src; i++)
        if (set->vars_file[i] == file && set->vars_src[i].start == start &&
            set->vars_src[i].length == length)
            return CT__WHOLE_VARIABLE;
    return 0;
}

static ct_status add_contract_range(ct__artifacts *t, ct__artifact_set *set,
                                    const ct__source *src, const cJSON *node)
{
    unsigned long start, len;
    long file;
    if (!parse_src(str(GET(node, "src")), &start, &len, &file))
        return CT_OK;
    if (set->ncontracts_src == set->capcontracts_src) {
        size_t nc = set->capcontracts_src ? set->capcontracts_src * 2 : 16;
        ct__range *r = ct__arena_alloc(&t->arena, nc * sizeof *r);
        int32_t *f = ct__arena_alloc(&t->arena, nc * sizeof *f);
        if (!r || !f)
            return CT_ENOMEM;
        if (set->ncontracts_src) {
            memcpy(r, set->contracts_src, set->ncontracts_src * sizeof *r);
            memcpy(f, set->contracts_file, set->ncontracts_src * sizeof *f);
        }
        set->contracts_src = r;
        set->contracts_file = f;
        set->capcontracts_src = nc;
    }
    set->contracts_src[set->ncontracts_src].start = (uint32_t)start;
    set->contracts_src[set->ncontracts_src].length = (uint32_t)len;
    set->contracts_file[set->ncontracts_src] = (int32_t)(file >= 0 ? file : src->id);
    set->ncontracts_src++;
    return CT_OK;
}

bool ct__ast_is_contract_range(const ct__artifact_set *set, int32_t file, uint32_t start,
                               uint32_t length)
{
    size_t i;
    for (i = 0; i < set->ncontracts_src; i++)
        if (set->contracts_file[i] == file && set->contracts_src[i].start == start &&
            set->contracts_src[i].length == length)
            return true;
    return false;
}

/* A StructDefinition: its canonical name and members, for struct-typed parameters. */
static ct_status add_struct(ct__artifacts *t, ct__artifact_set *set, const cJSON *node)
{
    const cJSON *members = GET(node, "members"), *m;
    size_t n = (size_t)cJSON_GetArraySize(members), i = 0;
    const char *name = str(GET(node, "canonicalName"));
    const char **names = ct__arena_alloc(&t->arena, (n + 1) * sizeof *names);
    const char **types = ct__arena_alloc(&t->arena, (n + 1) * sizeof *types);
    ct__ast_struct *st;
    if (!names || !types)
        return CT_ENOMEM;
    cJSON_ArrayForEach(m, members) {
        names[i] = dup(t, str(GET(m, "name")));
        types[i] = dup(t, str(GET(GET(m, "typeDescriptions"), "typeString")));
        if (!names[i] || !types[i])
            return CT_ENOMEM;
        i++;
    }
    if (set->nstructs == set->capstructs) {
        size_t nc = set->capstructs ? set->capstructs * 2 : 16;
        ct__ast_struct *q = ct__arena_alloc(&t->arena, nc * sizeof *q);
        if (!q)
            return CT_ENOMEM;
        if (set->nstructs)
            memcpy(q, set->structs, set->nstructs * sizeof *q);
        set->structs = q;
        set->capstructs = nc;
    }
    st = &set->structs[set->nstructs];
    if (!(st->name = dup(t, name ? name : str(GET(node, "name")))))
        return CT_ENOMEM;
    st->members = names;
    st->types = types;
    st->nmembers = i;
    set->nstructs++;
    return CT_OK;
}

/* type Price is uint128: kept as a one-member "struct" whose member type is the underlying. */
static ct_status add_udvt(ct__artifacts *t, ct__artifact_set *set, const cJSON *node)
{
    const char *name = str(GET(node, "canonicalName"));
    const char *under = str(GET(GET(GET(node, "underlyingType"), "typeDescriptions"),
                                "typeString"));
    const char **types = ct__arena_alloc(&t->arena, sizeof *types);
    ct__ast_struct *u;
    if (!types)
        return CT_ENOMEM;
    if (!under)
        return CT_OK;
    if (set->nudvts == set->capudvts) {
        size_t nc = set->capudvts ? set->capudvts * 2 : 8;
        ct__ast_struct *q = ct__arena_alloc(&t->arena, nc * sizeof *q);
        if (!q)
            return CT_ENOMEM;
        if (set->nudvts)
            memcpy(q, set->udvts, set->nudvts * sizeof *q);
        set->udvts = q;
        set->capudvts = nc;
    }
    u = &set->udvts[set->nudvts];
    if (!(u->name = dup(t, name ? name : str(GET(node, "name")))) || !(types[0] = dup(t, under)))
        return CT_ENOMEM;
    u->members = NULL;
    u->types = types;
    u->nmembers = 1;
    set->nudvts++;
    return CT_OK;
}

static ct_status walk(ct__artifacts *t, ct__artifact_set *set, const ct__source *src,
                      const cJSON *node, const char *contract, int depth)
{
    const char *type = str(GET(node, "nodeType"));
    const cJSON *child;
    if (depth > 64 || !cJSON_IsObject(node))
        return CT_OK;
    if (type && !strcmp(type, "ContractDefinition")) {
        contract = str(GET(node, "name"));
        CT_TRY(add_contract_range(t, set, src, node));
    }
    if (type && !strcmp(type, "VariableDeclaration") && cJSON_IsTrue(GET(node, "stateVariable")))
        return add_var_range(t, set, src, node);
    if (type && !strcmp(type, "StructDefinition"))
        return add_struct(t, set, node);
    if (type && !strcmp(type, "UserDefinedValueTypeDefinition"))
        return add_udvt(t, set, node);
    if (type && (!strcmp(type, "FunctionDefinition") || !strcmp(type, "ModifierDefinition")))
        return add_function(t, set, src, node, contract, type[0] == 'M');
    cJSON_ArrayForEach(child, GET(node, "nodes"))
        CT_TRY(walk(t, set, src, child, contract, depth + 1));
    return CT_OK;
}

ct_status ct__ast_collect(ct__artifacts *t, ct__artifact_set *set, const ct__source *src,
                          ct_error *err)
{
    if (!src->ast)
        return CT_OK;
    if (walk(t, set, src, src->ast, "", 0) < 0)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    return CT_OK;
}

const ct__ast_function *ct__ast_function_by_id(const ct__artifact_set *set, int64_t id)
{
    size_t i;
    for (i = 0; i < set->nfunctions; i++)
        if (set->functions[i].ast_id == id)
            return &set->functions[i];
    return NULL;
}

const ct__ast_function *ct__ast_function_at(const ct__artifact_set *set, int32_t file,
                                            uint32_t offset)
{
    const ct__ast_function *best = NULL;
    size_t i;
    for (i = 0; i < set->nfunctions; i++) {
        const ct__ast_function *f = &set->functions[i];
        if (f->file != file || offset < f->start || offset >= f->start + f->length)
            continue;
        if (!best || f->length < best->length)
            best = f;
    }
    return best;
}

const ct__ast_function *ct__ast_function_named(const ct__artifact_set *set,
                                               const char *contract, const char *name,
                                               size_t nparams)
{
    size_t i;
    const ct__ast_function *any = NULL;
    for (i = 0; i < set->nfunctions; i++) {
        const ct__ast_function *f = &set->functions[i];
        if (strcmp(f->name, name) || f->is_modifier)
            continue;
        if (!strcmp(f->contract, contract) && f->nparams == nparams)
            return f;
        if (f->nparams == nparams && !any)
            any = f;   /* inherited from a base contract */
    }
    return any;
}
