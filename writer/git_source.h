/*
 * Files of a git revision, read through libgit2 (git_source.c is the only libgit2 user). Used
 * for files/ (sources.c) and by the recorder to read compiler sources at the recorded commit.
 * Shared rules: see "Sources from a git revision" in docs/trace-folder.md.
 */
#ifndef CT_GIT_SOURCE_H
#define CT_GIT_SOURCE_H

#include <ctrecord/common.h>

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
