/*
 * ct_validate_dir: the order of the checks over a trace folder. The per-event work is in
 * validate_event.c and the files it calls; this file owns the state's lifetime.
 */
#include "validate_impl.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util/alloc.h"

void ct_validate_options_init(ct_validate_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = CT_VALIDATE_OPTIONS_VERSION;
    opts->profile = CT_PROFILE_PORTABLE;
}

static ct_status init_state(ct__vstate *st, const char *dir, const ct_validate_options *opts,
                            ct_error *err)
{
    memset(st, 0, sizeof *st);
    ct_validate_options_init(&st->opts);
    if (opts) {
        if (opts->version != CT_VALIDATE_OPTIONS_VERSION)
            return ct__error_set(err, CT_EINVAL, "ct_validate_dir: options version %u, "
                                 "expected %u", opts->version, CT_VALIDATE_OPTIONS_VERSION);
        st->opts = *opts;
    }
    switch (st->opts.profile) {
    case CT_PROFILE_PORTABLE: st->profile_bit = CT__P_PORTABLE; break;
    case CT_PROFILE_CODETRACER_25_11: st->profile_bit = CT__P_25_11; break;
    case CT_PROFILE_CURRENT: st->profile_bit = CT__P_CURRENT; break;
    default:
        return ct__error_set(err, CT_EINVAL, "ct_validate_dir: unknown profile %d",
                             (int)st->opts.profile);
    }
    st->dir = dir;
    st->err = err;
    return CT_OK;
}

static ct_status run(ct__vstate *st)
{
    char path[4096];
    struct stat sb;
    if (stat(st->dir, &sb) != 0)
        return ct__error_errno(st->err, CT_EPARSE, "%s", st->dir);
    if (!S_ISDIR(sb.st_mode))
        return ct__error_set(st->err, CT_EPARSE, "%s: not a folder", st->dir);
    if ((size_t)snprintf(path, sizeof path, "%s/trace.json", st->dir) >= sizeof path)
        return ct__error_set(st->err, CT_EINVAL, "%s: path too long", st->dir);
    CT_TRY(ct__vmetadata(st));
    CT_TRY(ct__vpaths_load(st));
    CT_TRY(ct__vstream(st, path));
    return ct__vrules_end(st);
}

ct_status ct_validate_dir(ct_validate_report *report, const char *dir,
                          const ct_validate_options *opts, ct_error *err)
{
    ct_validate_report local;
    ct__vstate st;
    ct_status rc;
    ct__error_clear(err);
    if (!report)
        report = &local;
    memset(report, 0, sizeof *report);
    if (!dir)
        return ct__error_set(err, CT_EINVAL, "ct_validate_dir: no folder given");
    CT_TRY(init_state(&st, dir, opts, err));
    st.report = report;
    rc = run(&st);
    cJSON_Delete(st.trace_paths);
    ct__free(st.opts.allocator, st.nums, st.nums_cap * sizeof *st.nums);
    ct__free(st.opts.allocator, st.file_buf, st.file_cap);
    return rc;
}
