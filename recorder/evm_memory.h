/* The memory of one EVM frame: a byte buffer that follows the EVM expansion rule (grows to a
 * multiple of 32 bytes covering every touched window, zero-filled) and never beyond a bound.
 * The buffer is reused by every frame that runs at the same depth, so it only grows to the
 * largest memory seen there. */
#ifndef CT_RECORDER_EVM_MEMORY_H
#define CT_RECORDER_EVM_MEMORY_H

#include <ctrecord/common.h>

typedef struct ct__memory {
    uint8_t *data;
    size_t len;       /* EVM memory size (multiple of 32) */
    size_t cap;
} ct__memory;

void ct__memory_free(ct__memory *m, const ct_allocator *a);
/** Empty the memory for a new frame (keeps the buffer). */
void ct__memory_reset(ct__memory *m);

/**
 * Expand for an access of `size` bytes at `off` (no-op when size is 0). CT_EREPLAY when the
 * window ends beyond `max` bytes (nothing is allocated then), CT_ENOMEM when the buffer cannot
 * grow. The message starts with `what`.
 */
ct_status ct__memory_expand(ct__memory *m, const ct_allocator *a, uint64_t off, uint64_t size,
                            uint64_t max, const char *what, ct_error *err);
/** Same, with off/size given as 256-bit stack words. */
ct_status ct__memory_expand_words(ct__memory *m, const ct_allocator *a, const ct_u256 *off,
                                  const ct_u256 *size, uint64_t max, const char *what,
                                  ct_error *err);
/** Expand and copy `len` bytes to `off`. */
ct_status ct__memory_write(ct__memory *m, const ct_allocator *a, uint64_t off,
                           const uint8_t *data, size_t len, uint64_t max, const char *what,
                           ct_error *err);
/** Replace the whole memory by `data` (reth reports full snapshots). */
ct_status ct__memory_assign(ct__memory *m, const ct_allocator *a, const uint8_t *data,
                            size_t len, uint64_t max, const char *what, ct_error *err);

#endif
