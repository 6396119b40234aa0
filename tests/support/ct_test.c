/* Support code for the tests; see ct_test.h. */
#include "ct_test.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

static void *t_malloc(void *ctx, size_t size)
{
    ct_test_alloc *t = ctx;
    void *p;
    t->calls++;
    if (t->fail_at && t->calls == t->fail_at)
        return NULL;
    p = malloc(size ? size : 1);
    if (p) {
        t->live_bytes += (int64_t)size;
        t->live_blocks++;
        if (t->live_bytes > t->peak_bytes)
            t->peak_bytes = t->live_bytes;
    }
    return p;
}

static void *t_realloc(void *ctx, void *ptr, size_t old_size, size_t new_size)
{
    ct_test_alloc *t = ctx;
    void *p;
    if (new_size > old_size) {
        t->calls++;
        if (t->fail_at && t->calls == t->fail_at)
            return NULL;
    }
    p = realloc(ptr, new_size ? new_size : 1);
    if (p) {
        t->live_bytes += (int64_t)new_size - (int64_t)old_size;
        if (t->live_bytes > t->peak_bytes)
            t->peak_bytes = t->live_bytes;
    }
    return p;
}

static void t_free(void *ctx, void *ptr, size_t size)
{
    ct_test_alloc *t = ctx;
    if (!ptr)
        return;
    t->live_bytes -= (int64_t)size;
    t->live_blocks--;
    free(ptr);
}

void ct_test_alloc_init(ct_test_alloc *t, uint64_t fail_at)
{
    memset(t, 0, sizeof *t);
    t->allocator.malloc = t_malloc;
    t->allocator.realloc = t_realloc;
    t->allocator.free = t_free;
    t->allocator.ctx = t;
    t->fail_at = fail_at;
}

char *ct_test_tmpdir(const char *tag)
{
    const char *base = getenv("TMPDIR");
    char *path;
    size_t n;
    if (!base || !*base)
        base = "/tmp";
    n = strlen(base) + strlen(tag) + 32;
    path = malloc(n);
    if (!path)
        return NULL;
    snprintf(path, n, "%s/ct-%s-XXXXXX", base, tag);
    if (!mkdtemp(path)) {
        free(path);
        return NULL;
    }
    return path;
}

int ct_test_system(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    int rc;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    rc = system(cmd);
    if (rc == -1)
        return -1;
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

void ct_test_rmrf(const char *path)
{
    if (path && *path && strcmp(path, "/") != 0)
        (void)ct_test_system("rm -rf '%s'", path);
}

char *ct_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, r;
    if (!f)
        return NULL;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            char *nb;
            cap = (cap + 65536) * 2;
            nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, 65536, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int ct_test_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok;
    if (!f)
        return -1;
    ok = fwrite(data, 1, len, f) == len;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

int ct_test_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

char *ct_test_env_path(const char *var, const char *rel)
{
    const char *base = getenv(var);
    char *p;
    size_t n;
    if (!base || !*base)
        return NULL;
    n = strlen(base) + strlen(rel) + 2;
    p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", base, rel);
    return p;
}

char *ct_test_shared(const char *rel)
{
    char *p = ct_test_env_path("CT_SHARED_DIR", rel);
    if (p && !ct_test_exists(p)) {
        free(p);
        return NULL;
    }
    return p;
}

char *ct_test_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

int ct_test_count_entries(const char *dir)
{
    DIR *h = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!h)
        return -1;
    while ((e = readdir(h)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(h);
    return n;
}

unsigned char *ct_test_gzip(const void *data, size_t len, size_t *out_len)
{
    z_stream z;
    size_t cap = (size_t)compressBound((uLong)len) + 64;
    unsigned char *out = malloc(cap);
    assert_non_null(out);
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                     Z_OK);
    z.next_in = (unsigned char *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = z.total_out;
    deflateEnd(&z);
    return out;
}

cJSON *ct_test_read_json(const char *path)
{
    char *text = ct_test_read_file(path, NULL);
    cJSON *doc;
    assert_non_null(text);
    doc = cJSON_Parse(text);
    free(text);
    assert_non_null(doc);
    return doc;
}
