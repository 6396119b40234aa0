/*
 * ctrecord: the streaming CodeTracer trace writer.
 *
 * A ct_writer writes one trace folder:
 *   trace.json           JSON array of events, streamed as they arrive (never held in memory)
 *   trace_metadata.json  {recording_id, workdir, program, args}
 *   trace_paths.json     the Path payloads in order
 *   files/<path>         a copy of every registered source (path without its leading '/')
 * It writes into a temporary sibling folder and renames it into place in ct_writer_close(), so an
 * aborted or failed recording never leaves a folder that looks complete.
 *
 * Ownership: every string and value passed in is consumed during the call; the writer copies what
 * it keeps (interned names) and never retains caller pointers.
 *
 * Errors are sticky: after the first failure every later call returns the same status without
 * doing work, and ct_writer_close() reports it. An instrumented program may therefore ignore the
 * result of each event call and check once at close.
 *
 * Ordering rules of CodeTracer's loader are kept by construction (CT_ORDER_STRICT, the default):
 * ct_writer_start() must come first and emits Path, Function "<toplevel>", Call, Type None;
 * Path/Function/Type/VariableName events are emitted on first use by the ct_writer_*_id calls;
 * a Value must use a registered type; Asm and cell events need a Step; more Returns than Calls is
 * an error. CT_ORDER_VERBATIM lifts the rules that real upstream traces do not follow, for tools
 * that re-emit an existing trace event by event.
 *
 * A writer is not thread-safe; distinct writers may be used on distinct threads.
 */
#ifndef CTRECORD_WRITER_H
#define CTRECORD_WRITER_H

#include "common.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_writer ct_writer;

/** Which CodeTracer version the trace must load in. */
typedef enum ct_profile {
    /* Default: only what both released CodeTracer 25.11 and current CodeTracer accept (no Float,
     * no Char, no Variant, no Thread events, no BindVariable/Assignment/DropVariables). */
    CT_PROFILE_PORTABLE = 0,
    /* CodeTracer 25.11.x (runtime_tracing 0.14.2): Float as a JSON number, Variant allowed. */
    CT_PROFILE_CODETRACER_25_11 = 1,
    /* Current CodeTracer (trace types 0.19): Float as a string, Char, Thread, Assignment. */
    CT_PROFILE_CURRENT = 2
} ct_profile;

typedef enum ct_order_mode {
    CT_ORDER_STRICT = 0,
    CT_ORDER_VERBATIM = 1
} ct_order_mode;

/** How invalid UTF-8 in caller strings is handled. */
typedef enum ct_utf8_mode {
    CT_UTF8_REPLACE = 0,   /* each invalid sequence becomes U+FFFD (default) */
    CT_UTF8_REFUSE = 1     /* the call fails with CT_EINVAL */
} ct_utf8_mode;

typedef struct ct_writer_options {
    unsigned int version;            /* CT_WRITER_OPTIONS_VERSION */
    ct_profile profile;
    ct_order_mode order;
    ct_utf8_mode utf8;
    const char *program;             /* trace_metadata.json "program"; NULL = "" */
    const char *const *args;         /* trace_metadata.json "args" */
    size_t nargs;
    const char *workdir;             /* NULL = the current directory; a relative one is
                                      * joined to it (written absolute, lexically clean) */
    /* Sources for files/: when git_repo is set, every registered path inside that repository's
     * work tree is read from the blob `<git_rev>:<path relative to the repository>` instead of
     * from disk (git_rev NULL = HEAD). Paths outside the repository are read from disk. */
    const char *git_repo;
    const char *git_rev;
    bool copy_sources;               /* copy registered paths into files/ at close (default on);
                                      * a path files/ cannot hold ("..") is then refused */
    bool overwrite;                  /* replace an existing trace folder at close */
    bool allow_drop_last_step;       /* expert opt-in: DropLastStep crashes every loader */
    const ct_allocator *allocator;   /* NULL = libc */
    /* Called during ct_writer_close() for each registered path whose source was found neither
     * on disk nor in git. Not an error: the trace loads without that file. `path` and `why`
     * (one line) are borrowed for the call. NULL = not reported. */
    void (*on_missing_source)(void *payload, const char *path, const char *why);
    void *missing_source_payload;
} ct_writer_options;

