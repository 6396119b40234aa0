/*
 * Buffered output sinks (file, descriptor, memory) and the byte-level formatting every JSON
 * producer shares. Output goes through one fixed 64 KiB buffer per sink, so memory does not
 * grow with the amount written; the memory sink is the exception by design (tests, small
 * documents). Errors are sticky so that hot paths can write without checking each call.
 */
#include "util/sink.h"

#include "util/alloc.h"
#include "util/error.h"
#include "util/random.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SINK_BUFFER_SIZE ((size_t)64 * 1024)

enum sink_kind { SINK_FD, SINK_FILE, SINK_MEMORY };

struct ct__sink {
    ct_allocator alloc;
    enum sink_kind kind;
    int fd;
    char *name;        /* for messages: the final path, or the caller's name for a descriptor */
    char *tmp_path;    /* file sink only; NULL once renamed or removed */
    char *buf;
    size_t used;
    size_t cap;
    uint64_t flushed;  /* bytes already handed to the descriptor */
    ct_error err;      /* err.code != CT_OK after the first failure */
};

/* ---- construction ---------------------------------------------------------------------- */

static ct_status sink_new(ct__sink **out, enum sink_kind kind, const char *name, size_t cap,
                          const ct_allocator *a, ct_error *err)
{
    ct_allocator al = ct__allocator_or_default(a);
    ct__sink *s = ct__calloc(&al, 1, sizeof *s);
    if (!s)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory opening the output", name);
    s->alloc = al;
    s->kind = kind;
    s->fd = -1;
    s->cap = cap;
    s->name = ct__strdup(&s->alloc, name);
    s->buf = cap ? ct__malloc(&s->alloc, cap) : NULL;
    if (!s->name || (cap && !s->buf)) {
        ct__sink_free(s);
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory opening the output", name);
    }
    *out = s;
    return CT_OK;
}

/* "<path>.tmp-<12 random characters>", created exclusively and retried on collision, so
 * concurrent writers of the same path never share a temporary file. */
