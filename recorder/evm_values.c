/* Typed values: ABI values, stack words, storage variables, and the raw EVM state per step. */
#include "evm_rec.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/sink.h"

static ct_status type(ct_type_id *out, ct__evm_rec *r, ct_type_kind kind, const char *lang)
{
    return ct_writer_type_id(out, r->w, kind, lang) < 0 ? ct__evm_writer_failed(r) : CT_OK;
}

static ct_status var(ct_variable_id *out, ct__evm_rec *r, const char *name)
{
    return ct_writer_variable_id(out, r->w, name) < 0 ? ct__evm_writer_failed(r) : CT_OK;
}

ct_status ct__evm_types(ct__evm_rec *r)
{
    CT_TRY(type(&r->t_int, r, CT_TYPE_INT, "uint64"));
    CT_TRY(type(&r->t_string, r, CT_TYPE_STRING, "string"));
    CT_TRY(type(&r->t_raw_word, r, CT_TYPE_RAW, "bytes"));
    CT_TRY(type(&r->t_stack, r, CT_TYPE_SEQ, "uint256[] (EVM stack)"));
    CT_TRY(type(&r->t_address, r, CT_TYPE_RAW, "address"));
    CT_TRY(type(&r->t_bool, r, CT_TYPE_BOOL, "bool"));
    CT_TRY(type(&r->t_uint256, r, CT_TYPE_INT, "uint256"));
    CT_TRY(type(&r->t_error, r, CT_TYPE_ERROR, "Error"));
    CT_TRY(var(&r->v_pc, r, "pc"));
    CT_TRY(var(&r->v_op, r, "op"));
    CT_TRY(var(&r->v_gas, r, "gas"));
    CT_TRY(var(&r->v_stack, r, "stack"));
    return var(&r->v_memsize, r, "memory_size");
}

ct_status ct__evm_raw_hex(ct_value *out, ct__evm_rec *r, ct__arena *a, ct_type_id t,
                          const uint8_t *p, size_t n)
{
    char *s = ct__arena_alloc(a, 2 * n + 3);
    if (!s)
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    s[0] = '0';
    s[1] = 'x';
    ct__fmt_hex(s + 2, p, n);
    *out = ct_value_text(CT_VALUE_RAW, t, s, 2 * n + 2);
    return CT_OK;
}

static ct_status abi_items(ct_value *out, ct__evm_rec *r, ct__arena *a, const ct__abi_value *v,
                           ct_value_kind kind, ct_type_id t)
{
    ct_value *items = ct__arena_alloc(a, (v->count + 1) * sizeof *items);
    size_t i;
    if (!items)
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    for (i = 0; i < v->count; i++)
        CT_TRY(ct__evm_abi_value(&items[i], r, a, &v->items[i]));
    *out = ct_value_items(kind, t, items, v->count, false);
    return CT_OK;
}

/* A tuple whose components all have names (a struct, named ABI components) is a Struct. */
static bool named(const ct__abi_type *t)
{
    size_t i;
    if (!t->names || !t->nfields)
        return false;
    for (i = 0; i < t->nfields; i++)
        if (!t->names[i] || !t->names[i][0])
            return false;
    return true;
}

static ct_status struct_value(ct_value *out, ct__evm_rec *r, ct__arena *a,
                              const ct__abi_value *v)
{
    const ct__abi_type *at = v->type;
    ct_field *fields = ct__arena_alloc(a, (at->nfields + 1) * sizeof *fields);
    ct_type_id t;
    size_t i;
    if (!fields)
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    CT_TRY(abi_items(out, r, a, v, CT_VALUE_STRUCT, 0));
    if (out->as.seq.count != at->nfields)
        return ct__error_set(r->err, CT_ERROR, "struct %s: %zu values for %zu members",
                             at->canonical, out->as.seq.count, at->nfields);
    for (i = 0; i < at->nfields; i++) {
        fields[i].name = at->names[i];
        fields[i].type_id = out->as.seq.items[i].type_id;
    }
    if (ct_writer_struct_type_id(&t, r->w, at->display ? at->display : at->canonical, fields,
                                 at->nfields) < 0)
        return ct__evm_writer_failed(r);
    out->type_id = t;
    return CT_OK;
}

