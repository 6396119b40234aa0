/*
 * ctrecord: the helper API for instrumenting interpreters (in the spirit of runtime_tracing's
 * Tracer), a thin layer over ct_writer.
 *
 * What it adds to ct_writer: paths, functions and variables are named by strings and interned
 * on first use; call arguments are staged one by one with ct_tracer_arg() and consumed by the
 * next ct_tracer_call(); Int/Bool/String values come with their types registered on first use.
 * Everything else (the event order CodeTracer's loader needs, the temporary folder renamed into
 * place at the end) is the writer's.
 *
 * A minimal session (docs/helper-api.md, examples/helper_minimal.c):
 *
 *     ct_tracer *t;
 *     if (ct_tracer_open(&t, "trace-out", "prog.tl", NULL, 0, NULL, &err) < 0) ...
 *     ct_tracer_start(t, "/abs/prog.tl", 1);
 *     ct_tracer_step(t, "/abs/prog.tl", 3);
 *     ct_value five = ct_tracer_int_value(t, 5);
 *     ct_tracer_arg(t, "n", &five);
 *     ct_tracer_call(t, "fib", "/abs/prog.tl", 1);      -> Value n, Step fib:1, Call fib(n)
 *     ...
 *     ct_tracer_return(t, &result);
 *     if (ct_tracer_finish(t, &err) < 0) ...             -> the one place to check
 *
 * Errors are sticky, as in the writer: after the first failure every call returns the same
 * status without doing work, ct_tracer_error() holds the detail, and ct_tracer_finish() reports
 * it and leaves no trace folder. An interpreter may ignore every per-event result.
 *
 * Ownership: strings and values passed in are consumed during the call, including the value
 * given to ct_tracer_arg() (it is copied until the next ct_tracer_call()). Values returned by the
 * value makers borrow only what the caller passed them (a string maker's text).
 *
 * A tracer is not thread-safe; distinct tracers may be used on distinct threads.
 */
#ifndef CTRECORD_TRACER_H
#define CTRECORD_TRACER_H

#include "common.h"
#include "value.h"
#include "writer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_tracer ct_tracer;

/**
 * Start a trace that will appear at `dir` when finished.
 * @param[out] out  the tracer, owned by the caller until ct_tracer_finish()/ct_tracer_abort();
 *                  NULL on failure
 * @param dir       the trace folder to create
 * @param program   trace_metadata.json "program" (e.g. the script being run); NULL = opts'
 * @param args      trace_metadata.json "args" (`nargs` strings); NULL = opts'
 * @param opts      writer options (profile, allocator, overwrite, ...); NULL = the defaults.
 *                  Copied; need not outlive the call. Its allocator is used for the tracer too.
 * @return CT_OK, CT_EINVAL (bad argument, or `dir` exists without opts->overwrite), CT_EIO,
 *         CT_ENOMEM
 */
CT_EXTERN(ct_status) ct_tracer_open(ct_tracer **out, const char *dir, const char *program,
                                    const char *const *args, size_t nargs,
                                    const ct_writer_options *opts,
                                    ct_error *err) CT_WARN_UNUSED_RESULT;

/**
 * Finish the trace (ct_writer_close()) and free `t` in every case. When an earlier call failed,
 * or closing fails, nothing appears at `dir` and the first failure is returned and copied to
 * `err` (may be NULL). Open calls are left open: an interpreter that stops on an error keeps
 * the stack of the failure, and an Error event stays the last event.
 * @return CT_OK or the first failure of the tracer's life
 */
CT_EXTERN(ct_status) ct_tracer_finish(ct_tracer *t, ct_error *err);

/** Drop the trace: remove its temporary folder and free `t`. NULL is a no-op. */
CT_EXTERN(void) ct_tracer_abort(ct_tracer *t);

/** The first failure (code CT_OK while there is none); borrowed, valid until `t` is freed.
 * NULL for a NULL `t`. */
CT_EXTERN(const ct_error *) ct_tracer_error(const ct_tracer *t);

/**
 * The underlying writer, for events this API does not wrap (structs, asm of other shapes...).
 * Borrowed: valid until ct_tracer_finish()/ct_tracer_abort(); never close or abort it yourself.
 * A writer failure is still reported by ct_tracer_finish(). NULL for a NULL `t`.
 */
CT_EXTERN(ct_writer *) ct_tracer_writer(ct_tracer *t);

/*
 * Every ct_status call below returns CT_OK or the tracer's sticky failure: CT_EINVAL for a NULL
 * tracer, out-parameter, name, path or value where one is required, an unknown id or a call out
 * of order; CT_EUNSUPPORTED, CT_EIO, CT_ENOMEM from the writer. Strings and values passed in
 * are read during the call only.
 */

/* ---- the program's start and its lines ----------------------------------------------------- */

