/* ct_bundle_pack: a folder into a .tar.gz, written to a temporary file and renamed at the end. */
#include <ctrecord/bundle.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tar.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/gzio.h"

typedef struct packer {
    ct__gzw gz;
    unsigned char *buf;      /* CT__GZ_BUFFER bytes for file contents */
} packer;

static const unsigned char zeros[CT__TAR_BLOCK];

static ct_status emit_header(packer *p, const ct__tar_member *m, const char *name,
                             ct_error *err)
{
    unsigned char block[CT__TAR_BLOCK], pax_block[CT__TAR_BLOCK];
    char *pax;
    size_t pax_len;
    ct_status rc = CT_OK;
    CT_TRY(ct__tar_encode(block, m, name, &pax, &pax_len, err));
    if (pax) {
        ct__tar_encode_pax_header(pax_block, name, pax_len);
        rc = ct__gzw_write(&p->gz, pax_block, sizeof pax_block, err);
        if (rc == CT_OK)
            rc = ct__gzw_write(&p->gz, pax, pax_len, err);
        if (rc == CT_OK)
            rc = ct__gzw_write(&p->gz, zeros, ct__tar_padding(pax_len), err);
        ct__free(NULL, pax, pax_len + 1);
    }
    if (rc == CT_OK)
        rc = ct__gzw_write(&p->gz, block, sizeof block, err);
    return rc;
}

/* Exactly `size` bytes of `fd` (the size in the header already written). */
static ct_status emit_content(packer *p, int fd, const char *path, uint64_t size,
                              ct_error *err)
{
    uint64_t left = size;
    while (left > 0) {
        size_t want = left > CT__GZ_BUFFER ? CT__GZ_BUFFER : (size_t)left;
        ssize_t n = read(fd, p->buf, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ct__error_errno(err, CT_EIO, "%s: read failed", path);
        if (n == 0)
            return ct__error_set(err, CT_EIO, "%s: file shrank while being packed", path);
        CT_TRY(ct__gzw_write(&p->gz, p->buf, (size_t)n, err));
        left -= (uint64_t)n;
    }
    return ct__gzw_write(&p->gz, zeros, ct__tar_padding(size), err);
}

static ct_status emit_file(packer *p, const char *path, const char *name, ct_error *err)
{
    ct__tar_member m;
    struct stat st;
    ct_status rc;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return ct__error_errno(err, CT_EIO, "%s: cannot open", path);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return ct__error_set(err, CT_EIO, "%s: changed while being packed", path);
    }
    memset(&m, 0, sizeof m);
    m.type = CT__TAR_FILE;
    m.mode = (uint32_t)(st.st_mode & 0777);
    m.size = (uint64_t)st.st_size;
    m.mtime = st.st_mtime > 0 ? (uint64_t)st.st_mtime : 0;
    rc = emit_header(p, &m, name, err);
    if (rc == CT_OK)
        rc = emit_content(p, fd, path, m.size, err);
    close(fd);
    return rc;
}

static ct_status walk(packer *p, const char *path, const char *rel, ct_error *err);

static ct_status emit_dir(packer *p, const char *path, const char *name, const struct stat *st,
                          ct_error *err)
{
    ct__tar_member m;
    size_t n = strlen(name);
    char *slashed = ct__malloc(NULL, n + 2);
    ct_status rc;
    if (!slashed)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", path);
    memcpy(slashed, name, n);
    memcpy(slashed + n, "/", 2);
    memset(&m, 0, sizeof m);
    m.type = CT__TAR_DIR;
    m.mode = (uint32_t)(st->st_mode & 0777);
    m.mtime = st->st_mtime > 0 ? (uint64_t)st->st_mtime : 0;
    rc = emit_header(p, &m, slashed, err);
    ct__free(NULL, slashed, n + 2);
    return rc == CT_OK ? walk(p, path, name, err) : rc;
}

static ct_status emit_entry(packer *p, const char *dir, const char *rel, const char *entry,
                            ct_error *err)
{
    char *path = ct__path_join(NULL, dir, entry);
    char *name = rel ? ct__path_join(NULL, rel, entry) : ct__strdup(NULL, entry);
    struct stat st;
    ct_status rc;
    if (!path || !name)
        rc = ct__error_set(err, CT_ENOMEM, "%s: out of memory", dir);
    else if (lstat(path, &st) != 0)
        rc = ct__error_errno(err, CT_EIO, "%s", path);
    else if (S_ISDIR(st.st_mode))
        rc = emit_dir(p, path, name, &st, err);
    else if (S_ISREG(st.st_mode))
        rc = emit_file(p, path, name, err);
    else
        rc = ct__error_set(err, CT_EINVAL,
                           "%s: not a regular file or folder (symlinks, devices and FIFOs are "
                           "not packed)", path);
    ct__path_free(NULL, path);
    ct__path_free(NULL, name);
    return rc;
}

