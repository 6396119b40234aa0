/*
 * Conformance: every upstream trace.json (../shared/upstream-traces) is re-emitted event by
 * event through the writer API (CT_ORDER_VERBATIM, ct_writer_register_* for definitions), and
 * the writer's trace.json must equal the input AS JSON, event by event (cJSON_Compare; key
 * order and whitespace are free). The profile is chosen per trace from what it contains.
 *
 * Documented differences are normalized on both sides, counted and printed, never ignored
 * silently (docs/testing.md):
 *  - unknown record fields (Ruby's Step "column"): loaders ignore them, the writer has none;
 *  - Float strings are compared by value ("+inf" and "inf", "nan" and "NaN" are one f64; the
 *    writer writes Rust's Display form).
 * Everything else, BigInt bytes included (verbatim mode keeps them as given), must be equal.
 * A trace the writer must refuse (it breaks a rule every loader enforces) is listed in REFUSED
 * with the writer's message; the test fails if it is accepted or refused differently.
 * Each output must also pass ct_validate_dir for its profile (lenient start: upstream recorders
 * start otherwise) and is kept under $CT_BINARY_DIR/test-traces/test_conformance/ for the
 * schema test.
 */
#include "ct_test.h"

#include <ctrecord/validate.h>
#include <ctrecord/writer.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- a per-event arena for the converted values ------------------------------------------ */

typedef struct arena {
    void **blocks;
    size_t n, cap;
} arena;

static void *arena_alloc(arena *a, size_t size)
{
    void *p = calloc(1, size ? size : 1);
    assert_non_null(p);
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->blocks = realloc(a->blocks, a->cap * sizeof *a->blocks);
        assert_non_null(a->blocks);
    }
    a->blocks[a->n++] = p;
    return p;
}

static void arena_reset(arena *a)
{
    while (a->n)
        free(a->blocks[--a->n]);
}

/* ---- JSON helpers ---------------------------------------------------------------------------- */

