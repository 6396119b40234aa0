/* Bytecode of an artifact: hex with link placeholders, masked ranges, debug entry points. */
#include "artifacts.h"

#include <stdlib.h>
#include <string.h>

#include "bytecode_match.h"
#include "util/error.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

typedef struct masks {
    ct__range *r;
    size_t n, cap;
} masks;

static bool add_mask(ct__arena *a, masks *m, uint64_t start, uint64_t len, size_t code_len)
{
    if (start >= code_len || len == 0)
        return true;
    if (len > code_len - start)
        len = code_len - start;
    if (m->n == m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 16;
        ct__range *r = ct__arena_alloc(a, nc * sizeof *r);
        if (!r)
            return false;
        if (m->n)
            memcpy(r, m->r, m->n * sizeof *r);
        m->r = r;
        m->cap = nc;
    }
    m->r[m->n].start = (uint32_t)start;
    m->r[m->n].length = (uint32_t)len;
    m->n++;
    return true;
}

/* Decode; a pair that is not hex (a `__$..$__` library placeholder) becomes a masked 0. */
static ct_status decode_hex(ct__arena *a, ct__bytecode *bc, masks *m, const char *hex)
{
    size_t n, i;
    uint8_t *code;
    if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
        hex += 2;
    n = strlen(hex) / 2;
    code = ct__arena_alloc(a, n ? n : 1);
    if (!code)
        return CT_ENOMEM;
    for (i = 0; i < n; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            code[i] = 0;
            if (!add_mask(a, m, i, 1, n))
                return CT_ENOMEM;
        } else {
            code[i] = (uint8_t)(hi << 4 | lo);
        }
    }
    bc->code = code;
    bc->len = n;
    return CT_OK;
}

/* {"<key>": [{"start": s, "length": l}, ...]} at `depth` 1 (immutables) or 2 (links). */
static ct_status refs_to_masks(ct__arena *a, masks *m, const cJSON *refs, int depth, size_t len)
{
    const cJSON *k, *r;
    cJSON_ArrayForEach(k, refs) {
        if (depth == 2) {
            CT_TRY(refs_to_masks(a, m, k, 1, len));
            continue;
        }
        cJSON_ArrayForEach(r, k) {
            const cJSON *s = cJSON_GetObjectItemCaseSensitive(r, "start");
            const cJSON *l = cJSON_GetObjectItemCaseSensitive(r, "length");
            if (cJSON_IsNumber(s) && cJSON_IsNumber(l) && s->valuedouble >= 0 &&
                l->valuedouble >= 0 &&
                !add_mask(a, m, (uint64_t)s->valuedouble, (uint64_t)l->valuedouble, len))
                return CT_ENOMEM;
        }
    }
    return CT_OK;
}

static int cmp_range(const void *x, const void *y)
{
    const ct__range *a = x, *b = y;
    return a->start < b->start ? -1 : a->start > b->start;
}

static void sort_merge(masks *m)
{
    size_t i, o = 0;
    if (!m->n)
        return;
    qsort(m->r, m->n, sizeof *m->r, cmp_range);
    for (i = 1; i < m->n; i++) {
        ct__range *last = &m->r[o];
        if (m->r[i].start <= last->start + last->length) {
            uint32_t end = m->r[i].start + m->r[i].length;
            if (end > last->start + last->length)
                last->length = end - last->start;
        } else {
            m->r[++o] = m->r[i];
        }
    }
    m->n = o + 1;
}

static ct_status entry_points(ct__arena *a, ct__bytecode *bc, const cJSON *debug)
{
    size_t n = (size_t)cJSON_GetArraySize(debug), i = 0;
    ct__entry_point *e;
    const cJSON *f;
    if (!cJSON_IsObject(debug) || !n)
        return CT_OK;
    e = ct__arena_alloc(a, n * sizeof *e);
    if (!e)
        return CT_ENOMEM;
    cJSON_ArrayForEach(f, debug) {
        const cJSON *ep = cJSON_GetObjectItemCaseSensitive(f, "entryPoint");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(f, "id");
        if (!cJSON_IsNumber(ep) || !cJSON_IsNumber(id))
            continue;
        e[i].pc = (uint32_t)ep->valuedouble;
        e[i].ast_id = (int64_t)id->valuedouble;
        i++;
    }
    bc->entries = e;
    bc->nentries = i;
    return CT_OK;
}

ct_status ct__artifacts_bytecode(ct__artifacts *t, ct__bytecode *bc, const char *hex,
                                 const char *srcmap, const cJSON *link_refs,
                                 const cJSON *immutable_refs, const cJSON *debug_data,
                                 ct_error *err)
{
    masks m = {NULL, 0, 0};
    memset(bc, 0, sizeof *bc);
    if (!hex)
        return CT_OK;
    if (decode_hex(&t->arena, bc, &m, hex) < 0 ||
        refs_to_masks(&t->arena, &m, link_refs, 2, bc->len) < 0 ||
        refs_to_masks(&t->arena, &m, immutable_refs, 1, bc->len) < 0 ||
        entry_points(&t->arena, bc, debug_data) < 0 ||
        (srcmap && !(bc->srcmap = ct__arena_strndup(&t->arena, srcmap, strlen(srcmap)))))
        return ct__error_set(err, CT_ENOMEM, "out of memory");
    /* A library's runtime code starts with PUSH20 <its own address>, zero in the artifact and
     * filled in at deployment (the call-protection check). */
    if (bc->len > 21 && bc->code[0] == 0x73) {
        size_t k = 1;
        while (k < 21 && bc->code[k] == 0)
            k++;
        if (k == 21 && !add_mask(&t->arena, &m, 1, 20, bc->len))
            return ct__error_set(err, CT_ENOMEM, "out of memory");
    }
    sort_merge(&m);
    bc->masks = m.r;
    bc->nmasks = m.n;
    bc->exec_len = ct__code_exec_len(bc->code, bc->len);
    return CT_OK;
}