/* Byte order, not alphasort's strcoll: the member order must not depend on the locale. */
static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static ct_status walk(packer *p, const char *path, const char *rel, ct_error *err)
{
    struct dirent **list;
    ct_status rc = CT_OK;
    int n = scandir(path, &list, NULL, by_name), i;
    if (n < 0)
        return ct__error_errno(err, CT_EIO, "%s: cannot list folder", path);
    for (i = 0; i < n; i++) {
        const char *e = list[i]->d_name;
        if (rc == CT_OK && strcmp(e, ".") != 0 && strcmp(e, "..") != 0)
            rc = emit_entry(p, path, rel, e, err);
        free(list[i]);
    }
    free(list);
    return rc;
}

/* `out` must not land inside `dir`: the archive would try to contain itself. */
static ct_status check_paths(const char *dir, const char *out, ct_error *err)
{
    char rdir[PATH_MAX], rparent[PATH_MAX], parent[PATH_MAX];
    const char *slash = strrchr(out, '/');
    struct stat st;
    size_t n;
    if (stat(dir, &st) != 0)
        return ct__error_errno(err, CT_EIO, "%s", dir);
    if (!S_ISDIR(st.st_mode))
        return ct__error_set(err, CT_EINVAL, "%s: not a folder", dir);
    /* Renaming onto a folder fails late, and onto a device (as root) replaces the device. */
    if (stat(out, &st) == 0 && !S_ISREG(st.st_mode))
        return ct__error_set(err, CT_EINVAL, "%s: exists and is not a regular file; only a "
                             "file is replaced", out);
    snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - out) + (slash == out) : 1,
             slash ? out : ".");
    if (!realpath(dir, rdir))
        return ct__error_errno(err, CT_EIO, "%s", dir);
    if (!realpath(parent, rparent))
        return ct__error_errno(err, CT_EIO, "%s", parent);
    n = strlen(rdir);
    if (!strncmp(rparent, rdir, n) && (rparent[n] == '\0' || rparent[n] == '/'))
        return ct__error_set(err, CT_EINVAL, "%s: the bundle cannot be written inside %s", out,
                             dir);
    return CT_OK;
}

static ct_status pack_into(packer *p, int fd, const char *dir, const char *tmp, ct_error *err)
{
    ct_status rc = ct__gzw_init(&p->gz, fd, tmp, err);
    if (rc == CT_OK)
        rc = walk(p, dir, NULL, err);
    if (rc == CT_OK)
        rc = ct__gzw_write(&p->gz, zeros, sizeof zeros, err);
    if (rc == CT_OK)
        rc = ct__gzw_write(&p->gz, zeros, sizeof zeros, err);
    if (rc == CT_OK)
        rc = ct__gzw_finish(&p->gz, err);
    ct__gzw_end(&p->gz);
    return rc;
}

ct_status ct_bundle_pack(const char *dir, const char *out_tar_gz, ct_error *err)
{
    packer p;
    char *tmp;
    int fd;
    ct_status rc;
    if (!dir || !*dir || !out_tar_gz || !*out_tar_gz)
        return ct__error_set(err, CT_EINVAL, "bundle: empty path");
    CT_TRY(check_paths(dir, out_tar_gz, err));
    memset(&p, 0, sizeof p);
    p.buf = ct__malloc(NULL, CT__GZ_BUFFER);
    if (!p.buf)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", out_tar_gz);
    rc = ct__fs_make_tmp_sibling(&tmp, &fd, out_tar_gz, NULL, err);
    if (rc == CT_OK) {
        rc = pack_into(&p, fd, dir, tmp, err);
        if (close(fd) != 0 && rc == CT_OK)
            rc = ct__error_errno(err, CT_EIO, "%s: write failed", tmp);
        if (rc == CT_OK && rename(tmp, out_tar_gz) != 0)
            rc = ct__error_errno(err, CT_EIO, "%s: cannot rename into place", out_tar_gz);
        if (rc < 0)
            (void)unlink(tmp);
        ct__path_free(NULL, tmp);
    }
    ct__free(NULL, p.buf, CT__GZ_BUFFER);
    return rc;
}
