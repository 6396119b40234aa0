/*
 * Internals of the JSON reader shared by its two files: json_lex.c (the complete lexer, with
 * refills, every token form and every error) and json_reader.c (the public calls and the
 * fast path that handles the common token shapes without leaving the window).
 * Not for other modules: include util/json_reader.h.
 */
#ifndef CT_UTIL_JSON_READER_IMPL_H
#define CT_UTIL_JSON_READER_IMPL_H

#include "util/json_reader.h"
#include "util/json_scan.h"

#include <string.h>

#define CT__JSON_NO_PIN UINT64_MAX

#if defined(__GNUC__)
#define CT__UNLIKELY(x) __builtin_expect(!!(x), 0)
#define CT__LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define CT__UNLIKELY(x) (x)
#define CT__LIKELY(x) (x)
#endif

/* What the grammar allows next. */
enum {
    S_VALUE,        /* top-level start, after ':' or after ',' in an array */
    S_ARRAY_FIRST,  /* after '[': a value or ']' */
    S_OBJECT_FIRST, /* after '{': a key or '}' */
    S_KEY,          /* after ',' in an object */
    S_COLON,        /* after a key */
    S_AFTER,        /* after a value inside a container: ',' or the closer */
    S_DONE          /* after the top-level value: only whitespace */
};

struct ct__json_reader {
    ct_allocator alloc;
    ct__input *in;
    char *name;
    unsigned char *buf;      /* cap + CT__JSON_SCAN_PAD bytes */
    size_t cap;
    size_t pos;              /* next byte to lex */
    size_t end;              /* bytes of data; buf[end] is the '"' sentinel */
    uint64_t base;           /* input offset of buf[0] */
    uint64_t pin;            /* input offset refills must keep (CT__JSON_NO_PIN = none) */
    uint64_t last_start;     /* raw extent of the last token returned by ct__json_next */
    uint64_t last_end;
    uint64_t pend_start;     /* raw extent of the peeked token */
    uint64_t pend_end;
    bool eof;
    bool has_pending;
    bool failed;             /* errors are sticky: every later call repeats the first one */
    bool slow;               /* has_pending || failed: the fast path must not run */
    uint8_t state;
    uint32_t depth;
    uint32_t max_depth;      /* containers allowed; is_object has this many bytes */
    ct__json_token pending;
    ct_error failure;
    uint8_t *is_object;      /* per open container: 1 = object, 0 = array */
};

static inline void ct__json_put_sentinel(ct__json_reader *r)
{
    memset(r->buf + r->end, '"', CT__JSON_SCAN_PAD);
}

static inline void ct__json_emit(ct__json_reader *r, ct__json_token *tok, ct__json_tok type, size_t start,
                 size_t text, size_t len, size_t next)
{
    tok->type = type;
    tok->text = (const char *)r->buf + text;
    tok->len = len;
    tok->escaped = false;
    tok->offset = r->base + start;
    tok->depth = r->depth;
    r->last_start = r->base + start;
    r->last_end = r->base + next;
    r->pos = next;
}

/*
 * After a value, take a directly following ',' at once (the usual case in compact and in
 * pretty-printed JSON), so the next call dispatches once instead of twice. Only bytes already
 * in the window are looked at (buf[end] is the sentinel), so the token just made stays valid.
 */
static inline void ct__json_value_done(ct__json_reader *r)
{
    if (CT__UNLIKELY(r->depth == 0)) {
        r->state = S_DONE;
    } else if (r->buf[r->pos] == ',') {
        r->pos++;
        r->state = r->is_object[r->depth - 1] ? S_KEY : S_VALUE;
    } else {
        r->state = S_AFTER;
    }
}

/* Same for the ':' after a key. */
static inline void ct__json_key_done(ct__json_reader *r)
{
    if (r->buf[r->pos] == ':') {
        r->pos++;
        r->state = S_VALUE;
    } else {
        r->state = S_COLON;
    }
}

static inline size_t ct__json_skip_ws(const unsigned char *b, size_t i)
{
    /* Compact JSON has none; pretty-printed JSON has runs of indentation. */
    if (b[i] > ' ')
        return i;
    return ct__json_scan_ws(b, i);
}

/**
 * The complete lexer: the next token from r->pos, refilling the window as needed; errors are
 * formatted into `err`. The fast path falls back to it for anything unusual.
 */
ct_status ct__json_lex(ct__json_reader *r, ct__json_token *tok, ct_error *err);

#endif
