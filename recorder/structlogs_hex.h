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

/* Significant hex digits of a big-endian word (1 for zero). */
static inline size_t ct__hex_digits(const uint8_t *b)
{
    int k;
    for (k = 0; k < 4; k++) {
        uint64_t v = 0;
        int i;
        for (i = 0; i < 8; i++)   /* a big-endian load; compilers make it one bswap */
            v = v << 8 | b[8 * k + i];
        if (v)
            return (size_t)(16 * (4 - k)) - (size_t)__builtin_clzll(v) / 4;
    }
    return 1;
}

/*
 * Minimal hex of a big-endian 256-bit word (Geth's uint256.Hex() without "0x") at dst;
 * returns the digit count. Writes 64 bytes at dst whatever the count (the caller's room), so
 * that the copy is of a fixed size.
 */
static inline size_t ct__hex_quantity(char *dst, const uint8_t *b)
{
    char tmp[128];
    size_t n = ct__hex_digits(b);
    memset(tmp + 64, 0, 64);   /* copied along, never used */
    if (n <= 32)
        ct__hex16(tmp + 32, b + 16);
    else
        ct__hex32(tmp, b);
    memcpy(dst, tmp + 64 - n, 64);
    return n;
}

#endif
