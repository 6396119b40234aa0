/*
 * The pull tokenizer: every token type, documents split at every byte boundary and read through
 * tiny windows (so every refill, compaction and growth path runs), long tokens, exact error
 * messages and offsets for malformed input, the nesting limit, skip/capture/peek, unescaping,
 * gzip input and allocation failures.
 */
#include "ct_test.h"

#include "util/input.h"
#include "util/json_reader.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* A readable transcript of a document's tokens, with offsets and depths. */
typedef struct dump {
    char *s;
    size_t len, cap;
} dump;

static void dump_add(dump *d, const char *text, size_t n)
{
    if (d->len + n + 1 > d->cap) {
        d->cap = (d->len + n + 1) * 2;
        d->s = realloc(d->s, d->cap);
        assert_non_null(d->s);
    }
    memcpy(d->s + d->len, text, n);
    d->len += n;
    d->s[d->len] = '\0';
}

static void dump_token(dump *d, const ct__json_token *t)
{
    static const char *const names[] = {"{", "}", "[", "]", "K", "S", "N", "T", "F", "Z", "EOF"};
    char head[64];
    int n = snprintf(head, sizeof head, "%s@%llu/%u%s:", names[t->type],
                     (unsigned long long)t->offset, t->depth, t->escaped ? "e" : "");
    dump_add(d, head, (size_t)n);
    dump_add(d, t->text, t->len);
    dump_add(d, " ", 1);
}

/*
 * Tokenize `doc` read `chunk` bytes at a time (0 = all at once) through a window of `window`
 * bytes (0 = default). Returns the status; the transcript or the error message goes to *out.
 */
static ct_status tokenize(const char *doc, size_t len, size_t chunk, size_t window, char **out,
                          ct_error *err)
{
    ct__input *in = NULL;
    ct__json_reader *r = NULL;
    ct__json_token t;
    dump d = {0};
    ct_status rc;
    assert_int_equal(ct__input_open_memory_chunked(&in, doc, len, chunk, NULL, err), CT_OK);
    if (window)
        rc = ct__json_reader_new_window(&r, in, "t.json", window, NULL, err);
    else
        rc = ct__json_reader_new(&r, in, "t.json", NULL, err);
    assert_int_equal(rc, CT_OK);
    dump_add(&d, "", 0);
    do {
        rc = ct__json_next(r, &t, err);
        if (rc == CT_OK)
            dump_token(&d, &t);
    } while (rc == CT_OK && t.type != CT__JSON_EOF);
    ct__json_reader_free(r);
    ct__input_free(in);
    if (rc == CT_OK) {
        *out = d.s;
    } else {
        free(d.s);
        *out = strdup(err->message);
    }
    return rc;
}

static const size_t chunks[] = {0, 1, 2, 3, 5, 7, 64};
static const size_t windows[] = {0, 16, 17, 31, 64};

/* The same result, whatever the chunking and window. Returns the canonical result. */
static char *tokenize_all_ways(const char *doc, size_t len, ct_status *rc_out)
{
    char *first = NULL;
    ct_status rc0 = CT_OK;
    size_t c, w;
    for (c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        for (w = 0; w < sizeof windows / sizeof *windows; w++) {
            ct_error err = {0};
            char *got = NULL;
            ct_status rc = tokenize(doc, len, chunks[c], windows[w], &got, &err);
            if (!first) {
                first = got;
                rc0 = rc;
                continue;
            }
            if (rc != rc0 || strcmp(got, first) != 0) {
                print_error("chunk %zu window %zu:\n got  %s\n want %s\n", chunks[c],
                            windows[w], got, first);
                fail();
            }
            free(got);
        }
    }
    *rc_out = rc0;
    return first;
}

static void expect_tokens(const char *doc, const char *want)
{
    ct_status rc;
    char *got = tokenize_all_ways(doc, strlen(doc), &rc);
    if (rc != CT_OK)
        print_error("%s\n", got);
    assert_int_equal(rc, CT_OK);
    assert_string_equal(got, want);
    free(got);
}

static void expect_error(const char *doc, size_t len, const char *want_prefix)
{
    ct_status rc;
    char *got = tokenize_all_ways(doc, len, &rc);
    assert_int_equal(rc, CT_EPARSE);
    if (strncmp(got, want_prefix, strlen(want_prefix)) != 0) {
        print_error("doc %s\n got  %s\n want %s...\n", doc, got, want_prefix);
        fail();
    }
    free(got);
}

