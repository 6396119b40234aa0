/* The trace folder: temp-then-rename, files/ rules, git sources, metadata, failures. */
#include "ct_test.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace_dir.h"
#include "util/alloc.h"
#include "util/fs.h"
#include "uuid.h"

static void write_text(const char *path, const char *text)
{
    assert_int_equal(ct_test_write_file(path, text, strlen(text)), 0);
}

static void assert_file(const char *path, const char *expected)
{
    size_t len;
    char *got = ct_test_read_file(path, &len);
    assert_non_null(got);
    assert_int_equal(len, strlen(expected));
    assert_memory_equal(got, expected, len);
    free(got);
}

static void assert_file_in(const char *dir, const char *rel, const char *expected)
{
    char *p = ct_test_join(dir, rel);
    assert_file(p, expected);
    free(p);
}

/* ---- path rules ------------------------------------------------------------------------- */

static void expect_relpath(const char *in, const char *out)
{
    ct_test_alloc t;
    ct_error err;
    char *rel;
    ct_test_alloc_init(&t, 0);
    assert_int_equal(ct__source_relpath(&rel, in, &t.allocator, &err), CT_OK);
    assert_string_equal(rel, out);
    ct__path_free(&t.allocator, rel);
    assert_int_equal(t.live_blocks, 0);
}

static void expect_refused(const char *in)
{
    ct_error err;
    char *rel = (char *)"x";
    assert_int_equal(ct__source_relpath(&rel, in, NULL, &err), CT_EINVAL);
    assert_null(rel);
    assert_non_null(strstr(err.message, in));
}

static void test_relpath_rules(void **state)
{
    (void)state;
    expect_relpath("/tmp/x/prog.sol", "tmp/x/prog.sol");
    expect_relpath("test_code/a.rs", "test_code/a.rs");
    expect_relpath("//a//./b/", "a/b");
    expect_relpath("./a.sol", "a.sol");
    expect_relpath("/a/..b/c..", "a/..b/c..");
    expect_refused("/a/../b");
    expect_refused("../x");
    expect_refused("/x/..");
    expect_refused("/");
    expect_refused("");
    expect_refused("/./");
}

static void test_uuid_v7(void **state)
{
    uint8_t b[16];
    char s1[37], s2[37];
    ct_error err;
    (void)state;
    assert_int_equal(ct__uuid_v7_bytes(b, 0x0123456789abULL, &err), CT_OK);
    ct__uuid_format(s1, b);
    assert_int_equal(strlen(s1), 36);
    assert_memory_equal(s1, "01234567-89ab-7", 15);
    assert_non_null(strchr("89ab", s1[19]));
    assert_int_equal(ct__uuid_v7(s1, &err), CT_OK);
    assert_int_equal(ct__uuid_v7(s2, &err), CT_OK);
    assert_string_not_equal(s1, s2);
    assert_int_equal(s1[14], '7');
    assert_non_null(strchr("89ab", s2[19]));
}

/* ---- life cycle ------------------------------------------------------------------------- */

