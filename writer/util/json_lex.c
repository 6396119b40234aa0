/*
 * The complete JSON lexer behind ct__json_next: one window buffer holds the input from the
 * start of the token being lexed (or an older pinned position) to the last byte read; it is
 * compacted when a quarter or less of it is free and doubled only when compaction cannot make
 * that room, so its size follows the longest token, not the document.
 *
 * The data is always followed by a '"' sentinel plus CT__JSON_SCAN_PAD readable bytes, so the
 * whitespace, number and string loops run without bounds checks and each stops at r->end at
 * the latest; only then do they ask for a refill. Positions are indices into the window
 * (refills move it), turned into absolute offsets by adding r->base.
 */
#include "util/json_reader_impl.h"

#include "util/alloc.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

/* ---- window ------------------------------------------------------------------------------ */

static ct_status grow(ct__json_reader *r, ct_error *err)
{
    size_t ncap = r->cap * 2;
    unsigned char *nb;
    if (ncap < r->cap)
        return ct__error_set(err, CT_ENOMEM, "%s: byte %llu: token too large", r->name,
                             (unsigned long long)(r->base + r->end));
    nb = ct__realloc(&r->alloc, r->buf, r->cap + CT__JSON_SCAN_PAD, ncap + CT__JSON_SCAN_PAD);
    if (!nb)
        return ct__error_set(err, CT_ENOMEM, "%s: byte %llu: out of memory growing the window",
                             r->name, (unsigned long long)(r->base + r->end));
    r->buf = nb;
    r->cap = ncap;
    return CT_OK;
}

/*
 * Read more input, keeping everything from index `keep` (and from the pin) on. Moves the kept
 * bytes to the front when that frees room, so *shift is what every held index must lose.
 * Sets r->eof when the input is exhausted.
 */
static ct_status refill(ct__json_reader *r, size_t keep, size_t *shift, ct_error *err)
{
    size_t n = 0;
    *shift = 0;
    if (r->pin != CT__JSON_NO_PIN && r->pin - r->base < keep)
        keep = (size_t)(r->pin - r->base);
    if (r->cap - r->end <= r->cap / 4 && keep > 0) {
        memmove(r->buf, r->buf + keep, r->end - keep);
        r->end -= keep;
        r->pos = r->pos > keep ? r->pos - keep : 0;
        r->base += keep;
        *shift = keep;
    }
    if (r->cap - r->end <= r->cap / 4)
        CT_TRY(grow(r, err));
    CT_TRY(ct__input_read(r->in, r->buf + r->end, r->cap - r->end, &n, err));
    r->end += n;
    if (n == 0)
        r->eof = true;
    ct__json_put_sentinel(r);
    return CT_OK;
}

/* Refill until `need` bytes from *j are present or the input ends; adjusts *start and *j. */
static ct_status ensure(ct__json_reader *r, size_t *start, size_t *j, size_t need,
                        ct_error *err)
{
    while (r->end - *j < need && !r->eof) {
        size_t shift;
        CT_TRY(refill(r, *start, &shift, err));
        *start -= shift;
        *j -= shift;
    }
    return CT_OK;
}

/* ---- errors ------------------------------------------------------------------------------ */

static ct_status fail_at(ct__json_reader *r, size_t i, const char *what, ct_error *err)
{
    uint64_t off = r->base + i;
    char found[32];
    unsigned char c = r->buf[i];
    if (i >= r->end)
        strcpy(found, "end of input");
    else if (c >= 0x21 && c < 0x7f)
        snprintf(found, sizeof found, "'%c'", c);
    else
        snprintf(found, sizeof found, "byte 0x%02x", c);
    return ct__error_set_at(err, CT_EPARSE, off, "%s: byte %llu: %s, found %s", r->name,
                            (unsigned long long)off, what, found);
}

static const char *expected_text(const ct__json_reader *r)
{
    switch (r->state) {
    case S_VALUE: return "expected a value";
    case S_ARRAY_FIRST: return "expected a value or ']'";
    case S_OBJECT_FIRST: return "expected a string key or '}'";
    case S_KEY: return "expected a string key";
    case S_COLON: return "expected ':' after the key";
    case S_AFTER:
        return r->is_object[r->depth - 1] ? "expected ',' or '}' after an object member"
                                          : "expected ',' or ']' after an array element";
    default: return "expected end of input after the top-level value";
    }
}

/* ---- tokens ------------------------------------------------------------------------------ */