static void test_token_types(void **state)
{
    (void)state;
    expect_tokens("{\"a\": [1, -2.5e+3, \"x\", true, false, null, {}, []]}",
                  "{@0/0:{ K@1/1:a [@6/1:[ N@7/2:1 N@10/2:-2.5e+3 S@19/2:x T@24/2:true "
                  "F@30/2:false Z@37/2:null {@43/2:{ }@44/2:} [@47/2:[ ]@48/2:] ]@49/1:] "
                  "}@50/0:} EOF@51/0: ");
    expect_tokens(" \t\r\n42 \n", "N@4/0:42 EOF@8/0: ");
    expect_tokens("\"\"", "S@0/0: EOF@2/0: ");
    expect_tokens("0", "N@0/0:0 EOF@1/0: ");
    expect_tokens("-0.0E-0", "N@0/0:-0.0E-0 EOF@7/0: ");
    expect_tokens("[1e5,0.25,-7]", "[@0/0:[ N@1/1:1e5 N@5/1:0.25 N@10/1:-7 ]@12/0:] EOF@13/0: ");
    expect_tokens("{\"k\\n\":\"v\\u00e9\\\"\"}",
                  "{@0/0:{ K@1/1e:k\\n S@7/1e:v\\u00e9\\\" }@18/0:} EOF@19/0: ");
    expect_tokens("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
                  "S@0/0:caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 EOF@16/0: ");
    expect_tokens("true", "T@0/0:true EOF@4/0: ");
    expect_tokens("null ", "Z@0/0:null EOF@5/0: ");
}

static void test_vmtrace_shape(void **state)
{
    const char *doc =
        "{\"output\":\"0x\",\"vmTrace\":{\"code\":\"0x6080\",\"ops\":[{\"cost\":3,\"ex\":"
        "{\"mem\":null,\"push\":[\"0x80\"],\"store\":null,\"used\":9997},\"pc\":0,\"sub\":null}]}}";
    ct_status rc;
    char *got;
    (void)state;
    got = tokenize_all_ways(doc, strlen(doc), &rc);
    assert_int_equal(rc, CT_OK);
    assert_non_null(strstr(got, "K@105/5:used N@112/5:9997 }@116/4:} K@118/4:pc N@123/4:0"));
    assert_non_null(strstr(got, "]@136/2:] }@137/1:} }@138/0:} EOF@139/0: "));
    free(got);
}

/* Tokens longer than the window and than any read, split at every refill. */
static void test_long_tokens(void **state)
{
    size_t n = 200000, i;
    char *doc = malloc(n + 64);
    char *want = malloc(n + 128);
    ct_status rc;
    char *got;
    (void)state;
    strcpy(doc, "[\"0x");
    for (i = 4; i < n; i++)
        doc[i] = "0123456789abcdef"[i % 16];
    strcpy(doc + n, "\",123456789012345678901234567890]");
    snprintf(want, n + 128, "[@0/0:[ S@1/1:%.*s N@%zu/1:123456789012345678901234567890 "
             "]@%zu/0:] EOF@%zu/0: ", (int)(n - 2), doc + 2, n + 2, n + 32, n + 33);
    got = tokenize_all_ways(doc, strlen(doc), &rc);
    assert_int_equal(rc, CT_OK);
    assert_string_equal(got, want);
    free(got);
    free(doc);
    free(want);
}

/* The window follows the longest token, not the document size. */
static void test_window_bounded(void **state)
{
    size_t n = 4u << 20, i = 0;
    char *doc = malloc(n + 64);
    ct__input *in;
    ct__json_reader *r;
    ct__json_token t;
    ct_error err = {0};
    uint64_t count = 0;
    (void)state;
    doc[i++] = '[';
    while (i < n) {
        i += (size_t)sprintf(doc + i, "{\"pc\":%zu,\"x\":\"0xabcdef\"},", i);
    }
    strcpy(doc + i - 1, "]");
    assert_int_equal(ct__input_open_memory_chunked(&in, doc, strlen(doc), 4096, NULL, &err),
                     CT_OK);
    assert_int_equal(ct__json_reader_new_window(&r, in, "w", 64, NULL, &err), CT_OK);
    do {
        assert_int_equal(ct__json_next(r, &t, &err), CT_OK);
        count++;
    } while (t.type != CT__JSON_EOF);
    assert_true(count > 100000);
    assert_true(ct__json_window_size(r) <= 64);
    ct__json_reader_free(r);
    ct__input_free(in);
    free(doc);
}

