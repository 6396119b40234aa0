/*
 * Byte sources: a file descriptor (file or stdin) or a borrowed memory block, gunzipped on the
 * fly when the stream starts with the gzip magic. The plain path reads straight into the
 * caller's buffer (no copy, no allocation per read); the gzip path keeps one raw buffer of
 * RAW_CHUNK bytes for compressed input from a descriptor and inflates from memory in place.
 */
#include "util/input.h"

#include "util/alloc.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define RAW_CHUNK ((size_t)1 << 20)
/* zlib counts in uInt; never hand it more than this at once. */
#define Z_MAX_STEP ((size_t)1 << 30)

struct ct__input {
    ct_allocator alloc;
    int fd;                      /* -1 for memory */
    bool owns_fd;
    const unsigned char *mem;    /* memory input, or the raw buffer of a gzip fd input */
    size_t mem_len;
    size_t mem_pos;              /* next unread raw byte in mem */
    size_t max_chunk;            /* test knob: largest read ever returned (0 = no limit) */
    unsigned char head[2];       /* bytes read from an fd to detect gzip, served first */
    size_t head_len, head_pos;
    unsigned char *raw;          /* gzip fd input: compressed bytes (RAW_CHUNK) */
    bool raw_eof;                /* no more raw bytes will arrive */
    uint64_t raw_offset;         /* raw bytes consumed before mem[0] (for messages) */
    bool gzip;
    bool z_ready;
    bool z_member_done;          /* the last inflate() finished a gzip member */
    z_stream z;
    char *name;
};

static ct_status input_alloc(ct__input **out, const char *name, const ct_allocator *a,
                             ct_error *err)
{
    ct_allocator al = ct__allocator_or_default(a);
    ct__input *in = ct__calloc(&al, 1, sizeof *in);
    if (!in)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory opening input", name);
    in->alloc = al;
    in->fd = -1;
    in->name = ct__strdup(&al, name);
    if (!in->name) {
        ct__free(&al, in, sizeof *in);
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory opening input", name);
    }
    *out = in;
    return CT_OK;
}

/* One read(2), retried on EINTR. */
static ct_status fd_read(ct__input *in, void *buf, size_t cap, size_t *n, ct_error *err)
{
    ssize_t got;
    if (cap > (size_t)SSIZE_MAX)
        cap = (size_t)SSIZE_MAX;
    do {
        got = read(in->fd, buf, cap);
    } while (got < 0 && errno == EINTR);
    if (got < 0)
        return ct__error_errno(err, CT_EIO, "%s: read failed", in->name);
    *n = (size_t)got;
    return CT_OK;
}

/* Read the first two bytes of an fd (a pipe may deliver them one at a time). */
static ct_status fd_read_head(ct__input *in, ct_error *err)
{
    while (in->head_len < sizeof in->head) {
        size_t n = 0;
        CT_TRY(fd_read(in, in->head + in->head_len, sizeof in->head - in->head_len, &n, err));
        if (n == 0)
            break;
        in->head_len += n;
    }
    return CT_OK;
}

static ct_status gzip_start(ct__input *in, ct_error *err)
{
    int zrc;
    memset(&in->z, 0, sizeof in->z);
    /* 16 + MAX_WBITS: gzip wrapper only (the magic was checked), trailer CRC verified. */
    zrc = inflateInit2(&in->z, 16 + MAX_WBITS);
    if (zrc != Z_OK)
        return ct__error_set(err, zrc == Z_MEM_ERROR ? CT_ENOMEM : CT_ERROR,
                             "%s: cannot start gzip decoder", in->name);
    in->z_ready = true;
    in->gzip = true;
    return CT_OK;
}

static ct_status detect_gzip_fd(ct__input *in, ct_error *err)
{
    CT_TRY(fd_read_head(in, err));
    if (in->head_len < 2 || in->head[0] != 0x1f || in->head[1] != 0x8b)
        return CT_OK;
    in->raw = ct__malloc(&in->alloc, RAW_CHUNK);
    if (!in->raw)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory for gzip buffer", in->name);
    memcpy(in->raw, in->head, 2);
    in->mem = in->raw;
    in->mem_len = 2;
    in->head_len = 0;
    return gzip_start(in, err);
}

ct_status ct__input_open_file(ct__input **out, const char *path, const ct_allocator *a,
                              ct_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    ct__input *in = NULL;
    ct_status rc;
    *out = NULL;
    CT_TRY(input_alloc(&in, is_stdin ? "<stdin>" : path, a, err));
    if (is_stdin) {
        in->fd = STDIN_FILENO;
    } else {
        do {
            in->fd = open(path, O_RDONLY | O_CLOEXEC);
        } while (in->fd < 0 && errno == EINTR);
        if (in->fd < 0) {
            rc = ct__error_errno(err, CT_EIO, "%s: cannot open", path);
            ct__input_free(in);
            return rc;
        }
        in->owns_fd = true;
    }
    rc = detect_gzip_fd(in, err);
    if (rc < 0) {
        ct__input_free(in);
        return rc;
    }
    *out = in;
    return CT_OK;
}

ct_status ct__input_open_memory_chunked(ct__input **out, const void *data, size_t len,
                                        size_t max_chunk, const ct_allocator *a, ct_error *err)
{
    ct__input *in = NULL;
    ct_status rc;
    *out = NULL;
    CT_TRY(input_alloc(&in, "<memory>", a, err));
    in->mem = data;
    in->mem_len = len;
    in->raw_eof = true;
    in->max_chunk = max_chunk;
    if (len >= 2 && in->mem[0] == 0x1f && in->mem[1] == 0x8b) {
        rc = gzip_start(in, err);
        if (rc < 0) {
            ct__input_free(in);
            return rc;
        }
    }
    *out = in;
    return CT_OK;
}

