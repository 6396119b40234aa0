/*
 * ctrecord: values and types of the CodeTracer trace format.
 *
 * A ct_value is a tagged union that only borrows: strings, element arrays and byte arrays stay
 * owned by the caller and need only live for the duration of the ct_writer call that takes the
 * value. Building a value therefore never allocates.
 */
#ifndef CTRECORD_VALUE_H
#define CTRECORD_VALUE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t ct_path_id;
typedef uint64_t ct_function_id;
typedef uint64_t ct_type_id;
typedef uint64_t ct_variable_id;
typedef int64_t ct_place;
typedef uint64_t ct_thread_id;

/** The type id of the "None" type every trace registers first. (No cast: C++ users build with
 * -Wold-style-cast, and a cast inside a header's inline function would warn in their code.) */
#define CT_NONE_TYPE_ID UINT64_C(0)

/** CodeTracer TypeKind (serialized as its number). */
typedef enum ct_type_kind {
    CT_TYPE_SEQ = 0, CT_TYPE_SET = 1, CT_TYPE_HASH_SET = 2, CT_TYPE_ORDERED_SET = 3,
    CT_TYPE_ARRAY = 4, CT_TYPE_VARARGS = 5, CT_TYPE_STRUCT = 6, CT_TYPE_INT = 7,
    CT_TYPE_FLOAT = 8, CT_TYPE_STRING = 9, CT_TYPE_CSTRING = 10, CT_TYPE_CHAR = 11,
    CT_TYPE_BOOL = 12, CT_TYPE_LITERAL = 13, CT_TYPE_REF = 14, CT_TYPE_RECURSION = 15,
    CT_TYPE_RAW = 16, CT_TYPE_ENUM = 17, CT_TYPE_ENUM16 = 18, CT_TYPE_ENUM32 = 19,
    CT_TYPE_C = 20, CT_TYPE_TABLE_KIND = 21, CT_TYPE_UNION = 22, CT_TYPE_POINTER = 23,
    CT_TYPE_ERROR = 24, CT_TYPE_FUNCTION_KIND = 25, CT_TYPE_TYPE_VALUE = 26, CT_TYPE_TUPLE = 27,
    CT_TYPE_VARIANT = 28, CT_TYPE_HTML = 29, CT_TYPE_NONE = 30, CT_TYPE_NON_EXPANDED = 31,
    CT_TYPE_ANY = 32, CT_TYPE_SLICE = 33
} ct_type_kind;

/** One field of a Struct type. */
typedef struct ct_field {
    const char *name;
    ct_type_id type_id;
} ct_field;

/** CodeTracer EventLogKind (serialized as its number). */
typedef enum ct_event_kind {
    CT_EVENT_WRITE = 0, CT_EVENT_WRITE_FILE = 1, CT_EVENT_WRITE_OTHER = 2, CT_EVENT_READ = 3,
    CT_EVENT_READ_FILE = 4, CT_EVENT_READ_OTHER = 5, CT_EVENT_READ_DIR = 6,
    CT_EVENT_OPEN_DIR = 7, CT_EVENT_CLOSE_DIR = 8, CT_EVENT_SOCKET = 9, CT_EVENT_OPEN = 10,
    CT_EVENT_ERROR = 11, CT_EVENT_TRACE_LOG = 12, CT_EVENT_EVM = 13
} ct_event_kind;

typedef enum ct_value_kind {
    CT_VALUE_INT, CT_VALUE_FLOAT, CT_VALUE_BOOL, CT_VALUE_STRING, CT_VALUE_SEQUENCE,
    CT_VALUE_TUPLE, CT_VALUE_STRUCT, CT_VALUE_VARIANT, CT_VALUE_REFERENCE, CT_VALUE_RAW,
    CT_VALUE_ERROR, CT_VALUE_NONE, CT_VALUE_CELL, CT_VALUE_BIGINT, CT_VALUE_CHAR
} ct_value_kind;

/** A length-delimited UTF-8 string, borrowed. */
typedef struct ct_str {
    const char *ptr;
    size_t len;
} ct_str;