/* One long token grows the window to a small multiple of it, however long the document. */
static void test_window_follows_longest_token(void **state)
{
    size_t big = 100000, n = 8u << 20, i;
    char *doc = malloc(n + big + 64);
    ct__input *in;
    ct__json_reader *r;
    ct__json_token t;
    ct_error err = {0};
    size_t longest = 0;
    (void)state;
    i = (size_t)sprintf(doc, "[\"");
    memset(doc + i, 'a', big);
    i += big;
    i += (size_t)sprintf(doc + i, "\"");
    while (i < n)
        i += (size_t)sprintf(doc + i, ",%zu", i);
    strcpy(doc + i, "]");
    assert_int_equal(ct__input_open_memory(&in, doc, strlen(doc), NULL, &err), CT_OK);
    assert_int_equal(ct__json_reader_new_window(&r, in, "w", 4096, NULL, &err), CT_OK);
    do {
        assert_int_equal(ct__json_next(r, &t, &err), CT_OK);
        if (t.len > longest)
            longest = t.len;
    } while (t.type != CT__JSON_EOF);
    assert_int_equal(longest, big);
    assert_true(ct__json_window_size(r) >= big);
    assert_true(ct__json_window_size(r) <= 3 * big);
    ct__json_reader_free(r);
    ct__input_free(in);
    free(doc);
}

static void test_malformed(void **state)
{
    (void)state;
    expect_error("", 0, "t.json: byte 0: expected a value, found end of input");
    expect_error("   ", 3, "t.json: byte 3: expected a value, found end of input");
    expect_error("[1,]", 4, "t.json: byte 3: expected a value, found ']'");
    expect_error("{\"a\":1,}", 8, "t.json: byte 7: expected a string key, found '}'");
    expect_error("{\"a\" 1}", 7, "t.json: byte 5: expected ':' after the key, found '1'");
    expect_error("{1:2}", 5, "t.json: byte 1: expected a string key or '}', found '1'");
    expect_error("[1 2]", 5, "t.json: byte 3: expected ',' or ']' after an array element, "
                             "found '2'");
    expect_error("{\"a\":1]", 7, "t.json: byte 6: expected ',' or '}' after an object member, "
                                 "found ']'");
    expect_error("[1", 2, "t.json: byte 2: expected ',' or ']' after an array element, "
                          "found end of input");
    expect_error("1 2", 3, "t.json: byte 2: expected end of input after the top-level value, "
                           "found '2'");
    expect_error("01", 2, "t.json: byte 1: leading zeros are not allowed in a number");
    expect_error("-", 1, "t.json: byte 1: expected a digit after '-', found end of input");
    expect_error("-x", 2, "t.json: byte 1: expected a digit after '-', found 'x'");
    expect_error("1.", 2, "t.json: byte 2: expected a digit after the decimal point");
    expect_error("1.e3", 4, "t.json: byte 2: expected a digit after the decimal point");
    expect_error("1e+", 3, "t.json: byte 3: expected a digit in the exponent");
    expect_error("+1", 2, "t.json: byte 0: expected a value, found '+'");
    expect_error(".5", 2, "t.json: byte 0: expected a value, found '.'");
    expect_error("[tru]", 5, "t.json: byte 4: expected 'true', found ']'");
    expect_error("nul", 3, "t.json: byte 3: expected 'null', found end of input");
    expect_error("fals", 4, "t.json: byte 4: expected 'false', found end of input");
    expect_error("trueX", 5, "t.json: byte 4: expected end of input after the top-level value");
    expect_error("\"abc", 4, "t.json: byte 4: expected '\"' to close the string, found end of "
                             "input");
    expect_error("\"a\tb\"", 5, "t.json: byte 2: expected '\"' to close the string (control "
                                "characters must be escaped), found byte 0x09");
    expect_error("\"a\\x\"", 5, "t.json: byte 3: expected one of \" \\ / b f n r t u after "
                                "'\\', found 'x'");
    expect_error("\"\\u12g4\"", 8, "t.json: byte 5: expected 4 hex digits after '\\u', "
                                   "found 'g'");
    expect_error("\"\\u12", 5, "t.json: byte 5: expected 4 hex digits after '\\u', found end");
    expect_error("\"\\", 2, "t.json: byte 2: expected an escape character, found end of input");
    expect_error("\"\xc3(\"", 4, "t.json: byte 1: invalid UTF-8 in string, found byte 0xc3");
    expect_error("\"\xc0\xaf\"", 4, "t.json: byte 1: invalid UTF-8 in string");   /* overlong */
    expect_error("\"\xed\xa0\x80\"", 5, "t.json: byte 1: invalid UTF-8 in string"); /* D800 */
    expect_error("\"\xf4\x90\x80\x80\"", 6, "t.json: byte 1: invalid UTF-8 in string");
    expect_error("\"\xe2\x82\"", 4, "t.json: byte 1: invalid UTF-8 in string");
    expect_error("\"\xe2\x82", 3, "t.json: byte 1: invalid UTF-8 in string");
    expect_error("\xef\xbb\xbf{}", 5, "t.json: byte 0: expected a value, found byte 0xef");
    expect_error("{\"a\":1}}", 8, "t.json: byte 7: expected end of input after the top-level");
    expect_error("[1]\0", 4, "t.json: byte 3: expected end of input after the top-level value, "
                             "found byte 0x00");
    expect_error("{\"a\":1,\"b\"}", 11, "t.json: byte 10: expected ':' after the key, found '}'");
    expect_error("[\"a\":1]", 7, "t.json: byte 4: expected ',' or ']' after an array element, "
                                 "found ':'");
    expect_error("NaN", 3, "t.json: byte 0: expected a value, found 'N'");
    expect_error("[,1]", 4, "t.json: byte 1: expected a value or ']', found ','");
    expect_error("{", 1, "t.json: byte 1: expected a string key or '}', found end of input");
    expect_error("{\"a\"", 4, "t.json: byte 4: expected ':' after the key, found end of input");
    expect_error("[\"a\",\n  ,1]", 11, "t.json: byte 8: expected a value, found ','");
}

