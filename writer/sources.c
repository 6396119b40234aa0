/* files/: sources given in memory, read from disk, or taken from a git revision. */
#include "trace_dir_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"

#define COPY_BUFFER (64 * 1024)

/* "<tmp>/files/<rel of trace_path>"; folders are made only when something is written, so a
 * missing source leaves no empty folder behind. */
static ct_status prepare_dest(char **dest, ct__trace_dir *d, const char *trace_path,
                              ct_error *err)
{
    char *rel;
    *dest = NULL;
    CT_TRY(ct__source_relpath(&rel, trace_path, &d->alloc, err));
    *dest = ct__trace_dir_files_path(d, rel);
    ct__path_free(&d->alloc, rel);
    if (!*dest)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", trace_path);
    return CT_OK;
}

static ct_status write_dest(ct__trace_dir *d, char *dest, const void *data, size_t len,
                            ct_error *err)
{
    CT_TRY(ct__trace_dir_make_parents(d, dest, err));
    return ct__fs_write_file(dest, data, len, err);
}

ct_status ct__trace_dir_add_source(ct__trace_dir *d, const char *trace_path, const void *data,
                                   size_t len, ct_error *err)
{
    char *dest;
    ct_status rc;
    CT_TRY(prepare_dest(&dest, d, trace_path, err));
    rc = write_dest(d, dest, data, len, err);
    ct__path_free(&d->alloc, dest);
    return rc;
}

/* Directory part of `path` into `out` ("." when there is none). */
static void dirname_into(char *out, size_t cap, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (!slash) {
        snprintf(out, cap, ".");
        return;
    }
    if (n == 0)
        n = 1;   /* "/x" -> "/" */
    if (n >= cap)
        n = cap - 1;
    memcpy(out, path, n);
    out[n] = '\0';
}

/* The symlink rule of trace_dir.h for a source on disk whose last component is a link. */
static ct_status check_link(const char *path, ct_error *err)
{
    char target[PATH_MAX], real[PATH_MAX], dir[PATH_MAX], realdir[PATH_MAX];
    ssize_t n = readlink(path, target, sizeof target - 1);
    size_t dl;
    if (n < 0)
        return ct__error_errno(err, CT_EIO, "%s: cannot read symlink", path);
    target[n] = '\0';
    if (target[0] == '/')
        return ct__error_set(err, CT_EINVAL,
                             "%s: source is a symlink to the absolute path %s; refused", path,
                             target);
    dirname_into(dir, sizeof dir, path);
    if (!realpath(path, real))
        return CT_DONE;   /* dangling: reported as missing by the caller */
    if (!realpath(dir, realdir))
        return ct__error_errno(err, CT_EIO, "%s", dir);
    dl = strlen(realdir);
    if (strncmp(real, realdir, dl) != 0 || (real[dl] != '/' && strcmp(realdir, "/") != 0))
        return ct__error_set(err, CT_EINVAL,
                             "%s: source is a symlink to %s, outside its folder; refused", path,
                             target);
    return CT_OK;
}

/* Open a source on disk: fd >= 0, or CT_DONE with *why set when it does not exist. */
static ct_status open_disk_source(int *fd, const char *path, const char **why, ct_error *err)
{
    struct stat st;
    *fd = -1;
    if (lstat(path, &st) != 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            return ct__error_errno(err, CT_EIO, "%s", path);
        *why = strerror(errno);
        return CT_DONE;
    }
    if (S_ISLNK(st.st_mode)) {
        ct_status rc = check_link(path, err);
        if (rc != CT_OK) {
            *why = "dangling symlink";
            return rc;
        }
    }
    /* O_NONBLOCK: a FIFO named as a source must not hang the recording. */
    *fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (*fd < 0)
        return ct__error_errno(err, CT_EIO, "%s: cannot open source", path);
    if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(*fd);
        *fd = -1;
        return ct__error_set(err, CT_EINVAL, "%s: source is not a regular file", path);
    }
    return CT_OK;
}

static ct_status copy_fd(int in, const char *src, const char *dest, char *buf, ct_error *err)
{
    ct_status rc = CT_OK;
    int out = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (out < 0)
        return ct__error_errno(err, CT_EIO, "%s: cannot create", dest);
    for (;;) {
        ssize_t n = read(in, buf, COPY_BUFFER);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = ct__error_errno(err, CT_EIO, "%s: read failed", src);
            break;
        }
        if (n == 0)
            break;
        rc = ct__fs_write_all(out, buf, (size_t)n, dest, err);
        if (rc < 0)
            break;
    }
    if (close(out) != 0 && rc == CT_OK)
        rc = ct__error_errno(err, CT_EIO, "%s: write failed", dest);
    return rc;
}

/* One path: what to read, from where; the destination `dest` does not exist yet. */
static ct_status copy_one(ct__trace_dir *d, ct__git_source *git, const char *path, char *dest,
                          char *buf, ct_error *err)
{
    const char *why = NULL;
    char gitwhy[256];
    int fd;
    ct_status rc;
    if (git) {
        bool inside;
        const void *data;
        size_t len;
        rc = ct__git_source_read(git, path, &inside, &data, &len, gitwhy, sizeof gitwhy, err);
        if (rc == CT_DONE)
            return ct__trace_dir_note_missing(d, path, gitwhy, err);
        if (rc < 0 || inside)
            return rc < 0 ? rc : write_dest(d, dest, data, len, err);
    }
    rc = open_disk_source(&fd, path, &why, err);
    if (rc == CT_DONE)
        return ct__trace_dir_note_missing(d, path, why, err);
    CT_TRY(rc);
    rc = ct__trace_dir_make_parents(d, dest, err);
    if (rc == CT_OK)
        rc = copy_fd(fd, path, dest, buf, err);
    close(fd);
    return rc;
}

/* Skip a path already present in files/; a folder in its place is a conflict. */
static ct_status already_there(const char *path, const char *dest, bool *skip, ct_error *err)
{
    struct stat st;
    *skip = lstat(dest, &st) == 0;
    if (*skip && S_ISDIR(st.st_mode))
        return ct__error_set(err, CT_EINVAL,
                             "%s: conflicts with another source (its files/ copy is a folder)",
                             path);
    return CT_OK;
}

static ct_status copy_all(ct__trace_dir *d, ct__git_source *git, const char *const *paths,
                          size_t n, char *buf, ct_error *err)
{
    size_t i;
    for (i = 0; i < n; i++) {
        char *dest;
        bool skip;
        ct_status rc;
        CT_TRY(prepare_dest(&dest, d, paths[i], err));
        rc = already_there(paths[i], dest, &skip, err);
        if (rc == CT_OK && !skip)
            rc = copy_one(d, git, paths[i], dest, buf, err);
        ct__path_free(&d->alloc, dest);
        CT_TRY(rc);
    }
    return CT_OK;
}

ct_status ct__trace_dir_copy_sources(ct__trace_dir *d, const char *const *paths, size_t n,
                                     const char *git_repo, const char *git_rev, ct_error *err)
{
    ct__git_source *git = NULL;
    char *buf;
    ct_status rc;
    if (n == 0)
        return CT_OK;
    buf = ct__malloc(&d->alloc, COPY_BUFFER);
    if (!buf)
        return ct__error_set(err, CT_ENOMEM, "files/: out of memory");
    rc = git_repo ? ct__git_source_open(&git, git_repo, git_rev, &d->alloc, err) : CT_OK;
    if (rc == CT_OK)
        rc = copy_all(d, git, paths, n, buf, err);
    ct__git_source_close(git);
    ct__free(&d->alloc, buf, COPY_BUFFER);
    return rc;
}
