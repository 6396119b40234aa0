/* 256-bit words and hex text as the vmTrace encodes them: quantities ("0x" + minimal hex) and
 * byte strings ("0x" + two digits per byte). */
#ifndef CT_RECORDER_EVM_WORD_H
#define CT_RECORDER_EVM_WORD_H

#include <ctrecord/common.h>

#include <string.h>

/** Parse a quantity ("0x0", "0x1f", up to 64 digits; leading zeros tolerated). */
bool ct__u256_from_hex(ct_u256 *out, const char *s, size_t len);
/** Parse a "0x" byte string into `out` (capacity `cap`); false if malformed or too long. */
bool ct__hex_decode(uint8_t *out, size_t cap, size_t *n, const char *s, size_t len);
/** The same for bare hex digits (no "0x"). */
bool ct__hex_decode_digits(uint8_t *out, size_t cap, size_t *n, const char *s, size_t len);
/** Bytes a byte string of `len` characters decodes to (ignoring "0x"), or SIZE_MAX if odd. */
size_t ct__hex_decoded_len(const char *s, size_t len);

/* Inline, as straight 8-byte loads: the replay compares words for every pushed item. */
static inline uint64_t ct__u256_limb(const ct_u256 *v, int i)
{
    uint64_t x;
    memcpy(&x, v->bytes + 8 * i, 8);
    return x;
}

static inline bool ct__u256_is_zero(const ct_u256 *v)
{
    return (ct__u256_limb(v, 0) | ct__u256_limb(v, 1) | ct__u256_limb(v, 2) |
            ct__u256_limb(v, 3)) == 0;
}

static inline bool ct__u256_eq(const ct_u256 *a, const ct_u256 *b)
{
    return ((ct__u256_limb(a, 0) ^ ct__u256_limb(b, 0)) |
            (ct__u256_limb(a, 1) ^ ct__u256_limb(b, 1)) |
            (ct__u256_limb(a, 2) ^ ct__u256_limb(b, 2)) |
            (ct__u256_limb(a, 3) ^ ct__u256_limb(b, 3))) == 0;
}
/** The value when it fits in 64 bits; false (and *out = UINT64_MAX) otherwise. */
bool ct__u256_to_u64(const ct_u256 *v, uint64_t *out);
void ct__u256_from_u64(ct_u256 *out, uint64_t v);
/** Keep the low 20 bytes (an address), clearing the rest. */
void ct__u256_to_address(ct_u256 *out, const ct_u256 *v);

/** Parse a JSON integer literal (digits only) into *out; false on sign, fraction, overflow.
 * Inline: it runs for pc, cost and used of every op. */
static inline bool ct__parse_u64(const char *s, size_t len, uint64_t *out)
{
    uint64_t x = 0;
    size_t i;
    if (len == 0 || len > 20)
        return false;
    for (i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9 || (i >= 19 && x > (UINT64_MAX - d) / 10))
            return false;
        x = x * 10 + d;
    }
    *out = x;
    return true;
}

#endif