static void test_error_is_sticky_and_offset(void **state)
{
    const char *doc = "[1,,2]";
    ct__input *in;
    ct__json_reader *r;
    ct__json_token t;
    ct_error err = {0}, err2 = {0};
    (void)state;
    assert_int_equal(ct__input_open_memory(&in, doc, strlen(doc), NULL, &err), CT_OK);
    assert_int_equal(ct__json_reader_new(&r, in, "s", NULL, &err), CT_OK);
    assert_int_equal(ct__json_next(r, &t, &err), CT_OK);
    assert_int_equal(ct__json_next(r, &t, &err), CT_OK);
    assert_int_equal(ct__json_next(r, &t, &err), CT_EPARSE);
    assert_int_equal(err.offset, 3);
    assert_int_equal(ct__json_next(r, &t, &err2), CT_EPARSE);
    assert_string_equal(err.message, err2.message);
    assert_int_equal(ct__json_next(r, &t, NULL), CT_EPARSE);
    ct__json_reader_free(r);
    ct__input_free(in);
}

/* peek and capture report the sticky error too; the offset follows the tokens. */
static void test_peek_error_and_offset(void **state)
{
    const char *doc = "[1, 22,,]";
    ct__input *in;
    ct__json_reader *r;
    ct__json_token t;
    ct__json_tok type;
    ct_error err = {0}, again = {0};
    const char *data;
    size_t len;
    (void)state;
    assert_int_equal(ct__input_open_memory(&in, doc, strlen(doc), NULL, &err), CT_OK);
    assert_int_equal(ct__json_reader_new(&r, in, "p", NULL, &err), CT_OK);
    assert_int_equal(ct__json_offset(r), 0);
    assert_int_equal(ct__json_next(r, &t, &err), CT_OK);
    assert_int_equal(ct__json_next(r, &t, &err), CT_OK);
    assert_int_equal(ct__json_offset(r), 3); /* after "1," */
    assert_int_equal(ct__json_next(r, &t, &err), CT_OK);
    assert_int_equal(t.offset, 4);
    assert_int_equal(ct__json_peek(r, &type, &err), CT_EPARSE);
    assert_string_equal(err.message, "p: byte 7: expected a value, found ','");
    assert_int_equal(ct__json_peek(r, &type, &again), CT_EPARSE);
    assert_string_equal(again.message, err.message);
    assert_int_equal(ct__json_capture(r, &t, &data, &len, &again), CT_EPARSE);
    assert_int_equal(ct__json_next(r, &t, &again), CT_EPARSE);
    assert_string_equal(again.message, err.message);
    ct__json_reader_free(r);
    ct__input_free(in);
}

static char *nested(size_t depth, const char *open, const char *close)
{
    size_t lo = strlen(open), lc = strlen(close), i;
    char *s = malloc(depth * (lo + lc) + 1);
    for (i = 0; i < depth; i++)
        memcpy(s + i * lo, open, lo);
    for (i = 0; i < depth; i++)
        memcpy(s + depth * lo + i * lc, close, lc);
    s[depth * (lo + lc)] = '\0';
    return s;
}

static void test_nesting_limit(void **state)
{
    char *ok = nested(CT__JSON_MAX_DEPTH, "[", "]");
    char *deep = nested(CT__JSON_MAX_DEPTH + 1, "{\"a\":", "}");
    char *huge = nested(1000000, "[", "");
    char msg[128], *got;
    ct_error err = {0};
    (void)state;
    assert_int_equal(tokenize(ok, strlen(ok), 0, 0, &got, &err), CT_OK);
    free(got);
    snprintf(msg, sizeof msg, "t.json: byte %d: nesting deeper than %d levels",
             CT__JSON_MAX_DEPTH * 5, CT__JSON_MAX_DEPTH);
    expect_error(deep, strlen(deep), msg);
    assert_int_equal(tokenize(huge, strlen(huge), 0, 0, &got, &err), CT_EPARSE);
    assert_non_null(strstr(got, "byte 1024: nesting deeper than 1024 levels"));
    free(got);
    free(ok);
    free(deep);
    free(huge);
}

