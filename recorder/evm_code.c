/* Which code a frame runs (artifact, address map or disassembly) and its trace paths. */
#include "evm_rec.h"

#include <stdio.h>
#include <string.h>

#include "ast_functions.h"
#include "disasm.h"
#include "util/sink.h"
#include "keccak.h"
#include "util/alloc.h"
#include "util/error.h"

static bool is_creation(const ct_evm_frame *f)
{
    return f->kind == CT_FRAME_CREATE || f->kind == CT_FRAME_CREATE2 ||
           f->kind == CT_FRAME_ROOT_CREATE;
}

static const ct__contract *mapped_contract(const ct__evm_rec *r, const ct_evm_frame *f)
{
    size_t i;
    for (i = 0; i < r->namap; i++)
        if (!memcmp(r->amap[i].addr, f->code_address.bytes + 12, 20))
            return r->amap[i].contract;
    return NULL;
}

/* The first mapped instruction's file and line: the fallback location of calls. */
static void set_home(ct__code_info *ci)
{
    size_t pc;
    const ct__artifact_set *set = ci->match.contract ? ci->match.contract->set : NULL;
    for (pc = 0; set && pc < ci->locs->len; pc++) {
        const ct__loc *l = &ci->locs->by_pc[pc];
        if (l->file >= 0) {
            ci->home_path = ct__artifacts_source(set, l->file)->path;
            ci->home_line = l->line;
            ci->home_file = l->file;
            return;
        }
    }
}

/* A malformed source map is found when a frame first runs the contract: name the artifact
 * file and contract, or the message would not say which of many artifacts is broken. */
static ct_status srcmap_failed(ct__evm_rec *r, const ct__contract *c, const char *what,
                               ct_status rc)
{
    char msg[sizeof r->err->message];
    uint64_t off = r->err->offset;
    if (rc != CT_EPARSE)
        return rc;
    snprintf(msg, sizeof msg, "%s", r->err->message);
    return ct__error_set_at(r->err, rc, off, "%s: %s (%s code): %s",
                            c->set->origin ? c->set->origin : "artifacts", c->name, what, msg);
}

static ct_status use_artifact(ct__evm_rec *r, ct__code_info *ci, const ct_evm_frame *f)
{
    ct__bytecode *bc = (ct__bytecode *)ci->match.bytecode;
    const ct__contract *c = ci->match.contract;
    const char *what = ci->creation ? "creation" : "runtime";
    {
        ct__locmap *lm;
        /* Locations follow the frame's own code: same instructions as the artifact's up to
         * masked bytes, and the only code there is for address-mapped frames. */
        ct_status rc = ct__locmap_build(&lm, &r->art.arena, f->code, f->code_len,
                                        ci->creation ? bc->exec_len
                                                     : ct__code_exec_len(f->code, f->code_len),
                                        bc->srcmap, c->set, &r->alloc, r->err);
        if (rc < 0)
            return srcmap_failed(r, c, what, rc);
        if (lm->out_of_range)
            ct__evm_warn(r, "%s (%s code): %zu source-map entries point outside their "
                         "sources; those ops have no line", c->name, what, lm->out_of_range);
        ci->locs = lm;
    }
    if (c->storage_layout && !c->layout) {
        ct__storage_layout *l = ct__arena_alloc(&r->art.arena, sizeof *l);
        if (!l)
            return ct__error_set(r->err, CT_ENOMEM, "out of memory");
        CT_TRY(ct__storage_layout_parse(l, &r->art.arena, c->storage_layout, r->err));
        ((ct__contract *)c)->layout = l;
    }
    ci->layout = c->layout;
    set_home(ci);
    return CT_OK;
}

static ct_status use_disasm(ct__evm_rec *r, ct__code_info *ci, const ct_evm_frame *f,
                            const char *why)
{
    char addr[41], hash[17], title[300], path[4200];
    ct__locmap *lm;
    char *text;
    size_t len;
    addr[ct__fmt_hex(addr, f->code_address.bytes + 12, 20)] = '\0';
    hash[ct__fmt_hex(hash, ci->hash, 8)] = '\0';
    snprintf(title, sizeof title, "disassembly of the %s code run at 0x%s (%zu bytes, "
             "keccak256 0x%s...)", ci->creation ? "creation" : "runtime", addr, f->code_len,
             hash);
    CT_TRY(ct__disasm(&text, &len, &lm, &r->arena, f->code, f->code_len, title, r->err));
    snprintf(path, sizeof path, "%s/evm-disassembly/0x%s-%s%s.evm", r->workdir, addr, hash,
             ci->creation ? "-init" : "");
    ci->disasm_path = ct__arena_strndup(&r->arena, path, strlen(path));
    if (!ci->disasm_path)
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    ci->disasm_text = text;
    ci->disasm_len = len;
    ci->locs = lm;
    ci->home_path = ci->disasm_path;
    ci->home_line = 1;
    ci->home_file = 0;
    memset(&ci->match, 0, sizeof ci->match);
    r->report->frames_unmatched++;
    ct__evm_warn(r, "frame at 0x%s (depth %u): %s; stepping through its disassembly %s", addr,
                 f->depth, why, path);
    return CT_OK;
}

