/*
 * ctrecord: shared vocabulary of every public header.
 *
 * Conventions (docs/conventions.md has the long form):
 *  - Every fallible function returns ct_status; test with `rc < 0`. Iterators return CT_OK while
 *    items remain and CT_DONE at the end.
 *  - No global state. Constructors take an optional `ct_error *err` as their last parameter;
 *    methods keep the detail of their last failure in the handle.
 *  - Argument order: outputs first, then the handle, then inputs, then callback + payload.
 *  - A `T **out` constructor gives the caller ownership; free it with the matching ct_T_free()
 *    or ct_T_close(). Returned `const T *` are borrowed; each header says how long they live.
 *  - The library never prints, never exits and never aborts on bad input.
 */
#ifndef CTRECORD_COMMON_H
#define CTRECORD_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CT_EXTERN(type) extern __attribute__((visibility("default"))) type
#define CT_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#else
#define CT_EXTERN(type) extern type
#define CT_WARN_UNUSED_RESULT
#endif

/** Status of every fallible call. Negative values are errors. */
typedef enum ct_status {
    CT_OK = 0,
    CT_DONE = 1,             /* iteration finished; not an error */
    CT_ERROR = -1,           /* generic failure; see the message */
    CT_ENOMEM = -2,          /* an allocation failed */
    CT_EIO = -3,             /* open/read/write/rename failed; errno text in the message */
    CT_EPARSE = -4,          /* malformed input; the message names file and position */
    CT_EINVAL = -5,          /* bad argument or call order (e.g. event after close) */
    CT_EUNSUPPORTED = -6,    /* valid request the chosen profile or build cannot carry */
    CT_EUSER = -7,           /* a callback asked to stop */
    CT_EREPLAY = -8          /* the input is well-formed but cannot be replayed faithfully */
} ct_status;

/**
 * Error detail. `message` is one line, without a trailing period, and starts with where the
 * problem is (a file, a JSON path, an op index or an event index) when that is known.
 */
typedef struct ct_error {
    ct_status code;
    uint64_t offset;     /* byte offset into the input the error concerns, or 0 when none */
    char message[512];
} ct_error;

/** A static, never-NULL description of a status code. */
CT_EXTERN(const char *) ct_strerror(ct_status code);

/**
 * Optional allocator carried by a handle (never global). Every allocation of the handle goes
 * through it, which is also how tests inject allocation failures. NULL means libc, and so does
 * an allocator with any of its three functions NULL. A handle copies the struct; `ctx` must
 * outlive the handle (for a one-call function such as ct_validate_dir(), the call).
 */
typedef struct ct_allocator {
    void *(*malloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t new_size);
    void (*free)(void *ctx, void *ptr, size_t size);
    void *ctx;
} ct_allocator;

/** A 256-bit EVM word, big-endian (like evmc_uint256be). */
typedef struct ct_u256 {
    uint8_t bytes[32];
} ct_u256;

/** Version of the library, e.g. "0.1.0". Static storage. */
CT_EXTERN(const char *) ct_version(void);

#ifdef __cplusplus
}
#endif
#endif
