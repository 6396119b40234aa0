/*
 * The reader's public calls and its fast path. ct__json_next first tries the token shapes that
 * make up nearly all of a vmTrace (short keys, hex strings, small integers, null, brackets)
 * directly in the window, with no refill and no error formatting; anything else (a token that
 * reaches the end of the window, escapes, non-ASCII, fractions, errors) goes to the complete
 * lexer in json_lex.c, which re-lexes the token from its start.
 */
#include "util/json_reader_impl.h"

#include "util/alloc.h"
#include "util/error.h"

#include <string.h>

/* The fast path must be one function: a call per token costs more than the token. */
#if defined(__GNUC__)
#define HOT static inline __attribute__((always_inline))
#else
#define HOT static inline
#endif

#define DEFAULT_WINDOW ((size_t)1 << 20)
#define MIN_WINDOW ((size_t)16)

/* ---- public ------------------------------------------------------------------------------ */

ct_status ct__json_reader_new_window(ct__json_reader **out, ct__input *in, const char *name,
                                     size_t window, const ct_allocator *a, ct_error *err)
{
    ct_allocator al = ct__allocator_or_default(a);
    ct__json_reader *r;
    *out = NULL;
    if (window < MIN_WINDOW)
        window = MIN_WINDOW;
    r = ct__calloc(&al, 1, sizeof *r);
    if (!r)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory creating JSON reader", name);
    r->alloc = al;
    r->in = in;
    r->cap = window;
    r->pin = CT__JSON_NO_PIN;
    r->name = ct__strdup(&al, name);
    r->buf = ct__malloc(&al, window + CT__JSON_SCAN_PAD);
    r->max_depth = CT__JSON_MAX_DEPTH;
    r->is_object = ct__malloc(&al, r->max_depth);
    if (!r->name || !r->buf || !r->is_object) {
        ct__json_reader_free(r);
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory creating JSON reader", name);
    }
    ct__json_put_sentinel(r);
    *out = r;
    return CT_OK;
}

ct_status ct__json_reader_new(ct__json_reader **out, ct__input *in, const char *name,
                              const ct_allocator *a, ct_error *err)
{
    return ct__json_reader_new_window(out, in, name, DEFAULT_WINDOW, a, err);
}

void ct__json_reader_free(ct__json_reader *r)
{
    ct_allocator a;
    if (!r)
        return;
    a = r->alloc;
    ct__free(&a, r->buf, r->cap + CT__JSON_SCAN_PAD);
    ct__free(&a, r->is_object, r->max_depth);
    if (r->name)
        ct__free(&a, r->name, strlen(r->name) + 1);
    ct__free(&a, r, sizeof *r);
}

ct_status ct__json_reader_set_max_depth(ct__json_reader *r, uint32_t max_depth, ct_error *err)
{
    uint8_t *st;
    if (max_depth == 0 || max_depth > CT__JSON_DEPTH_CEILING || max_depth < r->depth)
        return ct__error_set(err, CT_EINVAL, "%s: nesting limit %u out of range", r->name,
                             max_depth);
    st = ct__realloc(&r->alloc, r->is_object, r->max_depth, max_depth);
    if (!st)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory for the nesting stack",
                             r->name);
    r->is_object = st;
    r->max_depth = max_depth;
    return CT_OK;
}

size_t ct__json_window_size(const ct__json_reader *r)
{
    return r->cap;
}

uint64_t ct__json_offset(const ct__json_reader *r)
{
    return r->base + r->pos;
}

/* ---- fast path: each returns false, having changed nothing, when the lexer must decide */

HOT bool fast_string(ct__json_reader *r, ct__json_token *tok, size_t i,
                               ct__json_tok type)
{
    size_t j = ct__json_scan_string(r->buf, i + 1);
    if (CT__UNLIKELY(r->buf[j] != '"' || j >= r->end))
        return false;
    ct__json_emit(r, tok, type, i, i + 1, j - i - 1, j + 1);
    if (type == CT__JSON_KEY)
        ct__json_key_done(r);
    else
        ct__json_value_done(r);
    return true;
}

