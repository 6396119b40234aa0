/*
 * The trace folder as a unit: created as a temporary sibling "<final_dir>.tmp-XXXXXX", filled
 * (trace.json by the writer; metadata, paths and files/ here), and renamed into place by
 * ct__trace_dir_commit(), so a folder at `final_dir` is always complete. docs/trace-folder.md
 * has the rules in prose.
 *
 * files/ rules (ct__trace_dir_add_source and ct__trace_dir_copy_sources):
 *  - "/a/b.sol" is stored as files/a/b.sol (every leading '/' stripped); a relative trace path is
 *    kept as is ("src/x.sol" -> files/src/x.sol); empty and "." components are dropped.
 *  - A ".." component anywhere, or a path with nothing left, is CT_EINVAL: it would leave files/.
 *  - A source read from disk whose last component is a symlink is followed only when the link
 *    text is relative and its fully resolved target (realpath) lies inside the folder holding
 *    the link; otherwise CT_EINVAL. Folders on the way may be symlinks (e.g. /home -> /usr/home).
 *  - A symlink stored in git (mode 120000) is followed inside the tree (8 hops at most) unless
 *    its text is absolute or climbs above the repository root (CT_EINVAL): the tree, not the
 *    link's folder, is the boundary, as nothing outside the repository can be read through it.
 *  - The copy in files/ is always a regular file; the temporary folder never contains a symlink.
 *
 * Missing sources (a path absent from the git revision or from disk) are not errors: each is
 * reported to the callback set by ct__trace_dir_on_missing and counted; the caller turns them
 * into warnings. Escapes and I/O failures are errors.
 */
#ifndef CT_TRACE_DIR_H
#define CT_TRACE_DIR_H

#include <ctrecord/common.h>

typedef struct ct__trace_dir ct__trace_dir;

/**
 * Create the temporary sibling folder of `final_dir`. `final_dir` existing without `overwrite`
 * is CT_EINVAL; with `overwrite`, an existing `final_dir` must be a folder that is empty or looks
 * like a trace (holds trace.json, trace.bin or trace_metadata.json), else CT_EINVAL: a mistyped
 * `-o $HOME --overwrite` must not delete a home folder. The parent of `final_dir` must exist.
 * @param[out] out  owned by the caller until ct__trace_dir_commit() or ct__trace_dir_abort()
 * @param a         copied; NULL = libc
 */
ct_status ct__trace_dir_open(ct__trace_dir **out, const char *final_dir, bool overwrite,
                             const ct_allocator *a, ct_error *err);

/**
 * The rule of ct__trace_dir_open() for `final_dir` alone (CT_OK when it is absent, or replaceable
 * with `overwrite`), for callers that install a folder under a name chosen later (the evm
 * recorder names a transaction's folder once its hash is read).
 */
ct_status ct__trace_dir_check_target(const char *final_dir, bool overwrite, ct_error *err);

/** The temporary folder; borrowed, valid until commit/abort. */
const char *ct__trace_dir_path(const ct__trace_dir *d);

/** Write files/<trace_path> now from memory (nothing is kept). Replaces an earlier copy. */
ct_status ct__trace_dir_add_source(ct__trace_dir *d, const char *trace_path, const void *data,
                                   size_t len, ct_error *err);

/**
 * Copy each of `paths` whose files/ copy does not exist yet (added by add_source or earlier in
 * the list). With `git_repo` (the repository's work tree folder; no upward search) a path inside
 * that work tree is read from the blob `<git_rev>:<relative path>` (NULL rev = HEAD) and never
 * from disk; other paths are read from disk. Relative paths are resolved against the current
 * directory for reading.
 */
ct_status ct__trace_dir_copy_sources(ct__trace_dir *d, const char *const *paths, size_t n,
                                     const char *git_repo, const char *git_rev, ct_error *err);

/**
 * Called once per missing source during ct__trace_dir_copy_sources. `why` is one line such as
 * "not in git revision HEAD of /repo" or "No such file or directory"; both strings are borrowed
 * for the duration of the call.
 */
typedef void (*ct__trace_dir_missing_fn)(void *payload, const char *trace_path,
                                         const char *why);
/** Set (or clear with NULL) the missing-source callback. */
void ct__trace_dir_on_missing(ct__trace_dir *d, ct__trace_dir_missing_fn fn, void *payload);
/** Number of missing sources so far. */
uint64_t ct__trace_dir_missing_count(const ct__trace_dir *d);
/** The first missing trace path, or NULL; borrowed, valid until commit/abort. */
const char *ct__trace_dir_first_missing(const ct__trace_dir *d);

/**
 * trace_metadata.json = {"recording_id": UUIDv7, "workdir", "program", "args"}, compact, no
 * trailing newline. `workdir` NULL = the current directory; a relative one is made absolute
 * against it. `program` NULL = "". Invalid UTF-8 becomes U+FFFD.
 */
ct_status ct__trace_dir_write_metadata(ct__trace_dir *d, const char *workdir,
                                       const char *program, const char *const *args,
                                       size_t nargs, ct_error *err);

/** trace_paths.json = the paths as a compact JSON array of strings. */
ct_status ct__trace_dir_write_paths(ct__trace_dir *d, const char *const *paths, size_t n,
                                    ct_error *err);

/**
 * Rename the temporary folder to `final_dir` (see ct__fs_install_dir for overwrite). Frees `d`
 * in every case; on failure the temporary folder is removed.
 */
ct_status ct__trace_dir_commit(ct__trace_dir *d, ct_error *err);

/** Remove the temporary folder recursively and free `d`. NULL is a no-op. */
void ct__trace_dir_abort(ct__trace_dir *d);

/* ---- shared by the trace_dir files (not for other callers) ----------------------------- */

/**
 * The files/-relative form of `trace_path` (see the rules above) into a new string owned by the
 * caller (ct__path_free). CT_EINVAL naming the path when it would leave files/.
 */
ct_status ct__source_relpath(char **out, const char *trace_path, const ct_allocator *a,
                             ct_error *err);

#endif
