/*
 * Small filesystem helpers shared by the trace folder, bundles and their tests. Every failure is
 * reported as CT_EIO (or CT_ENOMEM) with a message that names the path, because "No space left on
 * device" alone does not tell the user which of a thousand source files failed.
 */
#ifndef CT_UTIL_FS_H
#define CT_UTIL_FS_H

#include <ctrecord/common.h>

/** "<dir>/<rel>", owned by the caller: free with ct__free(a, p, strlen(p) + 1). NULL on OOM. */
char *ct__path_join(const ct_allocator *a, const char *dir, const char *rel);

/** A copy of `path` without trailing '/' ("/" stays "/"); ct__path_free. NULL on OOM. */
char *ct__path_strip_slashes(const ct_allocator *a, const char *path);

/** Free a string made by ct__path_join / ct__strdup. NULL is a no-op. */
void ct__path_free(const ct_allocator *a, char *p);

/**
 * Create the missing folders of `path` between byte `base_len` and its last '/', i.e. the
 * parents of the file `path` names, assuming path[0..base_len) exists. `path` is modified
 * during the call and restored. An existing non-folder in the way is an error (ENOTDIR).
 */
ct_status ct__fs_make_parents(char *path, size_t base_len, ct_error *err);

/** Write all of `data` to `fd` (retrying short writes); `name` is used in the message. */
ct_status ct__fs_write_all(int fd, const void *data, size_t len, const char *name,
                           ct_error *err);

/** Create or truncate the regular file `path` (never following a symlink) with `data`. */
ct_status ct__fs_write_file(const char *path, const void *data, size_t len, ct_error *err);

/**
 * Create a fresh sibling "<path>.tmp-XXXXXX" (random suffix, exclusive create): a folder when
 * `fd` is NULL, else a regular file opened for writing into *fd. *out is owned by the caller
 * (ct__path_free).
 */
ct_status ct__fs_make_tmp_sibling(char **out, int *fd, const char *path, const ct_allocator *a,
                                  ct_error *err);

/** Remove `path` recursively without following symlinks. 0, or -1 with errno set. */
int ct__fs_rmrf(const char *path);

/** True when `path` exists (lstat). */
bool ct__fs_exists(const char *path);

/**
 * Move the finished folder `tmp` to `final`. Without `overwrite`, an existing `final` is an
 * error (CT_EINVAL). With it, the old folder is swapped out in one step (renameat2
 * RENAME_EXCHANGE; where the filesystem lacks it: old moved aside, new renamed in, old moved
 * back if that fails) and then removed, so `final` is never a half-old, half-new folder. A
 * failure to remove the old copy after the swap is not reported (the new folder is complete).
 */
ct_status ct__fs_install_dir(const char *tmp, const char *final, bool overwrite,
                             const ct_allocator *a, ct_error *err);

#endif
