/*
 * Internals of ct_validate_dir, shared by writer/validate*.c. One ct__vstate lives for one
 * validation; everything that grows (the number-literal table, the files/ path buffer) is reused
 * from event to event, so memory stays bounded by the largest event, not the trace.
 */
#ifndef CT_VALIDATE_IMPL_H
#define CT_VALIDATE_IMPL_H

#include <cjson/cJSON.h>

#include <ctrecord/validate.h>

#include "util/error.h"

/*
 * serde_json refuses a document nested 128 containers deep (de.rs: remaining_depth 128,
 * check_recursion!), so with the trace array taking one level an event may nest 126 deep.
 */
#define CT__SERDE_MAX_EVENT_DEPTH 126u

/* Profile bits: which profiles carry an event, a value kind or an optional field. */
#define CT__P_PORTABLE 1u
#define CT__P_25_11 2u
#define CT__P_CURRENT 4u
#define CT__P_ALL 7u

/* What a JSON node must be (ct__vcheck). */
enum ct__vtype {
    CT__V_U64, CT__V_I64, CT__V_STR, CT__V_BOOL,
    CT__V_PATH_ID, CT__V_FUNCTION_ID, CT__V_TYPE_ID, CT__V_VARIABLE_ID,
    CT__V_VALUE, CT__V_VALUES, CT__V_ARGS, CT__V_STRS, CT__V_VARIABLE_IDS,
    CT__V_TYPE_KIND, CT__V_EVENT_KIND, CT__V_SPECIFIC_INFO, CT__V_RVALUE, CT__V_PASS_BY,
    CT__V_FLOAT, CT__V_BASE64, CT__V_CHAR, CT__V_COMPOUND,
    CT__V_FULL_VALUE,   /* {variable_id, value}: a call argument */
    CT__V_RECORD        /* a nested record: ct__vcheck_record only requires it */
};

/* One key of a record: its type, and the profiles in which it may be absent. */
typedef struct ct__vfield {
    const char *key;
    unsigned char type;
    unsigned char optional_in;
} ct__vfield;

/* Byte span of one number literal inside the current event's text. */
typedef struct ct__vnum {
    uint32_t start;
    uint32_t len;
} ct__vnum;

typedef struct ct__vstate {
    ct_validate_options opts;
    unsigned profile_bit;
    ct_validate_report *report;
    ct_error *err;
    const char *dir;

    /* the event being checked */
    uint64_t index;
    const char *name;
    uint64_t offset;          /* byte offset of the event in trace.json */
    const char *text;         /* the event's bytes (number literals are read from here) */
    ct__vnum *nums;
    size_t nnums, nums_cap;
    uint32_t event_depth;     /* containers nested in the event, the event object being 1 */
    char where[256];          /* JSON path inside the event, for messages */
    size_t where_len;

    /* definitions and nesting so far */
    uint64_t paths, functions, types, variables;
    uint64_t depth, steps, calls;
    bool start_done;          /* canonical-start check finished (passed or warned) */

    /* trace_paths.json (NULL when absent) and the files/ path buffer */
    cJSON *trace_paths;
    const cJSON *next_path;
    char *file_buf;
    size_t file_cap;
} ct__vstate;

/* Fail the current event: "trace.json: event N (Name): <where>: <message>". */
ct_status ct__vfail(ct__vstate *st, const char *fmt, ...) CT__PRINTF(2, 3);
/* Record a relaxed problem of the current event as a warning. */
void ct__vwarn(ct__vstate *st, const char *fmt, ...) CT__PRINTF(2, 3);
/* Extend the where-path by ".key" or "[i]"; restore with ct__vwhere_pop(st, saved). */
size_t ct__vwhere_key(ct__vstate *st, const char *key);
size_t ct__vwhere_index(ct__vstate *st, size_t i);
void ct__vwhere_pop(ct__vstate *st, size_t saved);

/* Index the number literals of the event text `text[0..len)` and tag each cJSON number of
 * `root` with its literal (cJSON keeps only a double, which cannot hold every u64/i64); sets
 * st->event_depth. */
ct_status ct__vnums_index(ct__vstate *st, const char *text, size_t len, cJSON *root);
/* Exact integer value of a number node; false when it is not an integer literal in range. */
bool ct__vnum_u64(const ct__vstate *st, const cJSON *n, uint64_t *out);
bool ct__vnum_i64(const ct__vstate *st, const cJSON *n, int64_t *out);

/* Shape checks (validate_shape.c, validate_value.c). */
ct_status ct__vcheck(ct__vstate *st, const cJSON *node, unsigned type);
ct_status ct__vcheck_record(ct__vstate *st, const cJSON *obj, const ct__vfield *fields,
                            size_t nfields, const char *tag_key);
ct_status ct__vcheck_value(ct__vstate *st, const cJSON *node, bool cell_ok);
ct_status ct__vcheck_rvalue(ct__vstate *st, const cJSON *node);
ct_status ct__vcheck_scalar(ct__vstate *st, const cJSON *node, unsigned type);
/* Float, BigInt bytes, Char and the CompoundValue payload (validate_value.c). */
ct_status ct__vcheck_value_field(ct__vstate *st, const cJSON *node, unsigned type);

/* One event: its shape for the profile, then the loader rules (validate_event.c). */
ct_status ct__vevent(ct__vstate *st, cJSON *event);
/* Loader rules of one well-formed event (validate_rules.c). */
ct_status ct__vrules(ct__vstate *st, ct_event_type type, const cJSON *payload);
/* After the last event. */
ct_status ct__vrules_end(ct__vstate *st);

/* trace.json, streamed (validate_stream.c). */
ct_status ct__vstream(ct__vstate *st, const char *path);
/* trace_metadata.json and trace_paths.json (validate_meta.c). */
ct_status ct__vmetadata(ct__vstate *st);
ct_status ct__vpaths_load(ct__vstate *st);
/* A Path event against trace_paths.json and files/ (validate_meta.c). */
ct_status ct__vpath_event(ct__vstate *st, const char *path);
ct_status ct__vpaths_end(ct__vstate *st);

#endif
