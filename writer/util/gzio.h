/*
 * gzip streams over file descriptors (zlib deflate/inflate with the gzip wrapper, windowBits
 * 15+16), for bundles. The reader tells a truncated stream from a corrupt one and accepts
 * concatenated gzip members, as gzip(1) does.
 */
#ifndef CT_UTIL_GZIO_H
#define CT_UTIL_GZIO_H

#include <ctrecord/common.h>
#include <zlib.h>

#define CT__GZ_BUFFER (64 * 1024)

typedef struct ct__gzw {
    z_stream z;
    int fd;
    const char *name;           /* borrowed, for messages */
    unsigned char *out;         /* CT__GZ_BUFFER bytes */
    bool ready;
} ct__gzw;

/** Start compressing into `fd` (not closed by the stream). `name` must outlive the stream. */
ct_status ct__gzw_init(ct__gzw *g, int fd, const char *name, ct_error *err);
ct_status ct__gzw_write(ct__gzw *g, const void *data, size_t len, ct_error *err);
/** Flush the last block and the gzip trailer. */
ct_status ct__gzw_finish(ct__gzw *g, ct_error *err);
/** Release zlib state and the buffer; safe after a failed init. */
void ct__gzw_end(ct__gzw *g);

typedef struct ct__gzr {
    z_stream z;
    int fd;
    const char *name;
    unsigned char *in;          /* CT__GZ_BUFFER bytes */
    bool ready;
    bool input_eof;
    bool member_end;            /* the last member ended exactly where the input ended */
    uint64_t out_offset;        /* decompressed bytes delivered so far */
} ct__gzr;

/** Start decompressing `fd`. Input that does not start with the gzip magic is CT_EPARSE. */
ct_status ct__gzr_init(ct__gzr *g, int fd, const char *name, ct_error *err);
/**
 * Read up to `len` decompressed bytes; *got < len only at the end of the data. The end of the
 * input before the end of a gzip member is CT_EPARSE ("truncated"), bad data or CRC CT_EPARSE.
 */
ct_status ct__gzr_read(ct__gzr *g, void *buf, size_t len, size_t *got, ct_error *err);
void ct__gzr_end(ct__gzr *g);

#endif
