/* gzip streams; see gzio.h. */
#include "util/gzio.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"

/* ---- writing ------------------------------------------------------------------------------ */

ct_status ct__gzw_init(ct__gzw *g, int fd, const char *name, ct_error *err)
{
    memset(g, 0, sizeof *g);
    g->fd = fd;
    g->name = name;
    g->out = ct__malloc(NULL, CT__GZ_BUFFER);
    if (!g->out)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", name);
    if (deflateInit2(&g->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return ct__error_set(err, CT_ENOMEM, "%s: cannot start zlib deflate", name);
    g->ready = true;
    return CT_OK;
}

static ct_status deflate_some(ct__gzw *g, int flush, ct_error *err)
{
    int zrc;
    do {
        size_t have;
        g->z.next_out = g->out;
        g->z.avail_out = CT__GZ_BUFFER;
        zrc = deflate(&g->z, flush);
        if (zrc == Z_STREAM_ERROR)
            return ct__error_set(err, CT_ERROR, "%s: zlib deflate failed", g->name);
        have = CT__GZ_BUFFER - g->z.avail_out;
        CT_TRY(ct__fs_write_all(g->fd, g->out, have, g->name, err));
    } while (g->z.avail_out == 0 || (flush == Z_FINISH && zrc != Z_STREAM_END));
    return CT_OK;
}

ct_status ct__gzw_write(ct__gzw *g, const void *data, size_t len, ct_error *err)
{
    const unsigned char *p = data;
    while (len > 0) {
        uInt chunk = len > (1u << 30) ? (1u << 30) : (uInt)len;
        g->z.next_in = (Bytef *)(uintptr_t)p;
        g->z.avail_in = chunk;
        CT_TRY(deflate_some(g, Z_NO_FLUSH, err));
        p += chunk;
        len -= chunk;
    }
    return CT_OK;
}

ct_status ct__gzw_finish(ct__gzw *g, ct_error *err)
{
    g->z.next_in = NULL;
    g->z.avail_in = 0;
    return deflate_some(g, Z_FINISH, err);
}

void ct__gzw_end(ct__gzw *g)
{
    if (g->ready)
        deflateEnd(&g->z);
    g->ready = false;
    ct__free(NULL, g->out, CT__GZ_BUFFER);
    g->out = NULL;
}

/* ---- reading ------------------------------------------------------------------------------ */

static ct_status fill_input(ct__gzr *g, ct_error *err)
{
    ssize_t n;
    do
        n = read(g->fd, g->in, CT__GZ_BUFFER);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return ct__error_errno(err, CT_EIO, "%s: read failed", g->name);
    g->z.next_in = g->in;
    g->z.avail_in = (uInt)n;
    g->input_eof = n == 0;
    return CT_OK;
}

ct_status ct__gzr_init(ct__gzr *g, int fd, const char *name, ct_error *err)
{
    memset(g, 0, sizeof *g);
    g->fd = fd;
    g->name = name;
    g->in = ct__malloc(NULL, CT__GZ_BUFFER);
    if (!g->in)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", name);
    if (inflateInit2(&g->z, 15 + 16) != Z_OK)
        return ct__error_set(err, CT_ENOMEM, "%s: cannot start zlib inflate", name);
    g->ready = true;
    CT_TRY(fill_input(g, err));
    if (g->z.avail_in < 2 || g->in[0] != 0x1f || g->in[1] != 0x8b)
        return ct__error_set(err, CT_EPARSE, "%s: not a gzip file", name);
    return CT_OK;
}

/* One inflate call; handles the end of a member (another may follow) and the end of input. */
static ct_status inflate_step(ct__gzr *g, bool *done, ct_error *err)
{
    int zrc;
    if (g->z.avail_in == 0 && !g->input_eof)
        CT_TRY(fill_input(g, err));
    if (g->z.avail_in == 0 && g->input_eof) {
        *done = true;
        if (g->member_end)
            return CT_OK;
        return ct__error_set_at(err, CT_EPARSE, g->out_offset,
                                "%s: truncated archive (gzip data ends early)", g->name);
    }
    if (g->member_end) {
        inflateReset(&g->z);   /* concatenated member */
        g->member_end = false;
    }
    zrc = inflate(&g->z, Z_NO_FLUSH);
    if (zrc == Z_STREAM_END)
        g->member_end = true;
    else if (zrc != Z_OK && zrc != Z_BUF_ERROR)
        return ct__error_set_at(err, CT_EPARSE, g->out_offset, "%s: corrupt gzip data: %s",
                                g->name, g->z.msg ? g->z.msg : "inflate failed");
    return CT_OK;
}

ct_status ct__gzr_read(ct__gzr *g, void *buf, size_t len, size_t *got, ct_error *err)
{
    bool done = false;
    *got = 0;
    while (*got < len && !done) {
        size_t before;
        g->z.next_out = (Bytef *)buf + *got;
        g->z.avail_out = (uInt)(len - *got > (1u << 30) ? (1u << 30) : len - *got);
        before = g->z.avail_out;
        CT_TRY(inflate_step(g, &done, err));
        *got += before - g->z.avail_out;
        g->out_offset += before - g->z.avail_out;
    }
    return CT_OK;
}

void ct__gzr_end(ct__gzr *g)
{
    if (g->ready)
        inflateEnd(&g->z);
    g->ready = false;
    ct__free(NULL, g->in, CT__GZ_BUFFER);
    g->in = NULL;
}
