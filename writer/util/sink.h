/*
 * A buffered output byte sink with JSON helpers, used for every large output (trace.json,
 * structLogs). Writes go to a fixed buffer that is flushed to a file descriptor when full, so
 * output never accumulates in memory.
 *
 * A file sink is atomic: it writes to "<path>.tmp-<random>" and renames over <path> only in
 * ct__sink_commit(); ct__sink_free() without a commit removes the temporary file. An existing
 * device or FIFO at <path> is written in place instead (renaming onto it would replace it). Errors are
 * sticky: after the first failed write every call is a no-op and commit reports the error.
 */
#ifndef CT_UTIL_SINK_H
#define CT_UTIL_SINK_H

#include <ctrecord/common.h>

typedef struct ct__sink ct__sink;

/** Atomic file sink for `path`. */
ct_status ct__sink_open_file(ct__sink **out, const char *path, const ct_allocator *a,
                             ct_error *err);
/** Sink over an already-open descriptor (e.g. stdout); commit flushes, free does not close. */
ct_status ct__sink_open_fd(ct__sink **out, int fd, const char *name, const ct_allocator *a,
                           ct_error *err);
/** Sink into a growable memory buffer (tests, small documents). */
ct_status ct__sink_open_memory(ct__sink **out, const ct_allocator *a, ct_error *err);
/** Memory sink contents (not NUL-terminated); valid until the next write or free. */
const char *ct__sink_memory(const ct__sink *s, size_t *len);

/** Flush, fsync-free close, and rename into place. Returns the first error of the sink. */
ct_status ct__sink_commit(ct__sink *s, ct_error *err);
/** Free; an uncommitted file sink's temporary file is removed. NULL is a no-op. */
void ct__sink_free(ct__sink *s);

/** First error of the sink, or CT_OK; detail in *err. */
ct_status ct__sink_status(const ct__sink *s, ct_error *err);
uint64_t ct__sink_bytes(const ct__sink *s);   /* bytes written so far */

void ct__sink_write(ct__sink *s, const void *data, size_t len);
void ct__sink_putc(ct__sink *s, char c);
void ct__sink_puts(ct__sink *s, const char *str);
void ct__sink_u64(ct__sink *s, uint64_t v);
void ct__sink_i64(ct__sink *s, int64_t v);
/**
 * Hot-path formatting in place: room for `n` (at most 4096) contiguous bytes at the end of the
 * buffer, or NULL once the sink has failed. Write into it, then ct__sink_advance() by the number
 * of bytes used (<= n). Nothing else may touch the sink in between.
 */
char *ct__sink_reserve(ct__sink *s, size_t n);
void ct__sink_advance(ct__sink *s, size_t n);
/** Decimal digits of `v` at `dst` (room for 20, resp. 20 with the sign); returns the length. */
size_t ct__fmt_u64(char *dst, uint64_t v);
size_t ct__fmt_i64(char *dst, int64_t v);
/** Lowercase hex digits of `n` bytes at `dst` (room for 2n, no "0x", no NUL); returns 2n. */
size_t ct__fmt_hex(char *dst, const uint8_t *bytes, size_t n);

/** A JSON string literal (with quotes), escaped as serde_json does: short escapes for
 * " \\ \n \r \t \b \f, \u00XX (lowercase) for other controls, UTF-8 passed through; invalid
 * UTF-8 sequences become U+FFFD. */
void ct__sink_json_string(ct__sink *s, const char *str, size_t len);
/** "0x" + lowercase hex of `len` bytes (leading zeros kept). Not quoted. */
void ct__sink_hex(ct__sink *s, const uint8_t *bytes, size_t len);
/** "0x" + minimal lowercase hex of a 256-bit word ("0x0" for zero). Not quoted. */
void ct__sink_u256_quantity(ct__sink *s, const ct_u256 *v);

/** True when `str[0..len)` is valid UTF-8. */
bool ct__utf8_valid(const char *str, size_t len);

#endif
