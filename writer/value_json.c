/*
 * ValueRecord as serde_json writes it: internally tagged ("kind" first), then the fields in
 * Rust declaration order, compact. Values reaching here have passed ct__value_check, so every
 * choice left is the profile's (the Float encoding). No tree is built: bytes go straight to
 * the sink.
 */
#include "float_format.h"
#include "writer_impl.h"

static void type_id_tail(ct__sink *s, ct_type_id id)
{
    CT__PUT(s, ",\"type_id\":");
    ct__sink_u64(s, id);
    ct__sink_putc(s, '}');
}

/* Leading zero bytes are dropped so that equal numbers encode equally, unless the bytes are
 * to be kept as given (re-emitting an existing trace). */
static const uint8_t *bigint_magnitude(const ct_value *v, bool verbatim, size_t *len)
{
    const uint8_t *b = v->as.bigint.bytes;
    size_t n = v->as.bigint.len;
    while (!verbatim && n > 0 && b[0] == 0) {
        b++;
        n--;
    }
    *len = n;
    return b;
}

/* Zero is never negative, except verbatim. */
static bool bigint_negative(const ct_value *v, bool verbatim, size_t len)
{
    return v->as.bigint.negative && (len > 0 || verbatim);
}

static void items_json(ct__sink *s, const ct_value *items, size_t n, ct__value_fmt p)
{
    size_t i;
    ct__sink_putc(s, '[');
    for (i = 0; i < n; i++) {
        if (i)
            ct__sink_putc(s, ',');
        ct__value_json(s, &items[i], p);
    }
    ct__sink_putc(s, ']');
}

/* the string field and type_id of String, Raw and Error, after their head */
static void text_tail(ct__sink *s, const ct_value *v)
{
    ct__sink_json_string(s, v->as.text.ptr ? v->as.text.ptr : "", v->as.text.len);
    type_id_tail(s, v->type_id);
}

/* 25.11 reads a number (serde_json/ryu layout); current reads a string (Rust Display). */
static void float_json(ct__sink *s, const ct_value *v, ct__value_fmt p)
{
    char buf[CT__FLOAT_BUF];
    size_t n;
    CT__PUT(s, "{\"kind\":\"Float\",\"f\":");
    if (p.profile == CT_PROFILE_CURRENT) {
        n = ct__float_display(v->as.f, buf);
        ct__sink_json_string(s, buf, n);
    } else {
        n = ct__float_json(v->as.f, buf);
        ct__sink_write(s, buf, n);
    }
    type_id_tail(s, v->type_id);
}

/* BigInt too large for the in-place path: base64 streamed in slices. */
static void bigint_json(ct__sink *s, const ct_value *v, bool verbatim)
{
    size_t len;
    const uint8_t *b = bigint_magnitude(v, verbatim, &len);
    CT__PUT(s, "{\"kind\":\"BigInt\",\"b\":\"");
    ct__base64_json(s, b, len);
    if (bigint_negative(v, verbatim, len))
        CT__PUT(s, "\",\"negative\":true");
    else
        CT__PUT(s, "\",\"negative\":false");
    type_id_tail(s, v->type_id);
}

static void char_json(ct__sink *s, const ct_value *v)
{
    uint32_t c = v->as.ch;
    char u[4];
    size_t n;
    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xc0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3f));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xe0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        u[2] = (char)(0x80 | (c & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | (c >> 18));
        u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
        u[3] = (char)(0x80 | (c & 0x3f));
        n = 4;
    }
    CT__PUT(s, "{\"kind\":\"Char\",\"c\":");
    ct__sink_json_string(s, u, n);
    type_id_tail(s, v->type_id);
}

static void sequence_json(ct__sink *s, const ct_value *v, ct__value_fmt p)
{
    CT__PUT(s, "{\"kind\":\"Sequence\",\"elements\":");
    items_json(s, v->as.seq.items, v->as.seq.count, p);
    if (v->as.seq.is_slice)
        CT__PUT(s, ",\"is_slice\":true");
    else
        CT__PUT(s, ",\"is_slice\":false");
    type_id_tail(s, v->type_id);
}

static void variant_json(ct__sink *s, const ct_value *v, ct__value_fmt p)
{
    ct_str d = v->as.variant.discriminator;
    CT__PUT(s, "{\"kind\":\"Variant\",\"discriminator\":");
    ct__sink_json_string(s, d.ptr ? d.ptr : "", d.len);
    CT__PUT(s, ",\"contents\":");
    ct__value_json(s, v->as.variant.contents, p);
    type_id_tail(s, v->type_id);
}

static void reference_json(ct__sink *s, const ct_value *v, ct__value_fmt p)
{
    CT__PUT(s, "{\"kind\":\"Reference\",\"dereferenced\":");
    ct__value_json(s, v->as.ref.dereferenced, p);
    CT__PUT(s, ",\"address\":");
    ct__sink_u64(s, v->as.ref.address);
    if (v->as.ref.is_mutable)
        CT__PUT(s, ",\"mutable\":true");
    else
        CT__PUT(s, ",\"mutable\":false");
    type_id_tail(s, v->type_id);
}

