/*
 * The bulk of a vmTrace is op objects of one shape,
 *   {"cost":3,"ex":{"mem":null,"push":["0x80"],"store":null,"used":59978629},"pc":0,
 *    "sub":null,"op":"PUSH1","idx":"1-0"}
 * in the key orders of the various clients. Tokenizing them costs more than everything the
 * replay does with them, so an op that is complete in the JSON reader's window, has no `sub`
 * frame and only the usual value types is parsed here straight from the bytes: keys matched
 * with their quotes and colon, integers and hex decoded in place, nothing copied first.
 *
 * Everything accepted is valid JSON that the token path would read to the same record; anything
 * else (a sub frame, unknown or repeated keys, escapes, fractions, quantities as strings, a
 * window boundary, any error) returns 0 and the token path reads the op from its '{' again,
 * with its exact error messages. So this file needs no error reporting of its own.
 */
#include "vmtrace_reader.h"

#include "opcodes.h"
#include "util/json_scan.h"

#include <string.h>

typedef const unsigned char *cur;

/* Hex digit values; 0xff for every other byte (including the window's '"' sentinel). */
static const unsigned char HEX[256] = {
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
    R16(0xff), R16(0xff), R16(0xff),
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 10, 11, 12, 13, 14, 15, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    R16(0xff),
    0xff, 10, 11, 12, 13, 14, 15, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    R16(0xff), R16(0xff), R16(0xff), R16(0xff), R16(0xff), R16(0xff), R16(0xff), R16(0xff),
    R16(0xff)
#undef R16
};

/* Keys that may appear; each may appear once per object. */
enum {
    K_COST = 1, K_EX = 2, K_PC = 4, K_SUB = 8, K_OP = 16, K_IDX = 32,
    K_MEM = 1, K_PUSH = 2, K_STORE = 4, K_USED = 8,
    K_DATA = 1, K_OFF = 2,
    K_KEY = 1, K_VAL = 2
};

/* 8 bytes at p as a little-endian number (the window's padding makes 8 readable anywhere a
 * token may start). */