/* Integers only; a fraction or exponent, a leading zero or the window's end go slow. */
HOT bool fast_number(ct__json_reader *r, ct__json_token *tok, size_t i)
{
    const unsigned char *b = r->buf;
    size_t j = i + (b[i] == '-');
    size_t k = ct__json_scan_digits(b, j);
    unsigned char c = b[k];
    if (k == j || (b[j] == '0' && k > j + 1) || c == '.' || (c | 0x20) == 'e' || k >= r->end)
        return false;
    ct__json_emit(r, tok, CT__JSON_NUMBER, i, i, k - i, k);
    ct__json_value_done(r);
    return true;
}

HOT bool fast_word(ct__json_reader *r, ct__json_token *tok, size_t i)
{
    const unsigned char *b = r->buf + i;
    size_t n = 4;
    ct__json_tok type;
    if (memcmp(b, "null", 4) == 0)
        type = CT__JSON_NULL;
    else if (memcmp(b, "true", 4) == 0)
        type = CT__JSON_TRUE;
    else if (memcmp(b, "false", 5) == 0)
        type = CT__JSON_FALSE, n = 5;
    else
        return false;
    if (i + n > r->end)
        return false;
    ct__json_emit(r, tok, type, i, i, n, i + n);
    ct__json_value_done(r);
    return true;
}

HOT bool fast_bracket(ct__json_reader *r, ct__json_token *tok, size_t i,
                                unsigned char c)
{
    bool object = c == '{';
    if (c == '{' || c == '[') {
        if (r->depth >= r->max_depth)
            return false;
        ct__json_emit(r, tok, object ? CT__JSON_OBJECT_BEGIN : CT__JSON_ARRAY_BEGIN, i, i, 1,
                      i + 1);
        r->is_object[r->depth++] = object;
        r->state = object ? S_OBJECT_FIRST : S_ARRAY_FIRST;
        return true;
    }
    if (r->depth == 0 || c != (r->is_object[r->depth - 1] ? '}' : ']'))
        return false;
    r->depth--;
    ct__json_emit(r, tok, c == '}' ? CT__JSON_OBJECT_END : CT__JSON_ARRAY_END, i, i, 1, i + 1);
    ct__json_value_done(r);
    return true;
}

HOT bool fast_value(ct__json_reader *r, ct__json_token *tok, size_t i, unsigned char c)
{
    if (c == '"')
        return fast_string(r, tok, i, CT__JSON_STRING);
    if ((unsigned)(c - '0') < 10u || c == '-')
        return fast_number(r, tok, i);
    if (c == 'n' || c == 't' || c == 'f')
        return fast_word(r, tok, i);
    if (c == '{' || c == '[')
        return fast_bracket(r, tok, i, c);
    return false;
}

HOT bool lex_fast(ct__json_reader *r, ct__json_token *tok)
{
    size_t i = ct__json_skip_ws(r->buf, r->pos);
    unsigned char c = r->buf[i];
    if (CT__UNLIKELY(i >= r->end))
        return false;
    switch (r->state) {
    case S_VALUE:
        return fast_value(r, tok, i, c);
    case S_KEY:
        return c == '"' && fast_string(r, tok, i, CT__JSON_KEY);
    case S_OBJECT_FIRST:
        if (c == '"')
            return fast_string(r, tok, i, CT__JSON_KEY);
        return c == '}' && fast_bracket(r, tok, i, c);
    case S_ARRAY_FIRST:
        if (c == ']')
            return fast_bracket(r, tok, i, c);
        return fast_value(r, tok, i, c);
    case S_AFTER:
        return (c == '}' || c == ']') && fast_bracket(r, tok, i, c);
    default:
        return false;
    }
}

/* Pending peeked token, sticky error, or the complete lexer. */
static ct_status next_slow(ct__json_reader *r, ct__json_token *tok, ct_error *err)
{
    ct_status rc;
    if (r->failed)
        return ct__error_copy(err, &r->failure);
    if (r->has_pending) {
        *tok = r->pending;
        r->has_pending = false;
        r->slow = false;
        r->last_start = r->pend_start;
        r->last_end = r->pend_end;
        return CT_OK;
    }
    rc = ct__json_lex(r, tok, &r->failure);
    if (rc < 0) {
        r->failed = true;
        r->slow = true;
        return ct__error_copy(err, &r->failure);
    }
    return CT_OK;
}