ct_status ct__evm_abi_value(ct_value *out, ct__evm_rec *r, ct__arena *a, const ct__abi_value *v)
{
    const ct__abi_type *at = v->type;
    ct_type_id t;
    ct_u256 *scratch;
    switch (at->kind) {
    case CT__ABI_UINT:
    case CT__ABI_INT:
        CT_TRY(type(&t, r, CT_TYPE_INT, at->canonical));
        if (!(scratch = ct__arena_alloc(a, sizeof *scratch)))
            return ct__error_set(r->err, CT_ENOMEM, "out of memory");
        *out = ct_value_bigint_from_u256(t, (const ct_u256 *)v->data, at->kind == CT__ABI_INT,
                                         scratch);
        return CT_OK;
    case CT__ABI_BOOL:
        *out = ct_value_bool(r->t_bool, v->data[31] != 0);
        return CT_OK;
    case CT__ABI_STRING:
        *out = ct_value_text(CT_VALUE_STRING, r->t_string, (const char *)v->data, v->len);
        return CT_OK;
    case CT__ABI_ADDRESS:
        return ct__evm_raw_hex(out, r, a, r->t_address, v->data + 12, 20);
    case CT__ABI_FIXED_BYTES:
        CT_TRY(type(&t, r, CT_TYPE_RAW, at->canonical));
        return ct__evm_raw_hex(out, r, a, t, v->data, at->size);
    case CT__ABI_FUNCTION:
        CT_TRY(type(&t, r, CT_TYPE_RAW, "function"));
        return ct__evm_raw_hex(out, r, a, t, v->data, 24);
    case CT__ABI_BYTES:
        return ct__evm_raw_hex(out, r, a, r->t_raw_word, v->data, v->len);
    case CT__ABI_TUPLE:
        if (named(at))
            return struct_value(out, r, a, v);
        CT_TRY(type(&t, r, CT_TYPE_TUPLE, at->canonical));
        return abi_items(out, r, a, v, CT_VALUE_TUPLE, t);
    default:
        CT_TRY(type(&t, r, CT_TYPE_SEQ, at->canonical));
        return abi_items(out, r, a, v, CT_VALUE_SEQUENCE, t);
    }
}

ct_status ct__evm_word_value(ct_value *out, ct__evm_rec *r, const char *ty,
                             const ct_u256 *word, int slot)
{
    ct_type_id t;
    if (!strncmp(ty, "uint", 4) || !strncmp(ty, "int", 3)) {
        CT_TRY(type(&t, r, CT_TYPE_INT, ty));
        *out = ct_value_bigint_from_u256(t, word, ty[0] == 'i', &r->bigscratch[slot]);
    } else if (!strcmp(ty, "bool")) {
        *out = ct_value_bool(r->t_bool, word->bytes[31] != 0);
    } else if (!strncmp(ty, "address", 7) || !strncmp(ty, "contract ", 9)) {
        *out = ct_value_raw_from_u256(r->t_address, word, 20, r->wordhex[slot]);
    } else {
        /* bytesN, enums, memory/calldata pointers: the word itself. */
        CT_TRY(type(&t, r, CT_TYPE_RAW, *ty ? ty : "bytes32"));
        *out = ct_value_raw_from_u256(t, word, 32, r->wordhex[slot]);
    }
    return CT_OK;
}

/* ---- storage ----------------------------------------------------------------------------- */

static size_t slot_hash(const uint8_t key[52], size_t cap)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;
    for (i = 0; i < 52; i++)
        h = (h ^ key[i]) * 1099511628211ULL;
    return (size_t)(h & (cap - 1));
}

static ct_status grow_slots(ct__evm_rec *r)
{
    ct__slot_cache_entry *old = r->slots;
    size_t oldcap = r->capslots, nc = oldcap ? oldcap * 2 : 64, i;
    ct__slot_cache_entry *p = ct__calloc(&r->alloc, nc, sizeof *p);
    if (!p)
        return ct__error_set(r->err, CT_ENOMEM, "out of memory");
    for (i = 0; i < oldcap; i++)
        if (old[i].used) {
            size_t j = slot_hash(old[i].key, nc);
            while (p[j].used)
                j = (j + 1) & (nc - 1);
            p[j] = old[i];
        }
    ct__free(&r->alloc, old, oldcap * sizeof *old);
    r->slots = p;
    r->capslots = nc;
    return CT_OK;
}

