/* Profiles (what each refuses) and ordering rules (strict vs verbatim). Every refusal must be
 * sticky and leave no trace folder; every acceptance must close into a trace. */
#define WFIX_SUITE "test_writer_rules"
#include "writer_fixture.h"

#include "util/error.h"

#include <math.h>

typedef ct_status (*action_fn)(ct_writer *w);

/* Run `act` after start (types: 1 int, 2 seq; variable 0 "v"; one Step unless `no_step`)
 * and check its status; then close, expecting success exactly when `act` succeeded. */
static void run_case(ct_profile p, ct_order_mode order, bool no_step, action_fn act,
                     ct_status want, const char *what)
{
    wfix f;
    ct_type_id t;
    ct_variable_id v;
    ct_status rc;
    char name[128], *c;
    snprintf(name, sizeof name, "%s-%d-%d", what, (int)p, (int)order);
    for (c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
            *c = '_';
    wfix_start_named(&f, p, order, name);
    assert_int_equal(ct_writer_type_id(&t, f.w, CT_TYPE_INT, "int"), CT_OK);
    assert_int_equal(ct_writer_type_id(&t, f.w, CT_TYPE_SEQ, "seq"), CT_OK);
    assert_int_equal(ct_writer_variable_id(&v, f.w, "v"), CT_OK);
    if (!no_step)
        assert_int_equal(ct_writer_step(f.w, 0, 2), CT_OK);
    rc = act(f.w);
    if (rc != want)
        fail_msg("%s in profile %d order %d: got %d want %d (%s)", what, (int)p, (int)order,
                 (int)rc, (int)want, ct_writer_error(f.w)->message);
    if (want == CT_OK) {
        free(wfix_close(&f));
    } else {
        assert_int_equal(ct_writer_step(f.w, 0, 3), want);   /* sticky */
        wfix_close_fails(&f, want);
    }
    wfix_done(&f);
}

static ct_status act_float(ct_writer *w)
{
    ct_value v = ct_value_float(1, 0.5);
    return ct_writer_value(w, 0, &v);
}
static ct_status act_float_nan(ct_writer *w)
{
    ct_value v = ct_value_float(1, NAN);
    return ct_writer_value(w, 0, &v);
}
static ct_status act_float_nested(ct_writer *w)
{
    ct_value f = ct_value_float(1, 0.5);
    ct_value v = ct_value_items(CT_VALUE_SEQUENCE, 2, &f, 1, false);
    return ct_writer_value(w, 0, &v);
}
static ct_status act_float_return(ct_writer *w)
{
    ct_value f = ct_value_float(1, 0.5);
    return ct_writer_return(w, &f);
}
static ct_status act_char(ct_writer *w)
{
    ct_value v;
    v.kind = CT_VALUE_CHAR;
    v.type_id = 1;
    v.as.ch = 'x';
    return ct_writer_value(w, 0, &v);
}
static ct_status act_variant(ct_writer *w)
{
    ct_value inner = ct_value_int(1, 1), v;
    v.kind = CT_VALUE_VARIANT;
    v.type_id = 1;
    v.as.variant.discriminator.ptr = "Some";
    v.as.variant.discriminator.len = 4;
    v.as.variant.contents = &inner;
    return ct_writer_value(w, 0, &v);
}
static ct_status act_variant_arg(ct_writer *w)
{
    ct_value inner = ct_value_int(1, 1);
    ct_function_id f;
    ct_arg a;
    CT_TRY(ct_writer_function_id(&f, w, "g", 0, 9));
    a.variable_id = 0;
    a.value.kind = CT_VALUE_VARIANT;
    a.value.type_id = 1;
    a.value.as.variant.discriminator.ptr = "None";
    a.value.as.variant.discriminator.len = 4;
    a.value.as.variant.contents = &inner;
    return ct_writer_call(w, f, &a, 1);
}
static ct_status act_bind(ct_writer *w)
{
    return ct_writer_bind_variable(w, 0, 1);
}
static ct_status act_assign(ct_writer *w)
{
    ct_rvalue r;
    memset(&r, 0, sizeof r);
    r.kind = CT_RVALUE_SIMPLE;
    return ct_writer_assignment(w, 0, CT_PASS_BY_REFERENCE, &r);
}
static ct_status act_drop_vars(ct_writer *w)
{
    ct_variable_id v = 0;
    return ct_writer_drop_variables(w, &v, 1);
}
static ct_status act_thread_start(ct_writer *w)
{
    return ct_writer_thread_start(w, 1);
}
static ct_status act_thread_exit(ct_writer *w)
{
    return ct_writer_thread_exit(w, 1);
}
static ct_status act_thread_switch(ct_writer *w)
{
    return ct_writer_thread_switch(w, 1);
}
static ct_status act_drop_last_step(ct_writer *w)
{
    return ct_writer_drop_last_step(w);
}
static ct_status act_cells(ct_writer *w)
{
    ct_value cell, seq, one = ct_value_int(1, 1);
    cell.kind = CT_VALUE_CELL;
    cell.type_id = 0;
    cell.as.place = 5;
    seq = ct_value_items(CT_VALUE_SEQUENCE, 2, &cell, 1, false);
    CT_TRY(ct_writer_compound_value(w, 4, &seq));
    CT_TRY(ct_writer_cell_value(w, 5, &one));
    CT_TRY(ct_writer_assign_compound_item(w, 4, 0, 5));
    CT_TRY(ct_writer_assign_cell(w, 5, &one));
    CT_TRY(ct_writer_variable_cell(w, 0, 4));
    return ct_writer_drop_variable(w, 0);
}

static void test_profiles(void **state)
{
    static const struct {
        action_fn act;
        const char *name;
        ct_status portable, v25_11, current;
    } cases[] = {
        {act_float, "Float", CT_EUNSUPPORTED, CT_OK, CT_OK},
        {act_float_nan, "Float NaN", CT_EUNSUPPORTED, CT_EUNSUPPORTED, CT_OK},
        {act_float_nested, "nested Float", CT_EUNSUPPORTED, CT_OK, CT_OK},
        {act_float_return, "Float return", CT_EUNSUPPORTED, CT_OK, CT_OK},
        {act_char, "Char", CT_EUNSUPPORTED, CT_EUNSUPPORTED, CT_OK},
        {act_variant, "Variant", CT_EUNSUPPORTED, CT_OK, CT_OK},
        {act_variant_arg, "Variant argument", CT_EUNSUPPORTED, CT_OK, CT_OK},
        {act_bind, "BindVariable", CT_EUNSUPPORTED, CT_EUNSUPPORTED, CT_OK},
        {act_assign, "Assignment", CT_EUNSUPPORTED, CT_EUNSUPPORTED, CT_OK},
        {act_drop_vars, "DropVariables", CT_EUNSUPPORTED, CT_EUNSUPPORTED, CT_OK},
        {act_thread_start, "ThreadStart", CT_EUNSUPPORTED, CT_EUNSUPPORTED, CT_OK},
        {act_thread_exit, "ThreadExit", CT_EUNSUPPORTED, CT_EUNSUPPORTED, CT_OK},
        {act_thread_switch, "ThreadSwitch", CT_EUNSUPPORTED, CT_EUNSUPPORTED, CT_OK},
        {act_drop_last_step, "DropLastStep", CT_EUNSUPPORTED, CT_EUNSUPPORTED,
         CT_EUNSUPPORTED},
        {act_cells, "cell events", CT_OK, CT_OK, CT_OK},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_case(CT_PROFILE_PORTABLE, CT_ORDER_STRICT, false, cases[i].act, cases[i].portable,
                 cases[i].name);
        run_case(CT_PROFILE_CODETRACER_25_11, CT_ORDER_STRICT, false, cases[i].act,
                 cases[i].v25_11, cases[i].name);
        run_case(CT_PROFILE_CURRENT, CT_ORDER_STRICT, false, cases[i].act, cases[i].current,
                 cases[i].name);
        /* verbatim order does not lift profile refusals */
        run_case(CT_PROFILE_PORTABLE, CT_ORDER_VERBATIM, false, cases[i].act,
                 cases[i].portable, cases[i].name);
    }
}

static void test_refusal_messages(void **state)
{
    wfix f;
    (void)state;
    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    assert_int_equal(act_float(f.w), CT_EINVAL);   /* type 1 not registered here */
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    wfix_start(&f, CT_PROFILE_CODETRACER_25_11, CT_ORDER_STRICT);
    assert_int_equal(act_assign(f.w), CT_EUNSUPPORTED);
    assert_non_null(strstr(ct_writer_error(f.w)->message,
                           "Assignment cannot be carried by the codetracer-25.11 profile"));
    wfix_close_fails(&f, CT_EUNSUPPORTED);
    wfix_done(&f);

    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    {
        ct_function_id fn;
        ct_variable_id v;
        ct_arg a[2];
        assert_int_equal(ct_writer_function_id(&fn, f.w, "g", 0, 2), CT_OK);
        assert_int_equal(ct_writer_variable_id(&v, f.w, "a"), CT_OK);
        a[0].variable_id = v;
        a[0].value = ct_value_none();
        a[1].variable_id = v;
        a[1].value = ct_value_items(CT_VALUE_TUPLE, 0, &a[0].value, 1, false);
        a[1].value.type_id = 0;
        a[0].value.type_id = 9;   /* element 0 of arg 1 points at it */
        assert_int_equal(ct_writer_call(f.w, fn, a, 2), CT_EINVAL);
        assert_non_null(strstr(ct_writer_error(f.w)->message, "Call.args[0].value: type id 9"));
    }
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    {
        ct_function_id fn;
        ct_variable_id v;
        ct_value bad = ct_value_int(9, 1);
        ct_arg a[2];
        assert_int_equal(ct_writer_function_id(&fn, f.w, "g", 0, 2), CT_OK);
        assert_int_equal(ct_writer_variable_id(&v, f.w, "a"), CT_OK);
        a[0].variable_id = v;
        a[0].value = ct_value_none();
        a[1].variable_id = v;
        a[1].value = ct_value_items(CT_VALUE_TUPLE, 0, &bad, 1, false);
        assert_int_equal(ct_writer_call(f.w, fn, a, 2), CT_EINVAL);
        assert_non_null(strstr(ct_writer_error(f.w)->message,
                               "Call.args[1].value.elements[0]: type id 9"));
        assert_int_equal(ct_writer_event_count(f.w), 6);   /* nothing of the Call written */
    }
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    assert_int_equal(ct_writer_drop_last_step(f.w), CT_EUNSUPPORTED);
    assert_non_null(strstr(ct_writer_error(f.w)->message, "allow_drop_last_step"));
    wfix_close_fails(&f, CT_EUNSUPPORTED);
    wfix_done(&f);
}

static void test_drop_last_step_opt_in(void **state)
{
    wfix f;
    char *json;
    (void)state;
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    f.opts.allow_drop_last_step = true;
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_step(f.w, 0, 3), CT_OK);
    assert_int_equal(ct_writer_step(f.w, 0, 4), CT_OK);
    assert_int_equal(ct_writer_drop_last_step(f.w), CT_OK);
    json = wfix_close(&f);
    assert_string_equal(json, WFIX_START ",{\"Step\":{\"path_id\":0,\"line\":3}},"
                        "{\"Step\":{\"path_id\":0,\"line\":4}},\"DropLastStep\"]");
    free(json);
    wfix_done(&f);
}

