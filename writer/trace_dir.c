/* Life cycle of a trace folder: temporary sibling, then rename into place (see trace_dir.h). */
#include "trace_dir_impl.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"

static void trace_dir_free(ct__trace_dir *d)
{
    ct_allocator a = d->alloc;
    ct__path_free(&a, d->final_dir);
    ct__path_free(&a, d->tmp_dir);
    ct__path_free(&a, d->first_missing);
    ct__free(&a, d, sizeof *d);
}

/* True when `dir` is empty or holds one of the files that only a trace folder has. */
static bool looks_replaceable(const char *dir)
{
    static const char *const markers[] = {"trace.json", "trace.bin", "trace_metadata.json"};
    DIR *h = opendir(dir);
    struct dirent *e;
    bool empty = true, marker = false;
    size_t i;
    if (!h)
        return false;
    while ((e = readdir(h)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        empty = false;
        for (i = 0; i < sizeof markers / sizeof *markers; i++)
            marker = marker || !strcmp(e->d_name, markers[i]);
    }
    closedir(h);
    return empty || marker;
}

ct_status ct__trace_dir_check_target(const char *final_dir, bool overwrite, ct_error *err)
{
    struct stat st;
    if (lstat(final_dir, &st) != 0) {
        if (errno == ENOENT)
            return CT_OK;
        return ct__error_errno(err, CT_EIO, "%s", final_dir);
    }
    if (!overwrite)
        return ct__error_set(err, CT_EINVAL, "%s: already exists (overwrite not requested)",
                             final_dir);
    if (!S_ISDIR(st.st_mode) || !looks_replaceable(final_dir))
        return ct__error_set(err, CT_EINVAL,
                             "%s: exists and is not a trace folder; refusing to replace it",
                             final_dir);
    return CT_OK;
}

static ct_status open_into(ct__trace_dir *d, const char *final_dir, ct_error *err)
{
    d->final_dir = ct__path_strip_slashes(&d->alloc, final_dir);
    if (!d->final_dir)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", final_dir);
    if (!strcmp(d->final_dir, "/"))
        return ct__error_set(err, CT_EINVAL, "/: not a possible trace folder");
    CT_TRY(ct__trace_dir_check_target(d->final_dir, d->overwrite, err));
    return ct__fs_make_tmp_sibling(&d->tmp_dir, NULL, d->final_dir, &d->alloc, err);
}

ct_status ct__trace_dir_open(ct__trace_dir **out, const char *final_dir, bool overwrite,
                             const ct_allocator *a, ct_error *err)
{
    ct_allocator alloc = ct__allocator_or_default(a);
    ct__trace_dir *d;
    ct_status rc;
    *out = NULL;
    if (!final_dir || !*final_dir)
        return ct__error_set(err, CT_EINVAL, "trace folder: empty path");
    d = ct__calloc(&alloc, 1, sizeof *d);
    if (!d)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", final_dir);
    d->alloc = alloc;
    d->overwrite = overwrite;
    rc = open_into(d, final_dir, err);
    if (rc < 0) {
        trace_dir_free(d);
        return rc;
    }
    *out = d;
    return CT_OK;
}

const char *ct__trace_dir_path(const ct__trace_dir *d)
{
    return d->tmp_dir;
}

ct_status ct__trace_dir_commit(ct__trace_dir *d, ct_error *err)
{
    ct_status rc = ct__trace_dir_check_target(d->final_dir, d->overwrite, err);
    if (rc == CT_OK)
        rc = ct__fs_install_dir(d->tmp_dir, d->final_dir, d->overwrite, &d->alloc, err);
    if (rc < 0)
        (void)ct__fs_rmrf(d->tmp_dir);
    trace_dir_free(d);
    return rc;
}

void ct__trace_dir_abort(ct__trace_dir *d)
{
    if (!d)
        return;
    (void)ct__fs_rmrf(d->tmp_dir);
    trace_dir_free(d);
}

void ct__trace_dir_on_missing(ct__trace_dir *d, ct__trace_dir_missing_fn fn, void *payload)
{
    d->missing_fn = fn;
    d->missing_payload = payload;
}

uint64_t ct__trace_dir_missing_count(const ct__trace_dir *d)
{
    return d->missing;
}

const char *ct__trace_dir_first_missing(const ct__trace_dir *d)
{
    return d->first_missing;
}

ct_status ct__trace_dir_note_missing(ct__trace_dir *d, const char *trace_path, const char *why,
                                     ct_error *err)
{
    if (!d->first_missing) {
        d->first_missing = ct__strdup(&d->alloc, trace_path);
        if (!d->first_missing)
            return ct__error_set(err, CT_ENOMEM, "%s: out of memory", trace_path);
    }
    d->missing++;
    if (d->missing_fn)
        d->missing_fn(d->missing_payload, trace_path, why);
    return CT_OK;
}

char *ct__trace_dir_files_path(const ct__trace_dir *d, const char *rel)
{
    size_t tl = strlen(d->tmp_dir), rl = strlen(rel);
    char *p = ct__malloc(&d->alloc, tl + rl + sizeof "/files/");
    if (!p)
        return NULL;
    memcpy(p, d->tmp_dir, tl);
    memcpy(p + tl, "/files/", 7);
    memcpy(p + tl + 7, rel, rl + 1);
    return p;
}

ct_status ct__trace_dir_make_parents(const ct__trace_dir *d, char *dest, ct_error *err)
{
    return ct__fs_make_parents(dest, strlen(d->tmp_dir), err);
}
