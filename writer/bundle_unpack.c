/*
 * ct_bundle_unpack: a .tar.gz into a new folder. Every member name is checked before anything is
 * created, only regular files and folders are ever created (so no member can redirect a later
 * one through a link), and everything goes into a temporary sibling renamed at the end.
 */
#include <ctrecord/bundle.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tar.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/gzio.h"

#define MAX_EXTENDED_HEADER (1024 * 1024)

typedef struct unpacker {
    ct__gzr gz;
    const char *archive;
    const char *root;            /* the temporary folder */
    uint64_t at;                 /* uncompressed offset of the current header */
    char *next_path;             /* from a pax 'path' record or a GNU long name */
    uint64_t next_size;
    bool has_next_size;
    unsigned char *buf;          /* CT__GZ_BUFFER bytes */
} unpacker;

static ct_status read_exact(unpacker *u, void *buf, size_t n, ct_error *err)
{
    size_t got;
    CT_TRY(ct__gzr_read(&u->gz, buf, n, &got, err));
    if (got < n)
        return ct__error_set_at(err, CT_EPARSE, u->gz.out_offset,
                                "%s: truncated archive (ends inside the member at byte %llu)",
                                u->archive, (unsigned long long)u->at);
    return CT_OK;
}

static ct_status skip(unpacker *u, uint64_t n, ct_error *err)
{
    while (n > 0) {
        size_t chunk = n > CT__GZ_BUFFER ? CT__GZ_BUFFER : (size_t)n;
        CT_TRY(read_exact(u, u->buf, chunk, err));
        n -= chunk;
    }
    return CT_OK;
}

static ct_status refuse(const unpacker *u, const char *name, const char *why, ct_error *err)
{
    return ct__error_set_at(err, CT_EPARSE, u->at, "%s: member '%s' (byte %llu): %s; refused",
                            u->archive, name, (unsigned long long)u->at, why);
}

/* Validate `name` and build "<root>/<clean name>" into *path; *is_root for "." or "./". */
static ct_status member_path(const unpacker *u, const char *name, char **path, bool *is_root,
                             ct_error *err)
{
    size_t rl = strlen(u->root), n = rl, i = 0;
    char *p;
    *path = NULL;
    if (name[0] == '/')
        return refuse(u, name, "absolute name", err);
    p = ct__malloc(NULL, rl + strlen(name) + 2);
    if (!p)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", u->archive);
    memcpy(p, u->root, rl);
    while (name[i]) {
        size_t s = i;
        while (name[i] && name[i] != '/')
            i++;
        if (i - s == 2 && name[s] == '.' && name[s + 1] == '.') {
            ct__free(NULL, p, rl + strlen(name) + 2);
            return refuse(u, name, "'..' in the name", err);
        }
        if (i - s > 0 && !(i - s == 1 && name[s] == '.')) {
            p[n++] = '/';
            memcpy(p + n, name + s, i - s);
            n += i - s;
        }
        if (name[i])
            i++;
    }
    p[n] = '\0';
    *is_root = n == rl;
    /* Re-allocate at the exact size so ct__path_free's size matches. */
    *path = ct__strdup(NULL, p);
    ct__free(NULL, p, rl + strlen(name) + 2);
    return *path ? CT_OK : ct__error_set(err, CT_ENOMEM, "%s: out of memory", u->archive);
}

static ct_status extract_file(unpacker *u, const char *path, uint32_t mode, uint64_t size,
                              ct_error *err)
{
    ct_status rc;
    int fd;
    CT_TRY(ct__fs_make_parents((char *)path, strlen(u->root), err));
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
              (mode_t)((mode & 0777) | 0600));
    if (fd < 0)
        return ct__error_errno(err, CT_EIO, "%s: cannot create", path);
    rc = CT_OK;
    while (rc == CT_OK && size > 0) {
        size_t chunk = size > CT__GZ_BUFFER ? CT__GZ_BUFFER : (size_t)size;
        rc = read_exact(u, u->buf, chunk, err);
        if (rc == CT_OK)
            rc = ct__fs_write_all(fd, u->buf, chunk, path, err);
        size -= chunk;
    }
    if (close(fd) != 0 && rc == CT_OK)
        rc = ct__error_errno(err, CT_EIO, "%s: write failed", path);
    return rc;
}

