/* External frames (Calls named Contract.function) and internal calls from jump markers. */
#include "evm_rec.h"

#include <stdio.h>
#include <string.h>

#include "ast_functions.h"
#include "util/alloc.h"
#include "util/error.h"

ct_status ct__evm_frames_reset(ct__evm_rec *r)
{
    r->depth = 0;
    r->pending.active = false;
    r->npaths = 0;
    r->nslots = 0;
    r->nslot_vars = 0;
    if (r->slots)
        memset(r->slots, 0, r->capslots * sizeof *r->slots);
    ct__preimages_clear(r->pre);
    r->started = false;
    return CT_OK;
}

static ct_status ensure_frame(ct__evm_rec *r, uint32_t depth)
{
    size_t nc, i;
    ct__frame_state *p;
    if (depth < r->capframes)
        return CT_OK;
    nc = r->capframes ? r->capframes * 2 : 16;
    while (nc <= depth)
        nc *= 2;
    p = ct__realloc(&r->alloc, r->frames, r->capframes * sizeof *p, nc * sizeof *p);
    if (!p)
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    memset(p + r->capframes, 0, (nc - r->capframes) * sizeof *p);
    for (i = r->capframes; i < nc; i++)
        ct__arena_init(&p[i].arena, &r->alloc);
    r->frames = p;
    r->capframes = nc;
    return CT_OK;
}

void ct__evm_frame_function(const ct__abi_entry **entry, const ct__ast_function **fn,
                            const ct__code_info *ci, const ct_evm_frame *f,
                            const ct__abi *builtin)
{
    const ct__contract *c = ci->match.contract;
    const ct__abi_entry *e = NULL;
    *entry = NULL;
    *fn = NULL;
    if (!c) {   /* no artifact: a well-known interface may still name the call */
        if (!ci->creation && f->input_known && f->input_len >= 4)
            *entry = ct__abi_find(builtin, CT__ABI_ENTRY_FUNCTION, f->input);
        return;
    }
    if (ci->creation)
        e = ct__abi_first(&c->abi, CT__ABI_ENTRY_CONSTRUCTOR);
    else if (f->input_known && f->input_len >= 4)
        e = ct__abi_find(&c->abi, CT__ABI_ENTRY_FUNCTION, f->input);
    else if (f->input_known && f->input_len == 0)
        e = ct__abi_first(&c->abi, CT__ABI_ENTRY_RECEIVE);
    if (!e && !ci->creation)
        e = ct__abi_first(&c->abi, CT__ABI_ENTRY_FALLBACK);
    *entry = e;
    if (ci->creation)
        *fn = ct__ast_function_named(c->set, c->name, "constructor",
                                     e ? e->inputs->nfields : 0);
    else if (e)
        *fn = ct__ast_function_named(c->set, c->name, e->name, e->inputs->nfields);
}

static void frame_name(char *out, size_t cap, const ct__code_info *ci, const ct_evm_frame *f,
                       const ct__abi_entry *e)
{
    char who[48];
    const char *fname = e ? e->name : NULL;
    char sel[16];
    size_t i;
    if (ci->match.contract) {
        snprintf(who, sizeof who, "%s", ci->match.contract->name);
    } else if (!f->address_known) {   /* a root frame without the input's `trace` part */
        snprintf(who, sizeof who, "unverified");
    } else {
        snprintf(who, sizeof who, "0x");
        for (i = 12; i < 32; i++)
            snprintf(who + strlen(who), sizeof who - strlen(who), "%02x",
                     f->code_address.bytes[i]);
    }
    if (!fname) {
        if (ci->creation)
            fname = "constructor";
        else if (f->input_known && f->input_len >= 4) {
            snprintf(sel, sizeof sel, "0x%02x%02x%02x%02x", f->input[0], f->input[1],
                     f->input[2], f->input[3]);
            fname = sel;
        } else
            fname = f->input_known && f->input_len == 0 ? "receive" : "fallback";
    }
    snprintf(out, cap, "%s.%s", who, fname);
}

static ct_status add_arg(ct__evm_rec *r, ct__frame_state *fs, const char *name,
                         const ct_value *v)
{
    ct__named_value *n = &fs->args[fs->nargs];
    if (ct_writer_variable_id(&n->var, r->w, name) < 0)
        return ct__evm_writer_failed(r);
    n->value = *v;
    fs->nargs++;
    return CT_OK;
}

