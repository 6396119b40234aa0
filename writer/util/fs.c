/* Filesystem helpers; see fs.h. _GNU_SOURCE is for renameat2 and nftw. */
#define _GNU_SOURCE
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/random.h"

char *ct__path_join(const ct_allocator *a, const char *dir, const char *rel)
{
    size_t dl = strlen(dir), rl = strlen(rel);
    char *p = ct__malloc(a, dl + rl + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, rel, rl + 1);
    return p;
}

char *ct__path_strip_slashes(const ct_allocator *a, const char *path)
{
    size_t n = strlen(path);
    char *p;
    while (n > 1 && path[n - 1] == '/')
        n--;
    p = ct__malloc(a, n + 1);
    if (p) {
        memcpy(p, path, n);
        p[n] = '\0';
    }
    return p;
}

void ct__path_free(const ct_allocator *a, char *p)
{
    if (p)
        ct__free(a, p, strlen(p) + 1);
}

static ct_status make_dir(const char *path, ct_error *err)
{
    struct stat st;
    if (mkdir(path, 0777) == 0)
        return CT_OK;
    if (errno != EEXIST)
        return ct__error_errno(err, CT_EIO, "%s: cannot create folder", path);
    if (lstat(path, &st) != 0)
        return ct__error_errno(err, CT_EIO, "%s", path);
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return ct__error_errno(err, CT_EIO, "%s: cannot create folder", path);
    }
    return CT_OK;
}

ct_status ct__fs_make_parents(char *path, size_t base_len, ct_error *err)
{
    size_t i;
    for (i = base_len + 1; path[i]; i++) {
        ct_status rc;
        if (path[i] != '/')
            continue;
        path[i] = '\0';
        rc = make_dir(path, err);
        path[i] = '/';
        if (rc < 0)
            return rc;
    }
    return CT_OK;
}

ct_status ct__fs_write_all(int fd, const void *data, size_t len, const char *name,
                           ct_error *err)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = ENOSPC;
            return ct__error_errno(err, CT_EIO, "%s: write failed", name);
        }
        p += n;
        len -= (size_t)n;
    }
    return CT_OK;
}

ct_status ct__fs_write_file(const char *path, const void *data, size_t len, ct_error *err)
{
    ct_status rc;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return ct__error_errno(err, CT_EIO, "%s: cannot create", path);
    rc = ct__fs_write_all(fd, data, len, path, err);
    if (close(fd) != 0 && rc == CT_OK)
        rc = ct__error_errno(err, CT_EIO, "%s: write failed", path);
    return rc;
}

/* Try one random name; returns 1 when the name was taken (caller retries). */
static int try_tmp(char *name, size_t suffix_at, int *fd, ct_status *rc, ct_error *err)
{
    *rc = ct__random_name(name + suffix_at, 6, err);
    if (*rc < 0)
        return 0;
    if (fd) {
        *fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (*fd >= 0)
            return 0;
    } else if (mkdir(name, 0777) == 0) {
        return 0;
    }
    if (errno == EEXIST)
        return 1;
    *rc = ct__error_errno(err, CT_EIO, "%s: cannot create", name);
    return 0;
}

ct_status ct__fs_make_tmp_sibling(char **out, int *fd, const char *path, const ct_allocator *a,
                                  ct_error *err)
{
    static const char tag[] = ".tmp-XXXXXX";
    size_t len = strlen(path);
    char *name = ct__malloc(a, len + sizeof tag);
    ct_status rc = CT_OK;
    int attempt;
    *out = NULL;
    if (!name)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", path);
    memcpy(name, path, len);
    memcpy(name + len, tag, sizeof tag);
    for (attempt = 0; attempt < 100; attempt++)
        if (!try_tmp(name, len + 5, fd, &rc, err))
            break;
    if (attempt == 100)
        rc = ct__error_set(err, CT_EIO, "%s: no free temporary name", path);
    if (rc < 0) {
        ct__free(a, name, len + sizeof tag);
        return rc;
    }
    *out = name;
    return CT_OK;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
    return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
}

int ct__fs_rmrf(const char *path)
{
    if (!path || !*path)
        return 0;
    if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        return errno == ENOENT ? 0 : -1;
    return 0;
}

bool ct__fs_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static bool no_rename_flags(void)
{
    return errno == EINVAL || errno == ENOSYS;
}

static ct_status install_new(const char *tmp, const char *final, ct_error *err)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) == 0)
        return CT_OK;
    if (errno == EEXIST)
        return ct__error_set(err, CT_EINVAL, "%s: already exists", final);
    if (!no_rename_flags())
        return ct__error_errno(err, CT_EIO, "%s: cannot rename into place", final);
    if (ct__fs_exists(final))
        return ct__error_set(err, CT_EINVAL, "%s: already exists", final);
    if (rename(tmp, final) != 0)
        return ct__error_errno(err, CT_EIO, "%s: cannot rename into place", final);
    return CT_OK;
}

/* Fallback when the filesystem cannot exchange: old aside, new in, old back on failure. */
static ct_status install_swap_fallback(const char *tmp, const char *final,
                                      const ct_allocator *a, ct_error *err)
{
    char *aside;
    ct_status rc;
    CT_TRY(ct__fs_make_tmp_sibling(&aside, NULL, final, a, err));
    if (rename(final, aside) != 0) {
        rc = ct__error_errno(err, CT_EIO, "%s: cannot move the old folder aside", final);
        (void)rmdir(aside);
    } else if (rename(tmp, final) != 0) {
        rc = ct__error_errno(err, CT_EIO, "%s: cannot rename into place", final);
        (void)rename(aside, final);
    } else {
        rc = CT_OK;
        (void)ct__fs_rmrf(aside);
    }
    ct__path_free(a, aside);
    return rc;
}

ct_status ct__fs_install_dir(const char *tmp, const char *final, bool overwrite,
                             const ct_allocator *a, ct_error *err)
{
    if (!overwrite || !ct__fs_exists(final))
        return install_new(tmp, final, err);
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_EXCHANGE) == 0) {
        (void)ct__fs_rmrf(tmp);   /* tmp now names the old folder */
        return CT_OK;
    }
    if (!no_rename_flags())
        return ct__error_errno(err, CT_EIO, "%s: cannot replace", final);
    return install_swap_fallback(tmp, final, a, err);
}
