/* ct_evm_record(): transactions, the op loop, and the run's shared helpers. */
#include "evm_rec.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "evm_word.h"
#include "opcodes.h"
#include "util/alloc.h"
#include "util/error.h"

#define MAX_MEM_SLICE (16u << 20)

void ct_evm_record_options_init(ct_evm_record_options *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->version = CT_EVM_RECORD_OPTIONS_VERSION;
    o->profile = CT_PROFILE_PORTABLE;
}

void ct__evm_warn(ct__evm_rec *r, const char *fmt, ...)
{
    char line[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    r->report->warnings++;
    if (r->opts->on_warning)
        r->opts->on_warning(r->opts->warning_payload, line);
}

ct_status ct__evm_writer_failed(ct__evm_rec *r)
{
    const ct_error *we = r->w ? ct_writer_error(r->w) : NULL;
    if (we && we->code < 0)
        return ct__error_copy(r->err, we);
    return ct__error_set(r->err, CT_ERROR, "trace writer failed");
}

ct_status ct__evm_mem(ct__evm_rec *r, const ct_evm_step *s, uint64_t off, uint64_t len,
                      const uint8_t **out)
{
    size_t have = 0;
    if (len > MAX_MEM_SLICE) {
        ct__evm_warn(r, "op %llu (pc %llu): memory range of %llu bytes shortened to %u",
                     (unsigned long long)s->index, (unsigned long long)s->pc,
                     (unsigned long long)len, MAX_MEM_SLICE);
        len = MAX_MEM_SLICE;
    }
    if (len > r->capmem) {
        uint8_t *p = ct__realloc(&r->alloc, r->membuf, r->capmem, (size_t)len);
        if (!p)
            return ct__error_set(r->err, CT_ENOMEM, "out of memory");
        r->membuf = p;
        r->capmem = (size_t)len;
    }
    if (off < s->memory_len)
        have = s->memory_len - off < len ? (size_t)(s->memory_len - off) : (size_t)len;
    if (have)
        memcpy(r->membuf, s->memory + off, have);
    if (len > have)
        memset(r->membuf + have, 0, (size_t)len - have);
    *out = r->membuf;
    return CT_OK;
}

/* ---- one transaction --------------------------------------------------------------------- */

static ct_status open_writer(ct__evm_rec *r, const char *program)
{
    ct_writer_options wo;
    const char *args[1];
    CT_TRY(ct__evm_tx_dir(r, r->dir, sizeof r->dir));
    r->hash_at_open = r->tx->hash != NULL;
    ct_writer_options_init(&wo);
    wo.profile = r->opts->profile;
    wo.program = program;
    args[0] = r->tx->hash ? r->tx->hash : "";
    wo.args = args;
    wo.nargs = 1;
    wo.workdir = r->workdir;
    wo.git_repo = r->opts->git_repo;
    wo.git_rev = r->opts->git_rev;
    /* A provisional folder (hash not known yet) is ours to replace. */
    wo.overwrite = r->opts->overwrite || !r->hash_at_open;
    wo.allocator = &r->alloc;
    return ct_writer_open(&r->w, r->dir, &wo, r->err);
}

/* The first op tells which code runs, hence the toplevel location and the program name. */
static ct_status start(ct__evm_rec *r, const ct_evm_step *s)
{
    const ct__code_info *ci;
    const ct__abi_entry *entry;
    const ct__ast_function *fn;
    const char *path;
    int32_t file;
    int64_t line;
    char program[700], addr[67];
    ct_value a = ct_value_raw_from_u256(0, &s->frame->address, 20, addr);
    (void)a;
    CT_TRY(ct__evm_code_info(&ci, r, s->frame));
    ct__evm_frame_function(&entry, &fn, ci, s->frame, &r->builtin);
    ct__evm_entry_location(&path, &file, &line, ci, fn);
    snprintf(r->program_tail, sizeof r->program_tail, "%s at %s",
             ci->match.contract ? ci->match.contract->name : "unverified code",
             s->frame->address_known ? addr : "(unknown address)");
    snprintf(program, sizeof program, "tx %s: %s", r->tx->hash ? r->tx->hash : "(no hash)",
             r->program_tail);
    CT_TRY(open_writer(r, program));
    r->started = true;
    if (ct_writer_start(r->w, path, line) < 0)
        return ct__evm_writer_failed(r);
    return ct__evm_types(r);
}

static ct_status step_here(ct__evm_rec *r, const ct_evm_step *s, ct__frame_state *fs,
                           ct__loc loc)
{
    ct_path_id path;
    CT_TRY(ct__evm_path(&path, r, fs->code, loc.file));
    if (ct_writer_step(r->w, path, loc.line) < 0)
        return ct__evm_writer_failed(r);
    fs->last_file = loc.file;
    fs->last_line = loc.line;
    r->report->steps++;
    return ct__evm_step_values(r, s);
}

static ct_status asm_line(ct__evm_rec *r, const ct_evm_step *s)
{
    const ct_evm_frame *f = s->frame;
    const ct__opcode_info *info = ct__opcode(s->opcode);
    char line[120];
    const char *lines[1] = {line};
    size_t n = (size_t)snprintf(line, sizeof line, "0x%04llx  %s", (unsigned long long)s->pc,
                                s->op ? s->op : "?"), k;
    for (k = 1; info->immediate && k <= info->immediate && f && s->pc + k < f->code_len; k++)
        n += (size_t)snprintf(line + n, sizeof line - n, "%s%02x", k == 1 ? " 0x" : "",
                              f->code[s->pc + k]);
    return ct_writer_asm(r->w, lines, 1) < 0 ? ct__evm_writer_failed(r) : CT_OK;
}

static ct_status on_step(ct__evm_rec *r, const ct_evm_step *s)
{
    ct__frame_state *fs;
    ct__loc loc;
    bool opcode = r->opts->granularity == CT_EVM_GRANULARITY_OPCODE;
    if (!r->started)
        CT_TRY(start(r, s));
    CT_TRY(ct__evm_codeless_call(r, s));
    while (s->depth < r->depth)
        CT_TRY(ct__evm_leave_frame(r, s, s->return_data_known ? s->return_data : NULL,
                                   s->return_data_known ? s->return_data_len : 0));
    while (s->depth > r->depth)
        CT_TRY(ct__evm_enter_frame(r, s));
    fs = &r->frames[r->depth];
    if (!fs->address_known && s->frame->address_known) {   /* `trace` after the vmTrace */
        fs->address = s->frame->address;
        fs->address_known = true;
    }
    loc = ct__locmap_at(fs->code->locs, s->pc);
    if (loc.file >= 0 &&
        (opcode || loc.file != fs->last_file || loc.line != fs->last_line) &&
        ct__evm_location_shown(fs, loc))
        CT_TRY(step_here(r, s, fs, loc));
    if (opcode)   /* unmapped ops join the current step's instructions */
        CT_TRY(asm_line(r, s));
    CT_TRY(ct__evm_op_events(r, s));
    if (s->opcode == CT_OP_SLOAD || s->opcode == CT_OP_SSTORE)
        CT_TRY(ct__evm_journal_op(r, s));
    if (s->opcode == CT_OP_JUMP && (loc.jump == 'i' || loc.jump == 'o'))
        CT_TRY(ct__evm_jump(r, s, loc.jump));
    if (s->opcode == CT_OP_CALL || s->opcode == CT_OP_CALLCODE ||
        s->opcode == CT_OP_DELEGATECALL || s->opcode == CT_OP_STATICCALL)
        CT_TRY(ct__evm_note_call(r, s));
    return CT_OK;
}

/* A transaction that ran no code still gets a trace: one step in a one-line summary. */
static ct_status empty_tx(ct__evm_rec *r)
{
    char path[4200], text[300];
    ct_path_id pid;
    int n;
    snprintf(r->program_tail, sizeof r->program_tail, "no EVM code ran");
    CT_TRY(open_writer(r, "transaction without EVM code"));
    snprintf(path, sizeof path, "%s/tx-%s.txt", r->workdir,
             r->tx->hash ? r->tx->hash : "unknown");
    n = snprintf(text, sizeof text, "transaction %s ran no EVM code (%s)\n",
                 r->tx->hash ? r->tx->hash : "(no hash)",
                 r->tx->has_vmtrace ? "a transfer to an account without code"
                                    : "the input has no vmTrace");
    if (ct_writer_start(r->w, path, 1) < 0 || ct_writer_path_id(&pid, r->w, path) < 0 ||
        ct_writer_source(r->w, pid, text, (size_t)n) < 0 || ct_writer_step(r->w, pid, 1) < 0)
        return ct__evm_writer_failed(r);
    return CT_OK;
}

/* The replay's own warnings (client defects it worked around), once each. */
static void forward_replay_warnings(ct__evm_rec *r)
{
    size_t n = ct_replay_warning_count(r->replay);
    for (; r->replay_warnings < n; r->replay_warnings++)
        ct__evm_warn(r, "%s", ct_replay_warning(r->replay, r->replay_warnings));
}

static ct_status finish_tx(ct__evm_rec *r)
{
    ct_status rc;
    forward_replay_warnings(r);
    if (!r->started)
        CT_TRY(empty_tx(r));
    CT_TRY(ct__evm_root_failure(r));
    while (r->depth > 0)
        CT_TRY(ct__evm_leave_frame(r, NULL, r->tx->output_known ? r->tx->output : NULL,
                                   r->tx->output_known ? r->tx->output_len : 0));
    if (ct_writer_call_depth(r->w) > 0 && ct_writer_return(r->w, NULL) < 0)
        return ct__evm_writer_failed(r);
    rc = ct_writer_close(r->w, r->err);
    r->w = NULL;
    CT_TRY(rc);
    r->report->transactions++;
    return ct__evm_tx_finalize(r, r->dir, r->hash_at_open);
}

static ct_status run_tx(ct__evm_rec *r)
{
    const ct_evm_step *s;
    ct_status rc;
    CT_TRY(ct__evm_frames_reset(r));
    for (;;) {
        rc = ct_replay_next(&s, r->replay);
        if (rc == CT_DONE)
            break;
        if (rc < 0)
            return ct__error_copy(r->err, ct_replay_error(r->replay));
        r->report->ops++;
        CT_TRY(on_step(r, s));
    }
    return finish_tx(r);
}

/* ---- the run ----------------------------------------------------------------------------- */

static ct_status address_map(ct__evm_rec *r)
{
    size_t i, k;
    if (!r->opts->naddress_map)
        return CT_OK;
    r->amap = ct__arena_alloc(&r->arena, r->opts->naddress_map * sizeof *r->amap);
    if (!r->amap)
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    for (i = 0; i < r->opts->naddress_map; i++) {
        const ct_evm_address_entry *e = &r->opts->address_map[i];
        const char *h = e->address ? e->address : "";
        if (h[0] == '0' && (h[1] == 'x' || h[1] == 'X'))
            h += 2;
        if (strlen(h) != 40)
            return ct__error_set(r->err, CT_EINVAL, "address map entry %zu: '%s' is not a "
                                 "20-byte hex address", i, e->address ? e->address : "");
        if (!ct__hex_decode_digits(r->amap[r->namap].addr, 20, &k, h, 40))
            return ct__error_set(r->err, CT_EINVAL, "address map entry %zu: '%s' is not "
                                 "hex", i, e->address);
        r->amap[r->namap].contract = ct__find_contract(&r->art, e->contract ? e->contract : "");
        if (!r->amap[r->namap].contract) {
            ct__evm_warn(r, "address map: no artifact defines contract '%s'; %s ignored",
                         e->contract ? e->contract : "", e->address);
            continue;
        }
        r->namap++;
    }
    return CT_OK;
}

static ct_status load_artifacts(ct__evm_rec *r)
{
    ct__artifact_options ao;
    size_t i;
    memset(&ao, 0, sizeof ao);
    ao.sources_dir = r->opts->sources_dir;
    ao.git_repo = r->opts->git_repo;
    ao.git_rev = r->opts->git_rev;
    ct__artifacts_init(&r->art, &ao, &r->alloc);
    for (i = 0; i < r->opts->nartifacts; i++)
        CT_TRY(ct__artifacts_load(&r->art, r->opts->artifacts[i], r->err));
    CT_TRY(ct__artifacts_finish(&r->art, r->err));
    for (i = 0; i < r->art.nwarnings; i++)
        ct__evm_warn(r, "%s", r->art.warnings[i]);
    return address_map(r);
}

/* The counted arrays and the enums of the options, before anything is opened. */
static ct_status check_lists(const ct_evm_record_options *o, ct_error *err)
{
    size_t i;
    if ((unsigned)o->profile > CT_PROFILE_CURRENT || (unsigned)o->dialect > CT_DIALECT_RETH)
        return ct__error_set(err, CT_EINVAL, "ct_evm_record: unknown profile %d or dialect %d",
                             (int)o->profile, (int)o->dialect);
    if (o->nartifacts && !o->artifacts)
        return ct__error_set(err, CT_EINVAL, "ct_evm_record: options.artifacts is NULL");
    for (i = 0; i < o->nartifacts; i++)
        if (!o->artifacts[i] || !*o->artifacts[i])
            return ct__error_set(err, CT_EINVAL, "ct_evm_record: options.artifacts[%zu] is "
                                 "empty", i);
    if (o->naddress_map && !o->address_map)
        return ct__error_set(err, CT_EINVAL, "ct_evm_record: options.address_map is NULL");
    for (i = 0; i < o->naddress_map; i++)
        if (!o->address_map[i].address || !o->address_map[i].contract)
            return ct__error_set(err, CT_EINVAL, "ct_evm_record: options.address_map[%zu] "
                                 "has no address or contract", i);
    return CT_OK;
}

static ct_status check_options(const ct_evm_record_options *o, ct_error *err)
{
    if (!o || o->version != CT_EVM_RECORD_OPTIONS_VERSION)
        return ct__error_set(err, CT_EINVAL, "ct_evm_record: options not initialized with "
                             "ct_evm_record_options_init");
    if (!o->input || !o->output || !*o->output)
        return ct__error_set(err, CT_EINVAL, "ct_evm_record: input and output are required");
    if (o->granularity != CT_EVM_GRANULARITY_LINE &&
        o->granularity != CT_EVM_GRANULARITY_OPCODE)
        return ct__error_set(err, CT_EINVAL, "ct_evm_record: unknown granularity %d",
                             (int)o->granularity);
    return check_lists(o, err);
}

/* An artifact set no frame ran: likely the wrong build or the wrong project. */
static void warn_unused_sets(ct__evm_rec *r)
{
    size_t i, k;
    for (i = 0; i < r->art.nsets; i++) {
        bool used = false;
        for (k = 0; k < r->ncodes && !used; k++)
            used = r->codes[k]->match.contract &&
                   r->codes[k]->match.contract->set == r->art.sets[i];
        if (!used && r->art.sets[i]->origin)
            ct__evm_warn(r, "%s: no contract of these artifacts matched any frame",
                         r->art.sets[i]->origin);
    }
}

static ct_status run(ct__evm_rec *r)
{
    ct_replay_options ro;
    ct_status rc;
    CT_TRY(load_artifacts(r));
    CT_TRY(ct__abi_builtin(&r->builtin, &r->arena, r->err));
    CT_TRY(ct__preimages_new(&r->pre, &r->alloc, r->err));
    ct_replay_options_init(&ro);
    ro.dialect = r->opts->dialect;
    ro.allocator = &r->alloc;
    CT_TRY(ct_replay_open_file(&r->replay, r->opts->input, &ro, r->err));
    for (;;) {
        rc = ct_replay_next_tx(&r->tx, r->replay);
        if (rc == CT_DONE && !r->report->transactions && !ct_replay_input_is_list(r->replay))
            return ct__error_set(r->err, CT_EPARSE, "%s: byte 0: the input holds no "
                                 "transaction result (no vmTrace, trace or output)",
                                 strcmp(r->opts->input, "-") ? r->opts->input : "<stdin>");
        if (rc == CT_DONE) {
            CT_TRY(ct__evm_output_finish(r));
            warn_unused_sets(r);
            return CT_OK;
        }
        if (rc < 0)
            return ct__error_copy(r->err, ct_replay_error(r->replay));
        rc = run_tx(r);
        if (rc < 0) {
            ct_writer_abort(r->w);
            r->w = NULL;
            return rc;
        }
    }
}

static void cleanup(ct__evm_rec *r)
{
    size_t d;
    ct_writer_abort(r->w);
    ct_replay_free(r->replay);
    ct__preimages_free(r->pre);
    for (d = 0; d < r->capframes; d++) {
        ct__arena_free(&r->frames[d].arena);
        ct__free(&r->alloc, r->frames[d].internal,
                 r->frames[d].capinternal * sizeof *r->frames[d].internal);
        ct__free(&r->alloc, r->frames[d].journal,
                 r->frames[d].capjournal * sizeof *r->frames[d].journal);
    }
    ct__free(&r->alloc, r->frames, r->capframes * sizeof *r->frames);
    ct__free(&r->alloc, r->codes, r->capcodes * sizeof *r->codes);
    ct__free(&r->alloc, r->paths, r->cappaths * sizeof *r->paths);
    ct__free(&r->alloc, r->slots, r->capslots * sizeof *r->slots);
    ct__free(&r->alloc, r->slot_vars, r->capslot_vars * sizeof *r->slot_vars);
    ct__free(&r->alloc, r->hexbuf, r->capstack * sizeof *r->hexbuf);
    ct__free(&r->alloc, r->stackvals, r->capstack * sizeof *r->stackvals);
    ct__free(&r->alloc, r->membuf, r->capmem);
    ct__free(&r->alloc, r->pending.input, r->pending.cap);
    ct__arena_free(&r->scratch);
    ct__arena_free(&r->arena);
    ct__artifacts_free(&r->art);
    ct__evm_output_cleanup(r);
}

ct_status ct_evm_record(const ct_evm_record_options *opts, ct_evm_record_report *report,
                        ct_error *err)
{
    ct__evm_rec r;
    ct_evm_record_report local;
    ct_error local_err;
    ct_status rc;
    if (!report)
        report = &local;
    if (!err)
        err = &local_err;
    memset(report, 0, sizeof *report);
    CT_TRY(check_options(opts, err));
    memset(&r, 0, sizeof r);
    r.opts = opts;
    r.report = report;
    r.err = err;
    r.alloc = ct__allocator_or_default(opts->allocator);
    ct__arena_init(&r.arena, &r.alloc);
    ct__arena_init(&r.scratch, &r.alloc);
    if (opts->workdir)
        snprintf(r.workdir, sizeof r.workdir, "%s", opts->workdir);
    else if (!getcwd(r.workdir, sizeof r.workdir))
        snprintf(r.workdir, sizeof r.workdir, "/");
    rc = run(&r);
    cleanup(&r);
    return rc;
}
