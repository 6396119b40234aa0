/* Decoding of ustar headers and pax records, strict about everything that is checkable. */
#include "tar.h"

#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"

#define OFF_NAME 0
#define OFF_MODE 100
#define OFF_SIZE 124
#define OFF_MTIME 136
#define OFF_CHKSUM 148
#define OFF_TYPE 156
#define OFF_MAGIC 257
#define OFF_PREFIX 345

/* An octal field (leading spaces, digits, then NUL/space padding) or a base-256 field (high
 * bit of the first byte set, GNU/star). False when malformed. */
static bool parse_number(const unsigned char *f, size_t width, uint64_t *out)
{
    size_t i = 0;
    uint64_t v = 0;
    if (f[0] & 0x80) {
        if (f[0] != 0x80)
            return false;   /* negative or more than 64 bits */
        for (i = 1; i < width; i++) {
            if (v >> 56)
                return false;
            v = (v << 8) | f[i];
        }
        *out = v;
        return true;
    }
    while (i < width && f[i] == ' ')
        i++;
    for (; i < width && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v >> 61)
            return false;
        v = (v << 3) | (uint64_t)(f[i] - '0');
    }
    for (; i < width; i++)
        if (f[i] != '\0' && f[i] != ' ')
            return false;
    *out = v;
    return true;
}

static bool checksum_ok(const unsigned char *b)
{
    uint64_t stored;
    unsigned int usum = 0;
    int ssum = 0, i;
    if (!parse_number(b + OFF_CHKSUM, 8, &stored))
        return false;
    for (i = 0; i < CT__TAR_BLOCK; i++) {
        unsigned char c = (i >= OFF_CHKSUM && i < OFF_CHKSUM + 8) ? ' ' : b[i];
        usum += c;
        ssum += (signed char)c;   /* some old writers summed signed chars */
    }
    return stored == usum || (int64_t)stored == ssum;
}

static void copy_field(char *dst, const unsigned char *src, size_t width)
{
    size_t n = 0;
    while (n < width && src[n])
        n++;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

ct_status ct__tar_decode(ct__tar_member *m, const unsigned char block[CT__TAR_BLOCK],
                         const char *archive, uint64_t at, ct_error *err)
{
    uint64_t mode;
    size_t pl;
    if (!checksum_ok(block))
        return ct__error_set_at(err, CT_EPARSE, at,
                                "%s: tar header at byte %llu: bad checksum (corrupt archive)",
                                archive, (unsigned long long)at);
    if (memcmp(block + OFF_MAGIC, "ustar", 5) != 0)
        return ct__error_set_at(err, CT_EPARSE, at,
                                "%s: tar header at byte %llu: not a ustar header", archive,
                                (unsigned long long)at);
    if (!parse_number(block + OFF_SIZE, 12, &m->size) ||
        !parse_number(block + OFF_MODE, 8, &mode))
        return ct__error_set_at(err, CT_EPARSE, at,
                                "%s: tar header at byte %llu: bad number field", archive,
                                (unsigned long long)at);
    if (!parse_number(block + OFF_MTIME, 12, &m->mtime))
        m->mtime = 0;   /* not used for anything; tolerate */
    m->mode = (uint32_t)(mode & 07777);
    m->type = (char)block[OFF_TYPE];
    /* Only POSIX ustar ("ustar\0") has a prefix; GNU ("ustar  ") keeps other data there. */
    pl = 0;
    if (block[OFF_MAGIC + 5] == '\0' && block[OFF_PREFIX]) {
        copy_field(m->name, block + OFF_PREFIX, 155);
        pl = strlen(m->name);
        m->name[pl++] = '/';
    }
    copy_field(m->name + pl, block + OFF_NAME, 100);
    return CT_OK;
}

static ct_status bad_pax(const char *archive, uint64_t at, ct_error *err)
{
    return ct__error_set_at(err, CT_EPARSE, at,
                            "%s: pax header at byte %llu: malformed record", archive,
                            (unsigned long long)at);
}

/* One record: key and value spans, returns the record length or 0 when malformed. */
static size_t pax_split(const char *d, size_t len, const char **key, size_t *klen,
                        const char **val, size_t *vlen)
{
    size_t n = 0, i = 0;
    const char *eq;
    while (i < len && d[i] >= '0' && d[i] <= '9' && n < len)
        n = n * 10 + (size_t)(d[i++] - '0');
    if (i == 0 || i >= len || d[i] != ' ' || n > len || n <= i + 2 || d[n - 1] != '\n')
        return 0;
    *key = d + i + 1;
    eq = memchr(*key, '=', (size_t)(d + n - 1 - *key));
    if (!eq)
        return 0;
    *klen = (size_t)(eq - *key);
    *val = eq + 1;
    *vlen = (size_t)(d + n - 1 - *val);
    return n;
}

static ct_status pax_path(char **path, const char *val, size_t vlen, const char *archive,
                          uint64_t at, ct_error *err)
{
    char *p;
    if (memchr(val, '\0', vlen))
        return bad_pax(archive, at, err);
    p = ct__malloc(NULL, vlen + 1);
    if (!p)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", archive);
    memcpy(p, val, vlen);
    p[vlen] = '\0';
    ct__path_free(NULL, *path);
    *path = p;
    return CT_OK;
}

static ct_status pax_size(uint64_t *size, bool *has_size, const char *val, size_t vlen,
                          const char *archive, uint64_t at, ct_error *err)
{
    uint64_t v = 0;
    size_t i;
    if (vlen == 0 || vlen > 19)
        return bad_pax(archive, at, err);
    for (i = 0; i < vlen; i++) {
        if (val[i] < '0' || val[i] > '9')
            return bad_pax(archive, at, err);
        v = v * 10 + (uint64_t)(val[i] - '0');
    }
    *size = v;
    *has_size = true;
    return CT_OK;
}

ct_status ct__tar_parse_pax(const char *data, size_t len, char **path, uint64_t *size,
                            bool *has_size, const char *archive, uint64_t at, ct_error *err)
{
    while (len > 0) {
        const char *key, *val;
        size_t klen, vlen, n = pax_split(data, len, &key, &klen, &val, &vlen);
        if (n == 0)
            return bad_pax(archive, at, err);
        if (klen == 4 && !memcmp(key, "path", 4))
            CT_TRY(pax_path(path, val, vlen, archive, at, err));
        else if (klen == 4 && !memcmp(key, "size", 4))
            CT_TRY(pax_size(size, has_size, val, vlen, archive, at, err));
        data += n;
        len -= n;
    }
    return CT_OK;
}