static ct_status lex_open(ct__json_reader *r, ct__json_token *tok, size_t i, bool object,
                          ct_error *err)
{
    if (r->depth >= r->max_depth) {
        char what[80];
        snprintf(what, sizeof what, "nesting deeper than %u levels; expected a scalar value",
                 r->max_depth);
        return fail_at(r, i, what, err);
    }
    ct__json_emit(r, tok, object ? CT__JSON_OBJECT_BEGIN : CT__JSON_ARRAY_BEGIN, i, i, 1, i + 1);
    r->is_object[r->depth++] = object;
    r->state = object ? S_OBJECT_FIRST : S_ARRAY_FIRST;
    return CT_OK;
}

static ct_status lex_close(ct__json_reader *r, ct__json_token *tok, size_t i)
{
    bool object = r->is_object[--r->depth];
    ct__json_emit(r, tok, object ? CT__JSON_OBJECT_END : CT__JSON_ARRAY_END, i, i, 1, i + 1);
    ct__json_value_done(r);
    return CT_OK;
}

static ct_status lex_literal(ct__json_reader *r, ct__json_token *tok, size_t i, ct_error *err)
{
    static const char *const words[] = {"true", "false", "null"};
    static const ct__json_tok types[] = {CT__JSON_TRUE, CT__JSON_FALSE, CT__JSON_NULL};
    unsigned char c = r->buf[i];
    int w = c == 't' ? 0 : c == 'f' ? 1 : 2;
    size_t n = strlen(words[w]), start = i, k;
    CT_TRY(ensure(r, &start, &i, n, err));
    for (k = 0; k < n; k++)
        if (i + k >= r->end || r->buf[i + k] != (unsigned char)words[w][k])
            return fail_at(r, i + k, w == 0   ? "expected 'true'"
                                     : w == 1 ? "expected 'false'"
                                              : "expected 'null'",
                           err);
    ct__json_emit(r, tok, types[w], i, i, n, i + n);
    ct__json_value_done(r);
    return CT_OK;
}

static inline bool is_digit(unsigned char c)
{
    return (unsigned)(c - '0') < 10u;
}

/*
 * RFC 8259 number grammar from index i; returns the index after the number, or sets *what and
 * returns the index of the offending byte. Stops at r->end at the latest (sentinel).
 */
static size_t scan_number(const unsigned char *b, size_t i, const char **what)
{
    *what = NULL;
    if (b[i] == '-')
        i++;
    if (b[i] == '0') {
        if (is_digit(b[++i])) {
            *what = "leading zeros are not allowed in a number";
            return i;
        }
    } else if (is_digit(b[i])) {
        while (is_digit(b[++i]))
            ;
    } else {
        *what = "expected a digit after '-'";
        return i;
    }
    if (b[i] == '.') {
        if (!is_digit(b[++i])) {
            *what = "expected a digit after the decimal point";
            return i;
        }
        while (is_digit(b[++i]))
            ;
    }
    if ((b[i] | 0x20) == 'e') {
        i++;
        if (b[i] == '+' || b[i] == '-')
            i++;
        if (!is_digit(b[i])) {
            *what = "expected a digit in the exponent";
            return i;
        }
        while (is_digit(b[++i]))
            ;
    }
    return i;
}

static ct_status lex_number(ct__json_reader *r, ct__json_token *tok, size_t i, ct_error *err)
{
    for (;;) {
        const char *what;
        size_t j = scan_number(r->buf, i, &what);
        size_t shift;
        /* A scan that reached the end of the data is inconclusive until the input ends. */
        if (j < r->end || r->eof) {
            if (what)
                return fail_at(r, j, what, err);
            ct__json_emit(r, tok, CT__JSON_NUMBER, i, i, j - i, j);
            ct__json_value_done(r);
            return CT_OK;
        }
        CT_TRY(refill(r, i, &shift, err));
        i -= shift;
    }
}

static ct_status check_escape(ct__json_reader *r, size_t *start, size_t *j, ct_error *err)
{
    unsigned char c;
    int k;
    CT_TRY(ensure(r, start, j, 2, err));
    if (*j + 1 >= r->end)
        return fail_at(r, *j + 1, "expected an escape character", err);
    c = r->buf[*j + 1];
    if (c != 'u') {
        if (!strchr("\"\\/bfnrt", c) || c == 0)
            return fail_at(r, *j + 1, "expected one of \" \\ / b f n r t u after '\\'", err);
        *j += 2;
        return CT_OK;
    }
    CT_TRY(ensure(r, start, j, 6, err));
    for (k = 2; k < 6; k++)
        if (*j + k >= r->end || ct__hex_value(r->buf[*j + k]) < 0)
            return fail_at(r, *j + k, "expected 4 hex digits after '\\u'", err);
    *j += 6;
    return CT_OK;
}