ct_status ct__json_next(ct__json_reader *r, ct__json_token *tok, ct_error *err)
{
    if (CT__LIKELY(!r->slow && lex_fast(r, tok)))
        return CT_OK;
    return next_slow(r, tok, err);
}

bool ct__json_raw_value(ct__json_reader *r, uint32_t nesting, const unsigned char **data,
                        size_t *avail, uint64_t *offset)
{
    size_t i;
    if (r->slow || (r->state != S_VALUE && r->state != S_ARRAY_FIRST) ||
        nesting > r->max_depth - r->depth)
        return false;
    i = ct__json_skip_ws(r->buf, r->pos);
    if (i >= r->end)
        return false;
    r->pos = i;   /* whitespace is no token: skipping it changes nothing the caller sees */
    *data = r->buf + i;
    *avail = r->end - i;
    *offset = r->base + i;
    return true;
}

void ct__json_raw_consume(ct__json_reader *r, size_t n)
{
    r->last_start = r->base + r->pos;
    r->pos += n;
    r->last_end = r->base + r->pos;
    ct__json_value_done(r);
}

ct_status ct__json_peek(ct__json_reader *r, ct__json_tok *type, ct_error *err)
{
    uint64_t pin = r->pin, ls = r->last_start, le = r->last_end;
    ct_status rc;
    if (r->failed)
        return ct__error_copy(err, &r->failure);
    if (!r->has_pending) {
        /* The token returned before the peek must survive it (capture/skip may follow). */
        if (pin == CT__JSON_NO_PIN)
            r->pin = ls;
        rc = ct__json_lex(r, &r->pending, &r->failure);
        r->pin = pin;
        if (rc < 0) {
            r->failed = true;
            r->slow = true;
            return ct__error_copy(err, &r->failure);
        }
        r->has_pending = true;
        r->slow = true;
        r->pend_start = r->last_start;
        r->pend_end = r->last_end;
        r->last_start = ls;
        r->last_end = le;
    }
    *type = r->pending.type;
    return CT_OK;
}

ct_status ct__json_skip(ct__json_reader *r, const ct__json_token *first, ct_error *err)
{
    ct__json_token t;
    uint32_t depth = first->depth;
    if (first->type != CT__JSON_OBJECT_BEGIN && first->type != CT__JSON_ARRAY_BEGIN)
        return CT_OK;
    do {
        CT_TRY(ct__json_next(r, &t, err));
    } while (!((t.type == CT__JSON_OBJECT_END || t.type == CT__JSON_ARRAY_END) &&
               t.depth == depth));
    return CT_OK;
}

ct_status ct__json_capture(ct__json_reader *r, const ct__json_token *first, const char **data,
                           size_t *len, ct_error *err)
{
    uint64_t start = first->offset;
    bool container = first->type == CT__JSON_OBJECT_BEGIN || first->type == CT__JSON_ARRAY_BEGIN;
    ct_status rc;
    if (r->failed)
        return ct__error_copy(err, &r->failure);
    if (start < r->base || start > r->last_start || (!container && start != r->last_start) ||
        first->type == CT__JSON_EOF ||
        first->type == CT__JSON_KEY || first->type == CT__JSON_OBJECT_END ||
        first->type == CT__JSON_ARRAY_END)
        return ct__error_set(err, CT_EINVAL, "%s: byte %llu: capture needs the first token of "
                             "a value just returned by the reader", r->name,
                             (unsigned long long)start);
    r->pin = start;
    rc = ct__json_skip(r, first, err);
    r->pin = CT__JSON_NO_PIN;
    CT_TRY(rc);
    *data = (const char *)r->buf + (start - r->base);
    *len = (size_t)(r->last_end - start);
    return CT_OK;
}