static const cJSON *get(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* Integers of the upstream traces are far below 2^53, so the double is exact. */
static int64_t num(const cJSON *o, const char *key)
{
    const cJSON *n = get(o, key);
    assert_true(cJSON_IsNumber(n));
    assert_true(fabs(n->valuedouble) < 9007199254740992.0);
    return (int64_t)n->valuedouble;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *s = get(o, key);
    assert_true(cJSON_IsString(s));
    return s->valuestring;
}

static int b64(char c)
{
    static const char A[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(A, c) : NULL;
    return p ? (int)(p - A) : -1;
}

static size_t base64_decode(const char *s, uint8_t *out)
{
    size_t n = 0, bits = 0;
    uint32_t acc = 0;
    for (; *s && *s != '='; s++) {
        int v = b64(*s);
        assert_true(v >= 0);
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    return n;
}

static uint32_t utf8_decode(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80)
        return u[0];
    if ((u[0] >> 5) == 6)
        return ((u[0] & 0x1fu) << 6) | (u[1] & 0x3fu);
    if ((u[0] >> 4) == 14)
        return ((u[0] & 0x0fu) << 12) | ((u[1] & 0x3fu) << 6) | (u[2] & 0x3fu);
    return ((u[0] & 0x07u) << 18) | ((u[1] & 0x3fu) << 12) | ((u[2] & 0x3fu) << 6) |
           (u[3] & 0x3fu);
}

/* ---- JSON value -> ct_value ------------------------------------------------------------------ */

static void conv_value(arena *a, const cJSON *j, ct_value *v);

static const ct_value *conv_items(arena *a, const cJSON *arr, size_t *count)
{
    ct_value *items = arena_alloc(a, (size_t)cJSON_GetArraySize(arr) * sizeof *items);
    const cJSON *it;
    size_t i = 0;
    cJSON_ArrayForEach(it, arr)
        conv_value(a, it, &items[i++]);
    *count = i;
    return items;
}

static ct_value *conv_child(arena *a, const cJSON *j)
{
    ct_value *v = arena_alloc(a, sizeof *v);
    conv_value(a, j, v);
    return v;
}

static void conv_simple(const char *kind, const cJSON *j, ct_value *v, ct_type_id t)
{
    if (!strcmp(kind, "Int")) {
        *v = ct_value_int(t, num(j, "i"));
    } else if (!strcmp(kind, "Float")) {
        const cJSON *f = get(j, "f");
        *v = ct_value_float(t, cJSON_IsString(f) ? strtod(f->valuestring, NULL) : f->valuedouble);
    } else if (!strcmp(kind, "Bool")) {
        *v = ct_value_bool(t, cJSON_IsTrue(get(j, "b")));
    } else if (!strcmp(kind, "String")) {
        *v = ct_value_text(CT_VALUE_STRING, t, str(j, "text"), strlen(str(j, "text")));
    } else if (!strcmp(kind, "Raw")) {
        *v = ct_value_text(CT_VALUE_RAW, t, str(j, "r"), strlen(str(j, "r")));
    } else if (!strcmp(kind, "Error")) {
        *v = ct_value_text(CT_VALUE_ERROR, t, str(j, "msg"), strlen(str(j, "msg")));
    } else if (!strcmp(kind, "None")) {
        *v = ct_value_none();
        v->type_id = t;
    } else if (!strcmp(kind, "Char")) {
        v->kind = CT_VALUE_CHAR;
        v->type_id = t;
        v->as.ch = utf8_decode(str(j, "c"));
    } else {
        fail_msg("unknown value kind %s", kind);
    }
}

static void conv_value(arena *a, const cJSON *j, ct_value *v)
{
    const char *kind = str(j, "kind");
    ct_type_id t = get(j, "type_id") ? (ct_type_id)num(j, "type_id") : 0;
    size_t n;
    memset(v, 0, sizeof *v);
    if (!strcmp(kind, "Sequence") || !strcmp(kind, "Tuple")) {
        const ct_value *items = conv_items(a, get(j, "elements"), &n);
        *v = ct_value_items(!strcmp(kind, "Tuple") ? CT_VALUE_TUPLE : CT_VALUE_SEQUENCE, t,
                            items, n, cJSON_IsTrue(get(j, "is_slice")));
    } else if (!strcmp(kind, "Struct")) {
        const ct_value *items = conv_items(a, get(j, "field_values"), &n);
        *v = ct_value_items(CT_VALUE_STRUCT, t, items, n, false);
    } else if (!strcmp(kind, "Variant")) {
        v->kind = CT_VALUE_VARIANT;
        v->type_id = t;
        v->as.variant.discriminator.ptr = str(j, "discriminator");
        v->as.variant.discriminator.len = strlen(str(j, "discriminator"));
        v->as.variant.contents = conv_child(a, get(j, "contents"));
    } else if (!strcmp(kind, "Reference")) {
        v->kind = CT_VALUE_REFERENCE;
        v->type_id = t;
        v->as.ref.dereferenced = conv_child(a, get(j, "dereferenced"));
        v->as.ref.address = (uint64_t)num(j, "address");
        v->as.ref.is_mutable = cJSON_IsTrue(get(j, "mutable"));
    } else if (!strcmp(kind, "BigInt")) {
        uint8_t *bytes = arena_alloc(a, strlen(str(j, "b")));
        n = base64_decode(str(j, "b"), bytes);
        *v = ct_value_bigint(t, bytes, n, cJSON_IsTrue(get(j, "negative")));
    } else if (!strcmp(kind, "Cell")) {
        v->kind = CT_VALUE_CELL;
        v->as.place = num(j, "place");
    } else {
        conv_simple(kind, j, v, t);
    }
}

static ct_arg *conv_args(arena *a, const cJSON *arr, size_t *n)
{
    ct_arg *args = arena_alloc(a, (size_t)cJSON_GetArraySize(arr) * sizeof *args);
    const cJSON *it;
    *n = 0;
    cJSON_ArrayForEach(it, arr) {
        args[*n].variable_id = (ct_variable_id)num(it, "variable_id");
        conv_value(a, get(it, "value"), &args[*n].value);
        (*n)++;
    }
    return args;
}

/* ---- re-emission ----------------------------------------------------------------------------- */

static ct_status emit_type(ct_writer *w, arena *a, const cJSON *p)
{
    const cJSON *info = get(p, "specific_info");
    const char *ik = str(info, "kind");
    ct_type_kind kind = (ct_type_kind)num(p, "kind");
    if (!strcmp(ik, "Struct")) {
        const cJSON *fs = get(info, "fields"), *f;
        ct_field *fields = arena_alloc(a, ((size_t)cJSON_GetArraySize(fs) + 1) * sizeof *fields);
        size_t n = 0;
        cJSON_ArrayForEach(f, fs) {
            fields[n].name = str(f, "name");
            fields[n++].type_id = (ct_type_id)num(f, "type_id");
        }
        return ct_writer_register_type(w, kind, str(p, "lang_type"), fields, n, NULL);
    }
    if (!strcmp(ik, "Pointer")) {
        ct_type_id deref = (ct_type_id)num(info, "dereference_type_id");
        return ct_writer_register_type(w, kind, str(p, "lang_type"), NULL, 0, &deref);
    }
    return ct_writer_register_type(w, kind, str(p, "lang_type"), NULL, 0, NULL);
}

static ct_status emit_assignment(ct_writer *w, arena *a, const cJSON *p)
{
    const cJSON *from = get(p, "from"), *data = get(from, "data"), *it;
    const char *k = str(from, "kind");
    ct_rvalue rv;
    memset(&rv, 0, sizeof rv);
    if (!strcmp(k, "Simple")) {
        rv.kind = CT_RVALUE_SIMPLE;
        rv.variable = (ct_variable_id)data->valuedouble;
    } else if (!strcmp(k, "Compound")) {
        ct_variable_id *ids = arena_alloc(a, ((size_t)cJSON_GetArraySize(data) + 1) * sizeof *ids);
        rv.kind = CT_RVALUE_COMPOUND;
        cJSON_ArrayForEach(it, data)
            ids[rv.nvariables++] = (ct_variable_id)it->valuedouble;
        rv.variables = ids;
    } else if (!strcmp(k, "Literal")) {
        rv.kind = CT_RVALUE_LITERAL;
    } else if (!strcmp(k, "FieldAccess")) {
        rv.kind = CT_RVALUE_FIELD_ACCESS;
        rv.variable = (ct_variable_id)num(data, "receiver");
        rv.field = str(data, "field");
    } else if (!strcmp(k, "IndexAccess")) {
        rv.kind = CT_RVALUE_INDEX_ACCESS;
        rv.variable = (ct_variable_id)num(data, "receiver");
        rv.index = num(data, "index");
    } else {
        rv.kind = CT_RVALUE_FUNCTION_RETURN;
        rv.call_key = (uint64_t)num(data, "call_key");
    }
    return ct_writer_assignment(w, (ct_variable_id)num(p, "to"),
                                strcmp(str(p, "pass_by"), "Reference") ? CT_PASS_BY_VALUE
                                                                       : CT_PASS_BY_REFERENCE,
                                &rv);
}

static ct_status emit_asm(ct_writer *w, arena *a, const cJSON *p)
{
    const char **lines = arena_alloc(a, ((size_t)cJSON_GetArraySize(p) + 1) * sizeof *lines);
    const cJSON *it;
    size_t n = 0;
    cJSON_ArrayForEach(it, p)
        lines[n++] = it->valuestring;
    return ct_writer_asm(w, lines, n);
}

static ct_status emit_ids(ct_writer *w, arena *a, const cJSON *p)
{
    ct_variable_id *ids = arena_alloc(a, ((size_t)cJSON_GetArraySize(p) + 1) * sizeof *ids);
    const cJSON *it;
    size_t n = 0;
    cJSON_ArrayForEach(it, p)
        ids[n++] = (ct_variable_id)it->valuedouble;
    return ct_writer_drop_variables(w, ids, n);
}

static ct_status emit_flow(ct_writer *w, arena *a, const char *name, const cJSON *p)
{
    ct_value v;
    size_t n;
    if (!strcmp(name, "Step"))
        return ct_writer_step(w, (ct_path_id)num(p, "path_id"), num(p, "line"));
    if (!strcmp(name, "Value")) {
        conv_value(a, get(p, "value"), &v);
        return ct_writer_value(w, (ct_variable_id)num(p, "variable_id"), &v);
    }
    if (!strcmp(name, "Call")) {
        const ct_arg *args = conv_args(a, get(p, "args"), &n);
        return ct_writer_register_call(w, (ct_function_id)num(p, "function_id"), args, n);
    }
    if (!strcmp(name, "Return")) {
        conv_value(a, get(p, "return_value"), &v);
        return ct_writer_return(w, &v);
    }
    if (!strcmp(name, "Event"))
        return ct_writer_event(w, (ct_event_kind)num(p, "kind"), str(p, "metadata"),
                               str(p, "content"));
    return CT_EUNSUPPORTED;
}

static ct_status emit_cells(ct_writer *w, arena *a, const char *name, const cJSON *p)
{
    ct_value v;
    if (!strcmp(name, "CompoundValue")) {
        conv_value(a, get(p, "value"), &v);
        return ct_writer_compound_value(w, num(p, "place"), &v);
    }
    if (!strcmp(name, "CellValue")) {
        conv_value(a, get(p, "value"), &v);
        return ct_writer_cell_value(w, num(p, "place"), &v);
    }
    if (!strcmp(name, "AssignCell")) {
        conv_value(a, get(p, "new_value"), &v);
        return ct_writer_assign_cell(w, num(p, "place"), &v);
    }
    if (!strcmp(name, "AssignCompoundItem"))
        return ct_writer_assign_compound_item(w, num(p, "place"), (uint64_t)num(p, "index"),
                                              num(p, "item_place"));
    if (!strcmp(name, "VariableCell"))
        return ct_writer_variable_cell(w, (ct_variable_id)num(p, "variable_id"),
                                       num(p, "place"));
    return CT_EUNSUPPORTED;
}

static ct_status emit_other(ct_writer *w, arena *a, const char *name, const cJSON *p)
{
    if (!strcmp(name, "Asm"))
        return emit_asm(w, a, p);
    if (!strcmp(name, "BindVariable"))
        return ct_writer_bind_variable(w, (ct_variable_id)num(p, "variable_id"),
                                       num(p, "place"));
    if (!strcmp(name, "Assignment"))
        return emit_assignment(w, a, p);
    if (!strcmp(name, "DropVariables"))
        return emit_ids(w, a, p);
    if (!strcmp(name, "DropVariable"))
        return ct_writer_drop_variable(w, (ct_variable_id)p->valuedouble);
    if (!strcmp(name, "ThreadStart"))
        return ct_writer_thread_start(w, (ct_thread_id)p->valuedouble);
    if (!strcmp(name, "ThreadExit"))
        return ct_writer_thread_exit(w, (ct_thread_id)p->valuedouble);
    if (!strcmp(name, "ThreadSwitch"))
        return ct_writer_thread_switch(w, (ct_thread_id)p->valuedouble);
    return emit_cells(w, a, name, p);
}

static ct_status emit(ct_writer *w, arena *a, const cJSON *event)
{
    const char *name = event->child->string;
    const cJSON *p = event->child;
    ct_status rc;
    if (!strcmp(name, "Path"))
        return ct_writer_register_path(w, p->valuestring);
    if (!strcmp(name, "Function"))
        return ct_writer_register_function(w, str(p, "name"), (ct_path_id)num(p, "path_id"),
                                           num(p, "line"));
    if (!strcmp(name, "Type"))
        return emit_type(w, a, p);
    if (!strcmp(name, "VariableName") || !strcmp(name, "Variable"))
        return ct_writer_register_variable_name(w, p->valuestring, !strcmp(name, "Variable"));
    rc = emit_flow(w, a, name, p);
    return rc == CT_EUNSUPPORTED ? emit_other(w, a, name, p) : rc;
}

/* ---- normalization of documented differences ------------------------------------------------- */

typedef struct counts {
    int unknown_fields, floats;
} counts;

static void canon_float(cJSON *f, counts *c)
{
    double d = cJSON_IsString(f) ? strtod(f->valuestring, NULL) : f->valuedouble;
    char buf[64];
    if (isnan(d))
        snprintf(buf, sizeof buf, "NaN");
    else if (isinf(d))
        snprintf(buf, sizeof buf, "%sinf", d < 0 ? "-" : "");
    else
        snprintf(buf, sizeof buf, "%.17g", d);
    if (c && cJSON_IsString(f) && strcmp(f->valuestring, buf))
        c->floats++;
    cJSON_SetValuestring(f, buf);
}

/* Walk any JSON: canonicalize Float "f" strings inside value objects. */
static void canon_values(cJSON *j, counts *c)
{
    cJSON *it;
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(j, "kind");
    if (cJSON_IsObject(j) && cJSON_IsString(kind)) {
        if (!strcmp(kind->valuestring, "Float") && cJSON_GetObjectItemCaseSensitive(j, "f") &&
            cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "f")))
            canon_float(cJSON_GetObjectItemCaseSensitive(j, "f"), c);
    }
    for (it = j->child; it; it = it->next)
        canon_values(it, c);
}