static ct_status open_tmp(ct__sink *s, const char *path, ct_error *err)
{
    size_t plen = strlen(path), n = plen + sizeof ".tmp-" + 12;   /* freed as strlen + 1 */
    unsigned attempt;
    s->tmp_path = ct__malloc(&s->alloc, n);
    if (!s->tmp_path)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory opening the output", path);
    memcpy(s->tmp_path, path, plen);
    memcpy(s->tmp_path + plen, ".tmp-", 5);
    s->tmp_path[n - 1] = '\0';
    for (attempt = 0; attempt < 64; attempt++) {
        ct_status rc = ct__random_name(s->tmp_path + plen + 5, 12, err);
        if (rc < 0) {
            ct__free(&s->alloc, s->tmp_path, n);
            s->tmp_path = NULL;
            return rc;
        }
        s->fd = open(s->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (s->fd >= 0)
            return CT_OK;
        if (errno != EEXIST)
            break;
    }
    ct__error_errno(err, CT_EIO, "%s: cannot create temporary file", s->tmp_path);
    ct__free(&s->alloc, s->tmp_path, n);
    s->tmp_path = NULL;
    return CT_EIO;
}

/* A device or FIFO (/dev/null, /dev/stdout, a pipe) cannot be replaced by renaming a file onto
 * it (as root that would swap the device node for a regular file): it is written in place and
 * has no temporary file; its write errors surface as for any sink. */
static bool is_special(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

static ct_status open_in_place(ct__sink *s, const char *path, ct_error *err)
{
    s->fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (s->fd < 0)
        return ct__error_errno(err, CT_EIO, "%s: cannot open", path);
    return CT_OK;
}

ct_status ct__sink_open_file(ct__sink **out, const char *path, const ct_allocator *a,
                             ct_error *err)
{
    ct__sink *s = NULL;
    ct_status rc;
    if (!out || !path || !*path)
        return ct__error_set(err, CT_EINVAL, "sink: no output path");
    *out = NULL;
    CT_TRY(sink_new(&s, SINK_FILE, path, SINK_BUFFER_SIZE, a, err));
    rc = is_special(path) ? open_in_place(s, path, err) : open_tmp(s, path, err);
    if (rc < 0) {
        ct__sink_free(s);
        return rc;
    }
    *out = s;
    return CT_OK;
}

ct_status ct__sink_open_fd(ct__sink **out, int fd, const char *name, const ct_allocator *a,
                           ct_error *err)
{
    ct__sink *s = NULL;
    if (!out || fd < 0)
        return ct__error_set(err, CT_EINVAL, "sink: bad file descriptor");
    *out = NULL;
    CT_TRY(sink_new(&s, SINK_FD, name ? name : "<fd>", SINK_BUFFER_SIZE, a, err));
    s->fd = fd;
    *out = s;
    return CT_OK;
}

ct_status ct__sink_open_memory(ct__sink **out, const ct_allocator *a, ct_error *err)
{
    if (!out)
        return ct__error_set(err, CT_EINVAL, "sink: no output");
    *out = NULL;
    return sink_new(out, SINK_MEMORY, "<memory>", 0, a, err);
}

const char *ct__sink_memory(const ct__sink *s, size_t *len)
{
    if (len)
        *len = s ? s->used : 0;
    return s && s->buf ? s->buf : "";
}

/* ---- flushing, commit, free ------------------------------------------------------------ */

static bool sink_failed(const ct__sink *s)
{
    return s->err.code != CT_OK;
}

static void write_all(ct__sink *s, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(s->fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            ct__error_errno(&s->err, CT_EIO, "%s: write failed", s->name);
            return;
        }
        p += w;
        n -= (size_t)w;
        s->flushed += (uint64_t)w;
    }
}

static void flush_buffer(ct__sink *s)
{
    if (s->kind == SINK_MEMORY || sink_failed(s) || s->used == 0)
        return;
    write_all(s, s->buf, s->used);
    s->used = 0;
}

static ct_status finish_file(ct__sink *s)
{
    int fd = s->fd;
    s->fd = -1;
    if (close(fd) != 0 && !sink_failed(s))
        ct__error_errno(&s->err, CT_EIO, "%s: close failed", s->name);
    if (sink_failed(s))
        return s->err.code;
    if (!s->tmp_path)   /* written in place */
        return CT_OK;
    if (rename(s->tmp_path, s->name) != 0)
        return ct__error_errno(&s->err, CT_EIO, "%s: cannot rename %s into place", s->name,
                               s->tmp_path);
    ct__free(&s->alloc, s->tmp_path, strlen(s->tmp_path) + 1);
    s->tmp_path = NULL;
    return CT_OK;
}

ct_status ct__sink_commit(ct__sink *s, ct_error *err)
{
    ct_status rc = CT_OK;
    if (!s)
        return ct__error_set(err, CT_EINVAL, "sink: no output");
    flush_buffer(s);
    if (s->kind == SINK_FILE && s->fd >= 0)
        rc = finish_file(s);
    else if (s->kind == SINK_FILE && !sink_failed(s))
        rc = ct__error_set(&s->err, CT_EINVAL, "%s: already committed", s->name);
    if (rc < 0 || sink_failed(s))
        return ct__error_copy(err, &s->err);
    return CT_OK;
}

void ct__sink_free(ct__sink *s)
{
    ct_allocator a;
    if (!s)
        return;
    a = s->alloc;
    if (s->kind == SINK_FILE && s->fd >= 0)
        close(s->fd);
    if (s->tmp_path) {
        unlink(s->tmp_path);
        ct__free(&a, s->tmp_path, strlen(s->tmp_path) + 1);
    }
    if (s->name)
        ct__free(&a, s->name, strlen(s->name) + 1);
    ct__free(&a, s->buf, s->cap);
    ct__free(&a, s, sizeof *s);
}

ct_status ct__sink_status(const ct__sink *s, ct_error *err)
{
    if (!s)
        return ct__error_set(err, CT_EINVAL, "sink: no output");
    if (!sink_failed(s))
        return CT_OK;
    return ct__error_copy(err, &s->err);
}

uint64_t ct__sink_bytes(const ct__sink *s)
{
    if (!s)
        return 0;
    return s->kind == SINK_MEMORY ? s->used : s->flushed + s->used;
}

/* ---- writing --------------------------------------------------------------------------- */

static bool memory_grow(ct__sink *s, size_t need)
{
    size_t cap = s->cap ? s->cap : 256;
    char *nb;
    while (cap - s->used < need) {
        if (cap > SIZE_MAX / 2) {
            ct__error_set(&s->err, CT_ENOMEM, "%s: output too large", s->name);
            return false;
        }
        cap *= 2;
    }
    nb = ct__realloc(&s->alloc, s->buf, s->cap, cap);
    if (!nb) {
        ct__error_set(&s->err, CT_ENOMEM, "%s: out of memory", s->name);
        return false;
    }
    s->buf = nb;
    s->cap = cap;
    return true;
}

/* Make room for `need` contiguous bytes (need <= buffer size for descriptor sinks); false
 * when the sink has failed. */
static bool ensure(ct__sink *s, size_t need)
{
    if (sink_failed(s))
        return false;
    if (s->cap - s->used >= need)
        return true;
    if (s->kind == SINK_MEMORY)
        return memory_grow(s, need);
    flush_buffer(s);
    return !sink_failed(s);
}

void ct__sink_write(ct__sink *s, const void *data, size_t len)
{
    if (len == 0)
        return;
    if (s->cap - s->used >= len && !sink_failed(s)) {
        memcpy(s->buf + s->used, data, len);
        s->used += len;
        return;
    }
    if (s->kind == SINK_MEMORY || len < SINK_BUFFER_SIZE) {
        if (ensure(s, len)) {
            memcpy(s->buf + s->used, data, len);
            s->used += len;
        }
        return;
    }
    /* larger than the buffer: bypass it */
    flush_buffer(s);
    if (!sink_failed(s))
        write_all(s, data, len);
}

void ct__sink_putc(ct__sink *s, char c)
{
    if (s->used < s->cap && !sink_failed(s)) {
        s->buf[s->used++] = c;
        return;
    }
    if (ensure(s, 1))
        s->buf[s->used++] = c;
}

void ct__sink_puts(ct__sink *s, const char *str)
{
    ct__sink_write(s, str, strlen(str));
}

static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Decimal digits of v written backwards ending at `end`; returns the first digit. */
static char *format_u64(char *end, uint64_t v)
{
    char *p = end;
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100) * 2;
        v /= 100;
        *--p = digit_pairs[d + 1];
        *--p = digit_pairs[d];
    }
    if (v >= 10) {
        unsigned d = (unsigned)v * 2;
        *--p = digit_pairs[d + 1];
        *--p = digit_pairs[d];
    } else {
        *--p = (char)('0' + v);
    }
    return p;
}