static ct_status decode_args(ct__evm_rec *r, ct__frame_state *fs, const ct_evm_frame *f,
                             const ct__abi_entry *e)
{
    const uint8_t *data = f->input + (f->input_len >= 4 ? 4 : f->input_len);
    size_t len = f->input_len >= 4 ? f->input_len - 4 : 0, i, n;
    ct__abi_value v;
    ct_error de;
    ct_value cv;
    /* fallback's calldata is not ABI-encoded arguments: it is shown raw below. */
    bool can = e && e->kind != CT__ABI_ENTRY_FALLBACK && (fs->creation || f->input_known);
    if (fs->creation) {
        size_t off = fs->code->match.args_offset;
        data = f->code + (off < f->code_len ? off : f->code_len);
        len = off < f->code_len ? f->code_len - off : 0;
    }
    n = e ? e->inputs->nfields : 0;
    fs->args = ct__arena_alloc(&fs->arena, (n + 1) * sizeof *fs->args);
    if (!fs->args)
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    de.message[0] = '\0';
    fs->args_decoded = false;
    if (can && ct__abi_decode(&v, &fs->arena, e->inputs, data, len, &de) == CT_OK) {
        fs->args_decoded = true;
        for (i = 0; i < n; i++) {
            char nm[64];
            const char *pn = e->inputs->names[i];
            if (!*pn)
                snprintf(nm, sizeof nm, "arg%zu", i);
            CT_TRY(ct__evm_abi_value(&cv, r, &fs->arena, &v.items[i]));
            CT_TRY(add_arg(r, fs, *pn ? pn : nm, &cv));
        }
        return CT_OK;
    }
    if (can && n)
        ct__evm_warn(r, "%s (depth %u): arguments not decoded (%s); shown as raw calldata",
                     fs->name, f->depth, de.message);
    if (!f->input_known || (!len && !f->input_len))
        return CT_OK;
    CT_TRY(ct__evm_raw_hex(&cv, r, &fs->arena, r->t_raw_word, fs->creation ? data : f->input,
                     fs->creation ? len : f->input_len));
    return add_arg(r, fs, fs->creation ? "constructor_args" : "calldata", &cv);
}

static ct_status call_with_args(ct__evm_rec *r, ct__arena *a, ct_function_id fid,
                                const ct__named_value *vals, size_t n)
{
    ct_arg *args = ct__arena_alloc(a, (n + 1) * sizeof *args);
    size_t i;
    if (!args)
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        args[i].variable_id = vals[i].var;
        args[i].value = vals[i].value;
    }
    if (ct_writer_call(r->w, fid, args, n) < 0)
        return ct__evm_writer_failed(r);
    r->report->calls++;
    return CT_OK;
}

ct_status ct__evm_enter_frame(ct__evm_rec *r, const ct_evm_step *s)
{
    uint32_t depth = r->depth + 1;
    const ct_evm_frame *f = s->frame;
    const ct__abi_entry *e;
    const ct__ast_function *fn;
    ct__frame_state *fs;
    const char *path;
    int32_t file;
    int64_t line;
    ct_path_id pid;
    ct_function_id fid;
    while (f && f->depth > depth)
        f = f->parent;
    if (!f)
        return ct__error_set(r->err, CT_EREPLAY, "op %llu: depth %u without its frame",
                             (unsigned long long)s->index, depth);
    CT_TRY(ensure_frame(r, depth));
    fs = &r->frames[depth];
    ct__arena_reset(&fs->arena);
    fs->ninternal = fs->nvisible = fs->nargs = fs->njournal = 0;
    fs->failed = fs->absorbed = false;
    fs->failure[0] = '\0';
    CT_TRY(ct__evm_code_info(&fs->code, r, f));
    fs->creation = fs->code->creation;
    fs->address = f->address;
    fs->address_known = f->address_known;
    ct__evm_frame_function(&e, &fn, fs->code, f, &r->builtin);
    fs->entry = e;
    fs->entry_fn = fn;
    fs->abi = fs->code->match.contract ? &fs->code->match.contract->abi : &r->builtin;
    frame_name(fs->name, sizeof fs->name, fs->code, f, e);
    r->depth = depth;
    CT_TRY(decode_args(r, fs, f, e));
    ct__evm_entry_location(&path, &file, &line, fs->code, fn);
    CT_TRY(ct__evm_path(&pid, r, fs->code, file));
    if (ct_writer_function_id(&fid, r->w, fs->name, pid, line) < 0)
        return ct__evm_writer_failed(r);
    CT_TRY(call_with_args(r, &fs->arena, fid, fs->args, fs->nargs));
    fs->last_file = file;
    fs->last_line = (uint32_t)line;
    return ct__evm_step_values(r, s);   /* the Call's Step gets the values too */
}