static ct_status check_utf8(ct__json_reader *r, size_t *start, size_t *j, ct_error *err)
{
    size_t n;
    CT_TRY(ensure(r, start, j, 4, err));
    n = ct__utf8_sequence(r->buf + *j, r->end - *j);
    if (n == 0)
        return fail_at(r, *j, "invalid UTF-8 in string", err);
    *j += n;
    return CT_OK;
}

/* A string from its opening quote at index i; `type` is STRING or KEY. */
static ct_status lex_string(ct__json_reader *r, ct__json_token *tok, size_t i,
                            ct__json_tok type, ct_error *err)
{
    size_t start = i, j = i + 1, shift;
    bool escaped = false;
    for (;;) {
        unsigned char c;
        j = ct__json_scan_string(r->buf, j);
        c = r->buf[j];
        if (c == '"' && j < r->end)
            break;
        if (j >= r->end) {
            if (r->eof)
                return fail_at(r, j, "expected '\"' to close the string", err);
            CT_TRY(refill(r, start, &shift, err));
            start -= shift;
            j -= shift;
        } else if (c == '\\') {
            CT_TRY(check_escape(r, &start, &j, err));
            escaped = true;
        } else if (c < 0x20) {
            return fail_at(r, j, "expected '\"' to close the string (control characters "
                                 "must be escaped)", err);
        } else {
            CT_TRY(check_utf8(r, &start, &j, err));
        }
    }
    ct__json_emit(r, tok, type, start, start + 1, j - start - 1, j + 1);
    tok->escaped = escaped;
    if (type == CT__JSON_KEY)
        ct__json_key_done(r);
    else
        ct__json_value_done(r);
    return CT_OK;
}

static ct_status lex_value(ct__json_reader *r, ct__json_token *tok, size_t i, ct_error *err)
{
    unsigned char c = r->buf[i];
    if (c == '"')
        return lex_string(r, tok, i, CT__JSON_STRING, err);
    if (is_digit(c) || c == '-')
        return lex_number(r, tok, i, err);
    if (c == '{' || c == '[')
        return lex_open(r, tok, i, c == '{', err);
    if (c == 't' || c == 'f' || c == 'n')
        return lex_literal(r, tok, i, err);
    return fail_at(r, i, expected_text(r), err);
}

static ct_status lex_eof(ct__json_reader *r, ct__json_token *tok, size_t i, ct_error *err)
{
    if (r->state != S_DONE)
        return fail_at(r, i, expected_text(r), err);
    ct__json_emit(r, tok, CT__JSON_EOF, i, i, 0, i);
    return CT_OK;
}

ct_status ct__json_lex(ct__json_reader *r, ct__json_token *tok, ct_error *err)
{
    size_t i = r->pos, shift;
    for (;;) {
        unsigned char c;
        i = ct__json_skip_ws(r->buf, i);
        if (i >= r->end) {
            if (r->eof)
                return lex_eof(r, tok, i, err);
            CT_TRY(refill(r, i, &shift, err));
            i -= shift;
            continue;
        }
        c = r->buf[i];
        switch (r->state) {
        case S_AFTER:
            if (c == ',') {
                r->state = r->is_object[r->depth - 1] ? S_KEY : S_VALUE;
                i++;
                continue;
            }
            if (c == (r->is_object[r->depth - 1] ? '}' : ']'))
                return lex_close(r, tok, i);
            return fail_at(r, i, expected_text(r), err);
        case S_COLON:
            if (c != ':')
                return fail_at(r, i, expected_text(r), err);
            r->state = S_VALUE;
            i++;
            continue;
        case S_OBJECT_FIRST:
        case S_KEY:
            if (c == '"')
                return lex_string(r, tok, i, CT__JSON_KEY, err);
            if (c == '}' && r->state == S_OBJECT_FIRST)
                return lex_close(r, tok, i);
            return fail_at(r, i, expected_text(r), err);
        case S_ARRAY_FIRST:
        case S_VALUE:
            if (c == ']' && r->state == S_ARRAY_FIRST)
                return lex_close(r, tok, i);
            return lex_value(r, tok, i, err);
        default:
            return fail_at(r, i, expected_text(r), err);
        }
    }
}