static void test_commit_writes_everything(void **state)
{
    char *root = ct_test_tmpdir("tdir"), *final = ct_test_join(root, "trace");
    const char *args[] = {"--flag", "caf\xc3\xa9", "bad\xff"};
    const char *paths[] = {"/x/y.sol", "a\"b\n"};
    ct__trace_dir *d;
    ct_error err;
    cJSON *meta;
    char *text, *p;
    (void)state;
    assert_status(ct__trace_dir_open(&d, final, false, NULL, &err), CT_OK, err);
    assert_string_not_equal(ct__trace_dir_path(d), final);
    assert_non_null(strstr(ct__trace_dir_path(d), "/trace.tmp-"));
    assert_false(ct_test_exists(final));
    assert_status(ct__trace_dir_add_source(d, "/x/y.sol", "contract C {}", 13, &err), CT_OK, err);
    assert_status(ct__trace_dir_write_metadata(d, "/w/./sub/../dir", "prog", args, 3, &err), CT_OK, err);
    assert_status(ct__trace_dir_write_paths(d, paths, 2, &err), CT_OK, err);
    assert_status(ct__trace_dir_commit(d, &err), CT_OK, err);
    assert_int_equal(ct_test_count_entries(root), 1);
    assert_file_in(final, "files/x/y.sol", "contract C {}");
    assert_file_in(final, "trace_paths.json", "[\"/x/y.sol\",\"a\\\"b\\n\"]");
    p = ct_test_join(final, "trace_metadata.json");
    text = ct_test_read_file(p, NULL);
    assert_non_null(text);
    assert_memory_equal(text, "{\"recording_id\":\"", 17);
    assert_non_null(strstr(text, "\"workdir\":\"/w/dir\",\"program\":\"prog\","
                                 "\"args\":[\"--flag\",\"caf\xc3\xa9\",\"bad\xef\xbf\xbd\"]}"));
    assert_int_equal(text[strlen(text) - 1], '}');
    meta = cJSON_Parse(text);
    assert_non_null(meta);
    assert_int_equal(strlen(cJSON_GetObjectItem(meta, "recording_id")->valuestring), 36);
    assert_int_equal(cJSON_GetObjectItem(meta, "recording_id")->valuestring[14], '7');
    cJSON_Delete(meta);
    free(text);
    free(p);
    ct_test_rmrf(root);
    free(final);
    free(root);
}

static void test_workdir_defaults_to_cwd(void **state)
{
    char *root = ct_test_tmpdir("tdir"), *final = ct_test_join(root, "t/"), cwd[4096], want[4200];
    ct__trace_dir *d;
    ct_error err;
    char *text, *p;
    (void)state;
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_status(ct__trace_dir_open(&d, final, false, NULL, &err), CT_OK, err);
    assert_status(ct__trace_dir_write_metadata(d, NULL, NULL, NULL, 0, &err), CT_OK, err);
    assert_status(ct__trace_dir_commit(d, &err), CT_OK, err);
    p = ct_test_join(root, "t/trace_metadata.json");
    text = ct_test_read_file(p, NULL);
    assert_non_null(text);
    snprintf(want, sizeof want, "\"workdir\":\"%s\",\"program\":\"\",\"args\":[]}", cwd);
    assert_non_null(strstr(text, want));
    free(text);
    free(p);
    ct_test_rmrf(root);
    free(final);
    free(root);
}

static void test_existing_without_overwrite(void **state)
{
    char *root = ct_test_tmpdir("tdir"), *final = ct_test_join(root, "trace");
    ct__trace_dir *d = (ct__trace_dir *)1;
    ct_error err;
    (void)state;
    assert_int_equal(mkdir(final, 0777), 0);
    assert_status(ct__trace_dir_open(&d, final, false, NULL, &err), CT_EINVAL, err);
    assert_null(d);
    assert_non_null(strstr(err.message, final));
    assert_int_equal(ct_test_count_entries(root), 1);
    ct_test_rmrf(root);
    free(final);
    free(root);
}

static void test_overwrite_replaces_whole_folder(void **state)
{
    char *root = ct_test_tmpdir("tdir"), *final = ct_test_join(root, "trace"), *p;
    ct__trace_dir *d;
    ct_error err;
    (void)state;
    assert_int_equal(mkdir(final, 0777), 0);
    p = ct_test_join(final, "trace.json");
    write_text(p, "[\"old\"]");
    free(p);
    p = ct_test_join(final, "stale.txt");
    write_text(p, "old");
    assert_status(ct__trace_dir_open(&d, final, true, NULL, &err), CT_OK, err);
    /* Until commit the old trace is intact. */
    assert_file_in(final, "trace.json", "[\"old\"]");
    free(p);
    p = ct_test_join(ct__trace_dir_path(d), "trace.json");
    write_text(p, "[]");
    assert_status(ct__trace_dir_commit(d, &err), CT_OK, err);
    assert_file_in(final, "trace.json", "[]");
    free(p);
    p = ct_test_join(final, "stale.txt");
    assert_false(ct_test_exists(p));
    assert_int_equal(ct_test_count_entries(root), 1);
    free(p);
    ct_test_rmrf(root);
    free(final);
    free(root);
}