static size_t type_id_tail_inplace(char *o, ct_type_id id)
{
    char *start = o;
    CT__LIT(o, ",\"type_id\":");
    o += ct__fmt_u64(o, id);
    *o++ = '}';
    return (size_t)(o - start);
}

static size_t bigint_inplace(char *o, size_t room, const ct_value *v, bool verbatim)
{
    char *start = o;
    size_t len;
    const uint8_t *b = bigint_magnitude(v, verbatim, &len);
    if (72 + (len + 2) / 3 * 4 > room)
        return 0;
    CT__LIT(o, "{\"kind\":\"BigInt\",\"b\":\"");
    o += ct__base64_encode(o, b, len);
    if (bigint_negative(v, verbatim, len))
        CT__LIT(o, "\",\"negative\":true");
    else
        CT__LIT(o, "\",\"negative\":false");
    o += type_id_tail_inplace(o, v->type_id);
    return (size_t)(o - start);
}

size_t ct__value_json_inplace(char *o, size_t room, const ct_value *v, ct__value_fmt p)
{
    char *start = o;
    if (v->kind == CT_VALUE_BIGINT)
        return bigint_inplace(o, room, v, p.verbatim);
    if (room < 72)
        return 0;
    switch (v->kind) {
    case CT_VALUE_INT:
        CT__LIT(o, "{\"kind\":\"Int\",\"i\":");
        o += ct__fmt_i64(o, v->as.i);
        break;
    case CT_VALUE_BOOL:
        if (v->as.b)
            CT__LIT(o, "{\"kind\":\"Bool\",\"b\":true");
        else
            CT__LIT(o, "{\"kind\":\"Bool\",\"b\":false");
        break;
    case CT_VALUE_NONE: CT__LIT(o, "{\"kind\":\"None\""); break;
    default: return 0;
    }
    o += type_id_tail_inplace(o, v->type_id);
    return (size_t)(o - start);
}

void ct__value_json(ct__sink *s, const ct_value *v, ct__value_fmt p)
{
    char *o = ct__sink_reserve(s, 256);
    size_t n = o ? ct__value_json_inplace(o, 256, v, p) : 0;
    if (n > 0) {
        ct__sink_advance(s, n);
        return;
    }
    switch (v->kind) {
    case CT_VALUE_INT:
        CT__PUT(s, "{\"kind\":\"Int\",\"i\":");
        ct__sink_i64(s, v->as.i);
        break;
    case CT_VALUE_FLOAT: float_json(s, v, p); return;
    case CT_VALUE_BOOL:
        if (v->as.b)
            CT__PUT(s, "{\"kind\":\"Bool\",\"b\":true");
        else
            CT__PUT(s, "{\"kind\":\"Bool\",\"b\":false");
        break;
    case CT_VALUE_STRING: CT__PUT(s, "{\"kind\":\"String\",\"text\":");
        text_tail(s, v);
        return;
    case CT_VALUE_SEQUENCE: sequence_json(s, v, p); return;
    case CT_VALUE_TUPLE:
        CT__PUT(s, "{\"kind\":\"Tuple\",\"elements\":");
        items_json(s, v->as.seq.items, v->as.seq.count, p);
        break;
    case CT_VALUE_STRUCT:
        CT__PUT(s, "{\"kind\":\"Struct\",\"field_values\":");
        items_json(s, v->as.seq.items, v->as.seq.count, p);
        break;
    case CT_VALUE_VARIANT: variant_json(s, v, p); return;
    case CT_VALUE_REFERENCE: reference_json(s, v, p); return;
    case CT_VALUE_RAW: CT__PUT(s, "{\"kind\":\"Raw\",\"r\":");
        text_tail(s, v);
        return;
    case CT_VALUE_ERROR: CT__PUT(s, "{\"kind\":\"Error\",\"msg\":");
        text_tail(s, v);
        return;
    case CT_VALUE_NONE: CT__PUT(s, "{\"kind\":\"None\""); break;
    case CT_VALUE_CELL:
        CT__PUT(s, "{\"kind\":\"Cell\",\"place\":");
        ct__sink_i64(s, v->as.place);
        ct__sink_putc(s, '}');
        return;
    case CT_VALUE_BIGINT: bigint_json(s, v, p.verbatim); return;
    case CT_VALUE_CHAR: char_json(s, v); return;
    }
    type_id_tail(s, v->type_id);
}

void ct__args_json(ct__sink *s, const ct_arg *args, size_t nargs, ct__value_fmt p)
{
    size_t i;
    ct__sink_putc(s, '[');
    for (i = 0; i < nargs; i++) {
        if (i)
            ct__sink_putc(s, ',');
        CT__PUT(s, "{\"variable_id\":");
        ct__sink_u64(s, args[i].variable_id);
        CT__PUT(s, ",\"value\":");
        ct__value_json(s, &args[i].value, p);
        ct__sink_putc(s, '}');
    }
    ct__sink_putc(s, ']');
}