static void strip_unknown(cJSON *event, counts *c)
{
    if (!strcmp(event->child->string, "Step") &&
        cJSON_GetObjectItemCaseSensitive(event->child, "column")) {
        cJSON_DeleteItemFromObjectCaseSensitive(event->child, "column");
        c->unknown_fields++;
    }
}

/* ---- the test -------------------------------------------------------------------------------- */

static ct_profile choose_profile(const char *text)
{
    /* string floats, Assignment/BindVariable/Char/Thread: only current CodeTracer reads them */
    if (strstr(text, "\"Assignment\"") || strstr(text, "\"BindVariable\"") ||
        strstr(text, "\"Char\"") || strstr(text, "\"Thread"))
        return CT_PROFILE_CURRENT;
    if (strstr(text, "\"Float\"")) {
        const char *f = strstr(strstr(text, "\"Float\""), "\"f\"");
        const char *colon = f ? strchr(f, ':') : NULL;
        while (colon && (*++colon == ' '))
            ;
        return colon && *colon == '"' ? CT_PROFILE_CURRENT : CT_PROFILE_CODETRACER_25_11;
    }
    return strstr(text, "\"Variant\"") ? CT_PROFILE_CODETRACER_25_11 : CT_PROFILE_PORTABLE;
}

static const char *const PROFILE_NAMES[] = {"portable", "codetracer-25.11", "current"};