static ct_status new_info(ct__code_info **out, ct__evm_rec *r, const ct_evm_frame *f,
                          const uint8_t hash[32])
{
    ct__code_info *ci = ct__arena_alloc(&r->arena, sizeof *ci);
    const ct__contract *mc;
    if (!ci)
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    memcpy(ci->hash, hash, 32);
    ci->len = f->code_len;
    ci->creation = is_creation(f);
    if (ct__match_code(&ci->match, &r->art, f->code, f->code_len, ci->creation)) {
        CT_TRY(use_artifact(r, ci, f));
    } else if ((mc = mapped_contract(r, f)) != NULL) {
        ci->match.contract = mc;
        ci->match.bytecode = ci->creation ? &mc->creation : &mc->runtime;
        ci->match.creation = ci->creation;
        ci->match.args_offset = ci->creation ? mc->creation.len : 0;
        CT_TRY(use_artifact(r, ci, f));
    }
    if (!ci->match.contract)
        CT_TRY(use_disasm(r, ci, f, "its code matches no artifact"));
    else if (!ci->home_path)
        CT_TRY(use_disasm(r, ci, f, "its contract's sources are not available"));
    *out = ci;
    return CT_OK;
}

ct_status ct__evm_code_info(const ct__code_info **out, ct__evm_rec *r, const ct_evm_frame *f)
{
    uint8_t hash[32];
    ct__code_info *ci = NULL;
    size_t i;
    ct__keccak256(f->code, f->code_len, hash);
    for (i = 0; i < r->ncodes; i++)
        if (r->codes[i]->len == f->code_len && r->codes[i]->creation == is_creation(f) &&
            !memcmp(r->codes[i]->hash, hash, 32)) {
            *out = r->codes[i];
            return CT_OK;
        }
    CT_TRY(new_info(&ci, r, f, hash));
    if (r->ncodes == r->capcodes) {
        size_t nc = r->capcodes ? r->capcodes * 2 : 16;
        ct__code_info **p = ct__realloc(&r->alloc, r->codes, r->capcodes * sizeof *p,
                                        nc * sizeof *p);
        if (!p)
            return ct__error_set(r->err, CT_ENOMEM, "out of memory");
        r->codes = p;
        r->capcodes = nc;
    }
    r->codes[r->ncodes++] = ci;
    *out = ci;
    return CT_OK;
}

ct_status ct__evm_path(ct_path_id *out, ct__evm_rec *r, const ct__code_info *ci, int32_t file)
{
    const ct__source *src = NULL;
    const void *key = ci;
    const char *path = ci->disasm_path, *data = ci->disasm_text;
    size_t i, len = ci->disasm_len;
    if (!ci->disasm_path) {
        src = ct__artifacts_source(ci->match.contract->set, file);
        key = src;
        path = src->path;
        data = src->content;
        len = src->len;
    }
    for (i = 0; i < r->npaths; i++)
        if (r->paths[i].key == key) {
            *out = r->paths[i].id;
            return CT_OK;
        }
    if (r->npaths == r->cappaths) {
        size_t nc = r->cappaths ? r->cappaths * 2 : 16;
        ct__path_entry *p = ct__realloc(&r->alloc, r->paths, r->cappaths * sizeof *p,
                                        nc * sizeof *p);
        if (!p)
            return ct__error_set(r->err, CT_ENOMEM, "out of memory");
        r->paths = p;
        r->cappaths = nc;
    }
    if (ct_writer_path_id(out, r->w, path) < 0 || ct_writer_source(r->w, *out, data, len) < 0)
        return ct__evm_writer_failed(r);
    r->paths[r->npaths].key = key;
    r->paths[r->npaths].id = *out;
    r->npaths++;
    return CT_OK;
}

void ct__evm_entry_location(const char **path, int32_t *file, int64_t *line,
                            const ct__code_info *ci, const ct__ast_function *fn)
{
    const ct__source *src = fn && ci->match.contract
                                ? ct__artifacts_source(ci->match.contract->set, fn->file)
                                : NULL;
    if (src && src->content) {
        *path = src->path;
        *file = fn->file;
        *line = fn->line;
        return;
    }
    *path = ci->home_path;
    *file = ci->home_file;
    *line = ci->home_line;
}
