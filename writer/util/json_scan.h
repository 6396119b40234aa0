/*
 * Byte-level scanners shared by the JSON reader and ct__json_unescape: the string body scan
 * (vectorised, because vmTrace strings are long hex runs) and the UTF-8 sequence check.
 * Pure functions on bytes; the reader owns buffering and error reporting.
 */
#ifndef CT_UTIL_JSON_SCAN_H
#define CT_UTIL_JSON_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/** Bytes that may be read past a stop byte: callers keep this much addressable padding. */
#define CT__JSON_SCAN_PAD 64

/*
 * Index of the first byte at or after `i` that ends the fast part of a string body: '"', '\\',
 * a control character (< 0x20) or a non-ASCII byte (>= 0x80). The caller guarantees such a byte
 * exists (a '"' sentinel after the data) and that CT__JSON_SCAN_PAD bytes after it are
 * readable, so the loop needs no bounds check.
 */
static inline size_t ct__json_scan_string(const unsigned char *b, size_t i)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i bslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(' ');
    for (;;) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash));
        /* Signed x < 0x20 catches both control characters and bytes >= 0x80 (negative). */
        hit = _mm_or_si128(hit, _mm_cmplt_epi8(x, space));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#else
    for (;;) {
        unsigned char c = b[i];
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
            return i;
        i++;
    }
#endif
}

/* Index of the first byte at or after `i` that is not JSON whitespace (same guarantees). */
static inline size_t ct__json_scan_ws(const unsigned char *b, size_t i)
{
#if defined(__SSE2__)
    for (;;) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        __m128i ws = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
                                  _mm_cmpeq_epi8(x, _mm_set1_epi8('\n')));
        ws = _mm_or_si128(ws, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\r')),
                                           _mm_cmpeq_epi8(x, _mm_set1_epi8('\t'))));
        unsigned m = ~(unsigned)_mm_movemask_epi8(ws) & 0xffffu;
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#else
    while (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')
        i++;
    return i;
#endif
}

/* Index of the first byte at or after `i` that is not an ASCII digit (same guarantees). */
static inline size_t ct__json_scan_digits(const unsigned char *b, size_t i)
{
#if defined(__SSE2__)
    for (;;) {
        __m128i x = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(const void *)(b + i)),
                                 _mm_set1_epi8('0'));
        __m128i d = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(9)), x);
        unsigned m = ~(unsigned)_mm_movemask_epi8(d) & 0xffffu;
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#else
    while ((unsigned)(b[i] - '0') < 10u)
        i++;
    return i;
#endif
}

/*
 * Length of the well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most
 * U+10FFFF) starting at `s`, of which `avail` bytes are present; 0 if malformed or cut short.
 */
static inline size_t ct__utf8_sequence(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    size_t n, k;
    unsigned lo = 0x80, hi = 0xbf;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4;
    else
        return 0;
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    if (avail < n)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (k = 2; k < n; k++)
        if (s[k] < 0x80 || s[k] > 0xbf)
            return 0;
    return n;
}

/** Value of a hex digit, or -1. */
static inline int ct__hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

#endif
