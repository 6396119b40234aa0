/*
 * Test support shared by every cmocka test: real temp folders, the reference data folder, a
 * counting allocator that can fail the Nth allocation, and small file helpers.
 */
#ifndef CT_TEST_H
#define CT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctrecord/common.h>

/** Counting allocator: `fail_at` = 1-based index of the allocation to fail (0 = never). */
typedef struct ct_test_alloc {
    ct_allocator allocator;   /* pass &t.allocator to the library */
    uint64_t calls;           /* allocations attempted (malloc + growing realloc) */
    uint64_t fail_at;
    int64_t live_bytes;
    int64_t live_blocks;
    int64_t peak_bytes;
} ct_test_alloc;

void ct_test_alloc_init(ct_test_alloc *t, uint64_t fail_at);

/** A fresh empty folder under $TMPDIR; returns a malloc'd path the caller frees. */
char *ct_test_tmpdir(const char *tag);
/** rm -rf; ignores errors. */
void ct_test_rmrf(const char *path);
/** Whole file into a malloc'd NUL-terminated buffer (NULL if unreadable); *len may be NULL. */
char *ct_test_read_file(const char *path, size_t *len);
int ct_test_write_file(const char *path, const void *data, size_t len);
int ct_test_exists(const char *path);
/** Path joined from the environment variable `var` and `rel`; malloc'd. NULL if var unset. */
char *ct_test_env_path(const char *var, const char *rel);
/** $CT_SHARED_DIR/rel if it exists, else NULL (the caller skips). */
char *ct_test_shared(const char *rel);
/** A JSON file parsed with cJSON; fails the test when unreadable or malformed. Free with
 * cJSON_Delete. */
struct cJSON *ct_test_read_json(const char *path);
/** "a/b", malloc'd; fails the test when out of memory. */
char *ct_test_join(const char *a, const char *b);
/** Entries of a folder other than . and .. (-1 when it cannot be opened). */
int ct_test_count_entries(const char *dir);

/** Like assert_int_equal on a ct_status, printing the error message when they differ. */
#define assert_status(expr, want, err)                                                        \
    do {                                                                                      \
        ct_status rc_ = (expr);                                                               \
        if (rc_ != (want))                                                                    \
            print_message("status %d, want %d: %s\n", (int)rc_, (int)(want), (err).message);  \
        assert_int_equal(rc_, (want));                                                        \
    } while (0)

/** `len` bytes gzip-compressed (one member, zlib level 6); malloc'd, length in *out_len. */
unsigned char *ct_test_gzip(const void *data, size_t len, size_t *out_len);

/** Run a shell command; returns its exit status (or -1). Output goes to the test log. */
int ct_test_system(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
