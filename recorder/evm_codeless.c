/*
 * Calls that run no code: precompiles and accounts without code get an empty sub frame in the
 * vmTrace (no ops), so the replay yields no step for them. A CALL-family op whose next step is
 * back in the same frame is such a call: it becomes a Call ("precompile.sha256",
 * "0x<address>.transfer") with its input and value, and a Return with the output window.
 */
#include "evm_rec.h"
#include "evm_word.h"

#include <stdio.h>
#include <string.h>

#include "opcodes.h"
#include "util/alloc.h"
#include "util/error.h"

static const char *const precompiles[] = {
    NULL, "ecrecover", "sha256", "ripemd160", "identity", "modexp", "ecAdd", "ecMul",
    "ecPairing", "blake2f", "pointEvaluation", "bls12G1Add", "bls12G1Msm", "bls12G2Add",
    "bls12G2Msm", "bls12PairingCheck", "bls12MapFpToG1", "bls12MapFp2ToG2"};

ct_status ct__evm_note_call(ct__evm_rec *r, const ct_evm_step *s)
{
    bool with_value = s->opcode == CT_OP_CALL || s->opcode == CT_OP_CALLCODE;
    size_t base = with_value ? 3 : 2;
    uint64_t off, len;
    const uint8_t *data;
    r->pending.active = false;
    if (s->stack_len < base + 4 || !ct__u256_to_u64(ct__evm_stack_item(s, base), &off) ||
        !ct__u256_to_u64(ct__evm_stack_item(s, base + 1), &len) ||
        !ct__u256_to_u64(ct__evm_stack_item(s, base + 2), &r->pending.ret_off) ||
        !ct__u256_to_u64(ct__evm_stack_item(s, base + 3), &r->pending.ret_len))
        return CT_OK;
    CT_TRY(ct__evm_mem(r, s, off, len, &data));
    if (len > r->pending.cap) {
        uint8_t *p = ct__realloc(&r->alloc, r->pending.input, r->pending.cap, (size_t)len);
        if (!p)
            return ct__error_set(r->err, CT_ENOMEM, "out of memory");
        r->pending.input = p;
        r->pending.cap = (size_t)len;
    }
    if (len)
        memcpy(r->pending.input, data, (size_t)len);
    r->pending.input_len = (size_t)len;
    memcpy(r->pending.addr, ct__evm_stack_item(s, 1)->bytes + 12, 20);
    memset(&r->pending.value, 0, sizeof r->pending.value);
    if (with_value)
        r->pending.value = *ct__evm_stack_item(s, 2);
    r->pending.depth = s->depth;
    r->pending.active = true;
    return CT_OK;
}

static void callee_name(char *out, size_t cap, const ct__evm_rec *r)
{
    const uint8_t *a = r->pending.addr;
    size_t i, n;
    bool low = true;
    for (i = 0; i < 19; i++)
        low &= a[i] == 0;
    if (low && a[19] > 0 && a[19] < sizeof precompiles / sizeof precompiles[0]) {
        snprintf(out, cap, "precompile.%s", precompiles[a[19]]);
        return;
    }
    n = (size_t)snprintf(out, cap, "0x");
    for (i = 0; i < 20; i++)
        n += (size_t)snprintf(out + n, cap - n, "%02x", a[i]);
    snprintf(out + n, cap - n, "%s", r->pending.input_len ? ".call" : ".transfer");
}

static ct_status call_args(ct__evm_rec *r, ct_arg *args, size_t *n, char *hex, size_t hexcap)
{
    ct_value v;
    size_t i, k = 0, len = r->pending.input_len;
    *n = 0;
    if (len) {
        if (len > (hexcap - 3) / 2)
            len = (hexcap - 3) / 2;
        k = (size_t)snprintf(hex, hexcap, "0x");
        for (i = 0; i < len; i++)
            k += (size_t)snprintf(hex + k, hexcap - k, "%02x", r->pending.input[i]);
        if (ct_writer_variable_id(&args[*n].variable_id, r->w, "input") < 0)
            return ct__evm_writer_failed(r);
        args[(*n)++].value = ct_value_text(CT_VALUE_RAW, r->t_raw_word, hex, k);
    }
    for (i = 0; i < 32 && !r->pending.value.bytes[i]; i++)
        ;
    if (i < 32) {
        v = ct_value_bigint_from_u256(r->t_uint256, &r->pending.value, false, NULL);
        if (ct_writer_variable_id(&args[*n].variable_id, r->w, "value") < 0)
            return ct__evm_writer_failed(r);
        args[(*n)++].value = v;
    }
    return CT_OK;
}