/* ---- ordering -------------------------------------------------------------------------------- */

static ct_status act_asm(ct_writer *w)
{
    const char *l = "STOP";
    return ct_writer_asm(w, &l, 1);
}
static ct_status act_compound(ct_writer *w)
{
    ct_value one = ct_value_int(1, 1);
    ct_value seq = ct_value_items(CT_VALUE_SEQUENCE, 2, &one, 1, false);
    return ct_writer_compound_value(w, 1, &seq);
}
static ct_status act_compound_not_seq(ct_writer *w)
{
    ct_value one = ct_value_int(1, 1);
    ct_value tup = ct_value_items(CT_VALUE_TUPLE, 2, &one, 1, false);
    return ct_writer_compound_value(w, 1, &tup);
}
static ct_status act_cell_value(ct_writer *w)
{
    ct_value one = ct_value_int(1, 1);
    return ct_writer_cell_value(w, 1, &one);
}
static ct_status act_assign_cell(ct_writer *w)
{
    ct_value one = ct_value_int(1, 1);
    return ct_writer_assign_cell(w, 1, &one);
}
static ct_status act_variable_cell(ct_writer *w)
{
    return ct_writer_variable_cell(w, 0, 1);
}
static ct_status act_drop_variable(ct_writer *w)
{
    return ct_writer_drop_variable(w, 0);
}
static ct_status act_assign_item(ct_writer *w)
{
    return ct_writer_assign_compound_item(w, 1, 0, 2);
}
static ct_status act_bare_cell_value(ct_writer *w)
{
    ct_value c;
    c.kind = CT_VALUE_CELL;
    c.type_id = 0;
    c.as.place = 1;
    return ct_writer_value(w, 0, &c);
}
static ct_status act_return_twice(ct_writer *w)
{
    CT_TRY(ct_writer_return(w, NULL));
    return ct_writer_return(w, NULL);
}
static ct_status act_variable_cell_after_return(ct_writer *w)
{
    CT_TRY(ct_writer_return(w, NULL));
    return ct_writer_variable_cell(w, 0, 1);
}
static ct_status act_unknown_function(ct_writer *w)
{
    return ct_writer_call(w, 7, NULL, 0);
}
static ct_status act_unknown_variable(ct_writer *w)
{
    ct_value v = ct_value_int(1, 1);
    return ct_writer_value(w, 3, &v);
}
static ct_status act_unknown_arg_type(ct_writer *w)
{
    ct_function_id f;
    ct_arg a;
    CT_TRY(ct_writer_function_id(&f, w, "g", 0, 9));
    a.variable_id = 0;
    a.value = ct_value_int(9, 1);
    return ct_writer_call(w, f, &a, 1);
}
static ct_status act_unknown_arg_variable(ct_writer *w)
{
    ct_arg a;
    a.variable_id = 4;
    a.value = ct_value_int(1, 1);
    return ct_writer_register_call(w, 0, &a, 1);
}
static ct_status act_unknown_return_type(ct_writer *w)
{
    ct_value v = ct_value_int(3, 1);
    return ct_writer_return(w, &v);
}
static ct_status act_unknown_path(ct_writer *w)
{
    ct_function_id f;
    return ct_writer_function_id(&f, w, "g", 2, 1);
}
static ct_status act_unknown_field_type(ct_writer *w)
{
    ct_field fl = {"a", 6};
    ct_type_id t;
    return ct_writer_struct_type_id(&t, w, "S", &fl, 1);
}
static ct_status act_unknown_deref(ct_writer *w)
{
    ct_type_id t;
    return ct_writer_pointer_type_id(&t, w, "*S", 6);
}
static ct_status act_bad_type_kind(ct_writer *w)
{
    ct_type_id t;
    return ct_writer_type_id(&t, w, (ct_type_kind)34, "x");
}
static ct_status act_bad_event_kind(ct_writer *w)
{
    return ct_writer_event(w, (ct_event_kind)14, "", "x");
}
static ct_status act_start_again(ct_writer *w)
{
    return ct_writer_start(w, "/abs/src/Counter.sol", 1);
}
static ct_status act_struct_count(ct_writer *w)
{
    ct_field fl[2] = {{"a", 1}, {"b", 1}};
    ct_type_id t;
    ct_value one = ct_value_int(1, 1), v;
    CT_TRY(ct_writer_struct_type_id(&t, w, "S", fl, 2));
    v = ct_value_items(CT_VALUE_STRUCT, t, &one, 1, false);
    return ct_writer_value(w, 0, &v);
}
static ct_status act_call_and_return(ct_writer *w)
{
    ct_function_id f;
    ct_value r = ct_value_int(1, 5);
    CT_TRY(ct_writer_function_id(&f, w, "g", 0, 9));
    CT_TRY(ct_writer_call(w, f, NULL, 0));
    if (ct_writer_call_depth(w) != 2)
        return CT_ERROR;
    CT_TRY(ct_writer_return(w, &r));
    CT_TRY(ct_writer_return(w, NULL));
    return ct_writer_call_depth(w) == 0 ? CT_OK : CT_ERROR;
}

