/*
 * Shared by the tests/unit/test_writer*.c files: a writer on a fresh temp folder, and reading
 * back what close produced. Header-only (static inline) because each test file is its own
 * executable. Every trace closed successfully in strict order is also kept under
 * $CT_BINARY_DIR/test-traces/<WFIX_SUITE>/<test>-<n>/ with a `profile` file, where the schema
 * tests validate it (docs/testing.md).
 */
#ifndef CT_WRITER_FIXTURE_H
#define CT_WRITER_FIXTURE_H

#include "ct_test.h"

#include <ctrecord/writer.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef WFIX_SUITE
#define WFIX_SUITE "test_writer"
#endif

typedef struct wfix {
    const char *name;        /* the test function, for the kept copy */
    int kept;
    bool no_keep;            /* large traces are not worth validating again */
    char *tmp;               /* temp parent folder */
    char dir[4096];          /* the trace folder (tmp/trace) */
    ct_writer_options opts;
    ct_writer *w;
} wfix;

/* The four events ct_writer_start emits for ("/abs/src/Counter.sol", 1). */
#define WFIX_START                                                                             \
    "[{\"Path\":\"/abs/src/Counter.sol\"},"                                                    \
    "{\"Function\":{\"path_id\":0,\"line\":1,\"name\":\"<toplevel>\"}},"                       \
    "{\"Call\":{\"function_id\":0,\"args\":[]}},"                                              \
    "{\"Type\":{\"kind\":30,\"lang_type\":\"None\",\"specific_info\":{\"kind\":\"None\"}}}"

#define wfix_init(f, profile, order) wfix_setup((f), (profile), (order), __func__)
#define wfix_start(f, profile, order) wfix_start_named((f), (profile), (order), __func__)

static inline void wfix_setup(wfix *f, ct_profile profile, ct_order_mode order,
                              const char *name)
{
    memset(f, 0, sizeof *f);
    f->name = name;
    f->tmp = ct_test_tmpdir("writer");
    assert_non_null(f->tmp);
    snprintf(f->dir, sizeof f->dir, "%s/trace", f->tmp);
    ct_writer_options_init(&f->opts);
    f->opts.profile = profile;
    f->opts.order = order;
    f->opts.copy_sources = false;
    f->opts.program = "prog";
}

static inline void wfix_open(wfix *f)
{
    ct_error err;
    ct_status rc = ct_writer_open(&f->w, f->dir, &f->opts, &err);
    if (rc != CT_OK)
        fail_msg("ct_writer_open: %s", err.message);
}

/* Open and start at ("/abs/src/Counter.sol", 1). */
static inline void wfix_start_named(wfix *f, ct_profile profile, ct_order_mode order,
                                    const char *name)
{
    wfix_setup(f, profile, order, name);
    wfix_open(f);
    assert_int_equal(ct_writer_start(f->w, "/abs/src/Counter.sol", 1), CT_OK);
}

static inline char *wfix_read(const wfix *f, const char *name)
{
    size_t n = strlen(f->dir) + strlen(name) + 2;
    char *path = malloc(n), *data;
    assert_non_null(path);
    snprintf(path, n, "%s/%s", f->dir, name);
    data = ct_test_read_file(path, NULL);
    free(path);
    return data;
}

/* Copy a loadable trace to where the schema tests look (strict order, no DropLastStep). */
static inline void wfix_keep(wfix *f)
{
    static const char *const profiles[3] = {"portable", "codetracer-25.11", "current"};
    const char *bin = getenv("CT_BINARY_DIR");
    char dest[8192];
    if (!bin || !*bin || f->no_keep || f->opts.order != CT_ORDER_STRICT ||
        f->opts.allow_drop_last_step)
        return;
    snprintf(dest, sizeof dest, "%s/test-traces/%s/%s-%d", bin, WFIX_SUITE, f->name, f->kept++);
    assert_int_equal(ct_test_system("rm -rf '%s' && mkdir -p '%s' && cp -R '%s/.' '%s/' && "
                                    "printf '%s' > '%s/profile'", dest, dest, f->dir, dest,
                                    profiles[f->opts.profile], dest), 0);
}

/* Close successfully and return trace.json (malloc'd). */
static inline char *wfix_close(wfix *f)
{
    ct_error err;
    ct_status rc = ct_writer_close(f->w, &err);
    f->w = NULL;
    if (rc != CT_OK)
        fail_msg("ct_writer_close: %s", err.message);
    wfix_keep(f);
    return wfix_read(f, "trace.json");
}

/* Number of entries in the temp parent (the trace folder and any leftovers). */
static inline int wfix_entries(const wfix *f)
{
    DIR *d = opendir(f->tmp);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static inline void wfix_done(wfix *f)
{
    ct_writer_abort(f->w);
    f->w = NULL;
    ct_test_rmrf(f->tmp);
    free(f->tmp);
    f->tmp = NULL;
}

/* Close expecting failure `code`; nothing may be left in the temp parent. */
static inline void wfix_close_fails(wfix *f, ct_status code)
{
    ct_error err;
    assert_int_equal(ct_writer_close(f->w, &err), code);
    assert_int_equal(err.code, code);
    f->w = NULL;
    assert_int_equal(wfix_entries(f), 0);
}

#endif