static ct_status extract_dir(unpacker *u, const char *path, ct_error *err)
{
    struct stat st;
    CT_TRY(ct__fs_make_parents((char *)path, strlen(u->root), err));
    if (mkdir(path, 0777) == 0)
        return CT_OK;
    if (errno == EEXIST && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return CT_OK;
    return ct__error_errno(err, CT_EIO, "%s: cannot create folder", path);
}

/* The pending name of a pax/GNU extension member. */
static ct_status read_extension(unpacker *u, const ct__tar_member *m, ct_error *err)
{
    char *data;
    ct_status rc;
    if (m->size > MAX_EXTENDED_HEADER)
        return refuse(u, m->name, "extended header larger than 1 MiB", err);
    data = ct__malloc(NULL, (size_t)m->size + 1);
    if (!data)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", u->archive);
    rc = read_exact(u, data, (size_t)m->size, err);
    data[m->size] = '\0';
    if (rc == CT_OK && m->type == CT__TAR_PAX)
        rc = ct__tar_parse_pax(data, (size_t)m->size, &u->next_path, &u->next_size,
                               &u->has_next_size, u->archive, u->at, err);
    if (rc == CT_OK && m->type == CT__TAR_GNU_LONGNAME) {
        ct__path_free(NULL, u->next_path);
        u->next_path = ct__strdup(NULL, data);
        if (!u->next_path)
            rc = ct__error_set(err, CT_ENOMEM, "%s: out of memory", u->archive);
    }
    ct__free(NULL, data, (size_t)m->size + 1);
    return rc == CT_OK ? skip(u, ct__tar_padding(m->size), err) : rc;
}

static const char *refused_type(char type)
{
    switch (type) {
    case CT__TAR_SYMLINK: return "symlink";
    case CT__TAR_HARDLINK: return "hard link";
    case CT__TAR_CHAR: return "character device";
    case CT__TAR_BLOCKDEV: return "block device";
    case CT__TAR_FIFO: return "FIFO";
    case CT__TAR_GNU_LONGLINK: return "link target";
    default: return "unknown member type";
    }
}

/* A real member (file or folder) with its final name and size. */
static ct_status extract_member(unpacker *u, const ct__tar_member *m, const char *name,
                                uint64_t size, ct_error *err)
{
    bool file = m->type == CT__TAR_FILE || m->type == CT__TAR_FILE_OLD ||
                m->type == CT__TAR_CONTIGUOUS;
    bool is_root = false;
    char *path;
    ct_status rc;
    if (!file && m->type != CT__TAR_DIR)
        return refuse(u, name, refused_type(m->type), err);
    CT_TRY(member_path(u, name, &path, &is_root, err));
    if (is_root && file)
        rc = refuse(u, name, "a file without a name", err);
    else if (file)
        rc = extract_file(u, path, m->mode, size, err);
    else
        rc = is_root ? skip(u, size, err) : extract_dir(u, path, err);
    if (rc == CT_OK && !file && !is_root)
        rc = skip(u, size, err);
    if (rc == CT_OK)
        rc = skip(u, ct__tar_padding(size), err);
    ct__path_free(NULL, path);
    return rc;
}

/* One header; *end at the end-of-archive block. */
static ct_status next_member(unpacker *u, bool *end, ct_error *err)
{
    unsigned char block[CT__TAR_BLOCK];
    ct__tar_member m;
    size_t got;
    ct_status rc;
    u->at = u->gz.out_offset;
    CT_TRY(ct__gzr_read(&u->gz, block, sizeof block, &got, err));
    if (got < sizeof block)
        return ct__error_set_at(err, CT_EPARSE, u->at,
                                "%s: truncated archive (no end-of-archive marker at byte %llu)",
                                u->archive, (unsigned long long)u->at);
    *end = ct__tar_is_zero(block);
    if (*end)
        return CT_OK;
    CT_TRY(ct__tar_decode(&m, block, u->archive, u->at, err));
    if (m.type == CT__TAR_PAX || m.type == CT__TAR_GNU_LONGNAME)
        return read_extension(u, &m, err);
    if (m.type == CT__TAR_PAX_GLOBAL)
        return skip(u, m.size + ct__tar_padding(m.size), err);
    rc = extract_member(u, &m, u->next_path ? u->next_path : m.name,
                        u->has_next_size ? u->next_size : m.size, err);
    ct__path_free(NULL, u->next_path);
    u->next_path = NULL;
    u->has_next_size = false;
    return rc;
}

/* Read to the end of the gzip data, so its CRC and length are checked. */
static ct_status drain(unpacker *u, ct_error *err)
{
    size_t got;
    do
        CT_TRY(ct__gzr_read(&u->gz, u->buf, CT__GZ_BUFFER, &got, err));
    while (got == CT__GZ_BUFFER);
    return CT_OK;
}

static ct_status unpack_all(unpacker *u, int fd, ct_error *err)
{
    bool end = false;
    CT_TRY(ct__gzr_init(&u->gz, fd, u->archive, err));
    while (!end)
        CT_TRY(next_member(u, &end, err));
    return drain(u, err);
}

static ct_status unpack_fd(int fd, const char *tar_gz, const char *tmp, ct_error *err)
{
    unpacker u;
    ct_status rc;
    memset(&u, 0, sizeof u);
    u.archive = tar_gz;
    u.root = tmp;
    u.buf = ct__malloc(NULL, CT__GZ_BUFFER);
    if (!u.buf)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", tar_gz);
    rc = unpack_all(&u, fd, err);
    ct__gzr_end(&u.gz);
    ct__path_free(NULL, u.next_path);
    ct__free(NULL, u.buf, CT__GZ_BUFFER);
    return rc;
}

static ct_status unpack_to(const char *tar_gz, const char *dest_dir, ct_error *err)
{
    char *tmp;
    ct_status rc;
    int fd;
    if (ct__fs_exists(dest_dir))
        return ct__error_set(err, CT_EINVAL, "%s: already exists", dest_dir);
    fd = open(tar_gz, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ct__error_errno(err, CT_EIO, "%s: cannot open", tar_gz);
    rc = ct__fs_make_tmp_sibling(&tmp, NULL, dest_dir, NULL, err);
    if (rc == CT_OK) {
        rc = unpack_fd(fd, tar_gz, tmp, err);
        if (rc == CT_OK)
            rc = ct__fs_install_dir(tmp, dest_dir, false, NULL, err);
        if (rc < 0)
            (void)ct__fs_rmrf(tmp);
        ct__path_free(NULL, tmp);
    }
    close(fd);
    return rc;
}

ct_status ct_bundle_unpack(const char *tar_gz, const char *dest_dir, ct_error *err)
{
    char *dest;
    ct_status rc;
    if (!tar_gz || !*tar_gz || !dest_dir || !*dest_dir)
        return ct__error_set(err, CT_EINVAL, "unbundle: empty path");
    dest = ct__path_strip_slashes(NULL, dest_dir);   /* "out/" must not put the temp inside */
    if (!dest)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", dest_dir);
    rc = unpack_to(tar_gz, dest, err);
    ct__path_free(NULL, dest);
    return rc;
}