static ct__json_reader *open_doc(const char *doc, size_t chunk, size_t window, ct__input **in)
{
    ct__json_reader *r;
    assert_int_equal(ct__input_open_memory_chunked(in, doc, strlen(doc), chunk, NULL, NULL),
                     CT_OK);
    assert_int_equal(ct__json_reader_new_window(&r, *in, "t.json", window, NULL, NULL), CT_OK);
    return r;
}

/* Every token of `doc` with the nesting limit set to `limit`; the last status. */
static ct_status read_with_limit(const char *doc, uint32_t limit, ct_error *err)
{
    ct__input *in;
    ct__json_reader *r = open_doc(doc, 0, 0, &in);
    ct__json_token t;
    ct_status rc;
    assert_status(ct__json_reader_set_max_depth(r, limit, err), CT_OK, *err);
    do {
        rc = ct__json_next(r, &t, err);
    } while (rc == CT_OK && t.type != CT__JSON_EOF);
    ct__json_reader_free(r);
    ct__input_free(in);
    return rc;
}

static void test_nesting_option(void **state)
{
    char *ok = nested(3000, "[", "]"), *deep = nested(3001, "[", "]");
    ct__input *in;
    ct__json_reader *r;
    ct_error err;
    (void)state;
    assert_status(read_with_limit(ok, 3000, &err), CT_OK, err);
    assert_status(read_with_limit(deep, 3000, &err), CT_EPARSE, err);
    assert_string_equal(err.message, "t.json: byte 3000: nesting deeper than 3000 levels; "
                                     "expected a scalar value, found '['");
    assert_status(read_with_limit("[[1]]", 1, &err), CT_EPARSE, err);
    assert_string_equal(err.message, "t.json: byte 1: nesting deeper than 1 levels; expected a "
                                     "scalar value, found '['");
    r = open_doc("[]", 0, 0, &in);
    assert_int_equal(ct__json_reader_set_max_depth(r, 0, &err), CT_EINVAL);
    assert_int_equal(ct__json_reader_set_max_depth(r, CT__JSON_DEPTH_CEILING + 1, &err),
                     CT_EINVAL);
    ct__json_reader_free(r);
    ct__input_free(in);
    free(ok);
    free(deep);
}

/* A caller-parsed value is taken whole; the reader goes on after it as after its tokens. */
static void test_raw_value(void **state)
{
    ct__input *in;
    ct__json_reader *r = open_doc("[ {\"a\":[1]},2]", 0, 0, &in);
    ct__json_token t;
    const unsigned char *data;
    size_t avail;
    uint64_t off;
    ct_error err;
    (void)state;
    /* nothing read yet: the window is empty, so the reader must decide */
    assert_false(ct__json_raw_value(r, 2, &data, &avail, &off));
    assert_status(ct__json_next(r, &t, &err), CT_OK, err);
    assert_int_equal(t.type, CT__JSON_ARRAY_BEGIN);
    assert_false(ct__json_raw_value(r, CT__JSON_MAX_DEPTH, &data, &avail, &off));
    assert_true(ct__json_raw_value(r, 2, &data, &avail, &off));
    assert_int_equal(off, 2);
    assert_int_equal(avail, 12);
    assert_memory_equal(data, "{\"a\":[1]}", 9);
    assert_int_equal(data[avail], '"');   /* the sentinel */
    ct__json_raw_consume(r, 9);
    assert_int_equal(ct__json_offset(r), 12);   /* the ',' went with the value */
    assert_status(ct__json_next(r, &t, &err), CT_OK, err);
    assert_int_equal(t.type, CT__JSON_NUMBER);
    assert_int_equal(t.offset, 12);
    assert_int_equal(t.depth, 1);
    assert_status(ct__json_next(r, &t, &err), CT_OK, err);
    assert_int_equal(t.type, CT__JSON_ARRAY_END);
    assert_false(ct__json_raw_value(r, 0, &data, &avail, &off));   /* no value may follow */
    assert_status(ct__json_next(r, &t, &err), CT_OK, err);
    assert_int_equal(t.type, CT__JSON_EOF);
    ct__json_reader_free(r);
    ct__input_free(in);
}

