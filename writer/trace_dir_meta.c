/* trace_metadata.json and trace_paths.json, written compact like serde_json::to_string. */
#include "trace_dir_impl.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sink.h"
#include "uuid.h"

/* Lexically clean an absolute path in place: drop empty and "." components, let ".." pop. */
static void clean_absolute(char *p)
{
    char *w = p, *r = p;
    while (*r) {
        char *s;
        size_t cl;
        while (*r == '/')
            r++;
        s = r;
        while (*r && *r != '/')
            r++;
        cl = (size_t)(r - s);
        if (cl == 0 || (cl == 1 && s[0] == '.'))
            continue;
        if (cl == 2 && s[0] == '.' && s[1] == '.') {
            while (w > p && *--w != '/')
                ;
            continue;
        }
        *w++ = '/';
        memmove(w, s, cl);
        w += cl;
    }
    if (w == p)
        *w++ = '/';
    *w = '\0';
}

/* The absolute, lexically clean workdir into a new string (ct__path_free). */
static ct_status absolute_workdir(char **out, const ct__trace_dir *d, const char *workdir,
                                  ct_error *err)
{
    char cwd[PATH_MAX];
    char *raw;
    size_t raw_size;
    *out = NULL;
    if (workdir && workdir[0] == '/')
        raw = ct__strdup(&d->alloc, workdir);
    else if (!getcwd(cwd, sizeof cwd))
        return ct__error_errno(err, CT_EIO, "trace_metadata.json: cannot get the current folder");
    else
        raw = workdir && *workdir ? ct__path_join(&d->alloc, cwd, workdir)
                                  : ct__strdup(&d->alloc, cwd);
    if (!raw)
        return ct__error_set(err, CT_ENOMEM, "trace_metadata.json: out of memory");
    raw_size = strlen(raw) + 1;
    clean_absolute(raw);
    *out = ct__strdup(&d->alloc, raw);   /* exact size, so ct__path_free matches */
    ct__free(&d->alloc, raw, raw_size);
    if (!*out)
        return ct__error_set(err, CT_ENOMEM, "trace_metadata.json: out of memory");
    return CT_OK;
}

static void put_string(ct__sink *s, const char *str)
{
    ct__sink_json_string(s, str ? str : "", str ? strlen(str) : 0);
}

static void put_string_array(ct__sink *s, const char *const *v, size_t n)
{
    size_t i;
    ct__sink_putc(s, '[');
    for (i = 0; i < n; i++) {
        if (i)
            ct__sink_putc(s, ',');
        put_string(s, v[i]);
    }
    ct__sink_putc(s, ']');
}

/* Open an atomic sink on "<tmp>/<name>". */
static ct_status open_json(ct__sink **s, const ct__trace_dir *d, const char *name, ct_error *err)
{
    char *path = ct__path_join(&d->alloc, d->tmp_dir, name);
    ct_status rc;
    if (!path)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", name);
    rc = ct__sink_open_file(s, path, &d->alloc, err);
    ct__path_free(&d->alloc, path);
    return rc;
}

static ct_status finish_json(ct__sink *s, ct_error *err)
{
    ct_status rc = ct__sink_commit(s, err);
    ct__sink_free(s);
    return rc;
}

ct_status ct__trace_dir_write_metadata(ct__trace_dir *d, const char *workdir,
                                       const char *program, const char *const *args,
                                       size_t nargs, ct_error *err)
{
    char uuid[CT__UUID_STR_LEN + 1];
    char *wd;
    ct__sink *s;
    ct_status rc;
    CT_TRY(ct__uuid_v7(uuid, err));
    CT_TRY(absolute_workdir(&wd, d, workdir, err));
    rc = open_json(&s, d, "trace_metadata.json", err);
    if (rc == CT_OK) {
        ct__sink_puts(s, "{\"recording_id\":");
        put_string(s, uuid);
        ct__sink_puts(s, ",\"workdir\":");
        put_string(s, wd);
        ct__sink_puts(s, ",\"program\":");
        put_string(s, program);
        ct__sink_puts(s, ",\"args\":");
        put_string_array(s, args, nargs);
        ct__sink_putc(s, '}');
        rc = finish_json(s, err);
    }
    ct__path_free(&d->alloc, wd);
    return rc;
}

ct_status ct__trace_dir_write_paths(ct__trace_dir *d, const char *const *paths, size_t n,
                                    ct_error *err)
{
    ct__sink *s;
    CT_TRY(open_json(&s, d, "trace_paths.json", err));
    put_string_array(s, paths, n);
    return finish_json(s, err);
}
