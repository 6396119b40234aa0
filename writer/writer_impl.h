/*
 * The writer's state, shared by the writer_*.c files and nothing else. One struct, one owner:
 * the public ct_writer handle. Memory held here grows with distinct interned names only; the
 * events themselves go straight to the trace.json sink.
 */
#ifndef CT_WRITER_IMPL_H
#define CT_WRITER_IMPL_H

#include <ctrecord/writer.h>

#include <string.h>

#include "intern.h"
#include "trace_dir.h"
#include "util/error.h"
#include "util/sink.h"

/** Write a string literal (its length counted by the compiler). */
#define CT__PUT(s, lit) ct__sink_write((s), "" lit, sizeof(lit) - 1)

/** Copy a string literal to `o` and move `o` past it (in-place formatting). */
#define CT__LIT(o, lit) (memcpy((o), "" lit, sizeof(lit) - 1), (o) += sizeof(lit) - 1)

/** Values nest at most this deep (a guard against cyclic caller data). */
#define CT__VALUE_MAX_DEPTH 256

typedef struct ct__function_info {
    ct_path_id path_id;
    int64_t line;
} ct__function_info;

/* What a later Value needs to know about its type. */
typedef enum ct__type_info_kind { CT__INFO_NONE, CT__INFO_STRUCT, CT__INFO_POINTER } ct__type_info_kind;

typedef struct ct__type_info {
    uint8_t kind;         /* ct_type_kind */
    uint8_t info;         /* ct__type_info_kind */
    size_t nfields;       /* Struct */
} ct__type_info;

struct ct_writer {
    ct_allocator alloc;
    ct_profile profile;
    ct_order_mode order;
    ct_utf8_mode utf8;
    bool copy_sources;
    bool allow_drop_last_step;
    char *program;            /* owned copies of the options' strings (NULL when absent) */
    char **args;
    size_t nargs;
    char *workdir;
    char *git_repo;
    char *git_rev;
    void (*on_missing_source)(void *payload, const char *path, const char *why);
    void *missing_source_payload;

    ct__trace_dir *dir;
    ct__sink *out;            /* trace.json */
    ct_error err;             /* sticky: err.code < 0 after the first failure */

    uint64_t events;
    uint64_t steps;
    uint64_t compound_values;
    uint64_t depth;           /* open calls */
    bool started;

    ct__intern path_index;
    ct__intern function_index;
    ct__intern type_index;
    ct__intern variable_index;
    char **paths;             /* by path id; owned; also trace_paths.json */
    size_t npaths, paths_cap;
    ct__function_info *functions;
    size_t nfunctions, functions_cap;
    ct__type_info *types;
    size_t ntypes, types_cap;
    uint64_t nvariables;
    unsigned char *scratch;   /* composite interning keys; grows to the largest, reused */
    size_t scratch_cap;
};

/* ---- writer.c: state checks and the sticky error --------------------------------------- */

/** Record the first failure (formatted message prefixed with the event index) and return it. */
ct_status ct__writer_fail(ct_writer *w, ct_status code, const char *fmt, ...) CT__PRINTF(3, 4);
/** The status to return after writing: the sink's first error becomes the writer's. */
ct_status ct__writer_sink_status(ct_writer *w);
/** CT_OK, or the sticky status; in STRICT mode also refuses events before ct_writer_start. */
ct_status ct__writer_ready(ct_writer *w, const char *what);
/** Check an id against the number registered. */
ct_status ct__writer_check_path(ct_writer *w, ct_path_id id, const char *what);
ct_status ct__writer_check_variable(ct_writer *w, ct_variable_id id, const char *what);
ct_status ct__writer_check_function(ct_writer *w, ct_function_id id, const char *what);
ct_status ct__writer_check_type(ct_writer *w, ct_type_id id, const char *what);
/** A caller string: NULL is refused, invalid UTF-8 per the utf8 option. */
ct_status ct__writer_check_text(ct_writer *w, const char *s, size_t len, const char *what);
/** A refusal by profile: CT_EUNSUPPORTED naming the profile. */
ct_status ct__writer_unsupported(ct_writer *w, const char *what, const char *needs);
const char *ct__profile_name(ct_profile p);
/** Begin one event: the separating comma; counts it. */
void ct__writer_begin_event(ct_writer *w);

