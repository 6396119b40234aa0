/*
 * Where a transaction's trace folder goes, and its naming after the fact: the transaction
 * hash often follows the vmTrace in the input (Erigon writes `transactionHash` last), so it is
 * known only when the transaction's ops are done. The folder is then written under a
 * provisional name and moved, and trace_metadata.json's program is completed.
 */
#include "evm_rec.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/fs.h"

ct_status ct__evm_tx_dir(ct__evm_rec *r, char *out, size_t cap)
{
    char parent[4200];
    bool list = ct_replay_input_is_list(r->replay);
    /* The folders above the trace folder (a block's folder included) are created. */
    snprintf(parent, sizeof parent, "%s%s", r->opts->output, list ? "/" : "");
    CT_TRY(ct__fs_make_parents(parent, 0, r->err));
    if (list && r->tx->hash)
        snprintf(out, cap, "%s/%s", r->opts->output, r->tx->hash);
    else if (list)
        snprintf(out, cap, "%s/.tx-%llu.partial", r->opts->output,
                 (unsigned long long)r->tx->index);
    else if (r->tx->hash)
        snprintf(out, cap, "%s", r->opts->output);
    else
        snprintf(out, cap, "%s.partial", r->opts->output);
    if (!list && !r->opts->overwrite && ct__fs_exists(r->opts->output))
        return ct__error_set(r->err, CT_EINVAL, "%s: exists (overwrite it with --force)",
                             r->opts->output);
    return CT_OK;
}

static ct_status rewrite_metadata(ct__evm_rec *r, const char *dir)
{
    char path[4300], *text = NULL, *tmp = NULL;
    cJSON *doc = NULL;
    int fd = -1;
    ct_status rc = CT_OK;
    char program[700];
    snprintf(path, sizeof path, "%s/trace_metadata.json", dir);
    if (ct__json_file(&doc, path, &r->alloc, r->err) < 0)
        return r->err->code;
    snprintf(program, sizeof program, "tx %s: %s", r->tx->hash, r->program_tail);
    cJSON_ReplaceItemInObject(doc, "program", cJSON_CreateString(program));
    cJSON_ReplaceItemInObject(doc, "args", cJSON_CreateStringArray(&r->tx->hash, 1));
    text = cJSON_PrintUnformatted(doc);
    if (!text)
        rc = ct__error_set(r->err, CT_ENOMEM, "out of memory");
    if (rc == CT_OK)
        rc = ct__fs_make_tmp_sibling(&tmp, &fd, path, &r->alloc, r->err);
    if (rc == CT_OK)
        rc = ct__fs_write_all(fd, text, strlen(text), path, r->err);
    if (fd >= 0)
        close(fd);
    if (rc == CT_OK && rename(tmp, path) != 0)
        rc = ct__error_errno(r->err, CT_EIO, "%s: cannot replace", path);
    if (rc < 0 && tmp)
        unlink(tmp);
    ct__path_free(&r->alloc, tmp);
    cJSON_free(text);
    cJSON_Delete(doc);
    return rc;
}

/* The provisional folder becomes the final one, or goes away: never a half-named trace. */
ct_status ct__evm_tx_finalize(ct__evm_rec *r, const char *dir, bool hash_at_open)
{
    char final[4200];
    ct_status rc = CT_OK;
    if (hash_at_open)
        return CT_OK;
    if (r->tx->hash)
        rc = rewrite_metadata(r, dir);
    if (!ct_replay_input_is_list(r->replay))
        snprintf(final, sizeof final, "%s", r->opts->output);
    else if (r->tx->hash)
        snprintf(final, sizeof final, "%s/%s", r->opts->output, r->tx->hash);
    else
        snprintf(final, sizeof final, "%s/tx-%llu", r->opts->output,
                 (unsigned long long)r->tx->index);
    if (rc == CT_OK)
        rc = ct__fs_install_dir(dir, final, r->opts->overwrite, &r->alloc, r->err);
    if (rc < 0)
        ct__fs_rmrf(dir);
    return rc;
}
