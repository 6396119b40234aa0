/*
 * A byte source: a file, stdin, or memory, transparently gunzipped when the first bytes are the
 * gzip magic (1f 8b). Pull-based, so the same consumer code reads every kind of input.
 */
#ifndef CT_UTIL_INPUT_H
#define CT_UTIL_INPUT_H

#include <ctrecord/common.h>

typedef struct ct__input ct__input;

/**
 * Open `path` ("-" = stdin, which is not closed by ct__input_free). Reads the first two bytes
 * to detect gzip, so a pipe blocks here until they arrive. Missing/unreadable file: CT_EIO.
 */
ct_status ct__input_open_file(ct__input **out, const char *path, const ct_allocator *a,
                              ct_error *err);
/** Read from `len` bytes at `data` (borrowed; must outlive the input; never copied whole). */
ct_status ct__input_open_memory(ct__input **out, const void *data, size_t len,
                                const ct_allocator *a, ct_error *err);
/**
 * Same as ct__input_open_memory, but no ct__input_read ever returns more than `max_chunk`
 * bytes (and gzip input is fed to the decoder at most `max_chunk` bytes at a time); 0 means no
 * limit. For tests that split a document at every possible boundary.
 */
ct_status ct__input_open_memory_chunked(ct__input **out, const void *data, size_t len,
                                        size_t max_chunk, const ct_allocator *a,
                                        ct_error *err);
void ct__input_free(ct__input *in);

/**
 * Read up to `cap` bytes of (decompressed) input into `buf`. Returns the number of bytes read
 * in *n; *n == 0 with CT_OK means end of input (and stays so). Truncated or corrupt gzip
 * streams are CT_EPARSE ("<name>: compressed byte N: ..."); read errors CT_EIO with errno text.
 * Concatenated gzip members are read as one stream. A short count does not mean end of input.
 */
ct_status ct__input_read(ct__input *in, void *buf, size_t cap, size_t *n, ct_error *err);

/** True when the input was detected as gzip. */
bool ct__input_is_gzip(const ct__input *in);

/** Name for messages (the path, "<stdin>" or "<memory>"). */
const char *ct__input_name(const ct__input *in);

#endif