static ct_status slot_type(ct_type_id *t, ct__evm_rec *r, const ct__slot_info *info)
{
    switch (info->kind) {
    case CT__SLOT_UINT:
    case CT__SLOT_INT:
        return type(t, r, CT_TYPE_INT, info->type_label);
    case CT__SLOT_BOOL: *t = r->t_bool; return CT_OK;
    case CT__SLOT_ADDRESS: *t = r->t_address; return CT_OK;
    case CT__SLOT_STRING: *t = r->t_string; return CT_OK;
    default:
        return type(t, r, CT_TYPE_RAW, info->type_label[0] ? info->type_label : "bytes32");
    }
}

static ct_status add_slot_var(ct__evm_rec *r, ct__slot_cache_entry *e, const ct__slot_info *in)
{
    ct__slot_var *v;
    if (r->nslot_vars == r->capslot_vars) {
        size_t nc = r->capslot_vars ? r->capslot_vars * 2 : 64;
        ct__slot_var *p = ct__realloc(&r->alloc, r->slot_vars, r->capslot_vars * sizeof *p,
                                      nc * sizeof *p);
        if (!p)
            return ct__error_set(r->err, CT_ENOMEM, "out of memory");
        r->slot_vars = p;
        r->capslot_vars = nc;
    }
    v = &r->slot_vars[r->nslot_vars];
    CT_TRY(slot_type(&v->type, r, in));
    CT_TRY(var(&v->var, r, in->name));
    v->kind = in->kind;
    v->offset = (uint8_t)in->offset;
    v->nbytes = (uint8_t)in->nbytes;
    r->nslot_vars++;
    e->nvars++;
    return CT_OK;
}

/* "storage[0x..]": a slot neither the layout nor the preimages explain. */
static void unnamed(ct__slot_info *info, const ct_u256 *slot)
{
    size_t i = 0, n;
    memset(info, 0, sizeof *info);
    info->kind = CT__SLOT_RAW;
    info->nbytes = 32;
    while (i < 31 && !slot->bytes[i])
        i++;
    n = (size_t)snprintf(info->name, sizeof info->name, "storage[0x");
    for (; i < 32; i++)
        n += (size_t)snprintf(info->name + n, sizeof info->name - n, "%02x", slot->bytes[i]);
    snprintf(info->name + n, sizeof info->name - n, "]");
}

/* The variables of (address, slot), resolved on first sight in the transaction. */
ct__slot_cache_entry *ct__evm_slot_lookup(ct__evm_rec *r, const uint8_t key[52])
{
    size_t j;
    if (!r->capslots)
        return NULL;
    j = slot_hash(key, r->capslots);
    while (r->slots[j].used && memcmp(r->slots[j].key, key, 52))
        j = (j + 1) & (r->capslots - 1);
    return r->slots[j].used ? &r->slots[j] : NULL;
}

ct_status ct__evm_slot_entry(ct__slot_cache_entry **out, ct__evm_rec *r, const ct_evm_step *s,
                             const ct_u256 *slot)
{
    ct__frame_state *fs = &r->frames[r->depth];
    uint8_t key[52];
    size_t j;
    int k;
    ct__slot_info info;
    ct__slot_cache_entry *e;
    memcpy(key, s->frame->address.bytes + 12, 20);
    memcpy(key + 20, slot->bytes, 32);
    if ((r->nslots + 1) * 2 > r->capslots)
        CT_TRY(grow_slots(r));
    j = slot_hash(key, r->capslots);
    while (r->slots[j].used && memcmp(r->slots[j].key, key, 52))
        j = (j + 1) & (r->capslots - 1);
    e = &r->slots[j];
    *out = e;
    if (e->used)
        return CT_OK;
    memcpy(e->key, key, 52);
    e->nvars = 0;
    e->shadow_state = CT__SHADOW_NONE;
    e->first = (uint32_t)r->nslot_vars;
    for (k = 0; k < CT__EVM_SLOT_VARS &&
                ct__storage_name_slot(&info, fs->code->layout, r->pre, slot, k); k++)
        CT_TRY(add_slot_var(r, e, &info));
    if (!e->nvars) {
        unnamed(&info, slot);
        CT_TRY(add_slot_var(r, e, &info));
    }
    e->used = true;
    r->nslots++;
    return CT_OK;
}

