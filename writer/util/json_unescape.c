/*
 * Decoding of a STRING/KEY token's escapes. The reader has already checked the escape syntax;
 * this adds the one rule the grammar leaves open: a \uD800-\uDBFF escape must be followed by a
 * \uDC00-\uDFFF escape (a surrogate pair, one code point) and a low surrogate may not stand
 * alone, because a lone surrogate has no UTF-8 encoding.
 */
#include "util/json_reader.h"

#include "util/json_scan.h"

/* Four hex digits at s (n bytes available) as a number, or -1. */
static long hex4(const char *s, size_t n)
{
    long v = 0;
    size_t k;
    if (n < 4)
        return -1;
    for (k = 0; k < 4; k++) {
        int h = ct__hex_value((unsigned char)s[k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* UTF-8 of code point cp into out (room for `room` bytes); bytes written or 0. */
static size_t put_utf8(char *out, size_t room, unsigned long cp)
{
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (n > room)
        return 0;
    if (n == 1) {
        out[0] = (char)cp;
    } else if (n == 2) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
    } else if (n == 3) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
    } else {
        out[0] = (char)(0xf0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[3] = (char)(0x80 | (cp & 0x3f));
    }
    return n;
}

/* The code point of the \u escape at s[0] == '\\' (pair included); *used = bytes read. */
static long unicode_escape(const char *s, size_t n, size_t *used)
{
    long hi = hex4(s + 2, n - 2), lo;
    *used = 6;
    if (hi < 0 || (hi >= 0xdc00 && hi <= 0xdfff))
        return -1;
    if (hi < 0xd800 || hi > 0xdbff)
        return hi;
    if (n < 12 || s[6] != '\\' || s[7] != 'u')
        return -1;
    lo = hex4(s + 8, n - 8);
    if (lo < 0xdc00 || lo > 0xdfff)
        return -1;
    *used = 12;
    return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
}

static int simple_escape(char c)
{
    switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return -1;
    }
}

long ct__json_unescape(const ct__json_token *tok, char *out, size_t cap)
{
    const char *s = tok->text;
    size_t n = tok->len, i = 0, o = 0;
    while (i < n) {
        size_t used = 1, w;
        long cp;
        if (s[i] != '\\') {
            cp = (unsigned char)s[i];
            if (o >= cap)
                return -1;
            out[o++] = s[i++];
            continue;
        }
        if (i + 1 >= n)
            return -1;
        if (s[i + 1] == 'u') {
            cp = unicode_escape(s + i, n - i, &used);
        } else {
            cp = simple_escape(s[i + 1]);
            used = 2;
        }
        if (cp < 0)
            return -1;
        w = put_utf8(out + o, cap - o, (unsigned long)cp);
        if (w == 0)
            return -1;
        o += w;
        i += used;
    }
    return (long)o;
}