/* ---- leaving a frame --------------------------------------------------------------------- */

static bool word_is_zero(const ct_u256 *w)
{
    size_t i;
    for (i = 0; i < 32; i++)
        if (w->bytes[i])
            return false;
    return true;
}

/* The decoded return data: the single output, or a tuple of them. */
static ct_status return_value(ct_value *out, ct__evm_rec *r, ct__frame_state *fs,
                              const uint8_t *ret, size_t len)
{
    ct__abi_value v;
    ct_error de;
    const ct__abi_type *outs = fs->entry ? fs->entry->outputs : NULL;
    if (outs && outs->nfields && ret &&
        ct__abi_decode(&v, &fs->arena, outs, ret, len, &de) == CT_OK) {
        if (outs->nfields == 1)
            return ct__evm_abi_value(out, r, &fs->arena, &v.items[0]);
        return ct__evm_abi_value(out, r, &fs->arena, &v);
    }
    if (outs && outs->nfields && ret)
        ct__evm_warn(r, "%s: return data not decoded (%s); shown raw", fs->name, de.message);
    if (ret && len)
        return ct__evm_raw_hex(out, r, &fs->arena, r->t_raw_word, ret, len);
    *out = ct_value_none();
    return CT_OK;
}

ct_status ct__evm_leave_frame(ct__evm_rec *r, const ct_evm_step *caller_step,
                              const uint8_t *ret, size_t ret_len)
{
    ct__frame_state *fs = &r->frames[r->depth];
    const ct_u256 *top = caller_step && caller_step->stack_len
                             ? &caller_step->stack[caller_step->stack_len - 1] : NULL;
    ct_value v;
    char addr[67];
    bool failed = fs->failed || (top && word_is_zero(top)) || (!caller_step && r->tx->failed);
    while (fs->ninternal) {
        if (fs->internal[--fs->ninternal].visible && ct_writer_return(r->w, NULL) < 0)
            return ct__evm_writer_failed(r);
    }
    fs->nvisible = 0;
    if (failed && fs->failure[0])
        v = ct_value_text(CT_VALUE_ERROR, r->t_error, fs->failure, strlen(fs->failure));
    else if (failed)   /* e.g. out of gas the client did not report as an op error */
        v = ct_value_text(CT_VALUE_ERROR, r->t_error, "failed", 6);
    else if (fs->creation && top)   /* CREATE/CREATE2 pushed the new address */
        v = ct_value_raw_from_u256(r->t_address, top, 20, addr);
    else if (fs->creation && fs->address_known)   /* the root: the `trace` part's address */
        v = ct_value_raw_from_u256(r->t_address, &fs->address, 20, addr);
    else
        CT_TRY(return_value(&v, r, fs, fs->creation ? NULL : ret, ret_len));
    if (ct_writer_return(r->w, &v) < 0)
        return ct__evm_writer_failed(r);
    CT_TRY(ct__evm_journal_leave(r, failed));
    r->depth--;
    /* Back in the caller: its next op gets a Step even on the line of the call, else its ops
     * would stay attributed to the callee's last step. */
    if (r->depth > 0)
        r->frames[r->depth].last_file = -1;
    return CT_OK;
}

/* ---- internal calls ---------------------------------------------------------------------- */

static const ct__ast_function *function_at(const ct__code_info *ci, uint64_t dest)
{
    const ct__contract *c = ci->match.contract;
    const ct__bytecode *bc = ci->match.bytecode;
    ct__loc loc;
    size_t i;
    if (!c)
        return NULL;
    for (i = 0; bc && i < bc->nentries; i++)
        if (bc->entries[i].pc == dest)
            return ct__ast_function_by_id(c->set, bc->entries[i].ast_id);
    loc = ct__locmap_at(ci->locs, dest);
    if (loc.file < 0)
        return NULL;
    return ct__ast_function_at(c->set, loc.file, loc.offset);
}

