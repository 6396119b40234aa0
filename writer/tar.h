/*
 * POSIX ustar headers (IEEE 1003.1-2001 "ustar" interchange format) with pax extended headers
 * for what ustar cannot carry: names that do not fit the 155+100 prefix/name split and sizes of
 * 8 GiB or more. Used by bundles only.
 */
#ifndef CT_TAR_H
#define CT_TAR_H

#include <ctrecord/common.h>

#define CT__TAR_BLOCK 512

enum {
    CT__TAR_FILE = '0',
    CT__TAR_FILE_OLD = '\0',
    CT__TAR_HARDLINK = '1',
    CT__TAR_SYMLINK = '2',
    CT__TAR_CHAR = '3',
    CT__TAR_BLOCKDEV = '4',
    CT__TAR_DIR = '5',
    CT__TAR_FIFO = '6',
    CT__TAR_CONTIGUOUS = '7',
    CT__TAR_PAX = 'x',
    CT__TAR_PAX_GLOBAL = 'g',
    CT__TAR_GNU_LONGNAME = 'L',
    CT__TAR_GNU_LONGLINK = 'K'
};

typedef struct ct__tar_member {
    char type;
    uint32_t mode;
    uint64_t size;
    uint64_t mtime;
    char name[257];          /* prefix + '/' + name, NUL-terminated (ustar fields only) */
} ct__tar_member;

/**
 * Encode a header for `m` (name given separately, any length). When the name or size does not
 * fit ustar, *pax receives the pax records to write first in an 'x' member (a string owned by
 * the caller, ct__free(NULL, *pax, *pax_len + 1)); otherwise *pax is NULL.
 */
ct_status ct__tar_encode(unsigned char block[CT__TAR_BLOCK], const ct__tar_member *m,
                         const char *name, char **pax, size_t *pax_len, ct_error *err);

/** Encode the header of the pax member carrying `len` bytes of records for `name`. */
void ct__tar_encode_pax_header(unsigned char block[CT__TAR_BLOCK], const char *name,
                               size_t len);

/** True when the block is all zeros (end of archive). */
bool ct__tar_is_zero(const unsigned char block[CT__TAR_BLOCK]);

/**
 * Decode and check a header (checksum, magic, numbers). CT_EPARSE names `archive` and the
 * byte offset `at` of the header in the uncompressed archive.
 */
ct_status ct__tar_decode(ct__tar_member *m, const unsigned char block[CT__TAR_BLOCK],
                         const char *archive, uint64_t at, ct_error *err);

/**
 * Apply pax records `data[0..len)`: "path" replaces *path (a libc-allocator string freed with
 * ct__path_free(NULL, *path)), "size" sets *size and *has_size; other keys are ignored.
 */
ct_status ct__tar_parse_pax(const char *data, size_t len, char **path, uint64_t *size,
                            bool *has_size, const char *archive, uint64_t at, ct_error *err);

/** Bytes of padding after `size` bytes of member data. */
size_t ct__tar_padding(uint64_t size);

#endif
