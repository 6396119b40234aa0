/*
 * Exact integers for the validator. cJSON stores numbers as doubles, which cannot tell
 * 9223372036854775807 from 9223372036854775808, nor 1 from 1.0 (serde rejects 1.0 for an id).
 * So the event's text is scanned once for number literals, and each cJSON number node gets
 * the index of its literal in `valueint` (numbers appear in the tree's depth-first order
 * exactly as in the text; cJSON's own valueint is a saturated copy nobody here reads). The same
 * walk measures the event's nesting depth for the serde_json recursion limit.
 */
#include "validate_impl.h"

#include "util/alloc.h"

#include <string.h>

static ct_status push_num(ct__vstate *st, size_t start, size_t len)
{
    if (st->nnums == st->nums_cap) {
        size_t cap = st->nums_cap ? st->nums_cap * 2 : 64;
        ct__vnum *n = ct__realloc(st->opts.allocator, st->nums, st->nums_cap * sizeof *n,
                                  cap * sizeof *n);
        if (!n)
            return ct__error_set(st->err, CT_ENOMEM, "trace.json: out of memory");
        st->nums = n;
        st->nums_cap = cap;
    }
    st->nums[st->nnums].start = (uint32_t)start;
    st->nums[st->nnums].len = (uint32_t)len;
    st->nnums++;
    return CT_OK;
}

static size_t skip_string(const char *t, size_t len, size_t i)
{
    for (i++; i < len && t[i] != '"'; i++)
        if (t[i] == '\\')
            i++;
    return i + 1;
}

static bool number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* Also measures the nesting: `depth` is that of `node`'s containers (the event object is 1). */
static void tag(ct__vstate *st, cJSON *node, size_t *next, uint32_t depth)
{
    for (; node; node = node->next) {
        if (cJSON_IsNumber(node)) {
            node->valueint = *next < st->nnums ? (int)(*next)++ : -1;
        } else if (cJSON_IsArray(node) || cJSON_IsObject(node)) {
            if (depth > st->event_depth)
                st->event_depth = depth;
            tag(st, node->child, next, depth + 1);
        }
    }
}

ct_status ct__vnums_index(ct__vstate *st, const char *text, size_t len, cJSON *root)
{
    size_t i = 0, next = 0;
    if (len > UINT32_MAX)
        return ct__error_set(st->err, CT_EPARSE, "trace.json: event %llu: larger than 4 GiB",
                             (unsigned long long)st->index);
    st->nnums = 0;
    st->event_depth = 0;
    st->text = text;
    while (i < len) {
        if (text[i] == '"') {
            i = skip_string(text, len, i);
        } else if (text[i] == '-' || (text[i] >= '0' && text[i] <= '9')) {
            size_t start = i;
            while (i < len && number_char(text[i]))
                i++;
            CT_TRY(push_num(st, start, i - start));
        } else {
            i++;
        }
    }
    tag(st, root, &next, 1);
    return CT_OK;
}

/* Digits of an integer literal (no fraction, no exponent), sign split off. */
static bool digits(const ct__vstate *st, const cJSON *n, const char **d, size_t *len, bool *neg)
{
    const ct__vnum *num;
    size_t i;
    if (!cJSON_IsNumber(n) || n->valueint < 0 || (size_t)n->valueint >= st->nnums)
        return false;
    num = &st->nums[n->valueint];
    *d = st->text + num->start;
    *len = num->len;
    *neg = **d == '-';
    if (*neg) {
        (*d)++;
        (*len)--;
    }
    if (*len == 0 || *len > 20)
        return false;
    for (i = 0; i < *len; i++)
        if ((*d)[i] < '0' || (*d)[i] > '9')
            return false;
    return true;
}

/* Magnitude of `d[0..len)` if it is at most `limit` (a decimal string of the same base). */
static bool magnitude(const char *d, size_t len, const char *limit, uint64_t *out)
{
    size_t llen = strlen(limit), i;
    uint64_t v = 0;
    if (len > llen || (len == llen && memcmp(d, limit, len) > 0))
        return false;
    for (i = 0; i < len; i++)
        v = v * 10 + (uint64_t)(d[i] - '0');
    *out = v;
    return true;
}

bool ct__vnum_u64(const ct__vstate *st, const cJSON *n, uint64_t *out)
{
    const char *d;
    size_t len;
    bool neg;
    if (!digits(st, n, &d, &len, &neg) || !magnitude(d, len, "18446744073709551615", out))
        return false;
    return !neg || *out == 0;   /* serde reads -0 as 0 */
}

bool ct__vnum_i64(const ct__vstate *st, const cJSON *n, int64_t *out)
{
    const char *d;
    size_t len;
    bool neg;
    uint64_t m;
    if (!digits(st, n, &d, &len, &neg))
        return false;
    if (!magnitude(d, len, neg ? "9223372036854775808" : "9223372036854775807", &m))
        return false;
    *out = neg ? (int64_t)(0 - m) : (int64_t)m;
    return true;
}