static ct_status push_internal(ct__evm_rec *r, ct__frame_state *fs, ct__internal **out)
{
    if (fs->ninternal == fs->capinternal) {
        size_t nc = fs->capinternal ? fs->capinternal * 2 : 16;
        ct__internal *p = ct__realloc(&r->alloc, fs->internal,
                                      fs->capinternal * sizeof *p, nc * sizeof *p);
        if (!p)
            return ct__error_set(r->err, CT_ENOMEM, "out of memory");
        fs->internal = p;
        fs->capinternal = nc;
    }
    *out = &fs->internal[fs->ninternal++];
    memset(*out, 0, offsetof(ct__internal, args));
    return CT_OK;
}

/* The stack items of the first `nargs` parameters, in declaration order. Legacy code pushes
 * the arguments in order (the last item just below the target); Yul code in reverse (the
 * first item just below it). */
static size_t read_args(ct__internal *in, const ct__frame_state *fs, const ct_evm_step *s)
{
    const ct__param_shape *sh = in->fn->param_shapes;
    size_t total, k;
    in->nargs = in->fn->nparams < CT__EVM_MAX_ARGS ? in->fn->nparams : CT__EVM_MAX_ARGS;
    while (in->nargs && ct__evm_shape_slots(sh, in->nargs) + 1 > s->stack_len)
        in->nargs--;
    total = ct__evm_shape_slots(sh, in->nargs);
    for (k = 0; k < total; k++)
        in->args[k] = fs->code->match.contract->via_ir ? s->stack[s->stack_len - 2 - k]
                                                       : s->stack[s->stack_len - 1 - total + k];
    return total;
}

static ct_status open_internal(ct__evm_rec *r, ct__frame_state *fs, ct__internal *in,
                               const ct_evm_step *s)
{
    const ct__ast_function *fn = in->fn;
    const ct__param_shape *sh = fn->param_shapes;
    ct__named_value vals[CT__EVM_MAX_ARGS];
    char name[200], why[300];
    ct_path_id pid;
    ct_function_id fid;
    size_t i, k = 0;
    read_args(in, fs, s);
    snprintf(name, sizeof name, "%s.%s", *fn->contract ? fn->contract : fs->name, fn->name);
    for (i = 0; i < in->nargs; i++) {
        if (ct_writer_variable_id(&vals[i].var, r->w, fn->params[i][0] ? fn->params[i]
                                                                          : "arg") < 0)
            return ct__evm_writer_failed(r);
        CT_TRY(ct__evm_param_value(&vals[i].value, r, &r->scratch, sh ? &sh[i] : NULL,
                                   fn->param_types[i], &in->args[k], (int)i, s, why,
                                   sizeof why));
        if (why[0])
            ct__evm_warn(r, "%s (depth %u, op %llu): argument '%s' not decoded (%s); shown as "
                         "an Error value", name, s->depth, (unsigned long long)s->index,
                         fn->params[i], why);
        k += sh ? sh[i].slots : 1;
    }
    CT_TRY(ct__evm_path(&pid, r, fs->code, fn->file));
    if (ct_writer_function_id(&fid, r->w, name, pid, fn->line) < 0)
        return ct__evm_writer_failed(r);
    CT_TRY(call_with_args(r, &r->scratch, fid, vals, in->nargs));
    ct__arena_reset(&r->scratch);
    in->visible = true;
    fs->nvisible++;
    fs->last_file = fn->file;
    fs->last_line = fn->line;
    return ct__evm_step_values(r, s);
}

/* At the 'o' jump the stack is [.., return values.., return address]: the legacy code
 * generator's calling convention. References are decoded from the memory at the jump. */