static void test_ordering_rules(void **state)
{
    static const struct {
        action_fn act;
        const char *name;
        bool no_step;
        ct_status strict, verbatim;
    } cases[] = {
        {act_asm, "Asm before Step", true, CT_EINVAL, CT_OK},
        {act_asm, "Asm", false, CT_OK, CT_OK},
        {act_compound, "CompoundValue before Step", true, CT_EINVAL, CT_OK},
        {act_compound_not_seq, "CompoundValue of a Tuple", false, CT_EINVAL, CT_OK},
        {act_cell_value, "CellValue before Step", true, CT_EINVAL, CT_OK},
        {act_assign_cell, "AssignCell before Step", true, CT_EINVAL, CT_OK},
        {act_variable_cell, "VariableCell before Step", true, CT_EINVAL, CT_OK},
        {act_drop_variable, "DropVariable before Step", true, CT_EINVAL, CT_OK},
        {act_assign_item, "AssignCompoundItem before CompoundValue", false, CT_EINVAL, CT_OK},
        {act_bare_cell_value, "Cell outside CompoundValue", false, CT_EINVAL, CT_OK},
        {act_variable_cell_after_return, "VariableCell outside a Call", false, CT_EINVAL,
         CT_OK},
        {act_return_twice, "more Returns than Calls", false, CT_EINVAL, CT_EINVAL},
        {act_unknown_function, "unknown function id", false, CT_EINVAL, CT_EINVAL},
        {act_unknown_variable, "unknown variable id", false, CT_EINVAL, CT_EINVAL},
        {act_unknown_arg_type, "unknown argument type", false, CT_EINVAL, CT_EINVAL},
        {act_unknown_arg_variable, "unknown argument variable", false, CT_EINVAL, CT_EINVAL},
        {act_unknown_return_type, "unknown return type", false, CT_EINVAL, CT_EINVAL},
        {act_unknown_path, "unknown path id", false, CT_EINVAL, CT_EINVAL},
        {act_unknown_field_type, "unknown field type", false, CT_EINVAL, CT_EINVAL},
        {act_unknown_deref, "unknown dereference type", false, CT_EINVAL, CT_EINVAL},
        {act_bad_type_kind, "TypeKind 34", false, CT_EINVAL, CT_EINVAL},
        {act_bad_event_kind, "EventLogKind 14", false, CT_EINVAL, CT_EINVAL},
        {act_start_again, "start twice", false, CT_EINVAL, CT_EINVAL},
        {act_struct_count, "Struct value field count", false, CT_EINVAL, CT_OK},
        {act_call_and_return, "Call/Return depth", false, CT_OK, CT_OK},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_case(CT_PROFILE_CURRENT, CT_ORDER_STRICT, cases[i].no_step, cases[i].act,
                 cases[i].strict, cases[i].name);
        run_case(CT_PROFILE_CURRENT, CT_ORDER_VERBATIM, cases[i].no_step, cases[i].act,
                 cases[i].verbatim, cases[i].name);
    }
}

