/*
 * ctrecord: check a CodeTracer trace folder the way CodeTracer's loader would read it.
 *
 * ct_validate_dir() reads trace.json one event at a time (bounded memory: one event is parsed at
 * a time, plus counters), checks every event's JSON shape for a writer profile (the same rules as
 * schema/trace.<profile>.schema.json), then the loader's ordering and reference rules, then
 * trace_metadata.json, trace_paths.json and the files/ copies. It stops at the FIRST problem and
 * reports it in one line that names the file and, for trace.json, the event index:
 *   "trace.json: event 12 (Value): value.type_id: 5 is not registered (5 Type events so far)"
 * docs/validate.md lists every rule and where it comes from.
 */
#ifndef CTRECORD_VALIDATE_H
#define CTRECORD_VALIDATE_H

#include "common.h"
#include "writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The event variants of trace.json, in the format's declaration order. */
typedef enum ct_event_type {
    CT_EV_STEP, CT_EV_PATH, CT_EV_VARIABLE_NAME, CT_EV_VARIABLE, CT_EV_TYPE, CT_EV_VALUE,
    CT_EV_FUNCTION, CT_EV_CALL, CT_EV_RETURN, CT_EV_EVENT, CT_EV_ASM, CT_EV_BIND_VARIABLE,
    CT_EV_ASSIGNMENT, CT_EV_DROP_VARIABLES, CT_EV_COMPOUND_VALUE, CT_EV_CELL_VALUE,
    CT_EV_ASSIGN_COMPOUND_ITEM, CT_EV_ASSIGN_CELL, CT_EV_VARIABLE_CELL, CT_EV_DROP_VARIABLE,
    CT_EV_THREAD_START, CT_EV_THREAD_EXIT, CT_EV_THREAD_SWITCH, CT_EV_DROP_LAST_STEP,
    CT_EV_COUNT
} ct_event_type;

/** The JSON name of an event type ("Step", "VariableName", ...); static; "?" when out of range. */
CT_EXTERN(const char *) ct_event_type_name(ct_event_type type);

/** Relaxations, for traces made by other recorders. The default (0) is what ctrecord writes. */
enum {
    /* The canonical start (Path, Function "<toplevel>", Call, Type None) is a warning, not an
     * error. Several upstream recorders start otherwise and CodeTracer still loads them. */
    CT_VALIDATE_LENIENT_START = 1u << 0,
    /* trace_metadata.json and trace_paths.json may be absent, and recording_id may be missing
     * (no upstream trace has one; CodeTracer 25.11 does not read it). */
    CT_VALIDATE_LENIENT_METADATA = 1u << 1,
    /* Do not require files/<path> for every Path (a trace written without its sources). */
    CT_VALIDATE_SKIP_FILES = 1u << 2,
    /* Ignore unknown keys inside event records, as CodeTracer's loader does (e.g. Ruby's
     * Step "column"). Unknown event names and value kinds stay errors. */
    CT_VALIDATE_ALLOW_UNKNOWN_FIELDS = 1u << 3,
    CT_VALIDATE_LENIENT = 0xfu
};

typedef struct ct_validate_options {
    unsigned int version;            /* CT_VALIDATE_OPTIONS_VERSION */
    ct_profile profile;              /* default CT_PROFILE_PORTABLE */
    unsigned int flags;              /* CT_VALIDATE_* relaxations; default 0 (strict) */
    const ct_allocator *allocator;   /* NULL = libc (cJSON trees use cJSON's own hooks) */
} ct_validate_options;

#define CT_VALIDATE_OPTIONS_VERSION 1

/** Fill `opts` with the defaults: portable, strict, `version` set (NULL: no-op). */
CT_EXTERN(void) ct_validate_options_init(ct_validate_options *opts);

/** What a valid trace contains. Filled as far as validation got, also on failure. */
typedef struct ct_validate_report {
    uint64_t events;                     /* elements of the trace.json array */
    uint64_t per_type[CT_EV_COUNT];      /* events of each type */
    uint64_t max_depth;                  /* deepest call nesting (the toplevel call is 1) */
    uint64_t open_calls;                 /* calls never returned (the toplevel may stay open) */
    uint64_t warnings;                   /* relaxed problems (see the flags) */
    char first_warning[512];             /* one line, like an error message; "" when none */
} ct_validate_report;

/**
 * Validate the trace folder `dir` (trace.json, trace_metadata.json, trace_paths.json, files/).
 * @param[out] report  optional; zeroed first, then filled (see ct_validate_report)
 * @param opts         NULL for the defaults; read during the call only
 * @param err          optional; the first problem, one line
 * @return CT_OK when the trace is valid; CT_EPARSE for an invalid trace (malformed JSON, a rule
 *         broken, a required file missing); CT_EIO when a file exists but cannot be read;
 *         CT_ENOMEM; CT_EINVAL for bad arguments
 */
CT_EXTERN(ct_status) ct_validate_dir(ct_validate_report *report, const char *dir,
                                     const ct_validate_options *opts, ct_error *err);

#ifdef __cplusplus
}
#endif
#endif