/* A string or bytes variable's slot: a short one (at most 31 bytes) is its data left-aligned
 * with length * 2 in the last byte; a long one holds length * 2 + 1 and its data lives at
 * keccak256(slot), so the slot itself is shown raw. */
static bool short_bytes(ct_value *v, ct__evm_rec *r, const ct__slot_var *sv,
                        const ct_u256 *value)
{
    ct_u256 w;
    size_t n = value->bytes[31] / 2;
    if (value->bytes[31] & 1)
        return false;
    if (sv->kind == CT__SLOT_STRING) {
        *v = ct_value_text(CT_VALUE_STRING, sv->type, (const char *)value->bytes, n);
        return true;
    }
    memset(&w, 0, sizeof w);
    memcpy(w.bytes + 32 - n, value->bytes, n);
    *v = ct_value_raw_from_u256(sv->type, &w, n, r->wordhex[CT__EVM_MAX_ARGS]);
    return true;
}

static ct_status slot_var_value(ct__evm_rec *r, const ct__slot_var *sv, const ct_u256 *value)
{
    ct_u256 w;
    ct_value v;
    uint32_t end = 32u - sv->offset;
    /* A packed variable's bytes, right-aligned: its offset counts from the low end. */
    memset(&w, 0, sizeof w);
    memcpy(w.bytes + 32 - sv->nbytes, value->bytes + end - sv->nbytes, sv->nbytes);
    switch (sv->kind) {
    case CT__SLOT_UINT:
    case CT__SLOT_INT:
        if (sv->kind == CT__SLOT_INT && sv->nbytes < 32 && (w.bytes[32 - sv->nbytes] & 0x80))
            memset(w.bytes, 0xff, 32u - sv->nbytes);
        v = ct_value_bigint_from_u256(sv->type, &w, sv->kind == CT__SLOT_INT,
                                      &r->bigscratch[CT__EVM_MAX_ARGS]);
        break;
    case CT__SLOT_BOOL:
        v = ct_value_bool(sv->type, w.bytes[31] != 0);
        break;
    case CT__SLOT_STRING:
    case CT__SLOT_DYN_BYTES:
        if (!short_bytes(&v, r, sv, value))   /* a long one: the slot is its length word */
            v = ct_value_raw_from_u256(r->t_raw_word, value, 32, r->wordhex[CT__EVM_MAX_ARGS]);
        break;
    default:
        v = ct_value_raw_from_u256(sv->type, &w, sv->kind == CT__SLOT_ADDRESS ? 20
                                   : sv->nbytes, r->wordhex[CT__EVM_MAX_ARGS]);
        break;
    }
    return ct_writer_value(r->w, sv->var, &v) < 0 ? ct__evm_writer_failed(r) : CT_OK;
}

static ct_status storage_value(ct__evm_rec *r, const ct_evm_step *s, const ct_storage_slot *sl)
{
    ct__slot_cache_entry *e;
    size_t i;
    CT_TRY(ct__evm_slot_entry(&e, r, s, &sl->key));
    for (i = 0; i < e->nvars; i++) {
        const ct__slot_var *sv = &r->slot_vars[e->first + i];
        if (e->shadow_state == CT__SHADOW_REVERTED_UNKNOWN) {
            static const char msg[] = "reverted to a value the trace does not show";
            ct_value v = ct_value_text(CT_VALUE_ERROR, r->t_error, msg, sizeof msg - 1);
            if (ct_writer_value(r->w, sv->var, &v) < 0)
                return ct__evm_writer_failed(r);
            continue;
        }
        CT_TRY(slot_var_value(r, sv, e->shadow_state == CT__SHADOW_REVERTED ? &e->shadow
                                                                           : &sl->value));
    }
    return CT_OK;
}

