/* Source-map decompression and the per-pc location table; see source_map.h. */
#include "source_map.h"

#include <stdlib.h>
#include <string.h>

#include "ast_functions.h"
#include "util/alloc.h"
#include "util/error.h"

/* Parse one optional integer field ending at ':' ';' or NUL; empty keeps *v. */
static bool field(const char **p, int32_t *v)
{
    const char *s = *p;
    long x = 0;
    bool neg = false, digits = false;
    if (*s == '-' && s[1] >= '0' && s[1] <= '9') {
        neg = true;
        s++;
    }
    while (*s >= '0' && *s <= '9') {
        x = x * 10 + (*s++ - '0');
        if (x > INT32_MAX)
            return false;
        digits = true;
    }
    if (*s && *s != ':' && *s != ';')
        return false;
    if (digits)
        *v = (int32_t)(neg ? -x : x);
    *p = s;
    return true;
}

static bool jump_field(const char **p, char *j)
{
    const char *s = *p;
    if (*s == 'i' || *s == 'o' || *s == '-')
        *j = *s++;
    if (*s && *s != ':' && *s != ';')
        return false;
    *p = s;
    return true;
}

/* One element; fields after a missing ':' are inherited. */
static bool parse_element(const char **p, ct__srcmap_entry *e)
{
    int32_t *nums[3] = {&e->s, &e->l, &e->f};
    int k;
    for (k = 0; k < 5; k++) {
        if (k > 0) {
            if (**p != ':')
                return true;
            (*p)++;
        }
        if (k < 3 && !field(p, nums[k]))
            return false;
        if (k == 3 && !jump_field(p, &e->j))
            return false;
        if (k == 4 && !field(p, &e->m))
            return false;
    }
    return **p == ';' || **p == '\0';
}

ct_status ct__srcmap_parse(ct__srcmap_entry **out, size_t *n, const char *map,
                           const ct_allocator *a, ct_error *err)
{
    size_t count = 1, i = 0;
    const char *p;
    ct__srcmap_entry cur = {-1, 0, -1, 0, '-'}, *arr;
    for (p = map; *p; p++)
        count += *p == ';';
    arr = ct__malloc(a, count * sizeof *arr);
    if (!arr)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    for (p = map; i < count; i++) {
        if (!parse_element(&p, &cur)) {
            ct__free(a, arr, count * sizeof *arr);
            return ct__error_set_at(err, CT_EPARSE, (uint64_t)(p - map),
                                    "source map entry %zu (byte %zu): malformed", i,
                                    (size_t)(p - map));
        }
        arr[i] = cur;
        if (*p == ';')
            p++;
    }
    *out = arr;
    *n = count;
    return CT_OK;
}

/* Resolve one entry against the sources: file -1 when compiler-generated or out of range. */
static ct__loc resolve(const ct__srcmap_entry *e, const ct__artifact_set *set, size_t *bad)
{
    ct__loc loc = {-1, 0, 0, e->j, 0};
    const ct__source *src;
    if (e->f < 0)
        return loc;
    if ((size_t)e->f >= set->nids)
        return loc;   /* a generated (Yul utility) source: ids follow the user sources */
    src = set->by_id[e->f];
    if (!src) {
        (*bad)++;
        return loc;
    }
    if (!src->content)
        return loc;   /* missing source: already warned once when loading */
    if (e->s < 0 || (size_t)e->s > src->len || e->l < 0 || (size_t)e->l > src->len - e->s) {
        (*bad)++;
        return loc;
    }
    if (ct__ast_is_contract_range(set, e->f, (uint32_t)e->s, (uint32_t)e->l))
        return loc;   /* dispatcher / generated code attributed to the whole contract */
    loc.file = e->f;
    loc.whole = ct__ast_whole_definition(set, e->f, (uint32_t)e->s, (uint32_t)e->l);
    loc.offset = (uint32_t)e->s;
    loc.line = ct__source_line(src, loc.offset);
    return loc;
}

ct_status ct__locmap_build(ct__locmap **out, ct__arena *arena, const uint8_t *code,
                           size_t code_len, size_t exec_len, const char *srcmap,
                           const ct__artifact_set *set, const ct_allocator *a, ct_error *err)
{
    ct__locmap *m = ct__arena_alloc(arena, sizeof *m);
    ct__loc *by_pc = ct__arena_alloc(arena, (code_len ? code_len : 1) * sizeof *by_pc);
    ct__srcmap_entry *entries = NULL;
    size_t nentries = 0, pc = 0, ix = 0, k;
    if (!m || !by_pc)
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    for (k = 0; k < code_len; k++)
        by_pc[k].file = -1, by_pc[k].jump = '-';
    if (srcmap)
        CT_TRY(ct__srcmap_parse(&entries, &nentries, srcmap, a, err));
    if (exec_len > code_len)
        exec_len = code_len;
    while (pc < exec_len) {
        uint8_t op = code[pc];
        if (ix < nentries) {
            by_pc[pc] = resolve(&entries[ix], set, &m->out_of_range);
            m->mapped += by_pc[pc].file >= 0;
        }
        pc += 1 + (op >= 0x60 && op <= 0x7f ? op - 0x5f : 0);
        ix++;
    }
    ct__free(a, entries, nentries * sizeof *entries);
    m->by_pc = by_pc;
    m->len = code_len;
    *out = m;
    return CT_OK;
}