#define CT_WRITER_OPTIONS_VERSION 1

/** Fill `opts` with the defaults, `version` included (NULL: no-op). Call it before setting
 * fields, so that a program built against this header passes a version the library checks. */
CT_EXTERN(void) ct_writer_options_init(ct_writer_options *opts);

/**
 * Start a trace that will appear at `dir` when closed.
 * @param[out] out  the writer, owned by the caller until ct_writer_close()/ct_writer_abort();
 *                  NULL on failure
 * @param opts      NULL for the defaults; copied, need not outlive the call. A `version` other
 *                  than CT_WRITER_OPTIONS_VERSION is CT_EINVAL.
 * @param err       optional; filled on failure
 * @return CT_OK, CT_EINVAL (bad argument, or `dir` exists without `overwrite`), CT_EIO, CT_ENOMEM
 */
CT_EXTERN(ct_status) ct_writer_open(ct_writer **out, const char *dir,
                                    const ct_writer_options *opts,
                                    ct_error *err) CT_WARN_UNUSED_RESULT;

/**
 * Finish the trace: close trace.json, write trace_metadata.json and trace_paths.json, copy the
 * sources into files/, and rename the folder into place. Frees `w` in every case (`w` is
 * invalid after the call). On failure the temporary folder is removed and nothing appears at
 * `dir`.
 * @return CT_OK, the writer's first (sticky) failure, or the failure of closing (CT_EIO...),
 *         also copied to `err` (optional); CT_EINVAL for a NULL `w`
 */
CT_EXTERN(ct_status) ct_writer_close(ct_writer *w, ct_error *err);

/** Drop the trace: remove the temporary folder and free `w`. NULL is a no-op. */
CT_EXTERN(void) ct_writer_abort(ct_writer *w);

/** The detail of the writer's first failure (code CT_OK while there is none); borrowed, valid
 * until the writer is freed. NULL for a NULL `w`. */
CT_EXTERN(const ct_error *) ct_writer_error(const ct_writer *w);

/** Number of events written so far (0 for a NULL `w`). */
CT_EXTERN(uint64_t) ct_writer_event_count(const ct_writer *w);

/*
 * Every ct_status call below returns CT_OK, or an error that is also kept as the writer's sticky
 * failure (ct_writer_error()): CT_EINVAL for a NULL or unknown argument (an id never returned by
 * this writer, a NULL string, a NULL array with a non-zero count) or a call out of order,
 * CT_EUNSUPPORTED for an event the profile cannot carry, CT_EIO, CT_ENOMEM. Strings, arrays and
 * values passed in are only read during the call. A NULL `w` is CT_EINVAL.
 */

/* ---- start and interning (emit the definition event on first use) ---------------------- */

/** Emit Path, Function "<toplevel>" at (path, line), Call, Type None. Must be the first call
 * (in CT_ORDER_STRICT). docs/writer.md has the full rules and the JSON of every event.
 * @return CT_OK; CT_EINVAL (NULL path, called twice) */
CT_EXTERN(ct_status) ct_writer_start(ct_writer *w, const char *path, int64_t line);

/** The id of `path` in `*out`, emitting its Path event the first time. Ids are dense, from 0.
 * @return CT_OK; CT_EINVAL for a NULL `out` or `path` */
CT_EXTERN(ct_status) ct_writer_path_id(ct_path_id *out, ct_writer *w, const char *path);
/** The id of a function in `*out` (Function event on first use). Functions are keyed by
 * (name, path, line): same name elsewhere is another function. `path` must be an id of this
 * writer. @return CT_OK; CT_EINVAL */
CT_EXTERN(ct_status) ct_writer_function_id(ct_function_id *out, ct_writer *w, const char *name,
                                           ct_path_id path, int64_t line);
/** The id of a type in `*out` (Type event on first use). Types are keyed by (kind, lang_type).
 * @return CT_OK; CT_EINVAL (NULL out or lang_type, kind outside ct_type_kind) */
CT_EXTERN(ct_status) ct_writer_type_id(ct_type_id *out, ct_writer *w, ct_type_kind kind,
                                       const char *lang_type);
/** The id of a Struct type with `nfields` fields (names copied; field types must be ids of this
 * writer) in `*out` (Type event on first use). @return CT_OK; CT_EINVAL */