/* ---- per step ---------------------------------------------------------------------------- */

/* Named return variables of an internal function compiled by the legacy code generator:
 * pushed right after the entry jump, they stay at the stack height of the call for its whole
 * body (the body's own items go above them). Not shown before they are pushed. */
static ct_status return_variables(ct__evm_rec *r, const ct__internal *in, const ct_evm_step *s)
{
    const ct__ast_function *fn = in->fn;
    const ct__param_shape *sh = fn->return_shapes;
    size_t i, at = in->stack_base;
    char why[300];
    if (s->index == in->jump_op)
        return CT_OK;
    for (i = 0; i < fn->nreturns && i < CT__EVM_MAX_ARGS; i++) {
        size_t n = sh ? sh[i].slots : 1;
        ct_variable_id v;
        ct_value val;
        if (at + n > s->stack_len)
            return CT_OK;
        if (fn->return_names[i][0]) {
            CT_TRY(var(&v, r, fn->return_names[i]));
            CT_TRY(ct__evm_param_value(&val, r, &r->scratch, sh ? &sh[i] : NULL,
                                       fn->return_types[i], &s->stack[at], 0, s, why,
                                       sizeof why));
            if (ct_writer_value(r->w, v, &val) < 0)
                return ct__evm_writer_failed(r);
        }
        at += n;
    }
    return CT_OK;
}

/* The external call's arguments as decoded from the calldata at the frame's entry. */
static ct_status stored_args(ct__evm_rec *r, const ct__frame_state *fs)
{
    size_t i;
    for (i = 0; i < fs->nargs; i++)
        if (ct_writer_value(r->w, fs->args[i].var, &fs->args[i].value) < 0)
            return ct__evm_writer_failed(r);
    return CT_OK;
}

/* The external function's arguments where the dispatcher left them (legacy code), so that an
 * assignment to a parameter shows; *live false when they cannot be located. */
static ct_status entry_args(bool *live, ct__evm_rec *r, const ct__frame_state *fs,
                            const ct__internal *ab, const ct_evm_step *s)
{
    const ct__ast_function *fn = fs->entry_fn;
    const ct__param_shape *sh = fn->param_shapes;
    size_t total = ct__evm_shape_slots(sh, fn->nparams), i, slot = 0;
    char why[300];
    *live = false;
    if (!sh || !fs->args_decoded || !fn->nparams || fn->nparams != fs->nargs ||
        fn->nparams > CT__EVM_MAX_ARGS ||
        ab->stack_base < total || s->stack_len < ab->stack_base)
        return CT_OK;
    for (i = 0; i < fn->nparams; i++) {
        ct_value val;
        CT_TRY(ct__evm_param_value(&val, r, &r->scratch, &sh[i], fn->param_types[i],
                                   &s->stack[ab->stack_base - total + slot], (int)i, s, why,
                                   sizeof why));
        slot += sh[i].slots;
        if (ct_writer_value(r->w, fs->args[i].var, &val) < 0)
            return ct__evm_writer_failed(r);
    }
    *live = true;
    return CT_OK;
}