/** True when an event may be written without further state checks (the hot path). */
static inline bool ct__writer_fast_ok(const ct_writer *w)
{
    return w->err.code == CT_OK && (w->started || w->order != CT_ORDER_STRICT);
}

/**
 * Begin one event formatted in place: room for `n` bytes after the separating comma. Returns
 * where to write (NULL when the sink has failed); *start is what to advance the sink from.
 */
static inline char *ct__writer_event_reserve(ct_writer *w, size_t n, char **start)
{
    char *p = ct__sink_reserve(w->out, n + 1);
    if (!p)
        return NULL;
    *start = p;
    if (w->events++ > 0)
        *p++ = ',';
    return p;
}

/* ---- value_check.c / value_json.c ------------------------------------------------------- */

typedef enum ct__value_ctx { CT__VALUE_PLAIN, CT__VALUE_COMPOUND } ct__value_ctx;

/** How values are written: the profile picks the Float encoding; verbatim keeps BigInt bytes
 * (leading zeros, the sign of zero) as given instead of normalizing them. */
typedef struct ct__value_fmt {
    ct_profile profile;
    bool verbatim;
} ct__value_fmt;

static inline ct__value_fmt ct__writer_value_fmt(const ct_writer *w)
{
    ct__value_fmt f;
    f.profile = w->profile;
    f.verbatim = w->order == CT_ORDER_VERBATIM;
    return f;
}

/** Everything that can be wrong with a value, checked before a byte of its event is written.
 * `what` names it in messages ("Value.value"); ct__value_check_arg names argument `index`. */
ct_status ct__value_check(ct_writer *w, const ct_value *v, ct__value_ctx ctx, const char *what);
ct_status ct__value_check_arg(ct_writer *w, const ct_value *v, size_t index);
/** The ValueRecord JSON of a checked value. */
void ct__value_json(ct__sink *s, const ct_value *v, ct__value_fmt fmt);
/** The same into `o` for the scalar kinds (Int, Bool, None, BigInt) when it fits in `room`;
 * returns the length, or 0 when the value needs ct__value_json. */
size_t ct__value_json_inplace(char *o, size_t room, const ct_value *v, ct__value_fmt fmt);
/** A checked argument list as `[{"variable_id":..,"value":..},...]`. */
void ct__args_json(ct__sink *s, const ct_arg *args, size_t nargs, ct__value_fmt fmt);
/** Standard padded base64 of `len` bytes, written raw (no quotes). */
void ct__base64_json(ct__sink *s, const uint8_t *bytes, size_t len);
/** The same into `dst` (room for 4 * ceil(len / 3) bytes); returns the length. */
size_t ct__base64_encode(char *dst, const uint8_t *bytes, size_t len);

/* ---- writer_define.c: the definition events and their tables ----------------------------- */

ct_status ct__writer_emit_path(ct_writer *w, const char *path, size_t len, bool intern,
                               ct_path_id *out);
ct_status ct__writer_emit_function(ct_writer *w, const char *name, ct_path_id path,
                                   int64_t line, bool intern, ct_function_id *out);
ct_status ct__writer_emit_type(ct_writer *w, ct_type_kind kind, const char *lang_type,
                               const ct_field *fields, size_t nfields,
                               const ct_type_id *dereference, bool intern, ct_type_id *out);
ct_status ct__writer_emit_variable(ct_writer *w, const char *name, bool legacy, bool intern,
                                   ct_variable_id *out);
void ct__writer_free_tables(ct_writer *w);

#endif
