/*
 * Hex digits of 256-bit words for the struct-log writer, which formats every stack item of
 * every step (and every memory word with enableMemory): 16 bytes at a time with SSE2 (a
 * portable pair table elsewhere), and quantities without a loop over leading zero bytes.
 */
#ifndef CT_RECORDER_STRUCTLOGS_HEX_H
#define CT_RECORDER_STRUCTLOGS_HEX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* 16 bytes -> 32 lowercase hex digits at dst. */
static inline void ct__hex16(char *dst, const uint8_t *src)
{
#if defined(__SSE2__)
    const __m128i mask = _mm_set1_epi8(0x0f), nine = _mm_set1_epi8(9);
    const __m128i zero = _mm_set1_epi8('0'), gap = _mm_set1_epi8('a' - '0' - 10);
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)src);
    __m128i lo = _mm_and_si128(x, mask), hi = _mm_and_si128(_mm_srli_epi16(x, 4), mask);
    __m128i a = _mm_unpacklo_epi8(hi, lo), b = _mm_unpackhi_epi8(hi, lo);
    a = _mm_add_epi8(_mm_add_epi8(a, zero), _mm_and_si128(_mm_cmpgt_epi8(a, nine), gap));
    b = _mm_add_epi8(_mm_add_epi8(b, zero), _mm_and_si128(_mm_cmpgt_epi8(b, nine), gap));
    _mm_storeu_si128((__m128i *)(void *)dst, a);
    _mm_storeu_si128((__m128i *)(void *)(dst + 16), b);
#else
    static const char d[] = "0123456789abcdef";
    int i;
    for (i = 0; i < 16; i++) {
        dst[2 * i] = d[src[i] >> 4];
        dst[2 * i + 1] = d[src[i] & 15];
    }
#endif
}

/* 32 bytes -> 64 hex digits at dst. */
static inline void ct__hex32(char *dst, const uint8_t *src)
{
    ct__hex16(dst, src);
    ct__hex16(dst + 32, src + 16);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)

/* 8 hex digits of x, most significant first, as the little-endian bytes of the result (SWAR:
 * nibbles spread to bytes, then '0'/'a' added per byte; no memory round trip). */
static inline uint64_t ct__hex8(uint32_t x)
{
    uint64_t v = x;
    v = (v | v << 16) & 0x0000ffff0000ffffull;
    v = (v | v << 8) & 0x00ff00ff00ff00ffull;
    v = (v | v << 4) & 0x0f0f0f0f0f0f0f0full;
    v = __builtin_bswap64(v);
    return v + 0x3030303030303030ull +
           (((v + 0x0606060606060606ull) >> 4) & 0x0101010101010101ull) * ('a' - '0' - 10);
}

static inline uint64_t ct__limb(const uint8_t *b)
{
    uint64_t v;
    memcpy(&v, b, 8);
    return __builtin_bswap64(v);
}

/* The last m (1..16) of the 16 digits of v at dst; writes 16 bytes. */
static inline void ct__hex_tail(char *dst, uint64_t v, unsigned m)
{
    uint64_t lo = ct__hex8((uint32_t)(v >> 32)), hi = ct__hex8((uint32_t)v);
    unsigned c = 8 * (16 - m);   /* bits of leading digits to drop */
    if (c >= 64) {
        lo = hi >> (c - 64);
    } else if (c) {
        lo = lo >> c | hi << (64 - c);
        hi >>= c;
    }
    memcpy(dst, &lo, 8);
    memcpy(dst + 8, &hi, 8);
}

/*
 * Minimal hex of a big-endian 256-bit word (Geth's uint256.Hex() without "0x") at dst;
 * returns the digit count. May write up to 64 bytes at dst whatever the count.
 */
static inline size_t ct__hex_quantity(char *dst, const uint8_t *b)
{
    int k = 0;
    uint64_t v = ct__limb(b);
    char *p;
    while (v == 0 && k < 3)
        v = ct__limb(b + 8 * ++k);
    if (v == 0) {
        dst[0] = '0';
        return 1;
    }
    ct__hex_tail(dst, v, 16 - (unsigned)__builtin_clzll(v) / 4);
    p = dst + 16 - __builtin_clzll(v) / 4;
    if (k == 0) {   /* limb 1 by hand, limbs 2-3 by the vector path */
        ct__hex_tail(p, ct__limb(b + 8), 16);
        p += 16;
    }
    if (k <= 1) {
        ct__hex16(p, b + 16);
        p += 32;
    } else if (k == 2) {
        ct__hex_tail(p, ct__limb(b + 24), 16);
        p += 16;
    }
    return (size_t)(p - dst);
}

#else

static inline size_t ct__hex_quantity(char *dst, const uint8_t *b)
{
    static const char d[] = "0123456789abcdef";
    size_t i = 0, n = 0;
    while (i < 31 && b[i] == 0)
        i++;
    if (b[i] < 16)
        dst[n++] = d[b[i++]];
    for (; i < 32; i++) {
        dst[n++] = d[b[i] >> 4];
        dst[n++] = d[b[i] & 15];
    }
    return n;
}

#endif

/* Quoted "0x" + minimal hex ("0x0" for zero), as Geth's uint256.Hex(), at p; returns the
 * length. Needs 67 bytes of room whatever the length. */
static inline size_t ct__hex_quoted_quantity(char *p, const uint8_t *b)
{
    size_t n;
    p[0] = '"';
    p[1] = '0';
    p[2] = 'x';
    n = 3 + ct__hex_quantity(p + 3, b);
    p[n++] = '"';
    return n;
}

#endif
