/* Text renderings of decoded ABI values and of revert data (Error, Panic, custom errors). */
#include "abi.h"

#include <stdio.h>
#include <string.h>

typedef struct out {
    char *buf;
    size_t cap;
    size_t len;      /* bytes written (excluding the NUL) */
} out;

static void put(out *o, const char *s, size_t n)
{
    size_t room = o->cap > o->len + 1 ? o->cap - o->len - 1 : 0;
    if (n > room)
        n = room;
    if (n) {
        memcpy(o->buf + o->len, s, n);
        o->len += n;
    }
    if (o->cap)
        o->buf[o->len] = '\0';
}

static void puts_(out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void put_hex(out *o, const uint8_t *p, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    char pair[2];
    size_t i;
    puts_(o, "0x");
    for (i = 0; i < n && o->len + 1 < o->cap; i++) {
        pair[0] = hx[p[i] >> 4];
        pair[1] = hx[p[i] & 15];
        put(o, pair, 2);
    }
}

size_t ct__u256_decimal(char *buf, size_t cap, const uint8_t word[32], bool is_signed)
{
    uint8_t w[32];
    char digits[80];
    size_t nd = 0, i;
    bool neg = is_signed && (word[0] & 0x80);
    out o = {buf, cap, 0};
    memcpy(w, word, 32);
    if (neg) {   /* two's complement magnitude */
        unsigned carry = 1;
        for (i = 32; i-- > 0;) {
            unsigned x = (uint8_t)~w[i] + carry;
            w[i] = (uint8_t)x;
            carry = x >> 8;
        }
    }
    do {
        unsigned rem = 0;
        bool nonzero = false;
        for (i = 0; i < 32; i++) {
            unsigned cur = (rem << 8) | w[i];
            w[i] = (uint8_t)(cur / 10);
            rem = cur % 10;
            nonzero |= w[i] != 0;
        }
        digits[nd++] = (char)('0' + rem);
        if (!nonzero)
            break;
    } while (nd < sizeof digits);
    if (cap)
        buf[0] = '\0';
    if (neg)
        puts_(&o, "-");
    while (nd)
        put(&o, &digits[--nd], 1);
    return o.len;
}

static void put_string(out *o, const uint8_t *s, size_t n)
{
    size_t i;
    char esc[8];
    puts_(o, "\"");
    for (i = 0; i < n && o->len + 1 < o->cap; i++) {
        if (s[i] == '"' || s[i] == '\\') {
            esc[0] = '\\';
            esc[1] = (char)s[i];
            put(o, esc, 2);
        } else if (s[i] < 0x20) {
            snprintf(esc, sizeof esc, "\\x%02x", s[i]);
            puts_(o, esc);
        } else {
            put(o, (const char *)&s[i], 1);
        }
    }
    puts_(o, "\"");
}

static void format_value(out *o, const ct__abi_value *v);

static void format_items(out *o, const ct__abi_value *v, const char *open, const char *close)
{
    size_t i;
    puts_(o, open);
    for (i = 0; i < v->count; i++) {
        if (i)
            puts_(o, ", ");
        format_value(o, &v->items[i]);
    }
    puts_(o, close);
}

static void format_value(out *o, const ct__abi_value *v)
{
    char num[96];
    const ct__abi_type *t = v->type;
    if (v->hashed) {
        puts_(o, "<hash ");
        put_hex(o, v->data, 32);
        puts_(o, ">");
        return;
    }
    switch (t->kind) {
    case CT__ABI_UINT:
    case CT__ABI_INT:
        ct__u256_decimal(num, sizeof num, v->data, t->kind == CT__ABI_INT);
        puts_(o, num);
        break;
    case CT__ABI_ADDRESS: put_hex(o, v->data + 12, 20); break;
    case CT__ABI_BOOL: puts_(o, v->data[31] ? "true" : "false"); break;
    case CT__ABI_FIXED_BYTES: put_hex(o, v->data, t->size); break;
    case CT__ABI_FUNCTION: put_hex(o, v->data, 24); break;
    case CT__ABI_BYTES: put_hex(o, v->data, v->len); break;
    case CT__ABI_STRING: put_string(o, v->data, v->len); break;
    case CT__ABI_TUPLE: format_items(o, v, "(", ")"); break;
    default: format_items(o, v, "[", "]"); break;
    }
}

size_t ct__abi_format(char *buf, size_t cap, const ct__abi_value *v)
{
    out o = {buf, cap, 0};
    if (cap)
        buf[0] = '\0';
    format_value(&o, v);
    return o.len;
}

size_t ct__abi_format_named(char *buf, size_t cap, const ct__abi_value *tuple)
{
    out o = {buf, cap, 0};
    size_t i;
    if (cap)
        buf[0] = '\0';
    for (i = 0; i < tuple->count; i++) {
        const char *name = tuple->type->names ? tuple->type->names[i] : "";
        if (i)
            puts_(&o, ", ");
        if (name && *name) {
            puts_(&o, name);
            puts_(&o, "=");
        }
        format_value(&o, &tuple->items[i]);
    }
    return o.len;
}

const char *ct__abi_panic_meaning(uint64_t code)
{
    switch (code) {
    case 0x00: return "generic compiler panic";
    case 0x01: return "assert(false)";
    case 0x11: return "arithmetic overflow or underflow";
    case 0x12: return "division or modulo by zero";
    case 0x21: return "invalid enum conversion";
    case 0x22: return "corrupt storage byte array encoding";
    case 0x31: return "pop() on an empty array";
    case 0x32: return "array index out of bounds";
    case 0x41: return "too much memory allocated or array too large";
    case 0x51: return "call to a zero-initialized internal function";
    default: return NULL;
    }
}
