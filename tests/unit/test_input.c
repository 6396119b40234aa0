/*
 * The byte source: real files (plain, gzip, concatenated gzip members, truncated and corrupt
 * gzip, empty and one-byte files, a directory as a read error, a missing file) and memory,
 * read with every chunk limit so the reassembled bytes are checked at every boundary.
 */
#include "ct_test.h"

#include "util/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Everything an input yields, read `cap` bytes at a time; returns the status. */
static ct_status drain(ct__input *in, size_t cap, char **data, size_t *len, ct_error *err)
{
    size_t have = 0, n, room = 4096;
    char *buf = malloc(room);
    char *tmp = malloc(cap);
    ct_status rc;
    for (;;) {
        rc = ct__input_read(in, tmp, cap, &n, err);
        if (rc < 0 || n == 0)
            break;
        assert_true(n <= cap);
        if (have + n > room) {
            room = (have + n) * 2;
            buf = realloc(buf, room);
            assert_non_null(buf);
        }
        memcpy(buf + have, tmp, n);
        have += n;
    }
    free(tmp);
    *data = buf;
    *len = have;
    return rc;
}

static char *sample_text(size_t n)
{
    char *s = malloc(n + 1);
    size_t i;
    for (i = 0; i < n; i++)
        s[i] = "{\"pc\":1,\"code\":\"0x6080604052\"}\n"[i % 31] ^ (char)((i / 997) & 1);
    s[n] = '\0';
    return s;
}

static void expect_memory_roundtrip(const void *src, size_t len, const char *want, size_t wlen,
                                    bool gzip)
{
    static const size_t chunk[] = {0, 1, 2, 3, 17, 4096};
    static const size_t caps[] = {1, 5, 65536};
    size_t c, k;
    for (c = 0; c < sizeof chunk / sizeof *chunk; c++) {
        for (k = 0; k < sizeof caps / sizeof *caps; k++) {
            ct__input *in;
            ct_error err = {0};
            char *got;
            size_t glen;
            assert_int_equal(ct__input_open_memory_chunked(&in, src, len, chunk[c], NULL, &err),
                             CT_OK);
            assert_int_equal(ct__input_is_gzip(in), gzip);
            assert_string_equal(ct__input_name(in), "<memory>");
            assert_int_equal(drain(in, caps[k], &got, &glen, &err), CT_OK);
            assert_int_equal(glen, wlen);
            assert_memory_equal(got, want, wlen);
            free(got);
            ct__input_free(in);
        }
    }
}

static void test_memory_plain_and_gzip(void **state)
{
    size_t n = 70000, glen;
    char *text = sample_text(n);
    unsigned char *gz = ct_test_gzip(text, n, &glen);
    (void)state;
    expect_memory_roundtrip(text, n, text, n, false);
    expect_memory_roundtrip(gz, glen, text, n, true);
    expect_memory_roundtrip("", 0, "", 0, false);
    expect_memory_roundtrip("\x1f", 1, "\x1f", 1, false);
    free(gz);
    free(text);
}

static void test_concatenated_members(void **state)
{
    const char *a = "[1,2,", *b = "3,4]";
    size_t la, lb;
    unsigned char *ga = ct_test_gzip(a, strlen(a), &la);
    unsigned char *gb = ct_test_gzip(b, strlen(b), &lb);
    unsigned char *g0 = NULL;
    size_t l0;
    unsigned char *cat = malloc(la + lb + 64);
    (void)state;
    g0 = ct_test_gzip("", 0, &l0); /* an empty member in the middle is legal too */
    memcpy(cat, ga, la);
    memcpy(cat + la, g0, l0);
    memcpy(cat + la + l0, gb, lb);
    expect_memory_roundtrip(cat, la + l0 + lb, "[1,2,3,4]", 9, true);
    free(ga);
    free(gb);
    free(g0);
    free(cat);
}

static ct_status read_all_memory(const void *src, size_t len, size_t chunk, char **msg,
                                 ct_error *err)
{
    ct__input *in;
    char *got;
    size_t glen;
    ct_status rc;
    assert_int_equal(ct__input_open_memory_chunked(&in, src, len, chunk, NULL, err), CT_OK);
    rc = drain(in, 4096, &got, &glen, err);
    free(got);
    ct__input_free(in);
    *msg = err->message;
    return rc;
}

static void test_truncated_and_corrupt_gzip(void **state)
{
    size_t n = 5000, glen, cut;
    char *text = sample_text(n);
    unsigned char *gz = ct_test_gzip(text, n, &glen);
    char *msg;
    (void)state;
    /* Every truncation point past the magic is an error, never a silent short read. */
    for (cut = 2; cut < glen; cut++) {
        ct_error err = {0};
        assert_int_equal(read_all_memory(gz, cut, cut % 7, &msg, &err), CT_EPARSE);
        assert_int_equal(strncmp(msg, "<memory>: compressed byte ", 26), 0);
    }
    {
        ct_error err = {0};
        assert_int_equal(read_all_memory(gz, 10, 0, &msg, &err), CT_EPARSE);
        assert_string_equal(msg, "<memory>: compressed byte 10: truncated gzip stream "
                                 "(unexpected end of input)");
        assert_int_equal(err.offset, 10);
    }
    {
        ct_error err = {0};
        gz[glen - 5] ^= 0x40; /* the stored length/CRC no longer match */
        assert_int_equal(read_all_memory(gz, glen, 0, &msg, &err), CT_EPARSE);
        assert_non_null(strstr(msg, "incorrect"));
        gz[glen - 5] ^= 0x40;
    }
    {
        ct_error err = {0};
        unsigned char *junk = malloc(glen + 3);
        memcpy(junk, gz, glen);
        memcpy(junk + glen, "xyz", 3); /* trailing garbage after the member */
        assert_int_equal(read_all_memory(junk, glen + 3, 0, &msg, &err), CT_EPARSE);
        assert_non_null(strstr(msg, "<memory>: compressed byte "));
        free(junk);
    }
    {
        ct_error err = {0};
        gz[3] = 0xe0; /* reserved header flags */
        assert_int_equal(read_all_memory(gz, glen, 0, &msg, &err), CT_EPARSE);
        assert_non_null(strstr(msg, "<memory>: compressed byte "));
    }
    free(gz);
    free(text);
}