static void test_overwrite_refuses_non_trace(void **state)
{
    char *root = ct_test_tmpdir("tdir"), *final = ct_test_join(root, "home"), *file = ct_test_join(root, "f");
    char *p = ct_test_join(final, "precious.txt");
    ct__trace_dir *d;
    ct_error err;
    (void)state;
    assert_int_equal(mkdir(final, 0777), 0);
    write_text(p, "keep");
    write_text(file, "keep too");
    assert_status(ct__trace_dir_open(&d, final, true, NULL, &err), CT_EINVAL, err);
    assert_non_null(strstr(err.message, "not a trace folder"));
    assert_status(ct__trace_dir_open(&d, file, true, NULL, &err), CT_EINVAL, err);
    assert_file(p, "keep");
    assert_file(file, "keep too");
    assert_int_equal(ct_test_count_entries(root), 2);
    ct_test_rmrf(root);
    free(p);
    free(file);
    free(final);
    free(root);
}

static void test_abort_leaves_nothing(void **state)
{
    char *root = ct_test_tmpdir("tdir"), *final = ct_test_join(root, "trace");
    const char *paths[] = {"/does/not/exist.sol"};
    ct__trace_dir *d;
    ct_error err;
    (void)state;
    ct__trace_dir_abort(NULL);
    assert_status(ct__trace_dir_open(&d, final, false, NULL, &err), CT_OK, err);
    assert_status(ct__trace_dir_add_source(d, "/a/b/c.sol", "x", 1, &err), CT_OK, err);
    assert_status(ct__trace_dir_write_paths(d, paths, 1, &err), CT_OK, err);
    assert_int_equal(ct_test_count_entries(root), 1);
    ct__trace_dir_abort(d);
    assert_int_equal(ct_test_count_entries(root), 0);
    ct_test_rmrf(root);
    free(final);
    free(root);
}

/* A target that appears between open and commit is not clobbered, and the temp goes away. */
static void test_commit_failure_leaves_nothing(void **state)
{
    char *root = ct_test_tmpdir("tdir"), *final = ct_test_join(root, "trace"), *p;
    ct__trace_dir *d;
    ct_error err;
    (void)state;
    assert_status(ct__trace_dir_open(&d, final, false, NULL, &err), CT_OK, err);
    assert_status(ct__trace_dir_add_source(d, "/a.sol", "new", 3, &err), CT_OK, err);
    write_text(final, "someone else's file");
    assert_status(ct__trace_dir_commit(d, &err), CT_EINVAL, err);
    assert_file(final, "someone else's file");
    assert_int_equal(ct_test_count_entries(root), 1);
    unlink(final);
    /* With overwrite: the old trace becomes a non-trace folder meanwhile: refused, kept. */
    assert_int_equal(mkdir(final, 0777), 0);
    assert_status(ct__trace_dir_open(&d, final, true, NULL, &err), CT_OK, err);
    p = ct_test_join(final, "mine.txt");
    write_text(p, "mine");
    assert_status(ct__trace_dir_commit(d, &err), CT_EINVAL, err);
    assert_file(p, "mine");
    assert_int_equal(ct_test_count_entries(root), 1);
    free(p);
    ct_test_rmrf(root);
    free(final);
    free(root);
}

static void test_parent_missing(void **state)
{
    char *root = ct_test_tmpdir("tdir"), *final = ct_test_join(root, "no/such/trace");
    ct__trace_dir *d;
    ct_error err;
    (void)state;
    assert_status(ct__trace_dir_open(&d, final, false, NULL, &err), CT_EIO, err);
    assert_non_null(strstr(err.message, "no/such/trace.tmp-"));
    assert_int_equal(ct_test_count_entries(root), 0);
    ct_test_rmrf(root);
    free(final);
    free(root);
}

/* ---- sources from disk -------------------------------------------------------------------- */

typedef struct missing_log {
    int calls;
    char last[512];
    char why[256];
} missing_log;

static void on_missing(void *payload, const char *trace_path, const char *why)
{
    missing_log *m = payload;
    m->calls++;
    snprintf(m->last, sizeof m->last, "%s", trace_path);
    snprintf(m->why, sizeof m->why, "%s", why);
}