static inline uint64_t load8(cur p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/* A literal of at most 8 bytes as a constant, for one masked compare per key instead of a
 * memcmp call (keys are matched ~25 times an op). */
#define LN(s) (sizeof(s) - 1)
#define LB(s, k) ((k) < LN(s) ? (uint64_t)(unsigned char)(s)[(k) < LN(s) ? (k) : 0] << 8 * (k) : 0)
#define LCONST(s) \
    (LB(s, 0) | LB(s, 1) | LB(s, 2) | LB(s, 3) | LB(s, 4) | LB(s, 5) | LB(s, 6) | LB(s, 7))
#define LMASK(s) (LN(s) >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * LN(s)) % 64) - 1)
#define LIT(p, s) ((load8(p) & LMASK(s)) == LCONST(s))

static inline cur ws(cur p)
{
    return *p > ' ' ? p : p + ct__json_scan_ws(p, 0);
}

/* A JSON integer that ct__parse_u64 would accept (at most 19 digits here); NULL otherwise. */
static inline cur uint_val(cur p, uint64_t *out)
{
    uint64_t v;
    cur s = p;
    unsigned d = (unsigned)(*p - '0');
    if (d > 9 || (d == 0 && (unsigned)(p[1] - '0') <= 9))
        return NULL;   /* not a number, or a leading zero (the lexer's error) */
    v = d;
    while ((d = (unsigned)(*++p - '0')) <= 9)
        v = v * 10 + d;
    if (p - s > 19 || *p == '.' || (*p | 0x20) == 'e')
        return NULL;
    *out = v;
    return p;
}

/* "0x" + 1..64 hex digits into a word; returns the byte after the closing quote. */
static inline cur hex_word(cur p, cur end, ct_u256 *w)
{
    cur s, e;
    uint8_t *o = w->bytes + 32;
    if (p[0] != '"' || p[1] != '0' || p[2] != 'x')
        return NULL;
    s = e = p + 3;
    while (HEX[*e] < 16)
        e++;
    if (*e != '"' || e == s || e - s > 64 || e >= end)
        return NULL;
    p = e + 1;
    memset(w->bytes, 0, 32);
    while (e - s >= 2) {
        e -= 2;
        *--o = (uint8_t)(HEX[e[0]] << 4 | HEX[e[1]]);
    }
    if (e > s)
        *--o = HEX[s[0]];
    return p;
}

/* A string of plain ASCII (no escapes); its body goes to *s and *n. */
static inline cur plain_string(cur p, cur end, const char **s, size_t *n)
{
    size_t j;
    if (*p != '"')
        return NULL;
    j = ct__json_scan_string(p, 1);
    if (p[j] != '"' || p + j >= end)
        return NULL;
    *s = (const char *)p + 1;
    *n = j - 1;
    return p + j + 1;
}

/* After a member: ',' and the next key's start (*more = true), or just past the '}'. */
static inline cur member_end(cur p, bool *more)
{
    p = ws(p);
    *more = *p == ',';
    if (*more)
        return ws(p + 1);
    return *p == '}' ? p + 1 : NULL;
}

static inline bool take(unsigned *seen, unsigned key)
{
    if (*seen & key)
        return false;
    *seen |= key;
    return true;
}

/* ex.mem: null or {"data": "0x..", "off": N}; data decoded into the op's buffer if it fits. */
static cur mem_val(cur p, cur end, ct__vt_op *op)
{
    unsigned seen = 0;
    bool more = true;
    if (LIT(p, "null"))
        return p + 4;
    if (*p != '{')
        return NULL;
    p = ws(p + 1);
    while (more) {
        if (LIT(p, "\"data\":") && take(&seen, K_DATA)) {
            cur s = ws(p + 7), e;
            if (s[0] != '"' || s[1] != '0' || s[2] != 'x')
                return NULL;
            s += 3;
            for (e = s; HEX[*e] < 16; e++)
                ;
            if (*e != '"' || e >= end || (e - s) % 2 || (size_t)(e - s) / 2 > op->mem_cap)
                return NULL;   /* odd, not hex, cut off, or the buffer must grow: token path */
            op->mem_len = (size_t)(e - s) / 2;
            for (size_t k = 0; k < op->mem_len; k++, s += 2)
                op->mem_data[k] = (uint8_t)(HEX[s[0]] << 4 | HEX[s[1]]);
            p = e + 1;
        } else if (LIT(p, "\"off\":") && take(&seen, K_OFF)) {
            p = uint_val(ws(p + 6), &op->mem_off);
        } else {
            return NULL;
        }
        if (!p || !(p = member_end(p, &more)))
            return NULL;
    }
    if (seen != (K_DATA | K_OFF))
        return NULL;
    op->has_mem = true;
    return p;
}

/* ex.store: null or {"key": "0x..", "val": "0x.."}. */
static cur store_val(cur p, cur end, ct__vt_op *op)
{
    unsigned seen = 0;
    bool more = true;
    if (LIT(p, "null"))
        return p + 4;
    if (*p != '{')
        return NULL;
    p = ws(p + 1);
    while (more) {
        if (LIT(p, "\"key\":") && take(&seen, K_KEY))
            p = hex_word(ws(p + 6), end, &op->store_key);
        else if (LIT(p, "\"val\":") && take(&seen, K_VAL))
            p = hex_word(ws(p + 6), end, &op->store_val);
        else
            return NULL;
        if (!p || !(p = member_end(p, &more)))
            return NULL;
    }
    if (seen != (K_KEY | K_VAL))
        return NULL;
    op->has_store = true;
    return p;
}

/* ex.push: null or an array of quantities. */
static cur push_val(cur p, cur end, ct__vt_op *op)
{
    if (LIT(p, "null"))
        return p + 4;
    if (*p != '[')
        return NULL;
    p = ws(p + 1);
    if (*p == ']')
        return p + 1;
    for (;;) {
        if (op->push_len == CT__VT_MAX_PUSH || !(p = hex_word(p, end, &op->push[op->push_len])))
            return NULL;
        op->push_len++;
        p = ws(p);
        if (*p == ']')
            return p + 1;
        if (*p != ',')
            return NULL;
        p = ws(p + 1);
    }
}

/* One member of `ex`; NULL for anything unusual. */
static inline cur ex_member(cur p, cur end, ct__vt_op *op, unsigned *seen)
{
    switch (p[1]) {
    case 'm':
        return LIT(p, "\"mem\":") && take(seen, K_MEM) ? mem_val(ws(p + 6), end, op) : NULL;
    case 'p':
        return LIT(p, "\"push\":") && take(seen, K_PUSH) ? push_val(ws(p + 7), end, op) : NULL;
    case 's':
        return LIT(p, "\"store\":") && take(seen, K_STORE) ? store_val(ws(p + 8), end, op)
                                                           : NULL;
    case 'u':
        return LIT(p, "\"used\":") && take(seen, K_USED) ? uint_val(ws(p + 7), &op->used)
                                                         : NULL;
    default:
        return NULL;
    }
}

static cur ex_val(cur p, cur end, ct__vt_op *op)
{
    unsigned seen = 0;
    bool more = true;
    op->has_ex_key = true;
    if (LIT(p, "null"))
        return p + 4;
    if (*p != '{')
        return NULL;
    p = ws(p + 1);
    while (more) {
        if (*p != '"' || !(p = ex_member(p, end, op, &seen)) || !(p = member_end(p, &more)))
            return NULL;
    }
    if (!(seen & K_USED))
        return NULL;
    op->has_ex = true;
    return p;
}

typedef struct op_text {
    const char *name, *idx;
    size_t name_len, idx_len;
} op_text;

/* One member of the op object; NULL for anything unusual (a sub frame included). */
static inline cur op_member(cur p, cur end, ct__vt_op *op, unsigned *seen, op_text *t)
{
    switch (p[1]) {
    case 'c':
        if (!LIT(p, "\"cost\":") || !take(seen, K_COST))
            return NULL;
        op->has_cost = true;
        return uint_val(ws(p + 7), &op->cost);
    case 'e':
        return LIT(p, "\"ex\":") && take(seen, K_EX) ? ex_val(ws(p + 5), end, op) : NULL;
    case 'p':
        if (!LIT(p, "\"pc\":") || !take(seen, K_PC))
            return NULL;
        op->has_pc = true;
        return uint_val(ws(p + 5), &op->pc);
    case 's':
        if (!LIT(p, "\"sub\":") || !take(seen, K_SUB))
            return NULL;
        p = ws(p + 6);
        return LIT(p, "null") ? p + 4 : NULL;
    case 'o':
        return LIT(p, "\"op\":") && take(seen, K_OP)
                   ? plain_string(ws(p + 5), end, &t->name, &t->name_len) : NULL;
    case 'i':
        return LIT(p, "\"idx\":") && take(seen, K_IDX)
                   ? plain_string(ws(p + 6), end, &t->idx, &t->idx_len) : NULL;
    default:
        return NULL;
    }
}

int ct__vt_op_name(const ct__vt_level *l, const ct__vt_op *op, const char *s, size_t n)
{
    if (op->has_pc && l->has_code && op->pc < l->code_len) {
        uint8_t byte = l->code[op->pc];
        const char *name = ct_opcode_name(byte);
        size_t k = 0;
        while (k < n && name[k] == s[k])
            k++;
        if (k == n && name[k] == '\0')
            return byte;
    }
    return ct__vt_opcode_of_name(s, n);
}

size_t ct__vt_fast_op(const unsigned char *b, size_t avail, const ct__vt_level *l, ct__vt_op *op)
{
    cur p = b, end = b + avail;
    unsigned seen = 0;
    bool more = true;
    op_text t = {NULL, NULL, 0, 0};
    if (*p != '{')
        return 0;
    p = ws(p + 1);
    while (more) {
        if (*p != '"' || !(p = op_member(p, end, op, &seen, &t)) || !(p = member_end(p, &more)))
            return 0;
    }
    if (p > end || !(seen & K_PC) || !(seen & K_COST))
        return 0;
    if (seen & K_OP)
        op->named_opcode = ct__vt_op_name(l, op, t.name, t.name_len);
    op->has_idx = (seen & K_IDX) != 0;
    return (size_t)(p - b);
}