/** Emit Path, Function "<toplevel>" at (path, line), its Call, Type None. Must come first. */
CT_EXTERN(ct_status) ct_tracer_start(ct_tracer *t, const char *path, int64_t line);

/** A source line was entered: Step (and Path the first time `path` is seen). Lines are 1-based. */
CT_EXTERN(ct_status) ct_tracer_step(ct_tracer *t, const char *path, int64_t line);

/* ---- interning (the definition event is emitted on first use; ids are dense) -------------- */

/** The id of `path` in `*out`. @return CT_OK; CT_EINVAL (NULL out or path) */
CT_EXTERN(ct_status) ct_tracer_path_id(ct_path_id *out, ct_tracer *t, const char *path);
/** The id of a function in `*out`. Functions are keyed by (name, path, line), as in the writer.
 * @return CT_OK; CT_EINVAL */
CT_EXTERN(ct_status) ct_tracer_function_id(ct_function_id *out, ct_tracer *t, const char *name,
                                           const char *path, int64_t line);
/** The id of a type in `*out`. Types are keyed by (kind, lang_type). @return CT_OK; CT_EINVAL */
CT_EXTERN(ct_status) ct_tracer_type_id(ct_type_id *out, ct_tracer *t, ct_type_kind kind,
                                       const char *lang_type);
/** The id of variable name `name` in `*out`. @return CT_OK; CT_EINVAL */
CT_EXTERN(ct_status) ct_tracer_variable_id(ct_variable_id *out, ct_tracer *t, const char *name);

/* ---- calls ---------------------------------------------------------------------------------- */

/**
 * Stage a named argument of the next call: emits VariableName on first use of `name` and keeps
 * a deep copy of `*v` (strings, elements...) until that call, so `v` need not outlive this call.
 */
CT_EXTERN(ct_status) ct_tracer_arg(ct_tracer *t, const char *name, const ct_value *v);

/**
 * Enter function `name` defined at (path, line) with the staged arguments, then clear them.
 * Emits (Path, Function on first use), one Value per argument, a Step at the function's line,
 * and the Call, which is the order CodeTracer's loader expects for a non-toplevel call.
 */
CT_EXTERN(ct_status) ct_tracer_call(ct_tracer *t, const char *name, const char *path,
                                    int64_t line);

/** Same as ct_tracer_call() for a function interned beforehand with ct_tracer_function_id(). */
CT_EXTERN(ct_status) ct_tracer_call_id(ct_tracer *t, ct_function_id function);

/** Leave the innermost call with value `*v` (NULL = None). More Returns than Calls: CT_EINVAL. */
CT_EXTERN(ct_status) ct_tracer_return(ct_tracer *t, const ct_value *v);

/* ---- values and events of the current step ------------------------------------------------- */

/**
 * The value of variable `name` at the current step (VariableName on first use, then Value).
 * CodeTracer shows exactly the values emitted after a Step as that step's locals, so emit
 * every visible variable after every Step.
 */
CT_EXTERN(ct_status) ct_tracer_variable(ct_tracer *t, const char *name, const ct_value *v);

/** Same for a variable interned beforehand with ct_tracer_variable_id(). */
CT_EXTERN(ct_status) ct_tracer_value(ct_tracer *t, ct_variable_id variable, const ct_value *v);

/**
 * A special event at the current step: program output (CT_EVENT_WRITE with the text written),
 * an error (CT_EVENT_ERROR; as the last event of the trace CodeTracer shows it as "end of
 * program: error: <content>"), ... `metadata` NULL = "".
 */
CT_EXTERN(ct_status) ct_tracer_event(ct_tracer *t, ct_event_kind kind, const char *metadata,
                                     const char *content);

/** Instructions (one string each) attached to the current step; needs a Step before. */
CT_EXTERN(ct_status) ct_tracer_asm(ct_tracer *t, const char *const *lines, size_t nlines);

/* ---- value makers (register the type on first use; never allocate per value) ---------------- */

/*
 * Each returns a value of the named type: "Int" (TypeKind Int), "Bool" (Bool), "String"
 * (String). If registering the type fails, the failure becomes the tracer's sticky error and
 * the value carries CT_NONE_TYPE_ID (the trace is then never finished as valid); a NULL tracer
 * gives such a value too. The string makers borrow `s`: it must outlive the use of the returned
 * value.
 */
CT_EXTERN(ct_value) ct_tracer_int_value(ct_tracer *t, int64_t i);
CT_EXTERN(ct_value) ct_tracer_bool_value(ct_tracer *t, bool b);
CT_EXTERN(ct_value) ct_tracer_string_value(ct_tracer *t, const char *s);
CT_EXTERN(ct_value) ct_tracer_string_value_n(ct_tracer *t, const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
