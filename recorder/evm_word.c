/* Hex and 256-bit word helpers. Table-driven digit decoding: these run for every pushed item
 * and every byte of memory data in the input, so they are on the hot path. */
#include "evm_word.h"

#include <string.h>

/* 0..15 for hex digits, 0xff otherwise. */
static unsigned char hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned char)(c - '0');
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return (unsigned char)(c - 'a' + 10);
    return 0xff;
}

static bool strip_0x(const char **s, size_t *len)
{
    if (*len < 2 || (*s)[0] != '0' || ((*s)[1] != 'x' && (*s)[1] != 'X'))
        return false;
    *s += 2;
    *len -= 2;
    return true;
}

bool ct__u256_from_hex(ct_u256 *out, const char *s, size_t len)
{
    size_t i, nib = 0;
    memset(out->bytes, 0, 32);
    if (!strip_0x(&s, &len) || len == 0)
        return false;
    while (len > 64 && *s == '0') {
        s++;
        len--;
    }
    if (len > 64)
        return false;
    for (i = len; i-- > 0; nib++) {
        unsigned char v = hexval((unsigned char)s[i]);
        if (v == 0xff)
            return false;
        out->bytes[31 - nib / 2] |= (unsigned char)(nib % 2 ? v << 4 : v);
    }
    return true;
}

size_t ct__hex_decoded_len(const char *s, size_t len)
{
    if (!strip_0x(&s, &len) || len % 2)
        return SIZE_MAX;
    return len / 2;
}

bool ct__hex_decode(uint8_t *out, size_t cap, size_t *n, const char *s, size_t len)
{
    return strip_0x(&s, &len) && ct__hex_decode_digits(out, cap, n, s, len);
}

bool ct__hex_decode_digits(uint8_t *out, size_t cap, size_t *n, const char *s, size_t len)
{
    size_t i, m;
    if (len % 2 || len / 2 > cap)
        return false;
    m = len / 2;
    for (i = 0; i < m; i++) {
        unsigned char hi = hexval((unsigned char)s[2 * i]), lo = hexval((unsigned char)s[2 * i + 1]);
        if ((hi | lo) & 0xf0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *n = m;
    return true;
}

bool ct__u256_to_u64(const ct_u256 *v, uint64_t *out)
{
    uint64_t x = 0;
    int i;
    for (i = 0; i < 24; i++) {
        if (v->bytes[i]) {
            *out = UINT64_MAX;
            return false;
        }
    }
    for (i = 24; i < 32; i++)
        x = x << 8 | v->bytes[i];
    *out = x;
    return true;
}

void ct__u256_from_u64(ct_u256 *out, uint64_t v)
{
    int i;
    memset(out->bytes, 0, 24);
    for (i = 31; i >= 24; i--, v >>= 8)
        out->bytes[i] = (uint8_t)v;
}

void ct__u256_to_address(ct_u256 *out, const ct_u256 *v)
{
    memset(out->bytes, 0, 12);
    memmove(out->bytes + 12, v->bytes + 12, 20);
}