static void test_skip_and_peek(void **state)
{
    const char *doc = "{\"skip\":{\"a\":[1,{\"b\":[]}],\"c\":\"x\"},\"keep\":[true],\"s\":5}";
    size_t c;
    (void)state;
    for (c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        ct__input *in;
        ct__json_reader *r = open_doc(doc, chunks[c], 16, &in);
        ct__json_token t;
        ct__json_tok type;
        assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);   /* { */
        assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);   /* "skip" */
        assert_int_equal(ct__json_peek(r, &type, NULL), CT_OK);
        assert_int_equal(type, CT__JSON_OBJECT_BEGIN);
        assert_int_equal(ct__json_peek(r, &type, NULL), CT_OK);
        assert_int_equal(type, CT__JSON_OBJECT_BEGIN);
        assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
        assert_int_equal(t.type, CT__JSON_OBJECT_BEGIN);
        assert_int_equal(ct__json_skip(r, &t, NULL), CT_OK);
        assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
        assert_int_equal(t.type, CT__JSON_KEY);
        assert_int_equal(t.offset, 35);
        assert_memory_equal(t.text, "keep", 4);
        assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
        assert_int_equal(ct__json_skip(r, &t, NULL), CT_OK);
        assert_int_equal(ct__json_next(r, &t, NULL), CT_OK); /* "s" */
        assert_int_equal(ct__json_next(r, &t, NULL), CT_OK); /* 5 */
        assert_int_equal(ct__json_skip(r, &t, NULL), CT_OK); /* scalar: no-op */
        assert_int_equal(ct__json_peek(r, &type, NULL), CT_OK);
        assert_int_equal(type, CT__JSON_OBJECT_END);
        assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
        assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
        assert_int_equal(t.type, CT__JSON_EOF);
        assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
        assert_int_equal(t.type, CT__JSON_EOF);
        ct__json_reader_free(r);
        ct__input_free(in);
    }
}

static void test_skip_validates(void **state)
{
    ct__input *in;
    ct__json_reader *r = open_doc("[{\"a\":[1,2,]}]", 0, 0, &in);
    ct__json_token t;
    ct_error err = {0};
    (void)state;
    assert_int_equal(ct__json_next(r, &t, &err), CT_OK);
    assert_int_equal(ct__json_next(r, &t, &err), CT_OK);
    assert_int_equal(ct__json_skip(r, &t, &err), CT_EPARSE);
    assert_string_equal(err.message, "t.json: byte 11: expected a value, found ']'");
    ct__json_reader_free(r);
    ct__input_free(in);
}

static void test_capture(void **state)
{
    const char *doc = "[ {\"e\": [1, 2],\n \"s\": \"x\"} , \"str\\n\", 12.5, {\"z\":null}]";
    size_t c, w;
    (void)state;
    for (c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        for (w = 0; w < sizeof windows / sizeof *windows; w++) {
            ct__input *in;
            ct__json_reader *r = open_doc(doc, chunks[c], windows[w], &in);
            ct__json_token t;
            ct__json_tok type;
            const char *data;
            size_t len;
            assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
            assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
            assert_int_equal(ct__json_capture(r, &t, &data, &len, NULL), CT_OK);
            assert_int_equal(len, 24);
            assert_memory_equal(data, "{\"e\": [1, 2],\n \"s\": \"x\"}", len);
            assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
            assert_int_equal(ct__json_capture(r, &t, &data, &len, NULL), CT_OK);
            assert_int_equal(len, 7);
            assert_memory_equal(data, "\"str\\n\"", len);
            assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
            assert_int_equal(ct__json_peek(r, &type, NULL), CT_OK); /* capture after peek */
            assert_int_equal(ct__json_capture(r, &t, &data, &len, NULL), CT_OK);
            assert_int_equal(len, 4);
            assert_memory_equal(data, "12.5", len);
            assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
            assert_int_equal(ct__json_peek(r, &type, NULL), CT_OK);
            assert_int_equal(type, CT__JSON_KEY);
            assert_int_equal(ct__json_capture(r, &t, &data, &len, NULL), CT_OK);
            assert_memory_equal(data, "{\"z\":null}", len);
            assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
            assert_int_equal(t.type, CT__JSON_ARRAY_END);
            assert_int_equal(ct__json_capture(r, &t, &data, &len, NULL), CT_EINVAL);
            t.type = CT__JSON_NUMBER; /* not the token just returned */
            t.offset--;
            assert_int_equal(ct__json_capture(r, &t, &data, &len, NULL), CT_EINVAL);
            ct__json_reader_free(r);
            ct__input_free(in);
        }
    }
}

static void expect_unescape(const char *doc, const char *want, long want_len)
{
    ct__input *in;
    ct__json_reader *r = open_doc(doc, 0, 0, &in);
    ct__json_token t;
    char out[64];
    assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
    assert_int_equal(ct__json_unescape(&t, out, sizeof out), want_len);
    if (want_len >= 0)
        assert_memory_equal(out, want, (size_t)want_len);
    ct__json_reader_free(r);
    ct__input_free(in);
}

