/*
 * libFuzzer target for the input layer and the JSON pull reader. Besides "no crash, no leak,
 * no UB" it checks properties that must hold for every input:
 *  - the token stream and the final status/message do not depend on how the input is split
 *    into reads, on the window size, or on peeking before each token;
 *  - skipping every container validates exactly like reading it (same final status/message);
 *  - a captured container is byte-for-byte the input slice at the token's offset;
 *  - offsets never decrease, depths stay within CT__JSON_MAX_DEPTH, the only failure for
 *    in-memory input is CT_EPARSE with a "<name>: byte N: " (or gzip) message;
 *  - ct__json_unescape never writes more than the raw token length.
 * A violated property aborts, which libFuzzer reports like a crash.
 */
#include "util/input.h"
#include "util/json_reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { PLAIN = 0, PEEK = 1, SKIP = 2, CAPTURE = 4 };

typedef struct outcome {
    uint64_t hash;
    uint64_t tokens;
    ct_status rc;
    char message[512];
} outcome;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_json_reader: property violated: %s\n", what);
        abort();
    }
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ s[i]) * 0x100000001b3ull;
    return h;
}

static void check_string(const ct__json_token *t)
{
    char *out = malloc(t->len + 1);
    long n;
    check(out != NULL, "malloc");
    n = ct__json_unescape(t, out, t->len + 1);
    check(n <= (long)t->len, "unescape grew the text");
    if (!t->escaped)
        check(n == (long)t->len && memcmp(out, t->text, t->len) == 0,
              "unescaped copy of a plain string differs");
    free(out);
}

static void check_capture(ct__json_reader *r, const ct__json_token *t, const uint8_t *doc,
                          size_t size)
{
    const char *cap;
    size_t len;
    if (ct__json_capture(r, t, &cap, &len, NULL) < 0)
        return; /* a malformed container: the next call repeats the error */
    check(t->offset + len <= size, "capture beyond the input");
    check(memcmp(cap, doc + t->offset, len) == 0, "capture differs from the input");
}

static ct_status step(ct__json_reader *r, unsigned mode, const uint8_t *doc, size_t size,
                      bool plain_input, outcome *o, ct__json_token *t, uint64_t *last)
{
    ct__json_tok peeked = CT__JSON_EOF;
    ct_status rc;
    if (mode & PEEK)
        if ((rc = ct__json_peek(r, &peeked, NULL)) < 0)
            return rc;
    if ((rc = ct__json_next(r, t, NULL)) < 0)
        return rc;
    check(!(mode & PEEK) || peeked == t->type, "peek disagrees with next");
    check(t->offset >= *last, "offsets went backwards");
    check(t->depth <= CT__JSON_MAX_DEPTH, "depth beyond the limit");
    *last = t->offset;
    o->tokens++;
    o->hash = mix(o->hash, &t->type, sizeof t->type);
    o->hash = mix(o->hash, &t->offset, sizeof t->offset);
    o->hash = mix(o->hash, &t->depth, sizeof t->depth);
    o->hash = mix(o->hash, t->text, t->len);
    if (t->type == CT__JSON_STRING || t->type == CT__JSON_KEY)
        check_string(t);
    if (t->type == CT__JSON_OBJECT_BEGIN || t->type == CT__JSON_ARRAY_BEGIN) {
        if ((mode & CAPTURE) && plain_input)
            check_capture(r, t, doc, size);
        else if ((mode & SKIP) && t->depth > 0)
            return ct__json_skip(r, t, NULL);
    }
    return CT_OK;
}

static void run(const uint8_t *doc, size_t size, size_t chunk, size_t window, unsigned mode,
                outcome *o)
{
    ct__input *in = NULL;
    ct__json_reader *r = NULL;
    ct__json_token t;
    ct_error err;
    uint64_t last = 0;
    bool plain;
    memset(o, 0, sizeof *o);
    memset(&err, 0, sizeof err);
    check(ct__input_open_memory_chunked(&in, doc, size, chunk, NULL, &err) == CT_OK, "open");
    plain = !ct__input_is_gzip(in);
    check(ct__json_reader_new_window(&r, in, "fz", window, NULL, &err) == CT_OK, "reader");
    do {
        o->rc = step(r, mode, doc, size, plain, o, &t, &last);
    } while (o->rc == CT_OK && t.type != CT__JSON_EOF);
    if (o->rc < 0) {
        ct_status again = ct__json_next(r, &t, &err);
        check(again == o->rc, "errors are not sticky");
        strcpy(o->message, err.message);
        check(o->rc == CT_EPARSE, "unexpected status for in-memory input");
        check(strncmp(err.message, "fz: byte ", 9) == 0 ||
                  strncmp(err.message, "<memory>: compressed byte ", 26) == 0,
              "message does not name the input and offset");
    }
    ct__json_reader_free(r);
    ct__input_free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    outcome base, other;
    bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    run(data, size, 0, 0, PLAIN, &base);
    run(data, size, 1, 16, PEEK, &other);
    if (!gzip) {
        /* A corrupt gzip stream may be noticed after more or fewer output bytes depending on
         * how it is fed, so only plain input must tokenize identically at every split. */
        check(other.hash == base.hash && other.tokens == base.tokens, "split changed tokens");
        check(other.rc == base.rc && strcmp(other.message, base.message) == 0,
              "split changed the outcome");
    }
    run(data, size, 3, 17, SKIP, &other);
    if (!gzip)
        check(other.rc == base.rc && strcmp(other.message, base.message) == 0,
              "skip validated differently");
    run(data, size, 7, 40, CAPTURE | PEEK, &other);
    if (!gzip)
        check(other.rc == base.rc && strcmp(other.message, base.message) == 0,
              "capture validated differently");
    return 0;
}
