/* Sinks: serde_json-compatible escaping, UTF-8 repair, number/hex formatting, atomic files and
 * write errors surfacing at commit. */
#include "ct_test.h"

#include "util/sink.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static ct__sink *mem_sink(void)
{
    ct__sink *s = NULL;
    ct_error err;
    assert_int_equal(ct__sink_open_memory(&s, NULL, &err), CT_OK);
    return s;
}

/* Contents of a memory sink as a NUL-terminated malloc'd string. */
static char *mem_text(const ct__sink *s)
{
    size_t len;
    const char *p = ct__sink_memory(s, &len);
    char *out = malloc(len + 1);
    assert_non_null(out);
    memcpy(out, p, len);
    out[len] = '\0';
    return out;
}

static void expect_json_string(const char *in, size_t len, const char *want)
{
    ct__sink *s = mem_sink();
    char *got;
    ct__sink_json_string(s, in, len);
    got = mem_text(s);
    assert_string_equal(got, want);
    free(got);
    ct__sink_free(s);
}

#define EXPECT_JSON(lit, want) expect_json_string(lit, sizeof(lit) - 1, want)

static void test_escape_table(void **state)
{
    (void)state;
    /* the reference's serde_json example */
    EXPECT_JSON("a\"b\\c\n\x01\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80</",
                "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80</\"");
    EXPECT_JSON("\r\t\b\f", "\"\\r\\t\\b\\f\"");
    EXPECT_JSON("\x1f\x0b\x7f", "\"\\u001f\\u000b\x7f\"");
    EXPECT_JSON("\x1a", "\"\\u001a\"");
    EXPECT_JSON("", "\"\"");
    EXPECT_JSON("plain /path/x.sol", "\"plain /path/x.sol\"");
    /* embedded NUL is data, not the end */
    EXPECT_JSON("a\0b", "\"a\\u0000b\"");
}

