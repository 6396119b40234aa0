/* Bundles: byte-identical round trips, readable by the system tar, hostile archives refused. */
#include "ct_test.h"

#include "tar.h"
#include "util/alloc.h"
#include "util/fs.h"

#include <ctrecord/bundle.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static void put(const char *root, const char *rel, const void *data, size_t len)
{
    char *p = ct_test_join(root, rel), *slash;
    for (slash = strchr(p + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(p, 0777);
        *slash = '/';
    }
    assert_int_equal(ct_test_write_file(p, data, len), 0);
    free(p);
}

/* Every entry of `a` exists in `b` with the same type and bytes; returns the entries seen. */
static int compare_trees(const char *a, const char *b)
{
    DIR *h = opendir(a);
    struct dirent *e;
    int n = 0;
    assert_non_null(h);
    while ((e = readdir(h)) != NULL) {
        char *pa, *pb;
        struct stat sa, sb;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        pa = ct_test_join(a, e->d_name);
        pb = ct_test_join(b, e->d_name);
        assert_int_equal(lstat(pa, &sa), 0);
        if (lstat(pb, &sb) != 0)
            fail_msg("%s missing from the copy", pb);
        assert_int_equal(sa.st_mode & S_IFMT, sb.st_mode & S_IFMT);
        if (S_ISDIR(sa.st_mode)) {
            n += compare_trees(pa, pb);
        } else {
            size_t la, lb;
            char *da = ct_test_read_file(pa, &la), *db = ct_test_read_file(pb, &lb);
            assert_non_null(da);
            assert_non_null(db);
            assert_int_equal(la, lb);
            assert_memory_equal(da, db, la);
            free(da);
            free(db);
        }
        n++;
        free(pa);
        free(pb);
    }
    closedir(h);
    return n;
}

static void assert_same_tree(const char *a, const char *b)
{
    int na = compare_trees(a, b), nb = compare_trees(b, a);
    assert_int_equal(na, nb);
    assert_true(na > 0);
}

static char *long_component(char c, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* A trace-like folder: nested files/, a binary file of several buffers, an empty file and
 * folder, a name needing the ustar prefix and one needing a pax path record. */
static char *make_trace_folder(const char *root)
{
    char *dir = ct_test_join(root, "trace"), *seg = long_component('s', 150), rel[1024];
    size_t big_len = 300 * 1024 + 7, i;
    unsigned char *big = malloc(big_len);
    assert_non_null(big);
    for (i = 0; i < big_len; i++)
        big[i] = (unsigned char)((i * 2654435761u) >> 13);
    assert_int_equal(mkdir(dir, 0777), 0);
    put(dir, "trace.json", "[{\"Path\":\"/tmp/x/a.sol\"}]", 25);
    put(dir, "trace_metadata.json", "{\"workdir\":\"/\"}", 15);
    put(dir, "trace_paths.json", "[\"/tmp/x/a.sol\"]", 16);
    put(dir, "files/tmp/x/a.sol", "contract A {}\n", 14);
    put(dir, "files/tmp/x/deeper/still/b.sol", "", 0);
    put(dir, "files/bin.dat", big, big_len);
    snprintf(rel, sizeof rel, "files/%s/%.60s/%.80s.sol", "prefix-needed-here", seg, seg);
    put(dir, rel, "split", 5);
    snprintf(rel, sizeof rel, "files/%s.sol", seg);
    put(dir, rel, "pax", 3);
    snprintf(rel, sizeof rel, "%s/empty", dir);
    assert_int_equal(mkdir(rel, 0777), 0);
    free(big);
    free(seg);
    return dir;
}

static void test_round_trip_identical(void **state)
{
    char *root = ct_test_tmpdir("bundle"), *dir = make_trace_folder(root);
    char *tgz = ct_test_join(root, "t.tar.gz"), *back = ct_test_join(root, "back");
    ct_error err;
    (void)state;
    assert_status(ct_bundle_pack(dir, tgz, &err), CT_OK, err);
    assert_int_equal(ct_test_count_entries(root), 2);   /* trace, t.tar.gz: no temp left */
    assert_status(ct_bundle_unpack(tgz, back, &err), CT_OK, err);
    assert_same_tree(dir, back);
    assert_int_equal(ct_test_count_entries(root), 3);
    /* Unpacking again into an existing folder is refused. */
    assert_status(ct_bundle_unpack(tgz, back, &err), CT_EINVAL, err);
    ct_test_rmrf(root);
    free(back);
    free(tgz);
    free(dir);
    free(root);
}

static void test_system_tar_reads_it(void **state)
{
    char *root = ct_test_tmpdir("bundle"), *dir = make_trace_folder(root);
    char *tgz = ct_test_join(root, "t.tar.gz"), *out = ct_test_join(root, "bytar"), *list = ct_test_join(root, "list");
    char *names;
    ct_error err;
    (void)state;
    if (ct_test_system("tar --version >/dev/null 2>&1") != 0) {
        ct_test_rmrf(root);
        skip();
    }
    assert_status(ct_bundle_pack(dir, tgz, &err), CT_OK, err);
    assert_int_equal(ct_test_system("tar -tzf '%s' > '%s'", tgz, list), 0);
    names = ct_test_read_file(list, NULL);
    assert_non_null(names);
    assert_non_null(strstr(names, "trace.json\n"));
    assert_non_null(strstr(names, "files/tmp/x/a.sol\n"));
    assert_non_null(strstr(names, "files/ssssssssss"));
    free(names);
    assert_int_equal(mkdir(out, 0777), 0);
    assert_int_equal(ct_test_system("tar -xzf '%s' -C '%s'", tgz, out), 0);
    assert_same_tree(dir, out);
    ct_test_rmrf(root);
    free(list);
    free(out);
    free(tgz);
    free(dir);
    free(root);
}

/* GNU tar's own archives (GNU long names, "./" prefixes, a root "./" entry) unpack too. */
static void test_unpacks_gnu_tar_archive(void **state)
{
    char *root = ct_test_tmpdir("bundle"), *dir = make_trace_folder(root);
    char *tgz = ct_test_join(root, "gnu.tar.gz"), *back = ct_test_join(root, "back");
    ct_error err;
    (void)state;
    if (ct_test_system("tar --version >/dev/null 2>&1") != 0) {
        ct_test_rmrf(root);
        skip();
    }
    assert_int_equal(ct_test_system("tar --format=gnu -czf '%s' -C '%s' .", tgz, dir), 0);
    assert_status(ct_bundle_unpack(tgz, back, &err), CT_OK, err);
    assert_same_tree(dir, back);
    ct_test_rmrf(root);
    free(back);
    free(tgz);
    free(dir);
    free(root);
}

/* ---- hand-made hostile archives ----------------------------------------------------------- */

typedef struct raw_member {
    const char *name;
    char type;
    const char *data;     /* file content, or link target for links */
} raw_member;

static void octal(unsigned char *f, size_t w, unsigned long v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%0*lo", (int)(w - 1), v);
    memcpy(f, tmp, w - 1);
}

static void raw_header(unsigned char *b, const raw_member *m, size_t size)
{
    unsigned sum = 0;
    int i;
    memset(b, 0, 512);
    snprintf((char *)b, 100, "%s", m->name);
    octal(b + 100, 8, 0644);
    octal(b + 108, 8, 0);
    octal(b + 116, 8, 0);
    octal(b + 124, 12, size);
    octal(b + 136, 12, 0);
    b[156] = (unsigned char)m->type;
    if (m->type == '1' || m->type == '2')
        snprintf((char *)b + 157, 100, "%s", m->data);
    memcpy(b + 257, "ustar", 6);
    memcpy(b + 263, "00", 2);
    memset(b + 148, ' ', 8);
    for (i = 0; i < 512; i++)
        sum += b[i];
    snprintf((char *)b + 148, 8, "%06o", sum);
}

/* The uncompressed tar of `members` (+ end blocks when `end`); returns malloc'd bytes. */
static unsigned char *raw_tar(const raw_member *members, size_t n, int end, size_t *len)
{
    unsigned char *t = calloc(1, 64 * 1024);
    size_t at = 0, i;
    assert_non_null(t);
    for (i = 0; i < n; i++) {
        bool file = members[i].type == '0';
        size_t size = file ? strlen(members[i].data) : 0;
        raw_header(t + at, &members[i], size);
        at += 512;
        if (file) {
            memcpy(t + at, members[i].data, size);
            at += (size + 511) / 512 * 512;
        }
    }
    at += end ? 1024 : 0;
    *len = at;
    return t;
}

static void write_gz(const char *path, const unsigned char *data, size_t len, size_t cut)
{
    size_t n;
    unsigned char *out = ct_test_gzip(data, len, &n);
    assert_int_equal(ct_test_write_file(path, out, cut ? cut : n), 0);
    free(out);
}

static void expect_refused(const raw_member *members, size_t n, int end, size_t cut,
                           const char *needle)
{
    char *root = ct_test_tmpdir("evil"), *tgz = ct_test_join(root, "evil.tar.gz");
    char *dest = ct_test_join(root, "out");
    size_t len;
    unsigned char *tar = raw_tar(members, n, end, &len);
    ct_error err;
    write_gz(tgz, tar, len, cut);
    assert_status(ct_bundle_unpack(tgz, dest, &err), CT_EPARSE, err);
    if (!strstr(err.message, needle))
        fail_msg("message '%s' lacks '%s'", err.message, needle);
    assert_int_equal(ct_test_count_entries(root), 1);   /* only the archive: no temp, no dest */
    ct_test_rmrf(root);
    free(tar);
    free(dest);
    free(tgz);
    free(root);
}

static void test_hostile_archives_refused(void **state)
{
    const raw_member good = {"files/ok.sol", '0', "fine"};
    raw_member m[2];
    (void)state;
    m[0] = good;
    m[1] = (raw_member){"../escape.sol", '0', "evil"};
    expect_refused(m, 2, 1, 0, "'..'");
    m[1] = (raw_member){"files/../../escape.sol", '0', "evil"};
    expect_refused(m, 2, 1, 0, "'..'");
    m[1] = (raw_member){"/tmp/abs.sol", '0', "evil"};
    expect_refused(m, 2, 1, 0, "absolute");
    m[1] = (raw_member){"files/link", '2', "/etc"};
    expect_refused(m, 2, 1, 0, "symlink");
    m[1] = (raw_member){"files/hard", '1', "files/ok.sol"};
    expect_refused(m, 2, 1, 0, "hard link");
    m[1] = (raw_member){"files/dev", '3', ""};
    expect_refused(m, 2, 1, 0, "character device");
    m[1] = (raw_member){"files/fifo", '6', ""};
    expect_refused(m, 2, 1, 0, "FIFO");
    /* A well-formed gzip stream whose tar lacks the end-of-archive blocks. */
    expect_refused(m, 1, 0, 0, "truncated");
}

static void test_truncated_and_corrupt_refused(void **state)
{
    char *root = ct_test_tmpdir("bundle"), *dir = make_trace_folder(root);
    char *tgz = ct_test_join(root, "t.tar.gz"), *bad = ct_test_join(root, "bad.tar.gz");
    char *dest = ct_test_join(root, "out");
    size_t len;
    char *data;
    ct_error err;
    (void)state;
    assert_status(ct_bundle_pack(dir, tgz, &err), CT_OK, err);
    data = ct_test_read_file(tgz, &len);
    assert_non_null(data);
    /* Cut in the middle, and cut just before the gzip trailer. */
    assert_int_equal(ct_test_write_file(bad, data, len / 2), 0);
    assert_status(ct_bundle_unpack(bad, dest, &err), CT_EPARSE, err);
    assert_non_null(strstr(err.message, "truncated"));
    assert_int_equal(ct_test_write_file(bad, data, len - 4), 0);
    assert_status(ct_bundle_unpack(bad, dest, &err), CT_EPARSE, err);
    assert_non_null(strstr(err.message, "truncated"));
    /* Flip bits in the compressed data. */
    data[len / 3] ^= 0x55;
    data[len / 3 + 1] ^= 0xaa;
    assert_int_equal(ct_test_write_file(bad, data, len), 0);
    assert_status(ct_bundle_unpack(bad, dest, &err), CT_EPARSE, err);
    /* Not gzip at all. */
    assert_int_equal(ct_test_write_file(bad, "plain text", 10), 0);
    assert_status(ct_bundle_unpack(bad, dest, &err), CT_EPARSE, err);
    assert_non_null(strstr(err.message, "not a gzip file"));
    assert_int_equal(ct_test_count_entries(root), 3);   /* trace, t.tar.gz, bad.tar.gz */
    free(data);
    ct_test_rmrf(root);
    free(dest);
    free(bad);
    free(tgz);
    free(dir);
    free(root);
}

static void test_bad_checksum_refused(void **state)
{
    const raw_member one = {"files/ok.sol", '0', "fine"};
    char *root = ct_test_tmpdir("evil"), *tgz = ct_test_join(root, "x.tar.gz"), *dest = ct_test_join(root, "o");
    size_t len;
    unsigned char *tar = raw_tar(&one, 1, 1, &len);
    ct_error err;
    (void)state;
    tar[10] ^= 1;   /* a name byte: the stored checksum no longer matches */
    write_gz(tgz, tar, len, 0);
    assert_status(ct_bundle_unpack(tgz, dest, &err), CT_EPARSE, err);
    assert_non_null(strstr(err.message, "checksum"));
    assert_int_equal(ct_test_count_entries(root), 1);
    ct_test_rmrf(root);
    free(tar);
    free(dest);
    free(tgz);
    free(root);
}

static void test_pack_refusals(void **state)
{
    char *root = ct_test_tmpdir("bundle"), *dir = make_trace_folder(root);
    char *tgz = ct_test_join(root, "t.tar.gz"), *inside = ct_test_join(dir, "self.tar.gz");
    char *link = ct_test_join(dir, "files/link.sol");
    ct_error err;
    (void)state;
    assert_status(ct_bundle_pack(dir, inside, &err), CT_EINVAL, err);
    assert_status(ct_bundle_pack(tgz, inside, &err), CT_EIO, err);
    assert_int_equal(symlink("/etc/passwd", link), 0);
    assert_status(ct_bundle_pack(dir, tgz, &err), CT_EINVAL, err);
    assert_non_null(strstr(err.message, "link.sol"));
    assert_int_equal(ct_test_count_entries(root), 1);   /* no archive, no temp */
    ct_test_rmrf(root);
    free(link);
    free(inside);
    free(tgz);
    free(dir);
    free(root);
}

/* pax records: sizes of 8 GiB and more, names that cannot be split, malformed records. */
static void test_pax_records(void **state)
{
    unsigned char block[CT__TAR_BLOCK];
    ct__tar_member m, back;
    char *pax, *path = NULL, *seg = long_component('n', 120), name[200];
    size_t pax_len;
    uint64_t size = 0;
    bool has_size = false;
    ct_error err;
    (void)state;
    memset(&m, 0, sizeof m);
    m.type = CT__TAR_FILE;
    m.mode = 0644;
    m.size = 9ULL << 30;
    snprintf(name, sizeof name, "files/%s", seg);
    assert_status(ct__tar_encode(block, &m, name, &pax, &pax_len, &err), CT_OK, err);
    assert_non_null(pax);
    assert_int_equal(strlen(pax), pax_len);
    assert_status(ct__tar_parse_pax(pax, pax_len, &path, &size, &has_size, "x", 0, &err), CT_OK,
                  err);
    assert_string_equal(path, name);
    assert_true(has_size);
    assert_int_equal(size, 9ULL << 30);
    assert_status(ct__tar_decode(&back, block, "x", 0, &err), CT_OK, err);
    assert_int_equal(back.size, 0);   /* the pax record carries it */
    ct__free(NULL, pax, pax_len + 1);
    ct__path_free(NULL, path);
    path = NULL;
    /* A record whose length does not match, one without '=', a NUL inside a path. */
    assert_status(ct__tar_parse_pax("13 path=abc\n", 12, &path, &size, &has_size, "x", 0, &err),
                  CT_EPARSE, err);
    assert_status(ct__tar_parse_pax("9 pathx\n", 8, &path, &size, &has_size, "x", 0, &err),
                  CT_EPARSE, err);
    assert_status(ct__tar_parse_pax("12 path=a\0b\n", 12, &path, &size, &has_size, "x", 0, &err),
                  CT_EPARSE, err);
    assert_null(path);
    free(seg);
}

/* A pax header written by hand: its size record overrides the ustar size field. */
static void test_pax_size_override(void **state)
{
    char *root = ct_test_tmpdir("bundle"), *tgz = ct_test_join(root, "p.tar.gz"), *dest = ct_test_join(root, "o");
    unsigned char tar[4096];
    const char rec[] = "10 size=4\n";
    raw_member x = {"PaxHeader/f", 'x', rec}, f = {"files/f.sol", '0', ""};
    char *p;
    ct_error err;
    (void)state;
    memset(tar, 0, sizeof tar);
    raw_header(tar, &x, strlen(rec));
    memcpy(tar + 512, rec, strlen(rec));
    raw_header(tar + 1024, &f, 0);
    memcpy(tar + 1536, "data", 4);
    write_gz(tgz, tar, 2048 + 1024, 0);
    assert_status(ct_bundle_unpack(tgz, dest, &err), CT_OK, err);
    p = ct_test_join(dest, "files/f.sol");
    {
        size_t len;
        char *got = ct_test_read_file(p, &len);
        assert_non_null(got);
        assert_int_equal(len, 4);
        assert_memory_equal(got, "data", 4);
        free(got);
    }
    free(p);
    ct_test_rmrf(root);
    free(dest);
    free(tgz);
    free(root);
}

/* A member under a path that an earlier member made a file: an I/O error, nothing left. */
static void test_file_in_the_way(void **state)
{
    raw_member m[2] = {{"files/a", '0', "file"}, {"files/a/b.sol", '0', "under a file"}};
    char *root = ct_test_tmpdir("evil"), *tgz = ct_test_join(root, "x.tar.gz"), *dest = ct_test_join(root, "o");
    size_t len;
    unsigned char *tar = raw_tar(m, 2, 1, &len);
    ct_error err;
    (void)state;
    write_gz(tgz, tar, len, 0);
    assert_status(ct_bundle_unpack(tgz, dest, &err), CT_EIO, err);
    assert_non_null(strstr(err.message, "files/a"));
    assert_int_equal(ct_test_count_entries(root), 1);
    ct_test_rmrf(root);
    free(tar);
    free(dest);
    free(tgz);
    free(root);
}

/* Two gzip members one after the other (as `cat a.gz b.gz` makes) read as one stream. */
static void test_concatenated_gzip_members(void **state)
{
    const raw_member one = {"files/ok.sol", '0', "fine"};
    char *root = ct_test_tmpdir("bundle"), *a = ct_test_join(root, "a.gz"), *b = ct_test_join(root, "b.gz");
    char *tgz = ct_test_join(root, "ab.tar.gz"), *dest = ct_test_join(root, "o"), *p;
    size_t len;
    unsigned char *tar = raw_tar(&one, 1, 1, &len);
    ct_error err;
    (void)state;
    write_gz(a, tar, 700, 0);
    write_gz(b, tar + 700, len - 700, 0);
    assert_int_equal(ct_test_system("cat '%s' '%s' > '%s'", a, b, tgz), 0);
    assert_status(ct_bundle_unpack(tgz, dest, &err), CT_OK, err);
    p = ct_test_join(dest, "files/ok.sol");
    {
        char *got = ct_test_read_file(p, &len);
        assert_non_null(got);
        assert_int_equal(len, 4);
        assert_memory_equal(got, "fine", 4);
        free(got);
    }
    free(p);
    ct_test_rmrf(root);
    free(tar);
    free(dest);
    free(tgz);
    free(b);
    free(a);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_identical),
        cmocka_unit_test(test_system_tar_reads_it),
        cmocka_unit_test(test_unpacks_gnu_tar_archive),
        cmocka_unit_test(test_hostile_archives_refused),
        cmocka_unit_test(test_truncated_and_corrupt_refused),
        cmocka_unit_test(test_bad_checksum_refused),
        cmocka_unit_test(test_pack_refusals),
        cmocka_unit_test(test_pax_records),
        cmocka_unit_test(test_pax_size_override),
        cmocka_unit_test(test_file_in_the_way),
        cmocka_unit_test(test_concatenated_gzip_members),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
