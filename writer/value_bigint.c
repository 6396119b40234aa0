/*
 * BigInt support: the standard padded base64 that runtime_tracing's `b` field uses (base64
 * 0.22 STANDARD, which rejects unpadded input), and the EVM-word value constructors of value.h.
 */
#include "writer_impl.h"
#include "util/sink.h"

#include <string.h>

static const char b64_alphabet[65] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t ct__base64_encode(char *dst, const uint8_t *bytes, size_t len)
{
    size_t i = 0, n = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)bytes[i] << 16 | (uint32_t)bytes[i + 1] << 8 | bytes[i + 2];
        dst[n++] = b64_alphabet[v >> 18];
        dst[n++] = b64_alphabet[(v >> 12) & 63];
        dst[n++] = b64_alphabet[(v >> 6) & 63];
        dst[n++] = b64_alphabet[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)bytes[i] << 16;
        dst[n++] = b64_alphabet[v >> 18];
        dst[n++] = b64_alphabet[(v >> 12) & 63];
        dst[n++] = '=';
        dst[n++] = '=';
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)bytes[i] << 16 | (uint32_t)bytes[i + 1] << 8;
        dst[n++] = b64_alphabet[v >> 18];
        dst[n++] = b64_alphabet[(v >> 12) & 63];
        dst[n++] = b64_alphabet[(v >> 6) & 63];
        dst[n++] = '=';
    }
    return n;
}

/* In slices of 48 input bytes (64 output characters), so any length streams. */
void ct__base64_json(ct__sink *s, const uint8_t *bytes, size_t len)
{
    char out[64];
    size_t i;
    for (i = 0; i < len; i += 48) {
        size_t chunk = len - i < 48 ? len - i : 48;
        ct__sink_write(s, out, ct__base64_encode(out, bytes + i, chunk));
    }
}

ct_value ct_value_bigint_from_u256(ct_type_id type_id, const ct_u256 *word, bool is_signed,
                                   ct_u256 *scratch)
{
    const uint8_t *mag;
    bool negative = false;
    size_t i = 0;
    if (!word)   /* refused by the writer like the missing scratch below */
        return ct_value_bigint(type_id, NULL, 1, false);
    mag = word->bytes;
    if (is_signed && (word->bytes[0] & 0x80)) {
        if (!scratch)   /* a value the writer refuses (NULL bytes), not a wrong number */
            return ct_value_bigint(type_id, NULL, 1, true);
        /* two's complement: magnitude = ~word + 1 */
        unsigned carry = 1;
        int k;
        for (k = 31; k >= 0; k--) {
            unsigned b = (uint8_t)~word->bytes[k] + carry;
            scratch->bytes[k] = (uint8_t)b;
            carry = b >> 8;
        }
        mag = scratch->bytes;
        negative = true;
    }
    while (i < 32 && mag[i] == 0)
        i++;
    return ct_value_bigint(type_id, mag + i, 32 - i, negative);
}

ct_value ct_value_raw_from_u256(ct_type_id type_id, const ct_u256 *word, size_t nbytes,
                                char buf[67])
{
    size_t n;
    if (!word || !buf)   /* NULL text of non-zero length: a value the writer refuses */
        return ct_value_text(CT_VALUE_RAW, type_id, NULL, 1);
    if (nbytes < 1)
        nbytes = 1;
    if (nbytes > 32)
        nbytes = 32;
    buf[0] = '0';
    buf[1] = 'x';
    n = 2 + ct__fmt_hex(buf + 2, word->bytes + 32 - nbytes, nbytes);
    buf[n] = '\0';
    return ct_value_text(CT_VALUE_RAW, type_id, buf, n);
}
