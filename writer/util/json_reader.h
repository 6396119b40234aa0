/*
 * A pull tokenizer for large JSON documents: constant memory (a sliding window over the input,
 * which only grows to hold the longest single token), no tree, no allocation per token.
 * Used where inputs are huge (vmTrace, trace.json); small documents (solc output, config) go
 * through cJSON instead.
 *
 * Tokens borrow the window: a token's bytes are valid until the next call on the reader.
 * Validation is strict RFC 8259 (strings must be well-formed UTF-8); errors are sticky (every
 * later call returns the first error again). docs/input.md has the details and figures.
 */
#ifndef CT_UTIL_JSON_READER_H
#define CT_UTIL_JSON_READER_H

#include <ctrecord/common.h>

#include "util/input.h"

typedef enum ct__json_tok {
    CT__JSON_OBJECT_BEGIN,
    CT__JSON_OBJECT_END,
    CT__JSON_ARRAY_BEGIN,
    CT__JSON_ARRAY_END,
    CT__JSON_KEY,       /* an object key: text is the raw (still escaped) key */
    CT__JSON_STRING,    /* text is the raw bytes between the quotes, escapes not decoded */
    CT__JSON_NUMBER,    /* text is the number's literal */
    CT__JSON_TRUE,
    CT__JSON_FALSE,
    CT__JSON_NULL,
    CT__JSON_EOF        /* end of input after the top-level value (returned again if asked) */
} ct__json_tok;

typedef struct ct__json_token {
    ct__json_tok type;
    const char *text;     /* see the types above; borrowed */
    size_t len;
    bool escaped;         /* STRING/KEY: contains a backslash escape */
    uint64_t offset;      /* byte offset of the token's first byte in the (decompressed) input
                             (the opening quote for STRING/KEY) */
    uint32_t depth;       /* enclosing containers (0 = top level); a container's BEGIN and END
                             tokens carry the depth of the container that holds it */
} ct__json_token;

typedef struct ct__json_reader ct__json_reader;

/** Container nesting accepted by default (deeper is CT_EPARSE, never a stack overflow). */
#define CT__JSON_MAX_DEPTH 1024
/** Largest limit ct__json_reader_set_max_depth accepts (its nesting stack is 1 byte a level). */
#define CT__JSON_DEPTH_CEILING (1u << 16)

/**
 * Create a reader over `in` (borrowed; must outlive the reader). `name` (copied) is used in error
 * messages ("<name>: byte 123: expected ':' after the key, found '1'"). Errors go to `err`.
 */
ct_status ct__json_reader_new(ct__json_reader **out, ct__input *in, const char *name,
                              const ct_allocator *a, ct_error *err);
/**
 * Same, starting with a window of `window` bytes (at least 16) instead of the default 1 MiB:
 * tests and fuzzers use tiny windows to drive every refill, compaction and growth path.
 */
ct_status ct__json_reader_new_window(ct__json_reader **out, ct__input *in, const char *name,
                                     size_t window, const ct_allocator *a, ct_error *err);
void ct__json_reader_free(ct__json_reader *r);

/**
 * Accept up to `max_depth` nested containers instead of CT__JSON_MAX_DEPTH (formats whose
 * legitimate nesting is deeper, e.g. a vmTrace at the EVM's 1024 call levels: 3 containers a
 * level). Call before the first token. The nesting stack takes one byte a level, allocated here;
 * a limit of 0 or above CT__JSON_DEPTH_CEILING is CT_EINVAL, an allocation failure CT_ENOMEM.
 */
ct_status ct__json_reader_set_max_depth(ct__json_reader *r, uint32_t max_depth, ct_error *err);

/**
 * Raw access for a caller that parses a value of a known shape itself (the vmTrace op, the
 * bulk of a trace): skips whitespace and, when a value may start there and the value with up
 * to `nesting` containers would stay within the depth limit, points *data at the window from
 * the value's first byte with *avail bytes present (data[avail] onwards holds at least
 * CT__JSON_SCAN_PAD readable bytes, the first of them a '"') and sets *offset to the input
 * offset of data[0]. Returns false, having consumed nothing, when the reader must decide
 * (pending peek, sticky error, no value allowed here, window empty): use ct__json_next then.
 * The caller either consumes a value with ct__json_raw_consume or leaves the reader untouched.
 */
bool ct__json_raw_value(ct__json_reader *r, uint32_t nesting, const unsigned char **data,
                        size_t *avail, uint64_t *offset);
/**
 * Consume the `n` bytes from the *data of ct__json_raw_value as one value. The caller must have
 * checked that they are exactly one complete, valid JSON value (RFC 8259, UTF-8) with balanced
 * containers: the reader takes them unseen, as if it had returned the value's tokens.
 */
void ct__json_raw_consume(ct__json_reader *r, size_t n);

/** Current size of the sliding window in bytes (for memory-bound tests and benchmarks). */
size_t ct__json_window_size(const ct__json_reader *r);

/** Next token. CT_OK, or CT_EPARSE/CT_EIO/CT_ENOMEM with the detail in `err`. */
ct_status ct__json_next(ct__json_reader *r, ct__json_token *tok, ct_error *err);

/**
 * Peek at the type of the next token without consuming it. The token last returned by
 * ct__json_next stays valid for skip/capture; the peeked token's own text is only available once
 * ct__json_next returns it. (Peeking bypasses the fast path: use it where needed, not per token.)
 */
ct_status ct__json_peek(ct__json_reader *r, ct__json_tok *type, ct_error *err);

/**
 * Skip the value whose first token was just returned by ct__json_next (no-op for scalars;
 * for an OBJECT_BEGIN/ARRAY_BEGIN consume through the matching end), validating it on the way.
 */
ct_status ct__json_skip(ct__json_reader *r, const ct__json_token *first, ct_error *err);

/**
 * Capture the raw bytes of the value whose first token was just returned (through its matching
 * end for containers) into a buffer owned by the reader, valid until the next call. For small
 * sub-documents that are then handed to cJSON (e.g. one trace event). Strings are captured with
 * their quotes. The window grows to hold the whole value. A `first` that is not the token just
 * returned (a peek in between is fine), or a KEY/END/EOF token: CT_EINVAL.
 */
ct_status ct__json_capture(ct__json_reader *r, const ct__json_token *first, const char **data,
                           size_t *len, ct_error *err);

/** Decode a STRING/KEY token's escapes into `out` (UTF-8); returns bytes written or -1 if it
 * does not fit or is malformed (incl. a lone \uD800-\uDFFF surrogate). The result is never
 * longer than tok->len. `out` may alias nothing in the window; it is not NUL-terminated. */
long ct__json_unescape(const ct__json_token *tok, char *out, size_t cap);

/** Current byte offset (for error messages): just after the last token and any ',' or ':'
 * taken with it. */
uint64_t ct__json_offset(const ct__json_reader *r);

#endif