/* Traces the writer must refuse, with the event and message (SOURCES.txt says why). */
static const struct refused {
    const char *folder;
    const char *message;
} REFUSED[] = {
    {"codetracer/m0_three_funcs",
     "trace.json event 10: Return.return_value: type id 0 is not registered"},
    {"runtime_tracing/trace_util-tests-data",
     "trace.json event 4: Return.return_value: type id 0 is not registered"},
};

static const char *refusal_for(const char *folder)
{
    size_t i;
    for (i = 0; i < sizeof REFUSED / sizeof REFUSED[0]; i++)
        if (!strcmp(folder, REFUSED[i].folder))
            return REFUSED[i].message;
    return NULL;
}

static ct_writer *open_writer(const char *out, ct_profile profile)
{
    ct_writer_options o;
    ct_writer *w = NULL;
    ct_error err;
    ct_writer_options_init(&o);
    o.profile = profile;
    o.order = CT_ORDER_VERBATIM;
    o.copy_sources = false;
    o.overwrite = true;
    o.program = "conformance";
    if (ct_writer_open(&w, out, &o, &err) != CT_OK)
        fail_msg("%s: open: %s", out, err.message);
    return w;
}

/* Re-emit all events; returns the index of a refused event or -1. */
static int reemit(ct_writer *w, const cJSON *events)
{
    arena a = {NULL, 0, 0};
    const cJSON *ev;
    int i = 0, refused = -1;
    cJSON_ArrayForEach(ev, events) {
        ct_status rc = emit(w, &a, ev);
        arena_reset(&a);
        if (rc < 0) {
            refused = i;
            break;
        }
        i++;
    }
    free(a.blocks);
    return refused;
}