static ct_status function_args(ct__evm_rec *r, const ct_evm_step *s)
{
    ct__frame_state *fs = &r->frames[r->depth];
    size_t i, k = fs->ninternal, slot = 0;
    char why[300];
    while (k > 0 && !fs->internal[k - 1].visible)
        k--;
    if (k > 0) {
        /* re-read at every step: a memory argument is a reference, its data may change; the
         * legacy code generator keeps the arguments where the call left them (below the
         * return variables), so an assignment to a parameter shows too */
        const ct__internal *in = &fs->internal[k - 1];
        const ct__param_shape *sh = in->fn->param_shapes;
        const ct_u256 *words = in->args;
        size_t total = ct__evm_shape_slots(sh, in->nargs);
        if (!fs->code->match.contract->via_ir && in->stack_base >= total &&
            s->stack_len >= in->stack_base)
            words = &s->stack[in->stack_base - total];
        for (i = 0; i < in->nargs; i++) {
            ct_variable_id v;
            ct_value val;
            CT_TRY(var(&v, r, in->fn->params[i][0] ? in->fn->params[i] : "arg"));
            CT_TRY(ct__evm_param_value(&val, r, &r->scratch, sh ? &sh[i] : NULL,
                                       in->fn->param_types[i], &words[slot], (int)i, s,
                                       why, sizeof why));
            slot += sh ? sh[i].slots : 1;
            if (ct_writer_value(r->w, v, &val) < 0)
                return ct__evm_writer_failed(r);
        }
        if (!fs->code->match.contract->via_ir)
            CT_TRY(return_variables(r, in, s));
        ct__arena_reset(&r->scratch);
        return CT_OK;
    }
    /* the external function's body runs under the dispatcher's (absorbed) jump: with legacy
     * code its decoded arguments and return variables are on the stack like an internal
     * call's */
    if (fs->absorbed && fs->absorbed_at < fs->ninternal && fs->code->match.contract &&
        !fs->code->match.contract->via_ir &&
        fs->internal[fs->absorbed_at].fn == fs->entry_fn && fs->entry_fn) {
        const ct__internal *ab = &fs->internal[fs->absorbed_at];
        bool live;
        CT_TRY(entry_args(&live, r, fs, ab, s));
        if (!live)
            CT_TRY(stored_args(r, fs));
        CT_TRY(return_variables(r, ab, s));
        ct__arena_reset(&r->scratch);
        return CT_OK;
    }
    return stored_args(r, fs);
}

/* The EVM stack holds at most 1024 items; the buffers are allocated once for that. */
#define MAX_STACK 1025

static ct_status stack_value(ct__evm_rec *r, const ct_evm_step *s)
{
    size_t i, n = s->stack_len < MAX_STACK ? s->stack_len : MAX_STACK;
    ct_value v;
    if (!r->capstack) {
        r->hexbuf = ct__malloc(&r->alloc, MAX_STACK * sizeof *r->hexbuf);
        r->stackvals = ct__malloc(&r->alloc, MAX_STACK * sizeof *r->stackvals);
        if (!r->hexbuf || !r->stackvals) {
            ct__free(&r->alloc, r->hexbuf, MAX_STACK * sizeof *r->hexbuf);
            ct__free(&r->alloc, r->stackvals, MAX_STACK * sizeof *r->stackvals);
            r->hexbuf = NULL;
            r->stackvals = NULL;
            return ct__error_set(r->err, CT_ENOMEM, "out of memory");
        }
        r->capstack = MAX_STACK;
    }
    for (i = 0; i < n; i++)
        r->stackvals[i] = ct_value_raw_from_u256(r->t_raw_word, &s->stack[i], 32, r->hexbuf[i]);
    v = ct_value_items(CT_VALUE_SEQUENCE, r->t_stack, r->stackvals, n, false);
    return ct_writer_value(r->w, r->v_stack, &v) < 0 ? ct__evm_writer_failed(r) : CT_OK;
}

ct_status ct__evm_step_values(ct__evm_rec *r, const ct_evm_step *s)
{
    size_t i;
    ct_value v;
    CT_TRY(function_args(r, s));
    for (i = 0; i < s->storage_len; i++)
        CT_TRY(storage_value(r, s, &s->storage[i]));
    v = ct_value_int(r->t_int, (int64_t)s->pc);
    if (ct_writer_value(r->w, r->v_pc, &v) < 0)
        return ct__evm_writer_failed(r);
    v = ct_value_text(CT_VALUE_STRING, r->t_string, s->op ? s->op : "?",
                      s->op ? strlen(s->op) : 1);
    if (ct_writer_value(r->w, r->v_op, &v) < 0)
        return ct__evm_writer_failed(r);
    if (s->gas_known) {
        v = ct_value_int(r->t_int, (int64_t)(s->gas > INT64_MAX ? INT64_MAX : s->gas));
        if (ct_writer_value(r->w, r->v_gas, &v) < 0)
            return ct__evm_writer_failed(r);
    }
    CT_TRY(stack_value(r, s));
    v = ct_value_int(r->t_int, (int64_t)s->memory_len);
    return ct_writer_value(r->w, r->v_memsize, &v) < 0 ? ct__evm_writer_failed(r) : CT_OK;
}