static void test_disk_sources_and_missing(void **state)
{
    char *root = ct_test_tmpdir("tdir"), *src = ct_test_tmpdir("tsrc");
    char *final = ct_test_join(root, "trace"), *a = ct_test_join(src, "a.sol"), *b = ct_test_join(src, "b.sol");
    char *gone = ct_test_join(src, "gone.sol");
    const char *paths[4];
    missing_log m = {0};
    ct__trace_dir *d;
    ct_error err;
    (void)state;
    write_text(a, "disk a");
    write_text(b, "disk b");
    paths[0] = a;
    paths[1] = b;
    paths[2] = gone;
    paths[3] = a;
    assert_status(ct__trace_dir_open(&d, final, false, NULL, &err), CT_OK, err);
    ct__trace_dir_on_missing(d, on_missing, &m);
    assert_status(ct__trace_dir_add_source(d, b, "given b", 7, &err), CT_OK, err);
    assert_status(ct__trace_dir_copy_sources(d, paths, 4, NULL, NULL, &err), CT_OK, err);
    assert_int_equal(ct__trace_dir_missing_count(d), 1);
    assert_string_equal(ct__trace_dir_first_missing(d), gone);
    assert_int_equal(m.calls, 1);
    assert_string_equal(m.last, gone);
    assert_non_null(strstr(m.why, "No such file"));
    assert_status(ct__trace_dir_commit(d, &err), CT_OK, err);
    {
        char rel[4200];
        snprintf(rel, sizeof rel, "%s/files%s", final, a);
        assert_file(rel, "disk a");
        snprintf(rel, sizeof rel, "%s/files%s", final, b);
        assert_file(rel, "given b");
        snprintf(rel, sizeof rel, "%s/files%s", final, gone);
        assert_false(ct_test_exists(rel));
    }
    ct_test_rmrf(root);
    ct_test_rmrf(src);
    free(a);
    free(b);
    free(gone);
    free(final);
    free(src);
    free(root);
}

static void test_relative_source_kept_relative(void **state)
{
    char *root = ct_test_tmpdir("tdir"), *src = ct_test_tmpdir("tsrc");
    char *final = ct_test_join(root, "trace"), old[4096];
    const char *paths[] = {"sub/rel.sol"};
    ct__trace_dir *d;
    ct_error err;
    (void)state;
    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(src), 0);
    assert_int_equal(mkdir("sub", 0777), 0);
    write_text("sub/rel.sol", "relative");
    assert_status(ct__trace_dir_open(&d, final, false, NULL, &err), CT_OK, err);
    assert_status(ct__trace_dir_copy_sources(d, paths, 1, NULL, NULL, &err), CT_OK, err);
    assert_status(ct__trace_dir_commit(d, &err), CT_OK, err);
    assert_int_equal(chdir(old), 0);
    assert_file_in(final, "files/sub/rel.sol", "relative");
    ct_test_rmrf(root);
    ct_test_rmrf(src);
    free(final);
    free(src);
    free(root);
}

static void expect_copy_refused(const char *final, const char *path, const char *needle)
{
    ct__trace_dir *d;
    ct_error err;
    assert_status(ct__trace_dir_open(&d, final, false, NULL, &err), CT_OK, err);
    assert_status(ct__trace_dir_copy_sources(d, &path, 1, NULL, NULL, &err), CT_EINVAL, err);
    assert_non_null(strstr(err.message, needle));
    ct__trace_dir_abort(d);
}