static void compare(const char *folder, cJSON *want, cJSON *got)
{
    counts c = {0, 0};
    cJSON *e, *g;
    int i = 0;
    assert_int_equal(cJSON_GetArraySize(want), cJSON_GetArraySize(got));
    for (e = want->child, g = got->child; e && g; e = e->next, g = g->next, i++) {
        strip_unknown(e, &c);
        canon_values(e, &c);
        canon_values(g, NULL);
        if (!cJSON_Compare(e, g, true)) {
            char *a = cJSON_PrintUnformatted(e), *b = cJSON_PrintUnformatted(g);
            print_error("%s: event %d differs\n  want %s\n  got  %s\n", folder, i, a, b);
            cJSON_free(a);
            cJSON_free(b);
            fail();
        }
    }
    print_message("%-48s %4d events equal (normalized: %d unknown fields, %d float "
                  "spellings)\n", folder, i, c.unknown_fields, c.floats);
}

static void check_refusal(ct_writer *w, const char *folder, const char *want, int at)
{
    const ct_error *e = ct_writer_error(w);
    if (at < 0)
        fail_msg("%s: the writer accepted a trace it must refuse (%s)", folder, want);
    if (!strstr(e->message, want))
        fail_msg("%s: refused at event %d with \"%s\", expected \"%s\"", folder, at, e->message,
                 want);
    print_message("%-48s refused at event %d as expected: %s\n", folder, at, e->message);
    ct_writer_abort(w);
}

