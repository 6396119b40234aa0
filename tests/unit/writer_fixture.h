/*
 * Shared by the tests/unit/test_writer*.c files: a writer on a fresh temp folder, and reading
 * back what close produced. Header-only (static inline) because each test file is its own
 * executable.
 */
#ifndef CT_WRITER_FIXTURE_H
#define CT_WRITER_FIXTURE_H

#include "ct_test.h"

#include <ctrecord/writer.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct wfix {
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

static inline void wfix_init(wfix *f, ct_profile profile, ct_order_mode order)
{
    memset(f, 0, sizeof *f);
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
static inline void wfix_start(wfix *f, ct_profile profile, ct_order_mode order)
{
    wfix_init(f, profile, order);
    wfix_open(f);
    assert_int_equal(ct_writer_start(f->w, "/abs/src/Counter.sol", 1), CT_OK);
}

static inline char *wfix_read(const wfix *f, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    return ct_test_read_file(path, NULL);
}

/* Close successfully and return trace.json (malloc'd). */
static inline char *wfix_close(wfix *f)
{
    ct_error err;
    ct_status rc = ct_writer_close(f->w, &err);
    f->w = NULL;
    if (rc != CT_OK)
        fail_msg("ct_writer_close: %s", err.message);
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