/* The precompile number of the pending call's address (1 ecrecover ...), 0 for none. */
static unsigned precompile_id(const ct__evm_rec *r)
{
    size_t i;
    for (i = 0; i < 19; i++)
        if (r->pending.addr[i])
            return 0;
    return r->pending.addr[19] < sizeof precompiles / sizeof precompiles[0]
               ? r->pending.addr[19] : 0;
}

/* ecrecover returns an address and ripemd160 a bytes20, right-aligned in a 32-byte word. */
static bool typed_output(ct_value *out, ct__evm_rec *r, const uint8_t *data, size_t len,
                         char *hex)
{
    unsigned id = precompile_id(r);
    ct_type_id t;
    ct_u256 w;
    if (len != 32 || (id != 1 && id != 3))
        return false;
    if (id == 3 && ct_writer_type_id(&t, r->w, CT_TYPE_RAW, "bytes20") < 0)
        return false;
    memcpy(w.bytes, data, 32);
    *out = ct_value_raw_from_u256(id == 1 ? r->t_address : t, &w, 20, hex);
    return true;
}

/* The output a precompile wrote into the caller's return window, as the next step sees it. */
static ct_status output_value(ct_value *out, ct__evm_rec *r, const ct_evm_step *next,
                              char *hex, size_t hexcap)
{
    const uint8_t *data = next->return_data;
    size_t len = next->return_data_known ? next->return_data_len : 0, i, k;
    if (!next->return_data_known) {
        len = r->pending.ret_len < (hexcap - 3) / 2 ? (size_t)r->pending.ret_len
                                                     : (hexcap - 3) / 2;
        CT_TRY(ct__evm_mem(r, next, r->pending.ret_off, len, &data));
    }
    if (!len) {
        *out = ct_value_none();
        return CT_OK;
    }
    if (hexcap >= 67 && typed_output(out, r, data, len, hex))
        return CT_OK;
    if (len > (hexcap - 3) / 2)
        len = (hexcap - 3) / 2;
    k = (size_t)snprintf(hex, hexcap, "0x");
    for (i = 0; i < len; i++)
        k += (size_t)snprintf(hex + k, hexcap - k, "%02x", data[i]);
    *out = ct_value_text(CT_VALUE_RAW, r->t_raw_word, hex, k);
    return CT_OK;
}

ct_status ct__evm_codeless_call(ct__evm_rec *r, const ct_evm_step *next)
{
    ct__frame_state *fs;
    char name[80], inhex[1100], outhex[1100];
    ct_arg args[2];
    size_t nargs;
    ct_path_id pid;
    ct_function_id fid;
    ct_value ret;
    int32_t file;
    if (!r->pending.active)
        return CT_OK;
    r->pending.active = false;
    if (next->depth != r->pending.depth || next->depth != r->depth)
        return CT_OK;   /* a frame with code was entered, or the caller ended */
    fs = &r->frames[r->depth];
    file = fs->last_file >= 0 ? fs->last_file : fs->code->home_file;
    callee_name(name, sizeof name, r);
    CT_TRY(ct__evm_path(&pid, r, fs->code, file));
    if (ct_writer_function_id(&fid, r->w, name, pid,
                              fs->last_file >= 0 ? fs->last_line : fs->code->home_line) < 0)
        return ct__evm_writer_failed(r);
    CT_TRY(call_args(r, args, &nargs, inhex, sizeof inhex));
    if (ct_writer_call(r->w, fid, args, nargs) < 0)
        return ct__evm_writer_failed(r);
    r->report->calls++;
    if (next->stack_len && !memcmp(next->stack[next->stack_len - 1].bytes,
                                   (const uint8_t[32]){0}, 32))
        ret = ct_value_text(CT_VALUE_ERROR, r->t_error, "failed", 6);
    else
        CT_TRY(output_value(&ret, r, next, outhex, sizeof outhex));
    if (ct_writer_return(r->w, &ret) < 0)
        return ct__evm_writer_failed(r);
    fs->last_file = -1;
    return CT_OK;
}