static void test_escapes_refused(void **state)
{
    char *root = ct_test_tmpdir("tdir"), *src = ct_test_tmpdir("tsrc");
    char *final = ct_test_join(root, "trace"), *inner = ct_test_join(src, "inner"), *secret = ct_test_join(root, "secret");
    char *l_abs = ct_test_join(inner, "abs.sol"), *l_up = ct_test_join(inner, "up.sol");
    char *l_ok = ct_test_join(inner, "ok.sol"), *l_dangling = ct_test_join(inner, "dangling.sol");
    char *up_path = ct_test_join(src, "inner/../../etc/passwd");
    ct__trace_dir *d;
    ct_error err;
    (void)state;
    assert_int_equal(mkdir(inner, 0777), 0);
    write_text(secret, "secret");
    assert_int_equal(symlink(secret, l_abs), 0);
    assert_int_equal(symlink("../sibling.sol", l_up), 0);
    {
        char *sibling = ct_test_join(src, "sibling.sol");
        write_text(sibling, "sibling");
        free(sibling);
    }
    {
        char *real = ct_test_join(inner, "real.sol");
        write_text(real, "real content");
        free(real);
    }
    assert_int_equal(symlink("./real.sol", l_ok), 0);
    assert_int_equal(symlink("nowhere.sol", l_dangling), 0);

    assert_status(ct__trace_dir_open(&d, final, false, NULL, &err), CT_OK, err);
    assert_status(ct__trace_dir_add_source(d, "/a/../../x", "x", 1, &err), CT_EINVAL, err);
    assert_non_null(strstr(err.message, "'..'"));
    ct__trace_dir_abort(d);
    expect_copy_refused(final, up_path, "'..'");
    expect_copy_refused(final, l_abs, "absolute");
    expect_copy_refused(final, l_up, "outside its folder");
    assert_int_equal(ct_test_count_entries(root), 1); /* only "secret" */

    assert_status(ct__trace_dir_open(&d, final, false, NULL, &err), CT_OK, err);
    {
        const char *ok[] = {l_ok, l_dangling};
        char rel[4200];
        assert_status(ct__trace_dir_copy_sources(d, ok, 2, NULL, NULL, &err), CT_OK, err);
        assert_int_equal(ct__trace_dir_missing_count(d), 1);
        snprintf(rel, sizeof rel, "%s/files%s", ct__trace_dir_path(d), l_ok);
        assert_file(rel, "real content");
    }
    ct__trace_dir_abort(d);
    ct_test_rmrf(root);
    ct_test_rmrf(src);
    free(up_path);
    free(l_abs);
    free(l_up);
    free(l_ok);
    free(l_dangling);
    free(inner);
    free(secret);
    free(final);
    free(src);
    free(root);
}

static void test_non_regular_source_refused(void **state)
{
    char *root = ct_test_tmpdir("tdir"), *src = ct_test_tmpdir("tsrc");
    char *final = ct_test_join(root, "trace"), *fifo = ct_test_join(src, "pipe.sol");
    (void)state;
    assert_int_equal(mkfifo(fifo, 0666), 0);
    expect_copy_refused(final, fifo, "not a regular file");
    expect_copy_refused(final, src, "not a regular file");
    assert_int_equal(ct_test_count_entries(root), 0);
    ct_test_rmrf(root);
    ct_test_rmrf(src);
    free(fifo);
    free(final);
    free(src);
    free(root);
}

/* ---- I/O failures ------------------------------------------------------------------------- */

static void test_io_errors_name_the_path(void **state)
{
    char *root = ct_test_tmpdir("tdir"), *final = ct_test_join(root, "trace");
    static char big[65536];
    struct rlimit old, small;
    void (*prev)(int);
    ct__trace_dir *d;
    ct_error err;
    ct_status rc;
    (void)state;
    assert_status(ct__trace_dir_open(&d, final, false, NULL, &err), CT_OK, err);
    assert_status(ct__trace_dir_add_source(d, "/a/b", "file", 4, &err), CT_OK, err);
    assert_status(ct__trace_dir_add_source(d, "/a/b/c", "x", 1, &err), CT_EIO, err);
    assert_non_null(strstr(err.message, "files/a/b"));
    assert_non_null(strstr(err.message, "Not a directory"));

    /* Disk full, simulated by a file size limit. */
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    prev = signal(SIGXFSZ, SIG_IGN);
    small = old;
    small.rlim_cur = 4096;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    rc = ct__trace_dir_add_source(d, "/big.sol", big, sizeof big, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, prev);
    assert_int_equal(rc, CT_EIO);
    assert_non_null(strstr(err.message, "files/big.sol"));
    ct__trace_dir_abort(d);
    assert_int_equal(ct_test_count_entries(root), 0);
    ct_test_rmrf(root);
    free(final);
    free(root);
}

/* ---- git ---------------------------------------------------------------------------------- */

#define GIT "git -c user.name=ct -c user.email=ct@example.com -c init.defaultBranch=main " \
            "-c commit.gpgsign=false"

typedef struct repo_fixture {
    char *repo, *outside, *root, *final;
    char first[64];
} repo_fixture;

