/*
 * Internals shared by trace_dir.c, trace_dir_meta.c, sources.c and git_source.c. Not for other
 * callers: they use trace_dir.h.
 */
#ifndef CT_TRACE_DIR_IMPL_H
#define CT_TRACE_DIR_IMPL_H

#include "trace_dir.h"

struct ct__trace_dir {
    ct_allocator alloc;
    char *final_dir;          /* as given, trailing '/' removed */
    char *tmp_dir;            /* "<final_dir>.tmp-XXXXXX" */
    bool overwrite;
    uint64_t missing;
    char *first_missing;
    ct__trace_dir_missing_fn missing_fn;
    void *missing_payload;
};

/** Count a missing source, remember the first, call the callback. */
ct_status ct__trace_dir_note_missing(ct__trace_dir *d, const char *trace_path, const char *why,
                                     ct_error *err);

/** "<tmp>/files/<rel>", owned by the caller (ct__path_free with d->alloc). */
char *ct__trace_dir_files_path(const ct__trace_dir *d, const char *rel);

/** Create the parents of `dest` (a ct__trace_dir_files_path) inside the temporary folder. */
ct_status ct__trace_dir_make_parents(const ct__trace_dir *d, char *dest, ct_error *err);

/* ---- git blobs (git_source.c: the only libgit2 user) ----------------------------------- */

typedef struct ct__git_source ct__git_source;

/** Open `repo_dir` (a work tree; no upward search) at `rev` (NULL = HEAD). */
ct_status ct__git_source_open(ct__git_source **out, const char *repo_dir, const char *rev,
                              const ct_allocator *a, ct_error *err);
void ct__git_source_close(ct__git_source *g);

/**
 * Look `path` (absolute, or relative to the current directory) up in the revision. *inside is
 * false when the path is outside the work tree (nothing else is done). Otherwise CT_OK with the
 * blob in *data and *len (borrowed until the next call or close), or CT_DONE when the revision has
 * no such file (the reason in `why`, one line).
 */
ct_status ct__git_source_read(ct__git_source *g, const char *path, bool *inside,
                              const void **data, size_t *len, char *why, size_t why_cap,
                              ct_error *err);

#endif