static void test_strict_needs_start(void **state)
{
    wfix f;
    ct_type_id t;
    ct_path_id p;
    ct_value v = ct_value_none();
    (void)state;
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    wfix_open(&f);
    assert_int_equal(ct_writer_step(f.w, 0, 1), CT_EINVAL);
    assert_non_null(strstr(ct_writer_error(f.w)->message, "before ct_writer_start"));
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    wfix_open(&f);
    assert_int_equal(ct_writer_path_id(&p, f.w, "/a"), CT_EINVAL);
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    wfix_open(&f);
    assert_int_equal(ct_writer_register_type(f.w, CT_TYPE_NONE, "None", NULL, 0, NULL),
                     CT_EINVAL);
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    /* closing a never-started strict trace is refused: it would not load */
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    wfix_open(&f);
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    /* so is one without a Step (CodeTracer opens a trace at step 0), also when the only
     * Step was dropped */
    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    {
        ct_error err;
        assert_int_equal(ct_writer_close(f.w, &err), CT_EINVAL);
        assert_non_null(strstr(err.message, "without any Step"));
        f.w = NULL;
        assert_int_equal(wfix_entries(&f), 0);
    }
    wfix_done(&f);
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    f.opts.allow_drop_last_step = true;
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_step(f.w, 0, 2), CT_OK);
    assert_int_equal(ct_writer_drop_last_step(f.w), CT_OK);
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    /* verbatim: anything in any order, ids still checked */
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_VERBATIM);
    wfix_open(&f);
    assert_int_equal(ct_writer_value(f.w, 0, &v), CT_EINVAL);   /* no variable, no type */
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_VERBATIM);
    wfix_open(&f);
    assert_int_equal(ct_writer_type_id(&t, f.w, CT_TYPE_INT, "int"), CT_OK);
    assert_int_equal(t, 0);
    assert_int_equal(ct_writer_path_id(&p, f.w, "/x.sol"), CT_OK);
    assert_int_equal(ct_writer_step(f.w, p, 1), CT_OK);
    assert_int_equal(ct_writer_return(f.w, NULL), CT_EINVAL);   /* no Call open */
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_VERBATIM);
    wfix_open(&f);
    assert_int_equal(ct_writer_path_id(&p, f.w, "/x.sol"), CT_OK);
    assert_int_equal(ct_writer_step(f.w, p, 1), CT_OK);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_call_depth(f.w), 1);
    {
        char *json = wfix_close(&f);
        assert_string_equal(json, "[{\"Path\":\"/x.sol\"},{\"Step\":{\"path_id\":0,\"line\":1}},"
            "{\"Path\":\"/abs/src/Counter.sol\"},{\"Function\":{\"path_id\":1,\"line\":1,"
            "\"name\":\"<toplevel>\"}},{\"Call\":{\"function_id\":0,\"args\":[]}},{\"Type\":"
            "{\"kind\":30,\"lang_type\":\"None\",\"specific_info\":{\"kind\":\"None\"}}}]");
        free(json);
    }
    wfix_done(&f);

    /* verbatim ct_writer_call is only the Call: no argument Values, no Step */
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_VERBATIM);
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    {
        ct_function_id fn;
        ct_variable_id var;
        ct_arg a;
        char *json;
        assert_int_equal(ct_writer_function_id(&fn, f.w, "g", 0, 9), CT_OK);
        assert_int_equal(ct_writer_variable_id(&var, f.w, "a"), CT_OK);
        a.variable_id = var;
        a.value = ct_value_none();
        assert_int_equal(ct_writer_call(f.w, fn, &a, 1), CT_OK);
        json = wfix_close(&f);
        assert_string_equal(json, WFIX_START ",{\"Function\":{\"path_id\":0,\"line\":9,"
            "\"name\":\"g\"}},{\"VariableName\":\"a\"},{\"Call\":{\"function_id\":1,\"args\":"
            "[{\"variable_id\":0,\"value\":{\"kind\":\"None\",\"type_id\":0}}]}}]");
        free(json);
    }
    wfix_done(&f);

    /* an empty verbatim trace closes into "[]" */
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_VERBATIM);
    wfix_open(&f);
    {
        char *json = wfix_close(&f);
        assert_string_equal(json, "[]");
        free(json);
    }
    wfix_done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profiles),
        cmocka_unit_test(test_refusal_messages),
        cmocka_unit_test(test_drop_last_step_opt_in),
        cmocka_unit_test(test_ordering_rules),
        cmocka_unit_test(test_strict_needs_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
