/*
 * Misuse of the public API: every public function called with NULL handles, NULL out-params,
 * NULL strings, zero and huge lengths, unknown ids, enum values out of range, options of
 * another version, and in the wrong order. Each call must return the documented status (nearly
 * always CT_EINVAL) with a one-line message where the API has somewhere to put one, and never
 * crash (the suite also runs under ASan/UBSan). Checks are soft inside a test: every problem is
 * printed, then the test fails, so one run lists them all.
 */
#include "ct_test.h"

#include <ctrecord/ctrecord.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int problems;

#define PROBLEM(...)                                                                          \
    do {                                                                                      \
        print_message("line %d: ", __LINE__);                                                 \
        print_message(__VA_ARGS__);                                                           \
        print_message("\n");                                                                  \
        problems++;                                                                           \
    } while (0)

/* `expr` returns `want`; the message of `e` (a ct_error *, may be NULL) is non-empty. */
#define EXPECT(expr, want, e)                                                                 \
    do {                                                                                      \
        ct_status rc_ = (expr);                                                               \
        const ct_error *e_ = (e);                                                             \
        if (rc_ != (want))                                                                    \
            PROBLEM("%s: status %d, want %d (%s)", #expr, (int)rc_, (int)(want),              \
                    e_ ? e_->message : "-");                                                  \
        else if (e_ && rc_ < 0 && e_->message[0] == '\0')                                     \
            PROBLEM("%s: status %d without a message", #expr, (int)rc_);                      \
        else if (e_ && rc_ < 0 && strchr(e_->message, '\n'))                                  \
            PROBLEM("%s: message of more than one line: %s", #expr, e_->message);             \
    } while (0)

#define EXPECT_EINVAL(expr, e) EXPECT(expr, CT_EINVAL, e)

static void done(void)
{
    int n = problems;
    problems = 0;
    assert_int_equal(n, 0);
}

static ct_error fresh_error(void)
{
    ct_error e;
    memset(&e, 0, sizeof e);
    return e;
}

/* ---- common and values ------------------------------------------------------------------- */

static void test_common(void **state)
{
    static const int codes[] = {0, 1, -1, -2, -3, -4, -5, -6, -7, -8, 2, -9, 1000, -1000};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *s = ct_strerror((ct_status)codes[i]);
        if (!s || !*s)
            PROBLEM("ct_strerror(%d) empty", codes[i]);
    }
    if (!ct_version() || !*ct_version())
        PROBLEM("ct_version empty");
    if (!ct_event_type_name((ct_event_type)-1) || !ct_event_type_name(CT_EV_COUNT) ||
        !ct_event_type_name((ct_event_type)1000))
        PROBLEM("ct_event_type_name out of range gave NULL");
    if (!ct_dialect_name((ct_dialect)99) || !ct_dialect_name((ct_dialect)-1))
        PROBLEM("ct_dialect_name out of range gave NULL");
    if (!ct_opcode_name(0xef) || !*ct_opcode_name(0xef) || !ct_opcode_name(0xff))
        PROBLEM("ct_opcode_name of an undefined opcode");
    done();
}

static void test_value_makers(void **state)
{
    ct_u256 word, scratch;
    char buf[67];
    ct_value v;
    (void)state;
    memset(&word, 0xff, sizeof word);
    v = ct_value_bigint_from_u256(3, NULL, false, NULL);
    if (v.kind != CT_VALUE_BIGINT || v.as.bigint.bytes != NULL)
        PROBLEM("bigint_from_u256(NULL word): a value the writer refuses expected");
    v = ct_value_bigint_from_u256(3, &word, true, NULL);
    if (v.as.bigint.bytes != NULL)
        PROBLEM("bigint_from_u256(negative, NULL scratch): refused value expected");
    v = ct_value_bigint_from_u256(3, &word, true, &scratch);
    if (!v.as.bigint.negative || v.as.bigint.len != 1 || v.as.bigint.bytes[0] != 1)
        PROBLEM("bigint_from_u256(-1) is not -1");
    v = ct_value_raw_from_u256(4, NULL, 20, buf);
    if (v.kind != CT_VALUE_RAW || v.as.text.ptr != NULL)
        PROBLEM("raw_from_u256(NULL word): a value the writer refuses expected");
    v = ct_value_raw_from_u256(4, &word, 20, NULL);
    if (v.kind != CT_VALUE_RAW || v.as.text.ptr != NULL)
        PROBLEM("raw_from_u256(NULL buf): a value the writer refuses expected");
    v = ct_value_raw_from_u256(4, &word, 0, buf);
    if (v.as.text.len != 4 || strcmp(buf, "0xff") != 0)
        PROBLEM("raw_from_u256(nbytes 0) not clamped to 1: %s", buf);
    v = ct_value_raw_from_u256(4, &word, (size_t)-1, buf);
    if (v.as.text.len != 66)
        PROBLEM("raw_from_u256(huge nbytes) not clamped to 32");
    done();
}

/* ---- writer -------------------------------------------------------------------------------- */

typedef struct wctx {
    char *tmp;
    char *dir;
    ct_writer *w;
} wctx;

static void wctx_open(wctx *c, bool start)
{
    ct_error err = fresh_error();
    ct_writer_options o;
    c->tmp = ct_test_tmpdir("misuse");
    c->dir = ct_test_join(c->tmp, "trace");
    ct_writer_options_init(&o);
    o.copy_sources = false;
    o.profile = CT_PROFILE_CURRENT;   /* every event allowed: refusals are about the arguments */
    assert_status(ct_writer_open(&c->w, c->dir, &o, &err), CT_OK, err);
    if (start)
        assert_status(ct_writer_start(c->w, "/abs/a.tl", 1), CT_OK, err);
}

/* The writer failed: its error is EINVAL with a message, it stays failed, and close leaves
 * no trace folder. */
static void wctx_close_failed(wctx *c, ct_status want)
{
    ct_error err = fresh_error();
    const ct_error *we = ct_writer_error(c->w);
    if (!we || we->code != want || !we->message[0])
        PROBLEM("ct_writer_error: code %d, want %d, message '%s'", we ? (int)we->code : 99,
                (int)want, we ? we->message : "(null)");
    EXPECT(ct_writer_step(c->w, 0, 2), want, ct_writer_error(c->w));
    EXPECT(ct_writer_close(c->w, &err), want, &err);
    if (ct_test_exists(c->dir))
        PROBLEM("a failed writer left %s", c->dir);
    ct_test_rmrf(c->tmp);
    free(c->dir);
    free(c->tmp);
}

static void test_writer_null_handle(void **state)
{
    ct_path_id p;
    ct_function_id f;
    ct_type_id t;
    ct_variable_id v;
    ct_value val = ct_value_none();
    ct_error err = fresh_error();
    ct_rvalue rv;
    (void)state;
    memset(&rv, 0, sizeof rv);
    ct_writer_options_init(NULL);
    ct_writer_abort(NULL);
    EXPECT_EINVAL(ct_writer_close(NULL, &err), &err);
    EXPECT_EINVAL(ct_writer_close(NULL, NULL), NULL);
    if (ct_writer_error(NULL) != NULL)
        PROBLEM("ct_writer_error(NULL) is not NULL");
    if (ct_writer_event_count(NULL) != 0 || ct_writer_call_depth(NULL) != 0)
        PROBLEM("counts of a NULL writer are not 0");
    EXPECT_EINVAL(ct_writer_start(NULL, "/a", 1), NULL);
    EXPECT_EINVAL(ct_writer_path_id(&p, NULL, "/a"), NULL);
    EXPECT_EINVAL(ct_writer_function_id(&f, NULL, "f", 0, 1), NULL);
    EXPECT_EINVAL(ct_writer_type_id(&t, NULL, CT_TYPE_INT, "int"), NULL);
    EXPECT_EINVAL(ct_writer_struct_type_id(&t, NULL, "S", NULL, 0), NULL);
    EXPECT_EINVAL(ct_writer_pointer_type_id(&t, NULL, "P", 0), NULL);
    EXPECT_EINVAL(ct_writer_variable_id(&v, NULL, "x"), NULL);
    EXPECT_EINVAL(ct_writer_step(NULL, 0, 1), NULL);
    EXPECT_EINVAL(ct_writer_value(NULL, 0, &val), NULL);
    EXPECT_EINVAL(ct_writer_call(NULL, 0, NULL, 0), NULL);
    EXPECT_EINVAL(ct_writer_return(NULL, NULL), NULL);
    EXPECT_EINVAL(ct_writer_event(NULL, CT_EVENT_WRITE, NULL, "x"), NULL);
    EXPECT_EINVAL(ct_writer_asm(NULL, NULL, 0), NULL);
    EXPECT_EINVAL(ct_writer_bind_variable(NULL, 0, 0), NULL);
    EXPECT_EINVAL(ct_writer_assignment(NULL, 0, CT_PASS_BY_VALUE, &rv), NULL);
    EXPECT_EINVAL(ct_writer_drop_variables(NULL, NULL, 0), NULL);
    EXPECT_EINVAL(ct_writer_compound_value(NULL, 0, &val), NULL);
    EXPECT_EINVAL(ct_writer_cell_value(NULL, 0, &val), NULL);
    EXPECT_EINVAL(ct_writer_assign_compound_item(NULL, 0, 0, 0), NULL);
    EXPECT_EINVAL(ct_writer_assign_cell(NULL, 0, &val), NULL);
    EXPECT_EINVAL(ct_writer_variable_cell(NULL, 0, 0), NULL);
    EXPECT_EINVAL(ct_writer_drop_variable(NULL, 0), NULL);
    EXPECT_EINVAL(ct_writer_thread_start(NULL, 0), NULL);
    EXPECT_EINVAL(ct_writer_thread_exit(NULL, 0), NULL);
    EXPECT_EINVAL(ct_writer_thread_switch(NULL, 0), NULL);
    EXPECT_EINVAL(ct_writer_drop_last_step(NULL), NULL);
    EXPECT_EINVAL(ct_writer_register_path(NULL, "/a"), NULL);
    EXPECT_EINVAL(ct_writer_register_function(NULL, "f", 0, 1), NULL);
    EXPECT_EINVAL(ct_writer_register_type(NULL, CT_TYPE_INT, "int", NULL, 0, NULL), NULL);
    EXPECT_EINVAL(ct_writer_register_variable_name(NULL, "x", false), NULL);
    EXPECT_EINVAL(ct_writer_register_call(NULL, 0, NULL, 0), NULL);
    EXPECT_EINVAL(ct_writer_source(NULL, 0, "x", 1), NULL);
    done();
}

static void test_writer_open_bad_arguments(void **state)
{
    char *tmp = ct_test_tmpdir("misuse");
    char *dir = ct_test_join(tmp, "trace");
    ct_writer *w = (ct_writer *)&w;   /* must be reset to NULL on failure */
    ct_writer_options o;
    ct_error err = fresh_error();
    (void)state;
    EXPECT_EINVAL(ct_writer_open(NULL, dir, NULL, &err), &err);
    EXPECT_EINVAL(ct_writer_open(&w, NULL, NULL, &err), &err);
    if (w != NULL)
        PROBLEM("ct_writer_open failed without setting *out to NULL");
    EXPECT_EINVAL(ct_writer_open(&w, "", NULL, &err), &err);
    EXPECT_EINVAL(ct_writer_open(&w, NULL, NULL, NULL), NULL);
    ct_writer_options_init(&o);
    o.version = 0;
    EXPECT_EINVAL(ct_writer_open(&w, dir, &o, &err), &err);
    o.version = CT_WRITER_OPTIONS_VERSION + 1;
    EXPECT_EINVAL(ct_writer_open(&w, dir, &o, &err), &err);
    ct_writer_options_init(&o);
    o.profile = (ct_profile)42;
    EXPECT_EINVAL(ct_writer_open(&w, dir, &o, &err), &err);
    ct_writer_options_init(&o);
    o.order = (ct_order_mode)42;
    EXPECT_EINVAL(ct_writer_open(&w, dir, &o, &err), &err);
    ct_writer_options_init(&o);
    o.utf8 = (ct_utf8_mode)42;
    EXPECT_EINVAL(ct_writer_open(&w, dir, &o, &err), &err);
    ct_writer_options_init(&o);
    o.nargs = 3;   /* args NULL */
    EXPECT_EINVAL(ct_writer_open(&w, dir, &o, &err), &err);
    if (ct_test_count_entries(tmp) != 0)
        PROBLEM("a refused ct_writer_open left %d entries", ct_test_count_entries(tmp));
    /* A folder inside a missing folder: an I/O problem, not a crash. */
    {
        char *deep = ct_test_join(tmp, "missing/deeper/trace");
        EXPECT(ct_writer_open(&w, deep, NULL, &err), CT_EIO, &err);
        free(deep);
    }
    ct_test_rmrf(tmp);
    free(dir);
    free(tmp);
    done();
}

/* Events before ct_writer_start (strict order) are refused. */
static void test_writer_before_start(void **state)
{
    wctx c;
    ct_value val = ct_value_none();
    (void)state;
    wctx_open(&c, false);
    EXPECT_EINVAL(ct_writer_step(c.w, 0, 1), ct_writer_error(c.w));
    wctx_close_failed(&c, CT_EINVAL);
    wctx_open(&c, false);
    EXPECT_EINVAL(ct_writer_value(c.w, 0, &val), ct_writer_error(c.w));
    wctx_close_failed(&c, CT_EINVAL);
    wctx_open(&c, false);
    EXPECT_EINVAL(ct_writer_call(c.w, 0, NULL, 0), ct_writer_error(c.w));
    wctx_close_failed(&c, CT_EINVAL);
    wctx_open(&c, false);
    EXPECT_EINVAL(ct_writer_return(c.w, NULL), ct_writer_error(c.w));
    wctx_close_failed(&c, CT_EINVAL);
    wctx_open(&c, false);
    EXPECT_EINVAL(ct_writer_event(c.w, CT_EVENT_WRITE, NULL, "x"), ct_writer_error(c.w));
    wctx_close_failed(&c, CT_EINVAL);
    wctx_open(&c, true);   /* start twice */
    EXPECT_EINVAL(ct_writer_start(c.w, "/abs/a.tl", 1), ct_writer_error(c.w));
    wctx_close_failed(&c, CT_EINVAL);
    wctx_open(&c, false);
    EXPECT_EINVAL(ct_writer_start(c.w, NULL, 1), ct_writer_error(c.w));
    wctx_close_failed(&c, CT_EINVAL);
    done();
}

/* One bad call per writer: each must fail with `want` and leave the writer failed. */
typedef ct_status (*wcall)(ct_writer *w);

#define WCALL(name, ...)                                                                      \
    static ct_status name(ct_writer *w)                                                       \
    {                                                                                         \
        __VA_ARGS__                                                                           \
    }

static ct_path_id g_path;
static ct_function_id g_fn;
static ct_type_id g_type;
static ct_variable_id g_var;

WCALL(w_path_null_out, return ct_writer_path_id(NULL, w, "/abs/b.tl");)
WCALL(w_path_null_str, return ct_writer_path_id(&g_path, w, NULL);)
WCALL(w_fn_null_out, return ct_writer_function_id(NULL, w, "f", 0, 1);)
WCALL(w_fn_null_name, return ct_writer_function_id(&g_fn, w, NULL, 0, 1);)
WCALL(w_fn_unknown_path, return ct_writer_function_id(&g_fn, w, "f", 999, 1);)
WCALL(w_type_null_out, return ct_writer_type_id(NULL, w, CT_TYPE_INT, "int");)
WCALL(w_type_null_name, return ct_writer_type_id(&g_type, w, CT_TYPE_INT, NULL);)
WCALL(w_type_bad_kind, return ct_writer_type_id(&g_type, w, (ct_type_kind)999, "x");)
WCALL(w_struct_null_out, return ct_writer_struct_type_id(NULL, w, "S", NULL, 0);)
WCALL(w_struct_huge, return ct_writer_struct_type_id(&g_type, w, "S", NULL, (size_t)-1);)
WCALL(w_struct_unknown_field_type, {
    ct_field fl = {"a", 999};
    return ct_writer_struct_type_id(&g_type, w, "S", &fl, 1);
})
WCALL(w_struct_null_field_name, {
    ct_field fl = {NULL, 0};
    return ct_writer_struct_type_id(&g_type, w, "S", &fl, 1);
})
WCALL(w_ptr_unknown, return ct_writer_pointer_type_id(&g_type, w, "P", 999);)
WCALL(w_ptr_null_out, return ct_writer_pointer_type_id(NULL, w, "P", 0);)
WCALL(w_var_null_out, return ct_writer_variable_id(NULL, w, "x");)
WCALL(w_var_null_name, return ct_writer_variable_id(&g_var, w, NULL);)
WCALL(w_step_unknown_path, return ct_writer_step(w, 999, 1);)
WCALL(w_value_null, return ct_writer_value(w, 0, NULL);)
WCALL(w_value_unknown_var, {
    ct_value v = ct_value_none();
    return ct_writer_value(w, 999, &v);
})
WCALL(w_value_unknown_type, {
    ct_variable_id x;
    ct_value v = ct_value_int(999, 1);
    ct_status rc = ct_writer_variable_id(&x, w, "x");
    return rc < 0 ? CT_ERROR : ct_writer_value(w, x, &v);
})
WCALL(w_value_bad_kind, {
    ct_variable_id x;
    ct_value v = ct_value_none();
    ct_status rc = ct_writer_variable_id(&x, w, "x");
    v.kind = (ct_value_kind)999;
    return rc < 0 ? CT_ERROR : ct_writer_value(w, x, &v);
})
WCALL(w_value_null_text, {
    ct_variable_id x;
    ct_type_id t;
    ct_value v;
    if (ct_writer_variable_id(&x, w, "x") < 0 || ct_writer_type_id(&t, w, CT_TYPE_STRING, "s") < 0)
        return CT_ERROR;
    v = ct_value_text(CT_VALUE_STRING, t, NULL, 5);
    return ct_writer_value(w, x, &v);
})
WCALL(w_value_null_items, {
    ct_variable_id x;
    ct_type_id t;
    ct_value v;
    if (ct_writer_variable_id(&x, w, "x") < 0 || ct_writer_type_id(&t, w, CT_TYPE_SEQ, "l") < 0)
        return CT_ERROR;
    v = ct_value_items(CT_VALUE_SEQUENCE, t, NULL, (size_t)-1, false);
    return ct_writer_value(w, x, &v);
})
WCALL(w_value_null_bigint, {
    ct_variable_id x;
    ct_type_id t;
    ct_value v;
    if (ct_writer_variable_id(&x, w, "x") < 0 || ct_writer_type_id(&t, w, CT_TYPE_INT, "u") < 0)
        return CT_ERROR;
    v = ct_value_bigint_from_u256(t, NULL, false, NULL);
    return ct_writer_value(w, x, &v);
})
WCALL(w_value_raw_null_word, {
    ct_variable_id x;
    ct_type_id t;
    ct_value v;
    char buf[67];
    if (ct_writer_variable_id(&x, w, "x") < 0 || ct_writer_type_id(&t, w, CT_TYPE_RAW, "a") < 0)
        return CT_ERROR;
    v = ct_value_raw_from_u256(t, NULL, 20, buf);
    return ct_writer_value(w, x, &v);
})
WCALL(w_value_null_ref, {
    ct_variable_id x;
    ct_type_id t;
    ct_value v;
    if (ct_writer_variable_id(&x, w, "x") < 0 || ct_writer_type_id(&t, w, CT_TYPE_REF, "r") < 0)
        return CT_ERROR;
    memset(&v, 0, sizeof v);
    v.kind = CT_VALUE_REFERENCE;
    v.type_id = t;
    return ct_writer_value(w, x, &v);
})
WCALL(w_value_null_variant, {
    ct_variable_id x;
    ct_type_id t;
    ct_value v;
    if (ct_writer_variable_id(&x, w, "x") < 0 ||
        ct_writer_type_id(&t, w, CT_TYPE_VARIANT, "v") < 0)
        return CT_ERROR;
    memset(&v, 0, sizeof v);
    v.kind = CT_VALUE_VARIANT;
    v.type_id = t;
    return ct_writer_value(w, x, &v);
})
WCALL(w_value_struct_null_items, {
    ct_variable_id x;
    ct_type_id t;
    ct_value v;
    if (ct_writer_variable_id(&x, w, "x") < 0 ||
        ct_writer_struct_type_id(&t, w, "S", NULL, 0) < 0)
        return CT_ERROR;
    v = ct_value_items(CT_VALUE_STRUCT, t, NULL, 3, false);
    return ct_writer_value(w, x, &v);
})
WCALL(w_value_nested_null, {
    ct_variable_id x;
    ct_type_id t, r;
    ct_value inner[2], v;
    if (ct_writer_variable_id(&x, w, "x") < 0 || ct_writer_type_id(&t, w, CT_TYPE_SEQ, "l") < 0 ||
        ct_writer_type_id(&r, w, CT_TYPE_REF, "r") < 0)
        return CT_ERROR;
    memset(inner, 0, sizeof inner);
    inner[0] = ct_value_none();
    inner[1].kind = CT_VALUE_REFERENCE;   /* dereferenced NULL, one level down */
    inner[1].type_id = r;
    v = ct_value_items(CT_VALUE_SEQUENCE, t, inner, 2, false);
    return ct_writer_value(w, x, &v);
})
/* A value that refers to itself (a caller bug): refused, not followed forever. */
WCALL(w_value_cycle, {
    ct_variable_id x;
    ct_type_id r;
    ct_value v;
    if (ct_writer_variable_id(&x, w, "x") < 0 || ct_writer_type_id(&r, w, CT_TYPE_REF, "r") < 0)
        return CT_ERROR;
    memset(&v, 0, sizeof v);
    v.kind = CT_VALUE_REFERENCE;
    v.type_id = r;
    v.as.ref.dereferenced = &v;
    return ct_writer_value(w, x, &v);
})
WCALL(w_value_bigint_huge, {
    ct_variable_id x;
    ct_type_id t;
    ct_value v;
    if (ct_writer_variable_id(&x, w, "x") < 0 || ct_writer_type_id(&t, w, CT_TYPE_INT, "u") < 0)
        return CT_ERROR;
    v = ct_value_bigint(t, NULL, (size_t)-1, false);
    return ct_writer_value(w, x, &v);
})
WCALL(w_assignment_compound_null, {
    ct_rvalue rv;
    memset(&rv, 0, sizeof rv);
    rv.kind = CT_RVALUE_COMPOUND;
    rv.nvariables = 5;
    return ct_writer_assignment(w, 0, CT_PASS_BY_VALUE, &rv);
})
WCALL(w_assignment_field_null, {
    ct_rvalue rv;
    ct_variable_id x;
    if (ct_writer_variable_id(&x, w, "x") < 0)
        return CT_ERROR;
    memset(&rv, 0, sizeof rv);
    rv.kind = CT_RVALUE_FIELD_ACCESS;
    rv.variable = x;
    return ct_writer_assignment(w, x, CT_PASS_BY_VALUE, &rv);
})
WCALL(w_assignment_bad_kind, {
    ct_rvalue rv;
    ct_variable_id x;
    if (ct_writer_variable_id(&x, w, "x") < 0)
        return CT_ERROR;
    memset(&rv, 0, sizeof rv);
    rv.kind = (ct_rvalue_kind)77;
    return ct_writer_assignment(w, x, (ct_pass_by)9, &rv);
})
WCALL(w_call_bad_arg_value, {
    ct_function_id f;
    ct_arg arg;
    if (ct_writer_function_id(&f, w, "f", 0, 2) < 0)
        return CT_ERROR;
    arg.variable_id = 999;
    arg.value = ct_value_int(999, 1);
    return ct_writer_call(w, f, &arg, 1);
})
WCALL(w_register_type_null_field_name, {
    ct_field fl = {NULL, 0};
    return ct_writer_register_type(w, CT_TYPE_STRUCT, "S", &fl, 1, NULL);
})
WCALL(w_bind_unknown_var, return ct_writer_bind_variable(w, 999, 1);)
WCALL(w_variable_cell_unknown_var, return ct_writer_variable_cell(w, 999, 1);)
WCALL(w_drop_variable_unknown, return ct_writer_drop_variable(w, 999);)
WCALL(w_drop_variables_unknown, {
    const ct_variable_id ids[2] = {0, 999};
    return ct_writer_drop_variables(w, ids, 2);
})
WCALL(w_assignment_unknown_to, {
    ct_rvalue rv;
    memset(&rv, 0, sizeof rv);
    rv.kind = CT_RVALUE_SIMPLE;
    rv.variable = 999;
    return ct_writer_assignment(w, 999, CT_PASS_BY_VALUE, &rv);
})
/* Order: Asm and cell events need a Step (the writer's start emits none). */
WCALL(w_asm_before_step, {
    const char *lines[1] = {"PUSH1 0x80"};
    return ct_writer_asm(w, lines, 1);
})
WCALL(w_cell_before_step, {
    ct_value v = ct_value_none();
    return ct_writer_cell_value(w, 1, &v);
})
/* Thread ids are the caller's own numbering (the writer issues none), so ThreadExit or
 * ThreadSwitch of a thread never started is not refused (nor by ct_validate_dir). */
WCALL(w_call_id_toplevel_again, return ct_writer_register_call(w, 999, NULL, 0);)
WCALL(w_call_unknown_fn, return ct_writer_call(w, 999, NULL, 0);)
WCALL(w_call_huge_args, {
    ct_function_id f;
    if (ct_writer_function_id(&f, w, "f", 0, 2) < 0)
        return CT_ERROR;
    return ct_writer_call(w, f, NULL, (size_t)-1);
})
WCALL(w_too_many_returns, {
    ct_status rc = ct_writer_return(w, NULL);   /* closes the toplevel call */
    return rc < 0 ? rc : ct_writer_return(w, NULL);
})
WCALL(w_event_bad_kind, return ct_writer_event(w, (ct_event_kind)99, NULL, "x");)
WCALL(w_event_null_content, return ct_writer_event(w, CT_EVENT_WRITE, NULL, NULL);)
WCALL(w_asm_huge, return ct_writer_asm(w, NULL, (size_t)-1);)
WCALL(w_asm_null_line, {
    const char *lines[2] = {"PUSH1", NULL};
    ct_status rc = ct_writer_step(w, 0, 2);
    return rc < 0 ? rc : ct_writer_asm(w, lines, 2);
})
WCALL(w_assignment_null, return ct_writer_assignment(w, 0, CT_PASS_BY_VALUE, NULL);)
WCALL(w_drop_variables_huge, return ct_writer_drop_variables(w, NULL, (size_t)-1);)
WCALL(w_compound_null, return ct_writer_compound_value(w, 0, NULL);)
WCALL(w_cell_null, return ct_writer_cell_value(w, 0, NULL);)
WCALL(w_assign_cell_null, return ct_writer_assign_cell(w, 0, NULL);)
WCALL(w_drop_last_step_not_allowed, return ct_writer_drop_last_step(w);)
WCALL(w_register_path_null, return ct_writer_register_path(w, NULL);)
WCALL(w_register_function_null, return ct_writer_register_function(w, NULL, 0, 1);)
WCALL(w_register_type_null, return ct_writer_register_type(w, CT_TYPE_INT, NULL, NULL, 0, NULL);)
WCALL(w_register_type_huge, return ct_writer_register_type(w, CT_TYPE_STRUCT, "S", NULL,
                                                           (size_t)-1, NULL);)
WCALL(w_register_variable_null, return ct_writer_register_variable_name(w, NULL, false);)
WCALL(w_register_call_huge, return ct_writer_register_call(w, 0, NULL, (size_t)-1);)
WCALL(w_source_unknown_path, return ct_writer_source(w, 999, "x", 1);)
WCALL(w_source_null_data, return ct_writer_source(w, 0, NULL, 10);)

static void test_writer_bad_calls(void **state)
{
    static const struct {
        const char *name;
        wcall call;
    } calls[] = {
        {"path_id NULL out", w_path_null_out},
        {"path_id NULL path", w_path_null_str},
        {"function_id NULL out", w_fn_null_out},
        {"function_id NULL name", w_fn_null_name},
        {"function_id unknown path", w_fn_unknown_path},
        {"type_id NULL out", w_type_null_out},
        {"type_id NULL lang_type", w_type_null_name},
        {"type_id kind 999", w_type_bad_kind},
        {"struct_type_id NULL out", w_struct_null_out},
        {"struct_type_id NULL fields, huge count", w_struct_huge},
        {"struct_type_id unknown field type", w_struct_unknown_field_type},
        {"struct_type_id NULL field name", w_struct_null_field_name},
        {"pointer_type_id unknown type", w_ptr_unknown},
        {"pointer_type_id NULL out", w_ptr_null_out},
        {"variable_id NULL out", w_var_null_out},
        {"variable_id NULL name", w_var_null_name},
        {"step unknown path", w_step_unknown_path},
        {"value NULL", w_value_null},
        {"value unknown variable", w_value_unknown_var},
        {"value unknown type", w_value_unknown_type},
        {"value kind 999", w_value_bad_kind},
        {"value String NULL text", w_value_null_text},
        {"value Sequence NULL items, huge count", w_value_null_items},
        {"value BigInt from NULL word", w_value_null_bigint},
        {"value Raw from NULL word", w_value_raw_null_word},
        {"value Reference NULL target", w_value_null_ref},
        {"value Variant NULL contents", w_value_null_variant},
        {"value Struct NULL items", w_value_struct_null_items},
        {"value Sequence holding a NULL reference", w_value_nested_null},
        {"value Reference to itself", w_value_cycle},
        {"value BigInt NULL bytes, huge length", w_value_bigint_huge},
        {"assignment Compound NULL variables", w_assignment_compound_null},
        {"assignment FieldAccess NULL field", w_assignment_field_null},
        {"assignment kind 77", w_assignment_bad_kind},
        {"call with a bad argument value", w_call_bad_arg_value},
        {"register_type NULL field name", w_register_type_null_field_name},
        {"bind_variable unknown variable", w_bind_unknown_var},
        {"variable_cell unknown variable", w_variable_cell_unknown_var},
        {"drop_variable unknown variable", w_drop_variable_unknown},
        {"drop_variables unknown variable", w_drop_variables_unknown},
        {"assignment unknown variables", w_assignment_unknown_to},
        {"register_call unknown function", w_call_id_toplevel_again},
        {"asm before any step", w_asm_before_step},
        {"cell_value before any step", w_cell_before_step},
        {"call unknown function", w_call_unknown_fn},
        {"call NULL args, huge count", w_call_huge_args},
        {"more returns than calls", w_too_many_returns},
        {"event kind 99", w_event_bad_kind},
        {"event NULL content", w_event_null_content},
        {"asm NULL lines, huge count", w_asm_huge},
        {"asm NULL line", w_asm_null_line},
        {"assignment NULL rvalue", w_assignment_null},
        {"drop_variables NULL, huge count", w_drop_variables_huge},
        {"compound_value NULL", w_compound_null},
        {"cell_value NULL", w_cell_null},
        {"assign_cell NULL", w_assign_cell_null},
        {"drop_last_step without the opt-in", w_drop_last_step_not_allowed},
        {"register_path NULL", w_register_path_null},
        {"register_function NULL", w_register_function_null},
        {"register_type NULL lang_type", w_register_type_null},
        {"register_type NULL fields, huge count", w_register_type_huge},
        {"register_variable_name NULL", w_register_variable_null},
        {"register_call NULL args, huge count", w_register_call_huge},
        {"source unknown path", w_source_unknown_path},
        {"source NULL data, len 10", w_source_null_data},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        wctx c;
        ct_status rc;
        wctx_open(&c, true);
        rc = calls[i].call(c.w);
        /* DropLastStep without the opt-in is documented as unsupported. */
        if (rc != CT_EINVAL && !(rc == CT_EUNSUPPORTED && calls[i].call == w_drop_last_step_not_allowed))
            PROBLEM("%s: status %d (%s), want CT_EINVAL", calls[i].name, (int)rc,
                    ct_writer_error(c.w)->message);
        wctx_close_failed(&c, rc < 0 ? rc : CT_EINVAL);
    }
    done();
}

/* ---- tracer ---------------------------------------------------------------------------------- */

static void test_tracer_misuse(void **state)
{
    char *tmp = ct_test_tmpdir("misuse");
    char *dir = ct_test_join(tmp, "trace");
    ct_tracer *t = (ct_tracer *)&t;
    ct_writer_options o;
    ct_error err = fresh_error();
    ct_value v = ct_value_none();
    ct_path_id p;
    ct_function_id f;
    ct_type_id ty;
    ct_variable_id var;
    (void)state;
    /* NULL handle */
    ct_tracer_abort(NULL);
    EXPECT_EINVAL(ct_tracer_finish(NULL, &err), &err);
    if (ct_tracer_error(NULL) != NULL || ct_tracer_writer(NULL) != NULL)
        PROBLEM("ct_tracer_error(NULL)/ct_tracer_writer(NULL)");
    EXPECT_EINVAL(ct_tracer_start(NULL, "/a", 1), NULL);
    EXPECT_EINVAL(ct_tracer_step(NULL, "/a", 1), NULL);
    EXPECT_EINVAL(ct_tracer_path_id(&p, NULL, "/a"), NULL);
    EXPECT_EINVAL(ct_tracer_function_id(&f, NULL, "f", "/a", 1), NULL);
    EXPECT_EINVAL(ct_tracer_type_id(&ty, NULL, CT_TYPE_INT, "int"), NULL);
    EXPECT_EINVAL(ct_tracer_variable_id(&var, NULL, "x"), NULL);
    EXPECT_EINVAL(ct_tracer_arg(NULL, "x", &v), NULL);
    EXPECT_EINVAL(ct_tracer_call(NULL, "f", "/a", 1), NULL);
    EXPECT_EINVAL(ct_tracer_call_id(NULL, 0), NULL);
    EXPECT_EINVAL(ct_tracer_return(NULL, NULL), NULL);
    EXPECT_EINVAL(ct_tracer_variable(NULL, "x", &v), NULL);
    EXPECT_EINVAL(ct_tracer_value(NULL, 0, &v), NULL);
    EXPECT_EINVAL(ct_tracer_event(NULL, CT_EVENT_WRITE, NULL, "x"), NULL);
    EXPECT_EINVAL(ct_tracer_asm(NULL, NULL, 0), NULL);
    v = ct_tracer_int_value(NULL, 1);
    v = ct_tracer_bool_value(NULL, true);
    v = ct_tracer_string_value(NULL, "x");
    v = ct_tracer_string_value_n(NULL, "x", 1);
    if (v.type_id != CT_NONE_TYPE_ID)
        PROBLEM("value maker of a NULL tracer carries a type");
    /* open */
    EXPECT_EINVAL(ct_tracer_open(NULL, dir, NULL, NULL, 0, NULL, &err), &err);
    EXPECT_EINVAL(ct_tracer_open(&t, NULL, NULL, NULL, 0, NULL, &err), &err);
    if (t != NULL)
        PROBLEM("ct_tracer_open failed without setting *out to NULL");
    ct_writer_options_init(&o);
    o.version = 7;
    EXPECT_EINVAL(ct_tracer_open(&t, dir, NULL, NULL, 0, &o, &err), &err);
    if (ct_test_count_entries(tmp) != 0)
        PROBLEM("a refused ct_tracer_open left files");
    /* wrong order and bad arguments on a live tracer: sticky, finish reports, no folder */
    {
        static const int cases = 17;
        int k;
        for (k = 0; k < cases; k++) {
            ct_status rc = CT_OK;
            assert_status(ct_tracer_open(&t, dir, "p", NULL, 0, NULL, &err), CT_OK, err);
            if (k > 0)
                assert_int_equal(ct_tracer_start(t, "/abs/a.tl", 1), CT_OK);
            switch (k) {
            case 0: rc = ct_tracer_step(t, "/abs/a.tl", 2); break;   /* before start */
            case 1: rc = ct_tracer_step(t, NULL, 2); break;
            case 2: rc = ct_tracer_path_id(NULL, t, "/abs/a.tl"); break;
            case 3: rc = ct_tracer_function_id(&f, t, NULL, "/abs/a.tl", 1); break;
            case 4: rc = ct_tracer_variable(t, "x", NULL); break;
            case 5: rc = ct_tracer_arg(t, NULL, &v); break;
            case 6: rc = ct_tracer_call_id(t, 999); break;
            case 7: rc = ct_tracer_value(t, 999, &v); break;
            case 8:
                rc = ct_tracer_return(t, NULL);
                rc = rc < 0 ? rc : ct_tracer_return(t, NULL);
                break;
            case 9: rc = ct_tracer_asm(t, NULL, 3); break;
            case 10: rc = ct_tracer_type_id(&ty, t, (ct_type_kind)1000, "x"); break;
            case 11: rc = ct_tracer_variable_id(NULL, t, "x"); break;
            case 12: rc = ct_tracer_arg(t, "x", NULL); break;
            case 13: {
                ct_value sv = ct_tracer_string_value_n(t, NULL, 5);
                rc = ct_tracer_variable(t, "s", &sv);
                break;
            }
            case 14: rc = ct_tracer_event(t, CT_EVENT_WRITE, NULL, NULL); break;
            case 15: rc = ct_tracer_function_id(&f, t, "f", NULL, 1); break;
            case 16: rc = ct_tracer_call(t, NULL, "/abs/a.tl", 1); break;
            }
            if (rc != CT_EINVAL)
                PROBLEM("tracer case %d: status %d (%s)", k, (int)rc, ct_tracer_error(t)->message);
            else if (!ct_tracer_error(t)->message[0])
                PROBLEM("tracer case %d: no message", k);
            EXPECT(ct_tracer_step(t, "/abs/a.tl", 3), rc, ct_tracer_error(t));
            EXPECT(ct_tracer_finish(t, &err), rc, &err);
            if (ct_test_exists(dir))
                PROBLEM("tracer case %d: a failed trace left its folder", k);
        }
    }
    ct_test_rmrf(tmp);
    free(dir);
    free(tmp);
    done();
}

/* ---- validate and bundle --------------------------------------------------------------------- */

static void test_validate_and_bundle(void **state)
{
    char *tmp = ct_test_tmpdir("misuse");
    char *missing = ct_test_join(tmp, "missing");
    char *out = ct_test_join(tmp, "out.tar.gz");
    ct_validate_report rep;
    ct_validate_options o;
    ct_error err = fresh_error();
    (void)state;
    ct_validate_options_init(NULL);
    EXPECT_EINVAL(ct_validate_dir(&rep, NULL, NULL, &err), &err);
    EXPECT_EINVAL(ct_validate_dir(NULL, NULL, NULL, NULL), NULL);
    ct_validate_options_init(&o);
    o.version = 0;
    EXPECT_EINVAL(ct_validate_dir(&rep, tmp, &o, &err), &err);
    ct_validate_options_init(&o);
    o.profile = (ct_profile)42;
    EXPECT_EINVAL(ct_validate_dir(&rep, tmp, &o, &err), &err);
    /* A folder without trace.json is an invalid trace, reported as such. */
    EXPECT(ct_validate_dir(NULL, missing, NULL, &err), CT_EPARSE, &err);
    EXPECT(ct_validate_dir(&rep, tmp, NULL, &err), CT_EPARSE, &err);

    EXPECT_EINVAL(ct_bundle_pack(NULL, out, &err), &err);
    EXPECT_EINVAL(ct_bundle_pack(tmp, NULL, &err), &err);
    EXPECT_EINVAL(ct_bundle_pack("", "", &err), &err);
    EXPECT_EINVAL(ct_bundle_pack(NULL, NULL, NULL), NULL);
    EXPECT(ct_bundle_pack(missing, out, &err), CT_EIO, &err);
    EXPECT_EINVAL(ct_bundle_unpack(NULL, missing, &err), &err);
    EXPECT_EINVAL(ct_bundle_unpack(out, NULL, &err), &err);
    EXPECT_EINVAL(ct_bundle_unpack("", "", &err), &err);
    EXPECT(ct_bundle_unpack(out, missing, &err), CT_EIO, &err);   /* no such archive */
    if (ct_test_exists(missing) || ct_test_exists(out))
        PROBLEM("bundle misuse left files behind");
    ct_test_rmrf(tmp);
    free(out);
    free(missing);
    free(tmp);
    done();
}

/* ---- replay ---------------------------------------------------------------------------------- */

static const char one_op[] =
    "{\"code\":\"0x00\",\"ops\":[{\"pc\":0,\"cost\":0,\"ex\":{\"used\":100,\"push\":[],"
    "\"mem\":null,\"store\":null},\"sub\":null}]}";

static ct_replay *open_text(const char *text)
{
    ct_replay *r = NULL;
    ct_error err = fresh_error();
    assert_status(ct_replay_open_memory(&r, text, strlen(text), NULL, &err), CT_OK, err);
    return r;
}

static void test_replay_arguments(void **state)
{
    ct_replay *r = (ct_replay *)&r;
    ct_replay_options o;
    ct_error err = fresh_error();
    const ct_evm_tx *tx;
    const ct_evm_step *s;
    ct_dialect d = CT_DIALECT_BESU;
    (void)state;
    ct_replay_options_init(NULL);
    ct_replay_free(NULL);
    if (ct_replay_error(NULL) != NULL)
        PROBLEM("ct_replay_error(NULL) is not NULL");
    if (ct_replay_warning_count(NULL) != 0 || ct_replay_warning(NULL, 0) != NULL ||
        ct_replay_input_is_list(NULL))
        PROBLEM("NULL replay queries");
    if (ct_dialect_parse(NULL, &d) || ct_dialect_parse("erigon", NULL) ||
        ct_dialect_parse("no-such", &d) || d != CT_DIALECT_BESU)
        PROBLEM("ct_dialect_parse misuse");
    EXPECT_EINVAL(ct_replay_open_file(NULL, "x", NULL, &err), &err);
    EXPECT_EINVAL(ct_replay_open_file(&r, NULL, NULL, &err), &err);
    if (r != NULL)
        PROBLEM("ct_replay_open_file failed without setting *out to NULL");
    EXPECT_EINVAL(ct_replay_open_file(&r, "", NULL, &err), &err);
    EXPECT(ct_replay_open_file(&r, "/nonexistent/x.json", NULL, &err), CT_EIO, &err);
    EXPECT_EINVAL(ct_replay_open_memory(NULL, one_op, 3, NULL, &err), &err);
    EXPECT_EINVAL(ct_replay_open_memory(&r, NULL, 10, NULL, &err), &err);
    EXPECT_EINVAL(ct_replay_open_memory(&r, NULL, 10, NULL, NULL), NULL);
    ct_replay_options_init(&o);
    o.version = 0;
    EXPECT_EINVAL(ct_replay_open_memory(&r, one_op, strlen(one_op), &o, &err), &err);
    o.version = CT_REPLAY_OPTIONS_VERSION + 1;
    EXPECT_EINVAL(ct_replay_open_file(&r, "/nonexistent/x.json", &o, &err), &err);
    ct_replay_options_init(&o);
    o.dialect = (ct_dialect)77;
    EXPECT_EINVAL(ct_replay_open_memory(&r, one_op, strlen(one_op), &o, &err), &err);
    /* An empty input is a parse error with a message, at the first call. */
    {
        ct_replay *e = NULL;
        ct_status rc = ct_replay_open_memory(&e, one_op, 0, NULL, &err);
        if (rc == CT_OK) {
            EXPECT(ct_replay_next_tx(&tx, e), CT_EPARSE, ct_replay_error(e));
            ct_replay_free(e);
        } else if (rc != CT_EPARSE) {
            PROBLEM("empty input: status %d", (int)rc);
        }
    }
    r = open_text(one_op);
    EXPECT_EINVAL(ct_replay_next_tx(NULL, r), ct_replay_error(r));
    EXPECT_EINVAL(ct_replay_next_tx(&tx, NULL), NULL);
    EXPECT_EINVAL(ct_replay_next(NULL, r), ct_replay_error(r));
    EXPECT_EINVAL(ct_replay_next(&s, NULL), NULL);
    EXPECT_EINVAL(ct_replay_foreach(NULL, NULL, NULL), NULL);
    EXPECT_EINVAL(ct_replay_foreach(r, NULL, NULL), ct_replay_error(r));
    if (ct_replay_warning(r, 12345) != NULL || ct_replay_warning(r, (size_t)-1) != NULL)
        PROBLEM("ct_replay_warning out of range is not NULL");
    ct_replay_free(r);
    done();
}

static ct_status count_steps(const ct_evm_tx *tx, const ct_evm_step *s, void *payload)
{
    (void)tx;
    (void)s;
    ++*(int *)payload;
    return CT_OK;
}

static void test_replay_order(void **state)
{
    ct_replay *r;
    const ct_evm_tx *tx;
    const ct_evm_step *s;
    int n = 0;
    (void)state;
    /* next before next_tx */
    r = open_text(one_op);
    EXPECT_EINVAL(ct_replay_next(&s, r), ct_replay_error(r));
    /* the refused call does not spoil the replay */
    EXPECT(ct_replay_next_tx(&tx, r), CT_OK, ct_replay_error(r));
    EXPECT(ct_replay_next(&s, r), CT_OK, ct_replay_error(r));
    EXPECT(ct_replay_next(&s, r), CT_DONE, ct_replay_error(r));
    EXPECT(ct_replay_next(&s, r), CT_DONE, ct_replay_error(r));   /* stays done */
    EXPECT(ct_replay_next_tx(&tx, r), CT_DONE, ct_replay_error(r));
    EXPECT(ct_replay_next_tx(&tx, r), CT_DONE, ct_replay_error(r));
    {
        ct_status rc = ct_replay_next(&s, r);
        if (rc != CT_DONE && rc != CT_EINVAL)
            PROBLEM("next after the last transaction: %d", (int)rc);
    }
    /* foreach after the end does nothing */
    EXPECT(ct_replay_foreach(r, count_steps, &n), CT_OK, ct_replay_error(r));
    if (n != 0)
        PROBLEM("foreach after the end called back %d times", n);
    ct_replay_free(r);

    /* after an error: the same error again, never a crash or a step */
    r = open_text("{\"code\":\"0x00\",\"ops\":[{\"pc\":0,\"cost\":0,\"ex\":");
    {
        ct_status rc = ct_replay_next_tx(&tx, r);
        if (rc == CT_OK)
            rc = ct_replay_next(&s, r);
        if (rc == CT_OK)
            rc = ct_replay_next(&s, r);
        if (rc != CT_EPARSE)
            PROBLEM("truncated input: status %d, want CT_EPARSE", (int)rc);
        EXPECT(ct_replay_next(&s, r), rc, ct_replay_error(r));
        EXPECT(ct_replay_next_tx(&tx, r), rc, ct_replay_error(r));
        EXPECT(ct_replay_next(&s, r), rc, ct_replay_error(r));
        EXPECT(ct_replay_foreach(r, count_steps, &n), rc, ct_replay_error(r));
    }
    ct_replay_free(r);
    done();
}

/* ---- structlogs ------------------------------------------------------------------------------ */

static void test_structlogs_misuse(void **state)
{
    char *tmp = ct_test_tmpdir("misuse");
    char *out = ct_test_join(tmp, "out.json");
    ct_structlogs_options o;
    ct_error err = fresh_error();
    ct_evm_tx tx;
    ct_replay *r;
    (void)state;
    ct_structlogs_options_init(NULL);
    memset(&tx, 0, sizeof tx);
    tx.input_known = true;
    tx.input_len = 100;   /* with input NULL */
    (void)ct_structlogs_tx_gas(NULL, 16);
    (void)ct_structlogs_tx_gas(&tx, 16);
    (void)ct_structlogs_receipt_gas(NULL, NULL);
    ct_structlogs_options_init(&o);
    (void)ct_structlogs_receipt_gas(&tx, NULL);
    o.calldata_floor = true;
    (void)ct_structlogs_receipt_gas(&tx, &o);
    if (ct_structlogs_set_fork(NULL, "cancun") || ct_structlogs_set_fork(&o, NULL) ||
        ct_structlogs_set_fork(&o, "no-such-fork"))
        PROBLEM("ct_structlogs_set_fork misuse returned true");
    EXPECT_EINVAL(ct_structlogs_write_file(NULL, out, NULL, &err), &err);
    EXPECT_EINVAL(ct_structlogs_write_fd(NULL, 1, NULL, &err), &err);
    r = open_text(one_op);
    EXPECT_EINVAL(ct_structlogs_write_file(r, NULL, NULL, &err), &err);
    EXPECT_EINVAL(ct_structlogs_write_file(r, "", NULL, &err), &err);
    ct_structlogs_options_init(&o);
    o.version = 0;
    EXPECT_EINVAL(ct_structlogs_write_file(r, out, &o, &err), &err);
    EXPECT_EINVAL(ct_structlogs_write_fd(r, 1, &o, &err), &err);
    EXPECT_EINVAL(ct_structlogs_write_fd(r, -1, NULL, &err), &err);
    if (ct_test_exists(out))
        PROBLEM("refused structlogs left %s", out);
    /* the replay is still whole after the refusals */
    EXPECT(ct_structlogs_write_file(r, out, NULL, &err), CT_OK, &err);
    ct_replay_free(r);
    ct_test_rmrf(tmp);
    free(out);
    free(tmp);
    done();
}

/* ---- evm_record ------------------------------------------------------------------------------ */

static void test_evm_record_misuse(void **state)
{
    char *tmp = ct_test_tmpdir("misuse");
    char *in = ct_test_join(tmp, "in.json");
    char *out = ct_test_join(tmp, "trace");
    ct_evm_record_options o;
    ct_evm_record_report rep;
    ct_error err = fresh_error();
    (void)state;
    assert_int_equal(ct_test_write_file(in, one_op, strlen(one_op)), 0);
    ct_evm_record_options_init(NULL);
    EXPECT_EINVAL(ct_evm_record(NULL, &rep, &err), &err);
    EXPECT_EINVAL(ct_evm_record(NULL, NULL, NULL), NULL);
    ct_evm_record_options_init(&o);
    EXPECT_EINVAL(ct_evm_record(&o, &rep, &err), &err);   /* no input, no output */
    o.input = in;
    o.output = out;
    o.version = 0;
    EXPECT_EINVAL(ct_evm_record(&o, &rep, &err), &err);
    o.version = CT_EVM_RECORD_OPTIONS_VERSION;
    o.nartifacts = 4;   /* artifacts NULL */
    EXPECT_EINVAL(ct_evm_record(&o, NULL, &err), &err);
    o.nartifacts = 0;
    o.naddress_map = 2;   /* address_map NULL */
    EXPECT_EINVAL(ct_evm_record(&o, NULL, &err), &err);
    o.naddress_map = 0;
    o.granularity = (ct_evm_granularity)9;
    EXPECT_EINVAL(ct_evm_record(&o, NULL, &err), &err);
    o.granularity = CT_EVM_GRANULARITY_LINE;
    o.profile = (ct_profile)9;
    EXPECT_EINVAL(ct_evm_record(&o, NULL, &err), &err);
    o.profile = CT_PROFILE_PORTABLE;
    o.dialect = (ct_dialect)99;
    EXPECT_EINVAL(ct_evm_record(&o, NULL, &err), &err);
    o.dialect = CT_DIALECT_AUTO;
    {
        static const ct_evm_address_entry bad[1] = {{NULL, NULL}};
        o.address_map = bad;
        o.naddress_map = 1;
        EXPECT_EINVAL(ct_evm_record(&o, NULL, &err), &err);
        o.address_map = NULL;
        o.naddress_map = 0;
    }
    {
        const char *arts[1] = {NULL};
        o.artifacts = arts;
        o.nartifacts = 1;
        EXPECT_EINVAL(ct_evm_record(&o, NULL, &err), &err);
        o.artifacts = NULL;
        o.nartifacts = 0;
    }
    if (ct_test_exists(out))
        PROBLEM("refused ct_evm_record left %s", out);
    /* The report and the error are optional. */
    {
        ct_status rc = ct_evm_record(&o, NULL, NULL);
        if (rc != CT_OK || !ct_test_exists(out))
            PROBLEM("ct_evm_record without report and error: status %d", (int)rc);
    }
    ct_test_rmrf(tmp);
    free(out);
    free(in);
    free(tmp);
    done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_common),
        cmocka_unit_test(test_value_makers),
        cmocka_unit_test(test_writer_null_handle),
        cmocka_unit_test(test_writer_open_bad_arguments),
        cmocka_unit_test(test_writer_before_start),
        cmocka_unit_test(test_writer_bad_calls),
        cmocka_unit_test(test_tracer_misuse),
        cmocka_unit_test(test_validate_and_bundle),
        cmocka_unit_test(test_replay_arguments),
        cmocka_unit_test(test_replay_order),
        cmocka_unit_test(test_structlogs_misuse),
        cmocka_unit_test(test_evm_record_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