typedef struct ct_value ct_value;

/** A trace value. `type_id` is ignored for CT_VALUE_CELL, which has no type. */
struct ct_value {
    ct_value_kind kind;
    ct_type_id type_id;
    union {
        int64_t i;                 /* Int */
        double f;                  /* Float */
        bool b;                    /* Bool */
        ct_str text;               /* String text, Raw r, Error msg */
        struct {                   /* Sequence elements, Tuple elements, Struct field_values */
            const ct_value *items;
            size_t count;
            bool is_slice;         /* Sequence only */
        } seq;
        struct {
            ct_str discriminator;
            const ct_value *contents;
        } variant;
        struct {
            const ct_value *dereferenced;
            uint64_t address;
            bool is_mutable;
        } ref;
        struct {                   /* big-endian magnitude; the writer drops leading zero
                                    * bytes and the sign of zero (CT_ORDER_VERBATIM keeps them) */
            const uint8_t *bytes;
            size_t len;
            bool negative;
        } bigint;
        ct_place place;            /* Cell */
        uint32_t ch;               /* Char: a Unicode scalar value */
    } as;
};

/* Constructors: plain struct fills, no allocation. */
static inline ct_value ct_value_none(void)
{
    ct_value v; v.kind = CT_VALUE_NONE; v.type_id = CT_NONE_TYPE_ID; v.as.i = 0; return v;
}
static inline ct_value ct_value_int(ct_type_id type_id, int64_t i)
{
    ct_value v; v.kind = CT_VALUE_INT; v.type_id = type_id; v.as.i = i; return v;
}
static inline ct_value ct_value_float(ct_type_id type_id, double f)
{
    ct_value v; v.kind = CT_VALUE_FLOAT; v.type_id = type_id; v.as.f = f; return v;
}
static inline ct_value ct_value_bool(ct_type_id type_id, bool b)
{
    ct_value v; v.kind = CT_VALUE_BOOL; v.type_id = type_id; v.as.b = b; return v;
}
static inline ct_value ct_value_text(ct_value_kind kind, ct_type_id type_id, const char *s,
                                     size_t len)
{
    ct_value v; v.kind = kind; v.type_id = type_id; v.as.text.ptr = s; v.as.text.len = len;
    return v;
}
static inline ct_value ct_value_items(ct_value_kind kind, ct_type_id type_id,
                                      const ct_value *items, size_t count, bool is_slice)
{
    ct_value v; v.kind = kind; v.type_id = type_id; v.as.seq.items = items;
    v.as.seq.count = count; v.as.seq.is_slice = is_slice; return v;
}
static inline ct_value ct_value_bigint(ct_type_id type_id, const uint8_t *be, size_t len,
                                       bool negative)
{
    ct_value v; v.kind = CT_VALUE_BIGINT; v.type_id = type_id; v.as.bigint.bytes = be;
    v.as.bigint.len = len; v.as.bigint.negative = negative; return v;
}

/**
 * A BigInt from an EVM word. When `is_signed` the word is read as two's-complement int256 and
 * a negative number's magnitude is written to `scratch`; the returned value points into `word`
 * or `scratch`, so both must outlive its use. A negative word with `scratch` NULL gives a value
 * the writer refuses (CT_EINVAL), never a wrong number.
 */
CT_EXTERN(ct_value) ct_value_bigint_from_u256(ct_type_id type_id, const ct_u256 *word,
                                              bool is_signed, ct_u256 *scratch);

/**
 * A Raw value "0x..." from the `nbytes` low-order bytes of an EVM word (nbytes 1..32, e.g. 20
 * for an address; other counts are clamped to that range), written with leading zeros kept and
 * NUL-terminated into `buf`, which must outlive the value.
 */
CT_EXTERN(ct_value) ct_value_raw_from_u256(ct_type_id type_id, const ct_u256 *word,
                                           size_t nbytes, char buf[67]);

#ifdef __cplusplus
}
#endif
#endif
