/*
 * Everything that can be wrong with a ValueRecord, checked before its event is written: kinds
 * the profile cannot carry, unregistered type ids, strings (NULL, UTF-8 policy), Struct values
 * that do not match their type, Cells outside CompoundValue, runaway nesting. A failure names
 * the value's place as a JSON path ("Value.value.elements[2].contents"). Checking allocates
 * nothing: the path is a stack of (field, index) pairs rendered only on failure.
 */
#include "writer_impl.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct trail_item {
    const char *field;
    size_t index;      /* SIZE_MAX when the field is not an array element */
} trail_item;

typedef struct checker {
    ct_writer *w;
    const char *what;
    size_t arg;        /* Call argument index, or SIZE_MAX */
    ct__value_ctx ctx;
    size_t depth;
    trail_item trail[CT__VALUE_MAX_DEPTH + 1];
} checker;

static ct_status fail(checker *c, ct_status code, const char *fmt, ...) CT__PRINTF(3, 4);

static ct_status fail(checker *c, ct_status code, const char *fmt, ...)
{
    char where[256], msg[256];
    size_t used, i;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->arg == SIZE_MAX)
        used = (size_t)snprintf(where, sizeof where, "%s", c->what);
    else
        used = (size_t)snprintf(where, sizeof where, "Call.args[%zu].value", c->arg);
    for (i = 0; i < c->depth && used < sizeof where; i++) {
        const trail_item *t = &c->trail[i];
        if (t->index == SIZE_MAX)
            used += (size_t)snprintf(where + used, sizeof where - used, ".%s", t->field);
        else
            used += (size_t)snprintf(where + used, sizeof where - used, ".%s[%zu]", t->field,
                                     t->index);
    }
    return ct__writer_fail(c->w, code, "%s: %s", where, msg);
}

static ct_status check_value(checker *c, const ct_value *v);

static ct_status check_child(checker *c, const ct_value *v, const char *field, size_t index)
{
    ct_status rc;
    if (c->depth >= CT__VALUE_MAX_DEPTH)
        return fail(c, CT_EINVAL, "values nest deeper than %d levels", CT__VALUE_MAX_DEPTH);
    c->trail[c->depth].field = field;
    c->trail[c->depth].index = index;
    c->depth++;
    rc = check_value(c, v);
    c->depth--;
    return rc;
}

static ct_status check_text(checker *c, ct_str s, const char *field)
{
    if (!s.ptr && s.len > 0)
        return fail(c, CT_EINVAL, "%s is NULL with length %zu", field, s.len);
    if (c->w->utf8 == CT_UTF8_REFUSE && s.len > 0 && !ct__utf8_valid(s.ptr, s.len))
        return fail(c, CT_EINVAL, "%s is not valid UTF-8 (options.utf8 refuses it)", field);
    return CT_OK;
}

static ct_status check_type_id(checker *c, const ct_value *v)
{
    if (v->type_id < c->w->ntypes)
        return CT_OK;
    return fail(c, CT_EINVAL, "type id %llu is not registered (%llu registered)",
                (unsigned long long)v->type_id, (unsigned long long)c->w->ntypes);
}

static ct_status check_struct_type(checker *c, const ct_value *v)
{
    const ct__type_info *t = &c->w->types[v->type_id];
    if (c->w->order != CT_ORDER_STRICT)
        return CT_OK;
    if (t->info != CT__INFO_STRUCT)
        return fail(c, CT_EINVAL, "Struct value of type %llu, which has no struct fields "
                    "(register it with ct_writer_struct_type_id)",
                    (unsigned long long)v->type_id);
    if (t->nfields != v->as.seq.count)
        return fail(c, CT_EINVAL, "Struct value has %zu field values, its type %llu has %zu "
                    "fields", v->as.seq.count, (unsigned long long)v->type_id, t->nfields);
    return CT_OK;
}

static ct_status check_items(checker *c, const ct_value *v, const char *field)
{
    size_t i;
    if (!v->as.seq.items && v->as.seq.count > 0)
        return fail(c, CT_EINVAL, "%s is NULL with count %zu", field, v->as.seq.count);
    if (v->kind == CT_VALUE_STRUCT)
        CT_TRY(check_struct_type(c, v));
    for (i = 0; i < v->as.seq.count; i++)
        CT_TRY(check_child(c, &v->as.seq.items[i], field, i));
    return CT_OK;
}