/* The fixtures are made with the real git command; without it the git tests skip. */
static void require_git(void)
{
    if (ct_test_system("git --version >/dev/null 2>&1") != 0)
        skip();
}

static void make_repo(repo_fixture *f)
{
    char *p, *q;
    f->repo = ct_test_tmpdir("trepo");
    f->outside = ct_test_tmpdir("tout");
    f->root = ct_test_tmpdir("tdir");
    f->final = ct_test_join(f->root, "trace");
    assert_int_equal(ct_test_system("cd '%s' && " GIT " init -q . && mkdir -p src/lib", f->repo), 0);
    p = ct_test_join(f->repo, "src/a.sol");
    write_text(p, "version 1");
    q = ct_test_join(f->repo, "src/lib/keep.sol");
    write_text(q, "kept");
    assert_int_equal(ct_test_system("cd '%s' && ln -s ../a.sol src/lib/link.sol && "
                                    "ln -s ../../../x src/lib/bad.sol && " GIT " add -A && "
                                    GIT " commit -q -m one && git rev-parse HEAD > first.txt",
                                    f->repo), 0);
    free(q);
    q = ct_test_join(f->repo, "first.txt");
    {
        char *t = ct_test_read_file(q, NULL);
        assert_non_null(t);
        snprintf(f->first, sizeof f->first, "%.40s", t);
        free(t);
    }
    unlink(q);
    write_text(p, "version 2");
    assert_int_equal(ct_test_system("cd '%s' && " GIT " commit -q -am two", f->repo), 0);
    write_text(p, "version 3 (uncommitted)");
    free(q);
    q = ct_test_join(f->repo, "src/untracked.sol");
    write_text(q, "untracked");
    free(q);
    free(p);
}

static void free_repo(repo_fixture *f)
{
    ct_test_rmrf(f->repo);
    ct_test_rmrf(f->outside);
    ct_test_rmrf(f->root);
    free(f->repo);
    free(f->outside);
    free(f->root);
    free(f->final);
}

static void copy_at(repo_fixture *f, const char *rev, const char *expected_a)
{
    char *a = ct_test_join(f->repo, "src/a.sol"), *link = ct_test_join(f->repo, "src/lib/link.sol");
    char *out = ct_test_join(f->outside, "o.sol"), *untracked = ct_test_join(f->repo, "src/untracked.sol");
    const char *paths[] = {a, link, out, untracked};
    char rel[4200];
    ct__trace_dir *d;
    ct_error err;
    missing_log m = {0};
    write_text(out, "outside");
    assert_status(ct__trace_dir_open(&d, f->final, false, NULL, &err), CT_OK, err);
    ct__trace_dir_on_missing(d, on_missing, &m);
    assert_status(ct__trace_dir_copy_sources(d, paths, 4, f->repo, rev, &err), CT_OK, err);
    assert_int_equal(m.calls, 1);
    assert_string_equal(m.last, untracked);
    assert_non_null(strstr(m.why, "not in git revision"));
    assert_status(ct__trace_dir_commit(d, &err), CT_OK, err);
    snprintf(rel, sizeof rel, "%s/files%s", f->final, a);
    assert_file(rel, expected_a);
    snprintf(rel, sizeof rel, "%s/files%s", f->final, link);
    assert_file(rel, expected_a);
    snprintf(rel, sizeof rel, "%s/files%s", f->final, out);
    assert_file(rel, "outside");
    ct_test_rmrf(f->final);
    free(a);
    free(link);
    free(out);
    free(untracked);
}

static void test_git_sources_at_revision(void **state)
{
    repo_fixture f;
    (void)state;
    require_git();
    make_repo(&f);
    copy_at(&f, f.first, "version 1");
    copy_at(&f, NULL, "version 2");
    copy_at(&f, "HEAD~1", "version 1");
    free_repo(&f);
}