static void test_unescape(void **state)
{
    (void)state;
    expect_unescape("\"plain\"", "plain", 5);
    expect_unescape("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8);
    expect_unescape("\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac", 6);
    expect_unescape("\"\\ud83d\\ude00!\"", "\xf0\x9f\x98\x80!", 5);
    expect_unescape("\"a\\u0000b\"", "a\0b", 3);
    expect_unescape("\"\\ud83d\"", NULL, -1);        /* lone high surrogate */
    expect_unescape("\"\\ud83dx\"", NULL, -1);
    expect_unescape("\"\\ud83d\\u0041\"", NULL, -1); /* high + non-low */
    expect_unescape("\"\\ude00\"", NULL, -1);        /* lone low surrogate */
    expect_unescape("\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf", 4);
}

/* Tokens the reader would never produce still get -1, never a read past the text. */
static void test_unescape_malformed(void **state)
{
    static const char *const bad[] = {"\\", "\\x", "\\u12", "\\u12zz", "\\ud83d\\u12",
                                      "\\ud83d\\n12345"};
    char out[16];
    size_t k;
    (void)state;
    for (k = 0; k < sizeof bad / sizeof *bad; k++) {
        ct__json_token t = {CT__JSON_STRING, bad[k], strlen(bad[k]), true, 0, 0};
        assert_int_equal(ct__json_unescape(&t, out, sizeof out), -1);
    }
}

static void test_unescape_capacity(void **state)
{
    ct__input *in;
    ct__json_reader *r = open_doc("\"ab\\u00e9\"", 0, 0, &in);
    ct__json_token t;
    char out[8];
    (void)state;
    assert_int_equal(ct__json_next(r, &t, NULL), CT_OK);
    assert_int_equal(ct__json_unescape(&t, out, 4), 4);
    assert_int_equal(ct__json_unescape(&t, out, 3), -1);
    assert_int_equal(ct__json_unescape(&t, out, 1), -1);
    ct__json_reader_free(r);
    ct__input_free(in);
}

static void test_gzip_document(void **state)
{
    const char *doc = "{\"ops\":[{\"pc\":0,\"x\":\"0x00\"},{\"pc\":1,\"x\":\"0x\"}]}";
    size_t glen, c;
    unsigned char *gz = ct_test_gzip(doc, strlen(doc), &glen);
    char *plain, *zipped;
    ct_status rc;
    (void)state;
    plain = tokenize_all_ways(doc, strlen(doc), &rc);
    assert_int_equal(rc, CT_OK);
    for (c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        ct_error err = {0};
        assert_int_equal(tokenize((const char *)gz, glen, chunks[c], 16, &zipped, &err), CT_OK);
        assert_string_equal(zipped, plain);
        free(zipped);
    }
    /* Truncated: the tokenizer reports the decoder's message. */
    {
        ct_error err = {0};
        assert_int_equal(tokenize((const char *)gz, glen - 4, 1, 16, &zipped, &err),
                         CT_EPARSE);
        assert_non_null(strstr(zipped, "<memory>: compressed byte "));
        assert_non_null(strstr(zipped, "truncated gzip stream"));
        free(zipped);
    }
    free(plain);
    free(gz);
}

/* Every allocation of the reader can fail cleanly; nothing leaks. */
static void test_alloc_failures(void **state)
{
    const char *doc = "{\"a\":[\"0123456789abcdef0123456789abcdef\",1,2,3]}";
    uint64_t fail_at;
    (void)state;
    for (fail_at = 1; fail_at < 20; fail_at++) {
        ct_test_alloc ta;
        ct__input *in = NULL;
        ct__json_reader *r = NULL;
        ct__json_token t;
        ct_error err = {0};
        ct_status rc;
        ct_test_alloc_init(&ta, fail_at);
        rc = ct__input_open_memory(&in, doc, strlen(doc), &ta.allocator, &err);
        if (rc == CT_OK)
            rc = ct__json_reader_new_window(&r, in, "t.json", 16, &ta.allocator, &err);
        while (rc == CT_OK) {
            rc = ct__json_next(r, &t, &err);
            if (rc == CT_OK && t.type == CT__JSON_EOF)
                break;
        }
        assert_true(rc == CT_OK || rc == CT_ENOMEM);
        ct__json_reader_free(r);
        ct__input_free(in);
        assert_int_equal(ta.live_bytes, 0);
        assert_int_equal(ta.live_blocks, 0);
        if (rc == CT_OK && ta.calls < fail_at)
            break;
    }
    assert_true(fail_at > 3);
}

/* ---- real documents, checked against cJSON as an independent parser ---------------------- */

typedef struct flat {
    ct__json_tok *type;
    const char **text; /* KEY/STRING: cJSON's decoded string */
    size_t len, cap;
} flat;

static void flat_push(flat *f, ct__json_tok type, const char *text)
{
    if (f->len == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 1024;
        f->type = realloc(f->type, f->cap * sizeof *f->type);
        f->text = realloc(f->text, f->cap * sizeof *f->text);
        assert_true(f->type && f->text);
    }
    f->type[f->len] = type;
    f->text[f->len++] = text;
}

static void flatten(const cJSON *n, flat *f)
{
    const cJSON *c;
    if (cJSON_IsObject(n) || cJSON_IsArray(n)) {
        bool obj = cJSON_IsObject(n);
        flat_push(f, obj ? CT__JSON_OBJECT_BEGIN : CT__JSON_ARRAY_BEGIN, NULL);
        for (c = n->child; c; c = c->next) {
            if (obj)
                flat_push(f, CT__JSON_KEY, c->string);
            flatten(c, f);
        }
        flat_push(f, obj ? CT__JSON_OBJECT_END : CT__JSON_ARRAY_END, NULL);
    } else if (cJSON_IsString(n)) {
        flat_push(f, CT__JSON_STRING, n->valuestring);
    } else if (cJSON_IsNumber(n)) {
        flat_push(f, CT__JSON_NUMBER, NULL);
    } else {
        flat_push(f, cJSON_IsTrue(n) ? CT__JSON_TRUE : cJSON_IsFalse(n) ? CT__JSON_FALSE
                                                                         : CT__JSON_NULL, NULL);
    }
}

/* The reader's tokens (decoded) equal cJSON's tree walked in order. Returns tokens seen. */
static size_t compare_with_cjson(const char *path)
{
    size_t len, k = 0;
    char *doc = ct_test_read_file(path, &len);
    cJSON *tree = cJSON_ParseWithLength(doc, len);
    flat f = {0};
    ct__input *in;
    ct__json_reader *r;
    ct__json_token t;
    ct_error err = {0};
    char *buf = NULL;
    assert_non_null(tree);
    flatten(tree, &f);
    assert_int_equal(ct__input_open_file(&in, path, NULL, &err), CT_OK);
    assert_int_equal(ct__json_reader_new_window(&r, in, path, 4096, NULL, &err), CT_OK);
    for (;;) {
        if (ct__json_next(r, &t, &err) != CT_OK)
            fail_msg("%s", err.message);
        if (t.type == CT__JSON_EOF)
            break;
        assert_true(k < f.len);
        assert_int_equal(t.type, f.type[k]);
        if (t.type == CT__JSON_KEY || t.type == CT__JSON_STRING) {
            long n;
            buf = realloc(buf, t.len + 1);
            n = ct__json_unescape(&t, buf, t.len + 1);
            assert_int_equal(n, (long)strlen(f.text[k]));
            assert_memory_equal(buf, f.text[k], (size_t)n);
        }
        k++;
    }
    assert_int_equal(k, f.len);
    ct__json_reader_free(r);
    ct__input_free(in);
    cJSON_Delete(tree);
    free(f.type);
    free(f.text);
    free(buf);
    free(doc);
    return k;
}

static void walk_json_files(const char *dir, size_t *files, size_t *tokens)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk_json_files(path, files, tokens);
        } else if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0) {
            *tokens += compare_with_cjson(path);
            (*files)++;
        }
    }
    closedir(d);
}