static unsigned count_digits(uint64_t v)
{
    unsigned n = 1;
    while (v >= 10000) {
        v /= 10000;
        n += 4;
    }
    if (v >= 100) {
        v /= 100;
        n += 2;
    }
    return v >= 10 ? n + 1 : n;
}

size_t ct__fmt_u64(char *dst, uint64_t v)
{
    unsigned n = count_digits(v);
    format_u64(dst + n, v);
    return n;
}

size_t ct__fmt_i64(char *dst, int64_t v)
{
    if (v < 0) {
        *dst = '-';
        return 1 + ct__fmt_u64(dst + 1, (uint64_t)0 - (uint64_t)v);
    }
    return ct__fmt_u64(dst, (uint64_t)v);
}

char *ct__sink_reserve(ct__sink *s, size_t n)
{
    if (s->cap - s->used >= n && !sink_failed(s))
        return s->buf + s->used;
    if (n > 4096)
        return NULL;
    return ensure(s, n) ? s->buf + s->used : NULL;
}

void ct__sink_advance(ct__sink *s, size_t n)
{
    s->used += n;
}

void ct__sink_u64(ct__sink *s, uint64_t v)
{
    char *p = ct__sink_reserve(s, 20);
    if (p)
        ct__sink_advance(s, ct__fmt_u64(p, v));
}

void ct__sink_i64(ct__sink *s, int64_t v)
{
    char *p = ct__sink_reserve(s, 21);
    if (p)
        ct__sink_advance(s, ct__fmt_i64(p, v));
}

static const char hex_digits[17] = "0123456789abcdef";

size_t ct__fmt_hex(char *dst, const uint8_t *bytes, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        dst[2 * i] = hex_digits[bytes[i] >> 4];
        dst[2 * i + 1] = hex_digits[bytes[i] & 15];
    }
    return 2 * n;
}

