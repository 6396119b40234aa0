/* ustar + pax headers; see tar.h. Field offsets are those of the POSIX ustar header. */
#include "tar.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"

#define OFF_NAME 0
#define OFF_MODE 100
#define OFF_UID 108
#define OFF_GID 116
#define OFF_SIZE 124
#define OFF_MTIME 136
#define OFF_CHKSUM 148
#define OFF_TYPE 156
#define OFF_MAGIC 257
#define OFF_VERSION 263
#define OFF_PREFIX 345
#define LEN_NAME 100
#define LEN_PREFIX 155
#define MAX_OCTAL_SIZE 077777777777ULL   /* 11 octal digits: 8 GiB - 1 */

static void put_octal(unsigned char *field, size_t width, uint64_t v)
{
    size_t i = width - 1;
    field[i] = '\0';
    while (i-- > 0) {
        field[i] = (unsigned char)('0' + (v & 7));
        v >>= 3;
    }
}

static unsigned int checksum(const unsigned char *b)
{
    unsigned int sum = 0;
    int i;
    for (i = 0; i < CT__TAR_BLOCK; i++)
        sum += (i >= OFF_CHKSUM && i < OFF_CHKSUM + 8) ? ' ' : b[i];
    return sum;
}

static void put_checksum(unsigned char *b)
{
    put_octal(b + OFF_CHKSUM, 7, checksum(b));
    b[OFF_CHKSUM + 7] = ' ';
}

/* Where to split `name` into prefix and name fields: false when it cannot be split. */
static bool split_name(const char *name, size_t *prefix_len)
{
    size_t len = strlen(name), i;
    *prefix_len = 0;
    if (len <= LEN_NAME)
        return true;
    for (i = len - LEN_NAME - 1; i <= LEN_PREFIX && i < len; i++) {
        if (name[i] == '/' && i > 0 && len - i - 1 > 0) {
            *prefix_len = i;
            return true;
        }
    }
    return false;
}

static void fill_common(unsigned char *b, char type, uint32_t mode, uint64_t size,
                        uint64_t mtime)
{
    put_octal(b + OFF_MODE, 8, mode & 07777);
    put_octal(b + OFF_UID, 8, 0);
    put_octal(b + OFF_GID, 8, 0);
    put_octal(b + OFF_SIZE, 12, size);
    put_octal(b + OFF_MTIME, 12, mtime > MAX_OCTAL_SIZE ? MAX_OCTAL_SIZE : mtime);
    b[OFF_TYPE] = (unsigned char)type;
    memcpy(b + OFF_MAGIC, "ustar", 6);
    memcpy(b + OFF_VERSION, "00", 2);
}

/* Append one "<len> key=value\n" record (len counts itself) to buf at *n; NULL buf measures. */
static void pax_record(char *buf, size_t *n, const char *key, const char *value)
{
    size_t body = strlen(key) + strlen(value) + 3, len = body + 1, digits;
    char num[32];
    for (;;) {
        digits = (size_t)snprintf(num, sizeof num, "%zu", len);
        if (body + digits == len)
            break;
        len = body + digits;
    }
    if (buf)
        snprintf(buf + *n, len + 1, "%s %s=%s\n", num, key, value);
    *n += len;
}

static ct_status make_pax(char **pax, size_t *pax_len, const char *name, bool long_name,
                          uint64_t size, ct_error *err)
{
    char num[32];
    size_t n = 0;
    snprintf(num, sizeof num, "%llu", (unsigned long long)size);
    if (long_name)
        pax_record(NULL, &n, "path", name);
    if (size > MAX_OCTAL_SIZE)
        pax_record(NULL, &n, "size", num);
    *pax = ct__malloc(NULL, n + 1);
    if (!*pax)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", name);
    *pax_len = n;
    n = 0;
    if (long_name)
        pax_record(*pax, &n, "path", name);
    if (size > MAX_OCTAL_SIZE)
        pax_record(*pax, &n, "size", num);
    return CT_OK;
}

ct_status ct__tar_encode(unsigned char block[CT__TAR_BLOCK], const ct__tar_member *m,
                         const char *name, char **pax, size_t *pax_len, ct_error *err)
{
    size_t pl, len = strlen(name);
    bool fits = split_name(name, &pl);
    bool big = m->size > MAX_OCTAL_SIZE;
    *pax = NULL;
    *pax_len = 0;
    memset(block, 0, CT__TAR_BLOCK);
    if (!fits || big)
        CT_TRY(make_pax(pax, pax_len, name, !fits, m->size, err));
    if (!fits) {
        memcpy(block + OFF_NAME, name, LEN_NAME);   /* placeholder; the pax path rules */
    } else if (pl) {
        memcpy(block + OFF_PREFIX, name, pl);
        memcpy(block + OFF_NAME, name + pl + 1, len - pl - 1);
    } else {
        memcpy(block + OFF_NAME, name, len);
    }
    fill_common(block, m->type, m->mode, big ? 0 : m->size, m->mtime);
    put_checksum(block);
    return CT_OK;
}

void ct__tar_encode_pax_header(unsigned char block[CT__TAR_BLOCK], const char *name,
                               size_t len)
{
    const char *base = strrchr(name, '/');
    memset(block, 0, CT__TAR_BLOCK);
    snprintf((char *)block + OFF_NAME, LEN_NAME, "PaxHeader/%.80s", base ? base + 1 : name);
    fill_common(block, CT__TAR_PAX, 0644, len, 0);
    put_checksum(block);
}

bool ct__tar_is_zero(const unsigned char block[CT__TAR_BLOCK])
{
    int i;
    for (i = 0; i < CT__TAR_BLOCK; i++)
        if (block[i])
            return false;
    return true;
}

size_t ct__tar_padding(uint64_t size)
{
    return (size_t)((CT__TAR_BLOCK - size % CT__TAR_BLOCK) % CT__TAR_BLOCK);
}