ct_status ct__input_open_memory(ct__input **out, const void *data, size_t len,
                                const ct_allocator *a, ct_error *err)
{
    return ct__input_open_memory_chunked(out, data, len, 0, a, err);
}

void ct__input_free(ct__input *in)
{
    ct_allocator a;
    if (!in)
        return;
    a = in->alloc;
    if (in->z_ready)
        inflateEnd(&in->z);
    if (in->owns_fd)
        close(in->fd);
    ct__free(&a, in->raw, RAW_CHUNK);
    ct__free(&a, in->name, strlen(in->name) + 1);
    ct__free(&a, in, sizeof *in);
}

bool ct__input_is_gzip(const ct__input *in)
{
    return in->gzip;
}

const char *ct__input_name(const ct__input *in)
{
    return in->name;
}

/* Plain bytes: the detection head first, then memory or the descriptor. */
static ct_status read_plain(ct__input *in, unsigned char *buf, size_t cap, size_t *n,
                            ct_error *err)
{
    if (in->head_pos < in->head_len) {
        size_t k = in->head_len - in->head_pos;
        if (k > cap)
            k = cap;
        memcpy(buf, in->head + in->head_pos, k);
        in->head_pos += k;
        *n = k;
        return CT_OK;
    }
    if (in->fd < 0) {
        size_t k = in->mem_len - in->mem_pos;
        if (k > cap)
            k = cap;
        memcpy(buf, in->mem + in->mem_pos, k);
        in->mem_pos += k;
        *n = k;
        return CT_OK;
    }
    return fd_read(in, buf, cap, n, err);
}

/* Make compressed bytes available to inflate; sets raw_eof when there are no more. */
static ct_status gzip_refill(ct__input *in, ct_error *err)
{
    size_t n = 0;
    if (in->mem_pos < in->mem_len || in->raw_eof)
        return CT_OK;
    in->raw_offset += in->mem_len;
    in->mem_pos = in->mem_len = 0;
    CT_TRY(fd_read(in, in->raw, RAW_CHUNK, &n, err));
    in->mem_len = n;
    if (n == 0)
        in->raw_eof = true;
    return CT_OK;
}

static ct_status gzip_corrupt(ct__input *in, const char *what, ct_error *err)
{
    uint64_t at = in->raw_offset + in->mem_pos;
    return ct__error_set_at(err, CT_EPARSE, at, "%s: compressed byte %llu: %s", in->name,
                            (unsigned long long)at, what);
}

/* One inflate() step over what is buffered; returns bytes produced in *n. */
static ct_status gzip_step(ct__input *in, unsigned char *buf, size_t cap, size_t *n,
                           ct_error *err)
{
    size_t avail = in->mem_len - in->mem_pos;
    int zrc;
    if (in->max_chunk && avail > in->max_chunk)
        avail = in->max_chunk;
    in->z.next_in = (unsigned char *)(uintptr_t)(in->mem + in->mem_pos);
    in->z.avail_in = (uInt)(avail > Z_MAX_STEP ? Z_MAX_STEP : avail);
    in->z.next_out = buf;
    in->z.avail_out = (uInt)(cap > Z_MAX_STEP ? Z_MAX_STEP : cap);
    zrc = inflate(&in->z, Z_NO_FLUSH);
    in->mem_pos = (size_t)(in->z.next_in - in->mem);
    *n = (size_t)(in->z.next_out - buf);
    if (zrc == Z_STREAM_END) {
        in->z_member_done = true;
        return CT_OK;
    }
    if (zrc == Z_OK || zrc == Z_BUF_ERROR)
        return CT_OK;
    if (zrc == Z_MEM_ERROR)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory in gzip decoder", in->name);
    return gzip_corrupt(in, in->z.msg ? in->z.msg : "corrupt gzip data", err);
}

/*
 * After a member ends, another member may follow (concatenated .gz files, as `cat a.gz b.gz`
 * produces); anything else after it is reported rather than silently ignored.
 */
static ct_status gzip_next_member(ct__input *in, bool *more, ct_error *err)
{
    *more = false;
    CT_TRY(gzip_refill(in, err));
    if (in->mem_pos >= in->mem_len)
        return CT_OK;
    if (inflateReset(&in->z) != Z_OK)
        return gzip_corrupt(in, "cannot restart gzip decoder", err);
    in->z_member_done = false;
    *more = true;
    return CT_OK;
}

static ct_status read_gzip(ct__input *in, unsigned char *buf, size_t cap, size_t *n,
                           ct_error *err)
{
    *n = 0;
    while (*n == 0) {
        bool more;
        if (in->z_member_done) {
            CT_TRY(gzip_next_member(in, &more, err));
            if (!more)
                return CT_OK;
        }
        CT_TRY(gzip_refill(in, err));
        CT_TRY(gzip_step(in, buf, cap, n, err));
        /* Pending output can still come without input; only a step that yields nothing
         * with nothing left to feed means the member was cut short. */
        if (*n == 0 && !in->z_member_done && in->mem_pos >= in->mem_len && in->raw_eof)
            return gzip_corrupt(in, "truncated gzip stream (unexpected end of input)", err);
    }
    return CT_OK;
}

ct_status ct__input_read(ct__input *in, void *buf, size_t cap, size_t *n, ct_error *err)
{
    *n = 0;
    if (cap == 0)
        return CT_OK;
    if (in->max_chunk && cap > in->max_chunk)
        cap = in->max_chunk;
    if (in->gzip)
        return read_gzip(in, buf, cap, n, err);
    return read_plain(in, buf, cap, n, err);
}
