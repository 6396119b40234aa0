/*
 * Internals shared by trace_dir.c, trace_dir_meta.c and sources.c. Not for other callers: they
 * use trace_dir.h (and git_source.h for blobs of a git revision).
 */
#ifndef CT_TRACE_DIR_IMPL_H
#define CT_TRACE_DIR_IMPL_H

#include "git_source.h"
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

#endif