static void test_real_documents(void **state)
{
    static const char *const dirs[] = {"upstream-vmtrace", "upstream-traces"};
    size_t files = 0, tokens = 0, k;
    (void)state;
    for (k = 0; k < sizeof dirs / sizeof *dirs; k++) {
        char *dir = ct_test_shared(dirs[k]);
        if (!dir)
            skip();
        walk_json_files(dir, &files, &tokens);
        free(dir);
    }
    print_message("%zu real JSON files, %zu tokens, all equal to cJSON's reading\n", files,
                  tokens);
    assert_true(files > 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_types),
        cmocka_unit_test(test_vmtrace_shape),
        cmocka_unit_test(test_long_tokens),
        cmocka_unit_test(test_window_bounded),
        cmocka_unit_test(test_window_follows_longest_token),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_error_is_sticky_and_offset),
        cmocka_unit_test(test_peek_error_and_offset),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_nesting_option),
        cmocka_unit_test(test_raw_value),
        cmocka_unit_test(test_skip_and_peek),
        cmocka_unit_test(test_skip_validates),
        cmocka_unit_test(test_capture),
        cmocka_unit_test(test_unescape),
        cmocka_unit_test(test_unescape_capacity),
        cmocka_unit_test(test_unescape_malformed),
        cmocka_unit_test(test_gzip_document),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_real_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