CT_EXTERN(ct_status) ct_writer_struct_type_id(ct_type_id *out, ct_writer *w,
                                              const char *lang_type, const ct_field *fields,
                                              size_t nfields);
/** The id of a Pointer type to `dereference_type_id` (an id of this writer) in `*out`.
 * @return CT_OK; CT_EINVAL */
CT_EXTERN(ct_status) ct_writer_pointer_type_id(ct_type_id *out, ct_writer *w,
                                               const char *lang_type,
                                               ct_type_id dereference_type_id);
/** The id of variable name `name` in `*out` (VariableName event on first use).
 * @return CT_OK; CT_EINVAL */
CT_EXTERN(ct_status) ct_writer_variable_id(ct_variable_id *out, ct_writer *w, const char *name);

/* ---- events -------------------------------------------------------------------------------- */

/** A Step to (path, line); `path` is an id of this writer. @return CT_OK; CT_EINVAL */
CT_EXTERN(ct_status) ct_writer_step(ct_writer *w, ct_path_id path, int64_t line);
/** The Value of `variable` at the current step. `*v` (and what it points to) is read during the
 * call only; its type ids must be registered. @return CT_OK; CT_EINVAL (NULL v, unknown ids, a
 * malformed value); CT_EUNSUPPORTED (a value kind the profile cannot carry) */
CT_EXTERN(ct_status) ct_writer_value(ct_writer *w, ct_variable_id variable, const ct_value *v);

/** An argument of a call: a variable and its value (FullValueRecord). */
typedef struct ct_arg {
    ct_variable_id variable_id;
    ct_value value;
} ct_arg;

/**
 * Enter `function`. For a non-toplevel function (id != 0) in CT_ORDER_STRICT this emits the
 * arguments' Values, a Step at the function's line, then the Call (the loader's convention);
 * CT_ORDER_VERBATIM emits only the Call. `args` (`nargs` of them) are read during the call only.
 * @return CT_OK; CT_EINVAL (unknown function, NULL args with nargs > 0, a bad argument value)
 */
CT_EXTERN(ct_status) ct_writer_call(ct_writer *w, ct_function_id function, const ct_arg *args,
                                    size_t nargs);
/** Leave the innermost call with `*v` (read during the call; NULL means None).
 * @return CT_OK; CT_EINVAL (more Returns than Calls, a bad value) */
CT_EXTERN(ct_status) ct_writer_return(ct_writer *w, const ct_value *v);
/** Number of calls currently open (the toplevel call counts; 0 for a NULL `w`). */
CT_EXTERN(uint64_t) ct_writer_call_depth(const ct_writer *w);
/** An Event (kind 0..13) at the current step. `metadata` NULL means ""; `content` is required.
 * @return CT_OK; CT_EINVAL (kind out of range, NULL content) */
CT_EXTERN(ct_status) ct_writer_event(ct_writer *w, ct_event_kind kind, const char *metadata,
                                     const char *content);
/** Instructions (`nlines` strings, none NULL) attached to the current step; needs a Step.
 * @return CT_OK; CT_EINVAL */
CT_EXTERN(ct_status) ct_writer_asm(ct_writer *w, const char *const *lines, size_t nlines);

/* ---- version-dependent events (refused when the profile cannot carry them) ----------------- */

typedef enum ct_pass_by { CT_PASS_BY_VALUE = 0, CT_PASS_BY_REFERENCE = 1 } ct_pass_by;

typedef enum ct_rvalue_kind {
    CT_RVALUE_SIMPLE, CT_RVALUE_COMPOUND, CT_RVALUE_LITERAL, CT_RVALUE_FIELD_ACCESS,
    CT_RVALUE_INDEX_ACCESS, CT_RVALUE_FUNCTION_RETURN
} ct_rvalue_kind;

typedef struct ct_rvalue {
    ct_rvalue_kind kind;
    ct_variable_id variable;                 /* Simple; receiver of Field/IndexAccess */
    const ct_variable_id *variables;         /* Compound */
    size_t nvariables;
    const char *field;                       /* FieldAccess */
    int64_t index;                           /* IndexAccess */
    uint64_t call_key;                       /* FunctionReturn */
} ct_rvalue;

