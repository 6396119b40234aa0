/*
 * Where the trace folders go. Everything is written inside a temporary sibling of the output
 * and moved into place once the whole input has been read (see output_begin). A block's
 * transactions are named by their hashes, which often follow the vmTrace in the input (Erigon
 * writes `transactionHash` last), so they are known only when the transaction's ops are done:
 * such a folder is written under a provisional name, moved, and trace_metadata.json's program
 * is completed.
 */
#include "evm_rec.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"
#include "trace_dir.h"
#include "util/fs.h"

/* A block's trace folders are named by their hashes: anything but 0x and hex digits ("..",
 * "/", a NUL cut short) would name a folder outside the block folder or a wrong one. */
static ct_status check_hash(ct__evm_rec *r)
{
    const char *h = r->tx->hash;
    size_t i, n = h ? strlen(h) : 0;
    bool ok = n > 2 && n <= 66 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X');
    for (i = 2; ok && i < n; i++)
        ok = (h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f') ||
             (h[i] >= 'A' && h[i] <= 'F');
    if (!h || ok)
        return CT_OK;
    return ct__error_set(r->err, CT_EPARSE, "%s: tx %llu: `transactionHash` is not a 0x hex "
                         "hash, so it cannot name the transaction's trace folder",
                         strcmp(r->opts->input, "-") ? r->opts->input : "<stdin>",
                         (unsigned long long)r->tx->index);
}

/* The block folder is new: a name already in it is an earlier transaction of the same block
 * (the same hash twice), which would otherwise be replaced or refused as "exists". */
static ct_status check_unique(ct__evm_rec *r, const char *path)
{
    if (!ct__fs_exists(path))
        return CT_OK;
    return ct__error_set(r->err, CT_EPARSE, "%s: tx %llu: `transactionHash` %s repeats an "
                         "earlier transaction of the block",
                         strcmp(r->opts->input, "-") ? r->opts->input : "<stdin>",
                         (unsigned long long)r->tx->index, r->tx->hash);
}

/* An existing block folder is replaced (with overwrite) only when it holds nothing but trace
 * folders, so a mistyped -o does not delete somebody's folder. */
static ct_status check_block_target(ct__evm_rec *r, const char *out)
{
    char sub[4400];
    DIR *h;
    struct dirent *e;
    ct_status rc = CT_OK;
    if (!ct__fs_exists(out))
        return CT_OK;
    if (!r->opts->overwrite)
        return ct__error_set(r->err, CT_EINVAL, "%s: already exists (overwrite not requested)",
                             out);
    h = opendir(out);
    if (!h)
        return ct__error_set(r->err, CT_EINVAL, "%s: exists and is not a block folder; "
                             "refusing to replace it", out);
    while (rc == CT_OK && (e = readdir(h)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(sub, sizeof sub, "%s/%s", out, e->d_name);
        if (ct__trace_dir_check_target(sub, true, r->err) < 0)
            rc = ct__error_set(r->err, CT_EINVAL, "%s: exists and is not a block folder (%s is "
                               "not a trace folder); refusing to replace it", out, e->d_name);
    }
    closedir(h);
    return rc;
}

/* All output is written inside a temporary sibling of the output folder and moved into place
 * once the whole input has been read: a block that fails at its tenth transaction leaves no
 * folder that looks like a block of nine, and a transaction followed by bad input (trailing
 * garbage, a corrupt gzip tail) leaves no trace that looks finished. */
static ct_status output_begin(ct__evm_rec *r)
{
    char parent[4200];
    if (r->block_tmp)
        return CT_OK;
    r->block_final = ct__path_strip_slashes(&r->alloc, r->opts->output);
    if (!r->block_final)
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    if (ct_replay_input_is_list(r->replay))
        CT_TRY(check_block_target(r, r->block_final));
    else
        CT_TRY(ct__trace_dir_check_target(r->block_final, r->opts->overwrite, r->err));
    snprintf(parent, sizeof parent, "%s", r->block_final);
    CT_TRY(ct__fs_make_parents(parent, 0, r->err));
    return ct__fs_make_tmp_sibling(&r->block_tmp, NULL, r->block_final, &r->alloc, r->err);
}

ct_status ct__evm_output_finish(ct__evm_rec *r)
{
    char single[4200];
    ct_status rc;
    bool list = ct_replay_input_is_list(r->replay);
    CT_TRY(output_begin(r));   /* an empty block still gets its (empty) folder */
    if (list) {
        CT_TRY(check_block_target(r, r->block_final));
        rc = ct__fs_install_dir(r->block_tmp, r->block_final, r->opts->overwrite, &r->alloc,
                                r->err);
        if (rc == CT_OK) {
            ct__path_free(&r->alloc, r->block_tmp);
            r->block_tmp = NULL;
        }
        return rc;
    }
    snprintf(single, sizeof single, "%s/trace", r->block_tmp);
    CT_TRY(ct__trace_dir_check_target(r->block_final, r->opts->overwrite, r->err));
    return ct__fs_install_dir(single, r->block_final, r->opts->overwrite, &r->alloc, r->err);
}

void ct__evm_output_cleanup(ct__evm_rec *r)
{
    if (r->block_tmp)
        (void)ct__fs_rmrf(r->block_tmp);
    ct__path_free(&r->alloc, r->block_tmp);
    ct__path_free(&r->alloc, r->block_final);
    r->block_tmp = r->block_final = NULL;
}

ct_status ct__evm_tx_dir(ct__evm_rec *r, char *out, size_t cap)
{
    if (ct_replay_input_is_list(r->replay))
        CT_TRY(check_hash(r));
    CT_TRY(output_begin(r));
    if (!ct_replay_input_is_list(r->replay))
        snprintf(out, cap, "%s/trace", r->block_tmp);
    else if (r->tx->hash)
        snprintf(out, cap, "%s/%s", r->block_tmp, r->tx->hash);
    else
        snprintf(out, cap, "%s/.tx-%llu.partial", r->block_tmp,
                 (unsigned long long)r->tx->index);
    return ct_replay_input_is_list(r->replay) && r->tx->hash ? check_unique(r, out) : CT_OK;
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

/* A block's provisional folder gets its hash name (or tx-N), or goes away. */
ct_status ct__evm_tx_finalize(ct__evm_rec *r, const char *dir, bool hash_at_open)
{
    char final[4200];
    ct_status rc = CT_OK;
    if (hash_at_open)
        return CT_OK;
    if (ct_replay_input_is_list(r->replay))
        rc = check_hash(r);
    if (rc == CT_OK && r->tx->hash)
        rc = rewrite_metadata(r, dir);
    if (rc < 0 || !ct_replay_input_is_list(r->replay))
        return rc;   /* a single trace already has its name in the temporary folder */
    if (r->tx->hash)
        snprintf(final, sizeof final, "%s/%s", r->block_tmp, r->tx->hash);
    else
        snprintf(final, sizeof final, "%s/tx-%llu", r->block_tmp,
                 (unsigned long long)r->tx->index);
    if (rc == CT_OK)
        rc = check_unique(r, final);
    if (rc == CT_OK)
        rc = ct__fs_install_dir(dir, final, false, &r->alloc, r->err);
    if (rc < 0)
        ct__fs_rmrf(dir);
    return rc;
}