static char *write_tmp(const char *dir, const char *name, const void *data, size_t len)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    assert_int_equal(ct_test_write_file(p, data, len), 0);
    return p;
}

static void expect_file(const char *path, const char *want, size_t wlen, bool gzip)
{
    ct__input *in;
    ct_error err = {0};
    char *got;
    size_t glen;
    assert_int_equal(ct__input_open_file(&in, path, NULL, &err), CT_OK);
    assert_int_equal(ct__input_is_gzip(in), gzip);
    assert_string_equal(ct__input_name(in), path);
    assert_int_equal(drain(in, 1 << 20, &got, &glen, &err), CT_OK);
    assert_int_equal(glen, wlen);
    assert_memory_equal(got, want, wlen);
    free(got);
    ct__input_free(in);
}

static void test_files(void **state)
{
    char *dir = ct_test_tmpdir("input");
    size_t n = 3u << 20, glen;
    char *text = sample_text(n);
    unsigned char *gz = ct_test_gzip(text, n, &glen);
    char *plain = write_tmp(dir, "plain.json", text, n);
    char *zipped = write_tmp(dir, "plain.json.gz", gz, glen);
    char *empty = write_tmp(dir, "empty", "", 0);
    char *one = write_tmp(dir, "one", "7", 1);
    char *cut = write_tmp(dir, "cut.gz", gz, glen / 2);
    ct__input *in;
    ct_error err = {0};
    char *got;
    size_t gl;
    (void)state;
    expect_file(plain, text, n, false);
    expect_file(zipped, text, n, true);
    expect_file(empty, "", 0, false);
    expect_file(one, "7", 1, false);
    assert_int_equal(ct__input_open_file(&in, cut, NULL, &err), CT_OK);
    assert_int_equal(drain(in, 65536, &got, &gl, &err), CT_EPARSE);
    assert_int_equal(strncmp(err.message, cut, strlen(cut)), 0);
    assert_non_null(strstr(err.message, "truncated gzip stream"));
    free(got);
    ct__input_free(in);
    free(plain);
    free(zipped);
    free(empty);
    free(one);
    free(cut);
    ct_test_rmrf(dir);
    free(dir);
    free(gz);
    free(text);
}

static void test_open_and_read_errors(void **state)
{
    char *dir = ct_test_tmpdir("input-err");
    char missing[4096];
    ct__input *in = (ct__input *)1;
    ct_error err = {0};
    (void)state;
    snprintf(missing, sizeof missing, "%s/nope.json", dir);
    assert_int_equal(ct__input_open_file(&in, missing, NULL, &err), CT_EIO);
    assert_null(in);
    assert_non_null(strstr(err.message, "nope.json: cannot open: No such file or directory"));
    /* A directory opens but cannot be read: the read error names it with errno text. */
    assert_int_equal(ct__input_open_file(&in, dir, NULL, &err), CT_EIO);
    assert_non_null(strstr(err.message, ": read failed: Is a directory"));
    assert_int_equal(strncmp(err.message, dir, strlen(dir)), 0);
    ct_test_rmrf(dir);
    free(dir);
}

static void test_alloc_failures(void **state)
{
    size_t glen;
    unsigned char *gz = ct_test_gzip("[1,2,3]", 7, &glen);
    uint64_t fail_at;
    (void)state;
    for (fail_at = 1; fail_at < 30; fail_at++) {
        ct_test_alloc ta;
        ct__input *in = NULL;
        ct_error err = {0};
        char buf[64];
        size_t n = 0;
        ct_status rc;
        ct_test_alloc_init(&ta, fail_at);
        rc = ct__input_open_memory(&in, gz, glen, &ta.allocator, &err);
        /* zlib allocates through its own allocator; only our blocks are counted */
        while (rc == CT_OK) {
            rc = ct__input_read(in, buf, sizeof buf, &n, &err);
            if (n == 0)
                break;
        }
        assert_true(rc == CT_OK || rc == CT_ENOMEM);
        ct__input_free(in);
        assert_int_equal(ta.live_bytes, 0);
        if (rc == CT_OK && ta.calls < fail_at)
            break;
    }
    free(gz);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_plain_and_gzip),
        cmocka_unit_test(test_concatenated_members),
        cmocka_unit_test(test_truncated_and_corrupt_gzip),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_open_and_read_errors),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