/*
 * Each writes the event of the same name (docs/writer.md gives its JSON), reading the values,
 * rvalues and arrays passed in during the call only. Each returns CT_OK; CT_EUNSUPPORTED when
 * the writer's profile cannot carry the event (most need CT_PROFILE_CURRENT); CT_EINVAL for
 * unknown ids, a NULL value or rvalue, a NULL array with a non-zero count.
 */
CT_EXTERN(ct_status) ct_writer_bind_variable(ct_writer *w, ct_variable_id variable,
                                             ct_place place);
CT_EXTERN(ct_status) ct_writer_assignment(ct_writer *w, ct_variable_id to, ct_pass_by pass_by,
                                          const ct_rvalue *from);
CT_EXTERN(ct_status) ct_writer_drop_variables(ct_writer *w, const ct_variable_id *variables,
                                              size_t n);
CT_EXTERN(ct_status) ct_writer_compound_value(ct_writer *w, ct_place place, const ct_value *v);
CT_EXTERN(ct_status) ct_writer_cell_value(ct_writer *w, ct_place place, const ct_value *v);
CT_EXTERN(ct_status) ct_writer_assign_compound_item(ct_writer *w, ct_place place, uint64_t index,
                                                    ct_place item_place);
CT_EXTERN(ct_status) ct_writer_assign_cell(ct_writer *w, ct_place place, const ct_value *v);
CT_EXTERN(ct_status) ct_writer_variable_cell(ct_writer *w, ct_variable_id variable,
                                             ct_place place);
CT_EXTERN(ct_status) ct_writer_drop_variable(ct_writer *w, ct_variable_id variable);
CT_EXTERN(ct_status) ct_writer_thread_start(ct_writer *w, ct_thread_id thread);
CT_EXTERN(ct_status) ct_writer_thread_exit(ct_writer *w, ct_thread_id thread);
CT_EXTERN(ct_status) ct_writer_thread_switch(ct_writer *w, ct_thread_id thread);
/** DropLastStep. Only with options.allow_drop_last_step (every known CodeTracer loader panics on
 * it); otherwise CT_EUNSUPPORTED. @return CT_OK; CT_EUNSUPPORTED */
CT_EXTERN(ct_status) ct_writer_drop_last_step(ct_writer *w);

/* ---- verbatim registration (no dedup; for re-emitting existing traces) --------------------- */

/*
 * Each emits the definition event as given, without looking it up (the id it gets is the count
 * of earlier definitions of its kind). Strings and arrays are read during the call only. Each
 * returns CT_OK or CT_EINVAL (a NULL string, a NULL array with a non-zero count).
 */
CT_EXTERN(ct_status) ct_writer_register_path(ct_writer *w, const char *path);
CT_EXTERN(ct_status) ct_writer_register_function(ct_writer *w, const char *name, ct_path_id path,
                                                 int64_t line);
/** specific_info is Struct when `fields` is non-NULL (also with nfields 0), Pointer when
 * `dereference` is non-NULL, None otherwise. */
CT_EXTERN(ct_status) ct_writer_register_type(ct_writer *w, ct_type_kind kind,
                                             const char *lang_type, const ct_field *fields,
                                             size_t nfields, const ct_type_id *dereference);
/** `legacy` writes the backward-compatible "Variable" event instead of "VariableName". */
CT_EXTERN(ct_status) ct_writer_register_variable_name(ct_writer *w, const char *name,
                                                      bool legacy);
/** Emit a Call without the argument Values and Step (the raw event). */
CT_EXTERN(ct_status) ct_writer_register_call(ct_writer *w, ct_function_id function,
                                             const ct_arg *args, size_t nargs);

/* ---- sources for files/ -------------------------------------------------------------------- */

/**
 * Provide the content of a registered path instead of reading it at close (e.g. a source
 * embedded in compiler output). Written to files/ at once; not kept in memory, so `data` need
 * not outlive the call.
 * @return CT_OK; CT_EINVAL (unknown path, NULL data with len > 0); CT_EIO
 */
CT_EXTERN(ct_status) ct_writer_source(ct_writer *w, ct_path_id path, const void *data,
                                      size_t len);

#ifdef __cplusplus
}
#endif
#endif