/* The writer's folder (its own metadata and paths, no sources) passes ct_validate_dir. */
static void validate_output(const char *out, ct_profile p)
{
    ct_validate_options opts;
    ct_error err;
    ct_validate_options_init(&opts);
    opts.profile = p;
    opts.flags = CT_VALIDATE_LENIENT_START | CT_VALIDATE_SKIP_FILES;
    if (ct_validate_dir(NULL, out, &opts, &err) != CT_OK)
        fail_msg("%s: the re-emitted trace does not validate: %s", out, err.message);
}

static void write_profile_file(const char *out, ct_profile p)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/profile", out);
    assert_int_equal(ct_test_write_file(path, PROFILE_NAMES[p], strlen(PROFILE_NAMES[p])), 0);
}

static void conform_one(const char *base, const char *folder, const char *outbase)
{
    char in[4200], out[4200];
    char *text, *got_text;
    cJSON *want, *got;
    ct_profile profile;
    ct_writer *w;
    ct_error err;
    int refused;
    snprintf(in, sizeof in, "%s/%s/trace.json", base, folder);
    text = ct_test_read_file(in, NULL);
    assert_non_null(text);
    want = cJSON_Parse(text);
    assert_non_null(want);
    profile = choose_profile(text);
    free(text);
    snprintf(out, sizeof out, "%s/%s", outbase, folder);
    assert_int_equal(ct_test_system("mkdir -p \"$(dirname '%s')\"", out), 0);
    w = open_writer(out, profile);
    refused = reemit(w, want);
    if (refusal_for(folder)) {
        check_refusal(w, folder, refusal_for(folder), refused);
        cJSON_Delete(want);
        return;
    }
    if (refused >= 0)
        fail_msg("%s [%s]: event %d refused: %s", folder, PROFILE_NAMES[profile], refused,
                 ct_writer_error(w)->message);
    if (ct_writer_close(w, &err) != CT_OK)
        fail_msg("%s: close: %s", folder, err.message);
    write_profile_file(out, profile);
    validate_output(out, profile);
    snprintf(out + strlen(out), sizeof out - strlen(out), "/trace.json");
    got_text = ct_test_read_file(out, NULL);
    assert_non_null(got_text);
    got = cJSON_Parse(got_text);
    assert_non_null(got);
    compare(folder, want, got);
    free(got_text);
    cJSON_Delete(want);
    cJSON_Delete(got);
}

static bool is_dir(const char *base, const char *rel)
{
    char path[8400];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", base, rel);
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Every folder under `base` (relative path in `rel`) that holds a trace.json, in name order. */
static void walk(const char *base, const char *rel, const char *outbase, int *found)
{
    char path[4200], sub[4200];
    struct dirent **names;
    int n, i;
    snprintf(path, sizeof path, "%s/%s", base, rel);
    n = scandir(path, &names, NULL, alphasort);
    for (i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", name);
        if (!strcmp(name, "trace.json")) {
            conform_one(base, rel, outbase);
            (*found)++;
        } else if (name[0] != '.' && is_dir(base, sub)) {
            walk(base, sub, outbase, found);
        }
        free(names[i]);
    }
    if (n >= 0)
        free(names);
}

static void test_upstream_roundtrip(void **state)
{
    char *base = ct_test_shared("upstream-traces");
    char *outbase = ct_test_env_path("CT_BINARY_DIR", "test-traces/test_conformance");
    int found = 0;
    (void)state;
    if (!base)
        skip();
    if (!outbase)
        outbase = ct_test_tmpdir("conformance");
    walk(base, "", outbase, &found);
    print_message("%d upstream traces\n", found);
    assert_true(found > 0);
    free(base);
    free(outbase);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upstream_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