static void test_git_errors(void **state)
{
    repo_fixture f;
    ct__trace_dir *d;
    ct_error err;
    char *bad, *dir;
    const char *p[1];
    (void)state;
    require_git();
    make_repo(&f);
    bad = ct_test_join(f.repo, "src/lib/bad.sol");
    dir = ct_test_join(f.repo, "src/lib");
    assert_status(ct__trace_dir_open(&d, f.final, false, NULL, &err), CT_OK, err);
    p[0] = bad;
    assert_status(ct__trace_dir_copy_sources(d, p, 1, f.repo, NULL, &err), CT_EINVAL, err);
    assert_non_null(strstr(err.message, "outside the repository"));
    p[0] = dir;
    assert_status(ct__trace_dir_copy_sources(d, p, 1, f.repo, NULL, &err), CT_EINVAL, err);
    assert_non_null(strstr(err.message, "folder in git revision"));
    assert_status(ct__trace_dir_copy_sources(d, p, 1, f.repo, "no-such-rev", &err), CT_EINVAL, err);
    assert_non_null(strstr(err.message, "no-such-rev"));
    assert_status(ct__trace_dir_copy_sources(d, p, 1, f.outside, NULL, &err), CT_EINVAL, err);
    assert_non_null(strstr(err.message, "not a git repository"));
    ct__trace_dir_abort(d);
    assert_int_equal(ct_test_count_entries(f.root), 0);
    free(bad);
    free(dir);
    free_repo(&f);
}

/* ---- allocation failures ------------------------------------------------------------------ */

static ct_status full_run(repo_fixture *f, const ct_allocator *a, ct_error *err)
{
    char *a_sol = ct_test_join(f->repo, "src/a.sol"), *out = ct_test_join(f->outside, "o.sol");
    const char *paths[] = {a_sol, out, "/no/such/file.sol"};
    const char *args[] = {"x"};
    ct__trace_dir *d;
    ct_status rc;
    write_text(out, "outside");
    rc = ct__trace_dir_open(&d, f->final, false, a, err);
    if (rc == CT_OK)
        rc = ct__trace_dir_add_source(d, "/mem/m.sol", "m", 1, err);
    if (rc == CT_OK)
        rc = ct__trace_dir_copy_sources(d, paths, 3, f->repo, NULL, err);
    if (rc == CT_OK)
        rc = ct__trace_dir_write_metadata(d, "rel/wd", "p", args, 1, err);
    if (rc == CT_OK)
        rc = ct__trace_dir_write_paths(d, paths, 3, err);
    if (rc == CT_OK)
        rc = ct__trace_dir_commit(d, err);
    else if (d)
        ct__trace_dir_abort(d);
    free(a_sol);
    free(out);
    return rc;
}

static void test_allocation_failures(void **state)
{
    repo_fixture f;
    uint64_t n;
    int failures = 0;
    (void)state;
    require_git();
    make_repo(&f);
    for (n = 1;; n++) {
        ct_test_alloc t;
        ct_error err;
        ct_status rc;
        ct_test_alloc_init(&t, n);
        rc = full_run(&f, &t.allocator, &err);
        assert_int_equal(t.live_blocks, 0);
        assert_int_equal(t.live_bytes, 0);
        if (rc == CT_OK)
            break;
        assert_int_equal(rc, CT_ENOMEM);
        assert_int_equal(ct_test_count_entries(f.root), 0);
        failures++;
    }
    assert_true(failures >= 8);
    assert_file_in(f.final, "files/mem/m.sol", "m");
    free_repo(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relpath_rules),
        cmocka_unit_test(test_uuid_v7),
        cmocka_unit_test(test_commit_writes_everything),
        cmocka_unit_test(test_workdir_defaults_to_cwd),
        cmocka_unit_test(test_existing_without_overwrite),
        cmocka_unit_test(test_overwrite_replaces_whole_folder),
        cmocka_unit_test(test_overwrite_refuses_non_trace),
        cmocka_unit_test(test_abort_leaves_nothing),
        cmocka_unit_test(test_commit_failure_leaves_nothing),
        cmocka_unit_test(test_parent_missing),
        cmocka_unit_test(test_disk_sources_and_missing),
        cmocka_unit_test(test_relative_source_kept_relative),
        cmocka_unit_test(test_escapes_refused),
        cmocka_unit_test(test_non_regular_source_refused),
        cmocka_unit_test(test_io_errors_name_the_path),
        cmocka_unit_test(test_git_sources_at_revision),
        cmocka_unit_test(test_git_errors),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