static ct_status internal_return(ct__evm_rec *r, const ct__ast_function *fn,
                                 const ct_evm_step *s)
{
    ct_value vals[CT__EVM_MAX_ARGS], v = ct_value_none();
    const ct__param_shape *sh = fn->return_shapes;
    size_t n = fn->nreturns, i, k = 0, total = ct__evm_shape_slots(sh, n);
    char lang[300], why[300];
    ct_type_id t;
    if (n > 0 && n < CT__EVM_MAX_ARGS && s->stack_len > total) {
        size_t len = (size_t)snprintf(lang, sizeof lang, "(");
        for (i = 0; i < n; i++) {
            CT_TRY(ct__evm_param_value(&vals[i], r, &r->scratch, sh ? &sh[i] : NULL,
                                       fn->return_types[i],
                                       &s->stack[s->stack_len - 1 - total + k], (int)i, s,
                                       why, sizeof why));
            if (why[0])
                ct__evm_warn(r, "%s.%s (depth %u, op %llu): return value %zu not decoded (%s); "
                             "shown as an Error value", fn->contract, fn->name, s->depth,
                             (unsigned long long)s->index, i, why);
            k += sh ? sh[i].slots : 1;
            len += (size_t)snprintf(lang + len, len < sizeof lang ? sizeof lang - len : 0,
                                    "%s%s", i ? "," : "", fn->return_types[i]);
        }
        snprintf(lang + (len < sizeof lang - 1 ? len : sizeof lang - 2),
                 2, ")");
        if (n == 1) {
            v = vals[0];
        } else {
            if (ct_writer_type_id(&t, r->w, CT_TYPE_TUPLE, lang) < 0)
                return ct__evm_writer_failed(r);
            v = ct_value_items(CT_VALUE_TUPLE, t, vals, n, false);
        }
    }
    if (ct_writer_return(r->w, &v) < 0)
        return ct__evm_writer_failed(r);
    ct__arena_reset(&r->scratch);
    return CT_OK;
}

ct_status ct__evm_jump(ct__evm_rec *r, const ct_evm_step *s, char jump)
{
    ct__frame_state *fs = &r->frames[r->depth];
    ct__internal *in = NULL;
    const ct__ast_function *fn;
    const ct__source *src;
    uint64_t dest = 0;
    size_t i;
    if (jump == 'o') {
        if (!fs->ninternal)
            return CT_OK;   /* an 'o' without its 'i' (optimizer): ignored */
        in = &fs->internal[--fs->ninternal];
        if (in->visible) {
            fs->nvisible--;
            fs->last_file = -1;   /* as for frames: step again in the caller */
            return internal_return(r, in->fn, s);
        }
        return CT_OK;
    }
    if (!s->stack_len)
        return CT_OK;
    for (i = 24; i < 32; i++)
        dest = dest << 8 | s->stack[s->stack_len - 1].bytes[i];
    CT_TRY(push_internal(r, fs, &in));
    fn = function_at(fs->code, dest);
    src = fn ? ct__artifacts_source(fs->code->match.contract->set, fn->file) : NULL;
    if (!fn || fn->is_modifier || !src || !src->content)
        return CT_OK;
    in->fn = fn;
    in->stack_base = s->stack_len - 1;
    in->jump_op = s->index;
    /* The dispatcher's jump into the external function: its body runs at the frame's level.
     * Only that function is absorbed (a constructor calling a public function, or a function
     * calling another public one, are real internal calls). */
    if (!fs->absorbed && fs->nvisible == 0 && !fs->creation &&
        (fs->entry ? !strcmp(fn->name, fs->entry->name)
                   : (!strcmp(fn->visibility, "external") ||
                      !strcmp(fn->visibility, "public")))) {
        fs->absorbed = true;
        fs->absorbed_at = fs->ninternal - 1;
        return CT_OK;
    }
    return open_internal(r, fs, in, s);
}

bool ct__evm_location_shown(const ct__frame_state *fs, ct__loc loc)
{
    const ct__contract *c = fs->code->match.contract;
    const ct__ast_function *fn;
    size_t k;
    if (!loc.whole || !c)
        return true;
    if (loc.whole == CT__WHOLE_VARIABLE)   /* initializers run in constructors; getters */
        return fs->creation || !fs->entry_fn;
    fn = ct__ast_function_at(c->set, loc.file, loc.offset);
    if (!fn || fn == fs->entry_fn)
        return true;
    for (k = 0; k < fs->ninternal; k++)
        if (fs->internal[k].fn == fn)
            return true;
    return false;
}