static ct_status check_float(checker *c, const ct_value *v)
{
    if (c->w->profile == CT_PROFILE_PORTABLE)
        return fail(c, CT_EUNSUPPORTED, "Float cannot be carried by the portable profile "
                    "(CodeTracer 25.11 reads a number, current CodeTracer a string); choose "
                    "CT_PROFILE_CODETRACER_25_11 or CT_PROFILE_CURRENT");
    if (c->w->profile == CT_PROFILE_CODETRACER_25_11 && !isfinite(v->as.f))
        return fail(c, CT_EUNSUPPORTED, "non-finite Float cannot be carried by the "
                    "codetracer-25.11 profile (a JSON number; serde_json writes null, which "
                    "does not load)");
    return CT_OK;
}

static ct_status check_char(checker *c, const ct_value *v)
{
    uint32_t ch = v->as.ch;
    if (c->w->profile != CT_PROFILE_CURRENT)
        return fail(c, CT_EUNSUPPORTED, "Char cannot be carried by the %s profile (trace "
                    "types 0.16.3+ only); choose CT_PROFILE_CURRENT or a String value",
                    ct__profile_name(c->w->profile));
    if (ch > 0x10ffff || (ch >= 0xd800 && ch <= 0xdfff))
        return fail(c, CT_EINVAL, "Char U+%04X is not a Unicode scalar value", (unsigned)ch);
    return CT_OK;
}

static ct_status check_variant(checker *c, const ct_value *v)
{
    if (c->w->profile == CT_PROFILE_PORTABLE)
        return fail(c, CT_EUNSUPPORTED, "Variant cannot be carried by the portable profile "
                    "(CodeTracer 25.11 panics displaying it); choose CT_PROFILE_CURRENT");
    CT_TRY(check_text(c, v->as.variant.discriminator, "discriminator"));
    return check_child(c, v->as.variant.contents, "contents", SIZE_MAX);
}

static ct_status check_cell(checker *c)
{
    if (c->w->order == CT_ORDER_STRICT && c->ctx != CT__VALUE_COMPOUND)
        return fail(c, CT_EINVAL, "Cell value outside CompoundValue (no loader can display "
                    "it)");
    return CT_OK;
}

static ct_status check_value(checker *c, const ct_value *v)
{
    if (!v)
        return fail(c, CT_EINVAL, "value is NULL");
    if (v->kind == CT_VALUE_CELL)
        return check_cell(c);
    if ((unsigned)v->kind > CT_VALUE_CHAR)
        return fail(c, CT_EINVAL, "unknown value kind %d", (int)v->kind);
    CT_TRY(check_type_id(c, v));
    switch (v->kind) {
    case CT_VALUE_FLOAT: return check_float(c, v);
    case CT_VALUE_STRING: return check_text(c, v->as.text, "text");
    case CT_VALUE_RAW: return check_text(c, v->as.text, "r");
    case CT_VALUE_ERROR: return check_text(c, v->as.text, "msg");
    case CT_VALUE_SEQUENCE:
    case CT_VALUE_TUPLE: return check_items(c, v, "elements");
    case CT_VALUE_STRUCT: return check_items(c, v, "field_values");
    case CT_VALUE_VARIANT: return check_variant(c, v);
    case CT_VALUE_REFERENCE: return check_child(c, v->as.ref.dereferenced, "dereferenced",
                                                SIZE_MAX);
    case CT_VALUE_BIGINT:
        if (!v->as.bigint.bytes && v->as.bigint.len > 0)
            return fail(c, CT_EINVAL, "BigInt bytes are NULL with length %zu",
                        v->as.bigint.len);
        return CT_OK;
    case CT_VALUE_CHAR: return check_char(c, v);
    default: return CT_OK;   /* Int, Bool, None */
    }
}

ct_status ct__value_check(ct_writer *w, const ct_value *v, ct__value_ctx ctx, const char *what)
{
    checker c;
    c.w = w;
    c.what = what;
    c.arg = SIZE_MAX;
    c.ctx = ctx;
    c.depth = 0;
    return check_value(&c, v);
}

ct_status ct__value_check_arg(ct_writer *w, const ct_value *v, size_t index)
{
    checker c;
    c.w = w;
    c.what = "Call.args";
    c.arg = index;
    c.ctx = CT__VALUE_PLAIN;
    c.depth = 0;
    return check_value(&c, v);
}