static void test_invalid_utf8_replaced(void **state)
{
    (void)state;
    EXPECT_JSON("a\x80z", "\"a\xef\xbf\xbdz\"");
    EXPECT_JSON("\xff", "\"\xef\xbf\xbd\"");
    /* a truncated sequence is one replacement, as in Rust's from_utf8_lossy */
    EXPECT_JSON("\xe2\x82", "\"\xef\xbf\xbd\"");
    EXPECT_JSON("\xe2\x82z", "\"\xef\xbf\xbdz\"");
    EXPECT_JSON("\xf0\x9f\x98", "\"\xef\xbf\xbd\"");
    /* surrogates and overlong forms: each byte is replaced */
    EXPECT_JSON("\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    EXPECT_JSON("\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
    EXPECT_JSON("\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    EXPECT_JSON("\xe0\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    /* largest scalar value passes */
    EXPECT_JSON("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(ct__utf8_valid("", 0));
    assert_true(ct__utf8_valid("abc\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 12));
    assert_true(ct__utf8_valid("\xef\xbf\xbd", 3));
    assert_false(ct__utf8_valid("\x80", 1));
    assert_false(ct__utf8_valid("\xc3", 1));
    assert_false(ct__utf8_valid("\xed\xa0\x80", 3));
    assert_false(ct__utf8_valid("\xc1\xbf", 2));
    assert_false(ct__utf8_valid("\xf5\x80\x80\x80", 4));
    assert_false(ct__utf8_valid("ok\xe2\x82", 4));
    /* length-delimited: bytes after len are not looked at */
    assert_true(ct__utf8_valid("ok\xff", 2));
}

static void test_numbers_and_hex(void **state)
{
    ct__sink *s = mem_sink();
    ct_u256 w;
    char *got;
    (void)state;
    ct__sink_u64(s, 0);
    ct__sink_putc(s, ',');
    ct__sink_u64(s, UINT64_MAX);
    ct__sink_putc(s, ',');
    ct__sink_i64(s, INT64_MIN);
    ct__sink_putc(s, ',');
    ct__sink_i64(s, -7);
    ct__sink_putc(s, ',');
    ct__sink_i64(s, 1234567890);
    ct__sink_putc(s, ',');
    ct__sink_u64(s, 10);
    ct__sink_putc(s, ',');
    ct__sink_hex(s, (const uint8_t *)"\x00\x0a\xff", 3);
    ct__sink_putc(s, ',');
    memset(&w, 0, sizeof w);
    ct__sink_u256_quantity(s, &w);
    ct__sink_putc(s, ',');
    w.bytes[31] = 0x0f;
    w.bytes[30] = 0x01;
    ct__sink_u256_quantity(s, &w);
    ct__sink_putc(s, ',');
    memset(&w, 0xab, sizeof w);
    ct__sink_u256_quantity(s, &w);
    got = mem_text(s);
    assert_string_equal(got, "0,18446744073709551615,-9223372036854775808,-7,1234567890,10,"
                             "0x000aff,0x0,0x10f,0x"
                             "abababababababababababababababababababababababababababababababab");
    assert_int_equal(ct__sink_bytes(s), strlen(got));
    free(got);
    ct__sink_free(s);
}

static void test_file_commit_renames(void **state)
{
    char *dir = ct_test_tmpdir("sink");
    char path[4096];
    ct__sink *s = NULL;
    ct_error err;
    char *big = malloc(200000), *back;
    size_t len, i;
    (void)state;
    for (i = 0; i < 200000; i++)
        big[i] = (char)('a' + i % 26);
    snprintf(path, sizeof path, "%s/out.json", dir);
    assert_int_equal(ct__sink_open_file(&s, path, NULL, &err), CT_OK);
    assert_false(ct_test_exists(path));   /* nothing at the final name before commit */
    assert_int_equal(ct_test_count_entries(dir), 1);
    ct__sink_puts(s, "[");
    ct__sink_write(s, big, 200000);   /* larger than the buffer */
    for (i = 0; i < 100000; i++)
        ct__sink_putc(s, 'z');
    ct__sink_puts(s, "]");
    assert_int_equal(ct__sink_bytes(s), 300002);
    assert_int_equal(ct__sink_commit(s, &err), CT_OK);
    ct__sink_free(s);
    back = ct_test_read_file(path, &len);
    assert_non_null(back);
    assert_int_equal(len, 300002);
    assert_int_equal(back[0], '[');
    assert_memory_equal(back + 1, big, 200000);
    assert_int_equal(back[200001], 'z');
    assert_int_equal(back[300001], ']');
    assert_int_equal(ct_test_count_entries(dir), 1);   /* temp file gone */
    free(back);
    free(big);
    ct_test_rmrf(dir);
    free(dir);
}

static void test_uncommitted_removed(void **state)
{
    char *dir = ct_test_tmpdir("sink");
    char path[4096];
    ct__sink *s = NULL;
    ct_error err;
    (void)state;
    snprintf(path, sizeof path, "%s/out.json", dir);
    assert_int_equal(ct_test_write_file(path, "old", 3), 0);
    assert_int_equal(ct__sink_open_file(&s, path, NULL, &err), CT_OK);
    ct__sink_puts(s, "new contents that are never committed");
    assert_int_equal(ct_test_count_entries(dir), 2);
    ct__sink_free(s);
    assert_int_equal(ct_test_count_entries(dir), 1);
    {
        char *old = ct_test_read_file(path, NULL);
        assert_string_equal(old, "old");   /* an existing file is untouched */
        free(old);
    }
    ct_test_rmrf(dir);
    free(dir);
}

static void test_open_file_errors(void **state)
{
    ct__sink *s = (ct__sink *)1;
    ct_error err;
    (void)state;
    assert_int_equal(ct__sink_open_file(&s, "/nonexistent-dir-ct/x/out.json", NULL, &err),
                     CT_EIO);
    assert_null(s);
    assert_non_null(strstr(err.message, "/nonexistent-dir-ct/x/out.json"));
    assert_int_equal(ct__sink_open_file(&s, "", NULL, &err), CT_EINVAL);
    assert_int_equal(ct__sink_open_fd(&s, -1, "x", NULL, &err), CT_EINVAL);
}

static void test_dev_full_error_at_commit(void **state)
{
    int fd = open("/dev/full", O_WRONLY);
    ct__sink *s = NULL;
    ct_error err;
    int i;
    (void)state;
    if (fd < 0)
        skip();
    assert_int_equal(ct__sink_open_fd(&s, fd, "/dev/full", NULL, &err), CT_OK);
    for (i = 0; i < 100000; i++)
        ct__sink_puts(s, "0123456789");
    assert_int_equal(ct__sink_status(s, &err), CT_EIO);   /* the buffer has been flushed */
    ct__sink_puts(s, "more");                              /* sticky: a no-op */
    assert_int_equal(ct__sink_commit(s, &err), CT_EIO);
    assert_int_equal(err.code, CT_EIO);
    assert_non_null(strstr(err.message, "/dev/full"));
    ct__sink_free(s);
    close(fd);
}

static void test_small_dev_full_error_at_commit(void **state)
{
    int fd = open("/dev/full", O_WRONLY);
    ct__sink *s = NULL;
    ct_error err;
    (void)state;
    if (fd < 0)
        skip();
    assert_int_equal(ct__sink_open_fd(&s, fd, "/dev/full", NULL, &err), CT_OK);
    ct__sink_puts(s, "tiny");
    assert_int_equal(ct__sink_status(s, &err), CT_OK);   /* still buffered */
    assert_int_equal(ct__sink_commit(s, &err), CT_EIO);
    ct__sink_free(s);
    close(fd);
}

static void test_file_size_limit_error(void **state)
{
    char *dir = ct_test_tmpdir("sink");
    char path[4096];
    ct__sink *s = NULL;
    ct_error err;
    struct rlimit old, lim;
    void (*old_handler)(int);
    int i;
    (void)state;
    snprintf(path, sizeof path, "%s/out.json", dir);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 100000;
    old_handler = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(ct__sink_open_file(&s, path, NULL, &err), CT_OK);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    for (i = 0; i < 50000; i++)
        ct__sink_puts(s, "0123456789");
    assert_int_equal(ct__sink_commit(s, &err), CT_EIO);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_handler);
    assert_non_null(strstr(err.message, "write failed"));
    ct__sink_free(s);
    assert_false(ct_test_exists(path));
    assert_int_equal(ct_test_count_entries(dir), 0);
    ct_test_rmrf(dir);
    free(dir);
}

static void test_memory_growth_and_oom(void **state)
{
    ct_test_alloc t;
    ct__sink *s = NULL;
    ct_error err;
    size_t len, i;
    const char *p;
    (void)state;
    ct_test_alloc_init(&t, 0);
    assert_int_equal(ct__sink_open_memory(&s, &t.allocator, &err), CT_OK);
    for (i = 0; i < 10000; i++)
        ct__sink_puts(s, "abcdefgh");
    p = ct__sink_memory(s, &len);
    assert_int_equal(len, 80000);
    assert_memory_equal(p + 79992, "abcdefgh", 8);
    ct__sink_free(s);
    assert_int_equal(t.live_bytes, 0);

    /* fail every allocation in turn: open fails cleanly or a later write turns sticky */
    for (i = 1; i < 40; i++) {
        ct_status rc;
        size_t k;
        ct_test_alloc_init(&t, i);
        s = NULL;
        rc = ct__sink_open_memory(&s, &t.allocator, &err);
        if (rc == CT_OK) {
            for (k = 0; k < 10000; k++)
                ct__sink_puts(s, "abcdefgh");
            rc = ct__sink_commit(s, &err);
            assert_true(rc == CT_OK || rc == CT_ENOMEM);
            if (t.calls >= i)
                assert_int_equal(rc, CT_ENOMEM);
            ct__sink_free(s);
        } else {
            assert_int_equal(rc, CT_ENOMEM);
            assert_null(s);
        }
        assert_int_equal(t.live_bytes, 0);
    }
}

static void test_file_open_oom(void **state)
{
    char *dir = ct_test_tmpdir("sink");
    char path[4096];
    uint64_t i;
    (void)state;
    snprintf(path, sizeof path, "%s/out.json", dir);
    for (i = 1;; i++) {
        ct_test_alloc t;
        ct__sink *s = NULL;
        ct_error err;
        ct_status rc;
        ct_test_alloc_init(&t, i);
        rc = ct__sink_open_file(&s, path, &t.allocator, &err);
        if (rc == CT_OK) {
            ct__sink_puts(s, "x");
            assert_int_equal(ct__sink_commit(s, &err), CT_OK);
            ct__sink_free(s);
            assert_int_equal(t.live_bytes, 0);
            break;
        }
        assert_int_equal(rc, CT_ENOMEM);
        assert_int_equal(t.live_bytes, 0);
        assert_int_equal(ct_test_count_entries(dir), 0);
    }
    assert_true(i > 1);
    ct_test_rmrf(dir);
    free(dir);
}

/* A device at the output path is written in place: never replaced by a renamed file, and its
 * write errors (ENOSPC on /dev/full) reach the commit. */
static void test_file_sink_writes_devices_in_place(void **state)
{
    static const char chunk[4096];
    struct stat st;
    ct__sink *s = NULL;
    ct_error err;
    int i;
    (void)state;
    assert_int_equal(ct__sink_open_file(&s, "/dev/null", NULL, &err), CT_OK);
    ct__sink_puts(s, "[1]");
    assert_int_equal(ct__sink_commit(s, &err), CT_OK);
    ct__sink_free(s);
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode))
        skip();
    assert_int_equal(ct__sink_open_file(&s, "/dev/full", NULL, &err), CT_OK);
    for (i = 0; i < 40; i++)   /* more than the buffer, so a flush fails before commit */
        ct__sink_write(s, chunk, sizeof chunk);
    assert_int_equal(ct__sink_commit(s, &err), CT_EIO);
    assert_non_null(strstr(err.message, "/dev/full"));
    ct__sink_free(s);
    assert_int_equal(stat("/dev/full", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_table),
        cmocka_unit_test(test_file_sink_writes_devices_in_place),
        cmocka_unit_test(test_invalid_utf8_replaced),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_numbers_and_hex),
        cmocka_unit_test(test_file_commit_renames),
        cmocka_unit_test(test_uncommitted_removed),
        cmocka_unit_test(test_open_file_errors),
        cmocka_unit_test(test_dev_full_error_at_commit),
        cmocka_unit_test(test_small_dev_full_error_at_commit),
        cmocka_unit_test(test_file_size_limit_error),
        cmocka_unit_test(test_memory_growth_and_oom),
        cmocka_unit_test(test_file_open_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