void ct__sink_hex(ct__sink *s, const uint8_t *bytes, size_t len)
{
    char tmp[128];
    size_t done, chunk;
    ct__sink_write(s, "0x", 2);
    for (done = 0; done < len; done += chunk) {
        chunk = len - done < sizeof tmp / 2 ? len - done : sizeof tmp / 2;
        ct__sink_write(s, tmp, ct__fmt_hex(tmp, bytes + done, chunk));
    }
}

void ct__sink_u256_quantity(ct__sink *s, const ct_u256 *v)
{
    char tmp[66];
    size_t i = 0, n = 0;
    tmp[n++] = '0';
    tmp[n++] = 'x';
    while (i < 32 && v->bytes[i] == 0)
        i++;
    if (i == 32) {
        tmp[n++] = '0';
    } else {
        if (v->bytes[i] < 16)
            tmp[n++] = hex_digits[v->bytes[i++]];
        for (; i < 32; i++) {
            tmp[n++] = hex_digits[v->bytes[i] >> 4];
            tmp[n++] = hex_digits[v->bytes[i] & 15];
        }
    }
    ct__sink_write(s, tmp, n);
}

/* ---- UTF-8 and JSON strings ------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at p[0..avail), or 0 when invalid. When invalid,
 * *bad is set to the number of bytes forming the maximal ill-formed prefix (at least 1), so
 * each such prefix becomes one U+FFFD as in Rust's String::from_utf8_lossy. */
static size_t utf8_seq(const unsigned char *p, size_t avail, size_t *bad)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xbf;
    size_t need, i;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80;
        hi = c == 0xed ? 0x9f : 0xbf;
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 4;
        lo = c == 0xf0 ? 0x90 : 0x80;
        hi = c == 0xf4 ? 0x8f : 0xbf;
    } else {
        *bad = 1;
        return 0;
    }
    for (i = 1; i < need; i++) {
        unsigned char lo_i = i == 1 ? lo : 0x80, hi_i = i == 1 ? hi : 0xbf;
        if (i >= avail || p[i] < lo_i || p[i] > hi_i) {
            *bad = i;
            return 0;
        }
    }
    return need;
}

bool ct__utf8_valid(const char *str, size_t len)
{
    const unsigned char *p = (const unsigned char *)str;
    size_t i = 0, bad;
    while (i < len) {
        size_t n;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        n = utf8_seq(p + i, len - i, &bad);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

/* 0 = copy as is; 'u' = \u00XX; 'U' = non-ASCII (validate); else the short escape letter. */
static const char escape_class[256] = {
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
    0, 0, '"', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U',
    'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U',
    'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U',
    'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U',
    'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U',
    'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U',
    'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U',
    'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U',
};

/* Write the escape of the control or special byte *p (class `cls`). */
static void write_escape(ct__sink *s, unsigned char c, char cls)
{
    char esc[6];
    esc[0] = '\\';
    if (cls != 'u') {
        esc[1] = cls;
        ct__sink_write(s, esc, 2);
        return;
    }
    esc[1] = 'u';
    esc[2] = '0';
    esc[3] = '0';
    esc[4] = hex_digits[c >> 4];
    esc[5] = hex_digits[c & 15];
    ct__sink_write(s, esc, 6);
}

void ct__sink_json_string(ct__sink *s, const char *str, size_t len)
{
    const unsigned char *p = (const unsigned char *)str;
    size_t i = 0, start = 0;
    ct__sink_putc(s, '"');
    while (i < len) {
        char cls = escape_class[p[i]];
        size_t n, bad = 1;
        if (cls == 0) {
            i++;
            continue;
        }
        if (cls == 'U') {
            n = utf8_seq(p + i, len - i, &bad);
            if (n > 0) {   /* valid UTF-8 stays in the copied run */
                i += n;
                continue;
            }
        }
        ct__sink_write(s, p + start, i - start);
        if (cls == 'U') {
            ct__sink_write(s, "\xef\xbf\xbd", 3);
            i += bad;
        } else {
            write_escape(s, p[i], cls);
            i++;
        }
        start = i;
    }
    ct__sink_write(s, p + start, i - start);
    ct__sink_putc(s, '"');
}
