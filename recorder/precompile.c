/*
 * Precompile outputs from the caller's side of a vmTrace. A precompile frame has no ops, so
 * its output is only visible through the calling op's `ex.mem` (the return window after the
 * call). That window holds the whole output exactly when the output's length is known and
 * fits in it: fixed-size outputs (sha256, ripemd160, the bn254 ops, blake2f, the KZG point
 * evaluation), the identity precompile (output = input) and modexp (length = the modulus
 * length in its input). ecrecover's output is 32 bytes or none; comparing the window with the
 * caller's memory before the call tells which. A failed call has no output. Everything else
 * stays unknown.
 */
#include "precompile.h"

#include "evm_word.h"
#include "opcodes.h"

#include <string.h>

bool ct__is_precompile(const ct_u256 *address)
{
    uint64_t v;
    return ct__u256_to_u64(address, &v) && ((v >= 1 && v <= 0x11) || v == 0x100);
}

/* Output length of precompile `which` for `input`, or -1 when it depends on more. */
static long long output_length(uint64_t which, const uint8_t *input, size_t input_len)
{
    static const uint8_t fixed[] = {0, 0, 32, 32, 0, 0, 64, 64, 32, 64, 64};
    ct_u256 mod_len = {{0}};
    uint64_t n;
    size_t i;
    if (which == 4)
        return (long long)input_len;
    if (which == 5) {   /* header: base, exponent, modulus lengths (32 bytes each) */
        for (i = 0; i < 32; i++)
            mod_len.bytes[i] = 64 + i < input_len ? input[64 + i] : 0;
        return ct__u256_to_u64(&mod_len, &n) && n <= ((uint64_t)1 << 32) ? (long long)n : -1;
    }
    if (which < sizeof fixed && fixed[which])
        return fixed[which];
    return -1;
}

/*
 * ecrecover (0x01) succeeds with a bad signature too, returning nothing instead of the 32-byte
 * left-padded signer. Bytes of the return window that changed were written by the output; a
 * window that stayed all zero got none (a zero signer would need a keccak256 preimage with 20
 * zero bytes). An unchanged non-zero window could be either, and a change that is not an
 * address is no ecrecover output: both stay unknown.
 */
static bool ecrecover_output(const ct__vt_op *call, const ct_u256 *off_w, const ct_u256 *size_w,
                             const uint8_t *mem, size_t mem_len, const uint8_t **out, size_t *len)
{
    static const uint8_t zero[32];
    uint64_t off, size;
    if (!ct__u256_to_u64(off_w, &off) || !ct__u256_to_u64(size_w, &size) || size < 32 ||
        !call->has_mem || call->mem_off != off || call->mem_len < 32 ||
        off > mem_len || mem_len - off < 32)
        return false;
    if (memcmp(mem + off, call->mem_data, 32) != 0) {
        if (memcmp(call->mem_data, zero, 12) != 0)
            return false;
        *out = call->mem_data;
        *len = 32;
        return true;
    }
    if (memcmp(call->mem_data, zero, 32) != 0)
        return false;
    *out = NULL;
    *len = 0;
    return true;
}

bool ct__precompile_output(uint8_t opcode, const ct_u256 *stack, size_t stack_len,
                           const ct__vt_op *call, const ct_evm_frame *callee,
                           const uint8_t *mem, size_t mem_len, const uint8_t **out, size_t *len)
{
    int out_i = opcode == CT_OP_CALL || opcode == CT_OP_CALLCODE ? 5 : 4;
    uint64_t which, off, size;
    long long n;
    if (!call->has_ex || call->push_len != 1 || stack_len < (size_t)out_i + 2 ||
        !callee->input_known)
        return false;
    if (ct__u256_is_zero(&call->push[0])) {   /* failed: no output */
        *out = NULL;
        *len = 0;
        return true;
    }
    ct__u256_to_u64(&callee->code_address, &which);
    if (which == 1)
        return ecrecover_output(call, &stack[stack_len - 1 - out_i],
                                &stack[stack_len - 2 - out_i], mem, mem_len, out, len);
    n = output_length(which, callee->input, callee->input_len);
    if (n < 0)
        return false;
    if (n == 0 || which == 4) {
        *out = callee->input;
        *len = (size_t)n;
        return true;
    }
    if (!ct__u256_to_u64(&stack[stack_len - 1 - out_i], &off) ||
        !ct__u256_to_u64(&stack[stack_len - 2 - out_i], &size) || (uint64_t)n > size ||
        !call->has_mem || call->mem_off != off ||
        call->mem_len < (uint64_t)n)
        return false;
    *out = call->mem_data;
    *len = (size_t)n;
    return true;
}
