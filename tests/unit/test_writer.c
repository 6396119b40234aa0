/* The writer end to end: exact JSON of every event kind (the reference's serde_json examples),
 * interning ids, the trace folder it leaves, NULL arguments, sticky errors and UTF-8 policy. */
#include "writer_fixture.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <sys/resource.h>

static void test_every_event_exact_json(void **state)
{
    wfix f;
    ct_type_id t_int, t_bool, t_seq, t_point, t_ptr;
    ct_variable_id x, y, z;
    ct_function_id fn;
    ct_value cell, seq;
    ct_field fields[1];
    ct_arg arg;
    const ct_variable_id pair[2] = {1, 2}, drop[2] = {0, 1};
    const char *asm_lines[2] = {"PUSH1 0x80", "MSTORE"};
    ct_rvalue rv;
    ct_value iv;
    char *json;
    (void)state;
    wfix_init(&f, CT_PROFILE_CURRENT, CT_ORDER_STRICT);
    f.opts.allow_drop_last_step = true;
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_type_id(&t_int, f.w, CT_TYPE_INT, "int"), CT_OK);
    assert_int_equal(ct_writer_type_id(&t_bool, f.w, CT_TYPE_BOOL, "bool"), CT_OK);
    assert_int_equal(ct_writer_type_id(&t_seq, f.w, CT_TYPE_SEQ, "seq"), CT_OK);
    assert_int_equal(ct_writer_variable_id(&x, f.w, "x"), CT_OK);
    assert_int_equal(ct_writer_variable_id(&y, f.w, "y"), CT_OK);
    assert_int_equal(ct_writer_variable_id(&z, f.w, "z"), CT_OK);
    assert_int_equal(ct_writer_step(f.w, 0, 7), CT_OK);
    iv = ct_value_int(t_int, -5);
    assert_int_equal(ct_writer_value(f.w, x, &iv), CT_OK);
    assert_int_equal(ct_writer_function_id(&fn, f.w, "f", 0, 3), CT_OK);
    arg.variable_id = x;
    arg.value = ct_value_bool(t_bool, true);
    assert_int_equal(ct_writer_call(f.w, fn, &arg, 1), CT_OK);
    assert_int_equal(ct_writer_event(f.w, CT_EVENT_EVM, "LOG1", "0xddf2"), CT_OK);
    assert_int_equal(ct_writer_asm(f.w, asm_lines, 2), CT_OK);
    assert_int_equal(ct_writer_bind_variable(f.w, x, -1), CT_OK);
    memset(&rv, 0, sizeof rv);
    rv.kind = CT_RVALUE_COMPOUND;
    rv.variables = pair;
    rv.nvariables = 2;
    assert_int_equal(ct_writer_assignment(f.w, x, CT_PASS_BY_VALUE, &rv), CT_OK);
    assert_int_equal(ct_writer_drop_variables(f.w, drop, 2), CT_OK);
    cell.kind = CT_VALUE_CELL;
    cell.type_id = 0;
    cell.as.place = 0;
    seq = ct_value_items(CT_VALUE_SEQUENCE, t_seq, &cell, 1, false);
    assert_int_equal(ct_writer_compound_value(f.w, 1, &seq), CT_OK);
    iv = ct_value_int(t_int, 1);
    assert_int_equal(ct_writer_cell_value(f.w, 0, &iv), CT_OK);
    assert_int_equal(ct_writer_assign_compound_item(f.w, 1, 0, 2), CT_OK);
    iv = ct_value_int(t_int, 2);
    assert_int_equal(ct_writer_assign_cell(f.w, 0, &iv), CT_OK);
    assert_int_equal(ct_writer_variable_cell(f.w, x, 1), CT_OK);
    assert_int_equal(ct_writer_drop_variable(f.w, x), CT_OK);
    assert_int_equal(ct_writer_thread_start(f.w, 1), CT_OK);
    assert_int_equal(ct_writer_thread_exit(f.w, 1), CT_OK);
    assert_int_equal(ct_writer_thread_switch(f.w, 2), CT_OK);
    assert_int_equal(ct_writer_return(f.w, NULL), CT_OK);
    fields[0].name = "x";
    fields[0].type_id = t_int;
    assert_int_equal(ct_writer_struct_type_id(&t_point, f.w, "Point", fields, 1), CT_OK);
    assert_int_equal(ct_writer_pointer_type_id(&t_ptr, f.w, "*int", t_int), CT_OK);
    assert_int_equal(ct_writer_register_variable_name(f.w, "w", true), CT_OK);
    assert_int_equal(ct_writer_drop_last_step(f.w), CT_OK);
    assert_int_equal(ct_writer_event_count(f.w), 35);
    json = wfix_close(&f);
    assert_string_equal(json, WFIX_START
        ",{\"Type\":{\"kind\":7,\"lang_type\":\"int\",\"specific_info\":{\"kind\":\"None\"}}}"
        ",{\"Type\":{\"kind\":12,\"lang_type\":\"bool\",\"specific_info\":{\"kind\":\"None\"}}}"
        ",{\"Type\":{\"kind\":0,\"lang_type\":\"seq\",\"specific_info\":{\"kind\":\"None\"}}}"
        ",{\"VariableName\":\"x\"},{\"VariableName\":\"y\"},{\"VariableName\":\"z\"}"
        ",{\"Step\":{\"path_id\":0,\"line\":7}}"
        ",{\"Value\":{\"variable_id\":0,\"value\":{\"kind\":\"Int\",\"i\":-5,\"type_id\":1}}}"
        ",{\"Function\":{\"path_id\":0,\"line\":3,\"name\":\"f\"}}"
        ",{\"Value\":{\"variable_id\":0,\"value\":{\"kind\":\"Bool\",\"b\":true,\"type_id\":2}}}"
        ",{\"Step\":{\"path_id\":0,\"line\":3}}"
        ",{\"Call\":{\"function_id\":1,\"args\":[{\"variable_id\":0,\"value\":{\"kind\":\"Bool\","
        "\"b\":true,\"type_id\":2}}]}}"
        ",{\"Event\":{\"kind\":13,\"metadata\":\"LOG1\",\"content\":\"0xddf2\"}}"
        ",{\"Asm\":[\"PUSH1 0x80\",\"MSTORE\"]}"
        ",{\"BindVariable\":{\"variable_id\":0,\"place\":-1}}"
        ",{\"Assignment\":{\"to\":0,\"pass_by\":\"Value\",\"from\":{\"kind\":\"Compound\","
        "\"data\":[1,2]}}}"
        ",{\"DropVariables\":[0,1]}"
        ",{\"CompoundValue\":{\"place\":1,\"value\":{\"kind\":\"Sequence\",\"elements\":"
        "[{\"kind\":\"Cell\",\"place\":0}],\"is_slice\":false,\"type_id\":3}}}"
        ",{\"CellValue\":{\"place\":0,\"value\":{\"kind\":\"Int\",\"i\":1,\"type_id\":1}}}"
        ",{\"AssignCompoundItem\":{\"place\":1,\"index\":0,\"item_place\":2}}"
        ",{\"AssignCell\":{\"place\":0,\"new_value\":{\"kind\":\"Int\",\"i\":2,\"type_id\":1}}}"
        ",{\"VariableCell\":{\"variable_id\":0,\"place\":1}}"
        ",{\"DropVariable\":0}"
        ",{\"ThreadStart\":1},{\"ThreadExit\":1},{\"ThreadSwitch\":2}"
        ",{\"Return\":{\"return_value\":{\"kind\":\"None\",\"type_id\":0}}}"
        ",{\"Type\":{\"kind\":6,\"lang_type\":\"Point\",\"specific_info\":{\"kind\":\"Struct\","
        "\"fields\":[{\"name\":\"x\",\"type_id\":1}]}}}"
        ",{\"Type\":{\"kind\":23,\"lang_type\":\"*int\",\"specific_info\":{\"kind\":\"Pointer\","
        "\"dereference_type_id\":1}}}"
        ",{\"Variable\":\"w\"}"
        ",\"DropLastStep\"]");
    free(json);
    wfix_done(&f);
}

/* The reference's "minimal trace that loads in 25.11.1 and HEAD", byte for byte. */
static void test_minimal_trace_matches_reference(void **state)
{
    wfix f;
    ct_type_id t;
    ct_variable_id count;
    ct_value one;
    char *json, *paths, *meta;
    cJSON *m;
    (void)state;
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    f.opts.workdir = "/work/dir";
    {
        static const char *const args[2] = {"a", "b c"};
        f.opts.args = args;
        f.opts.nargs = 2;
    }
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_step(f.w, 0, 5), CT_OK);
    assert_int_equal(ct_writer_type_id(&t, f.w, CT_TYPE_INT, "uint256"), CT_OK);
    assert_int_equal(ct_writer_variable_id(&count, f.w, "count"), CT_OK);
    one = ct_value_int(t, 1);
    assert_int_equal(ct_writer_value(f.w, count, &one), CT_OK);
    assert_int_equal(ct_writer_event(f.w, CT_EVENT_EVM, "LOG1", "0xabc"), CT_OK);
    assert_int_equal(ct_writer_return(f.w, NULL), CT_OK);
    assert_int_equal(ct_writer_call_depth(f.w), 0);
    json = wfix_close(&f);
    assert_string_equal(json,
        "[{\"Path\":\"/abs/src/Counter.sol\"},{\"Function\":{\"path_id\":0,\"line\":1,\"name\":"
        "\"<toplevel>\"}},{\"Call\":{\"function_id\":0,\"args\":[]}},{\"Type\":{\"kind\":30,"
        "\"lang_type\":\"None\",\"specific_info\":{\"kind\":\"None\"}}},{\"Step\":{\"path_id\":0,"
        "\"line\":5}},{\"Type\":{\"kind\":7,\"lang_type\":\"uint256\",\"specific_info\":{\"kind\":"
        "\"None\"}}},{\"VariableName\":\"count\"},{\"Value\":{\"variable_id\":0,\"value\":"
        "{\"kind\":\"Int\",\"i\":1,\"type_id\":1}}},{\"Event\":{\"kind\":13,\"metadata\":\"LOG1\","
        "\"content\":\"0xabc\"}},{\"Return\":{\"return_value\":{\"kind\":\"None\",\"type_id\":0}}}]");
    paths = wfix_read(&f, "trace_paths.json");
    assert_non_null(paths);
    assert_string_equal(paths, "[\"/abs/src/Counter.sol\"]");
    meta = wfix_read(&f, "trace_metadata.json");
    assert_non_null(meta);
    m = cJSON_Parse(meta);
    assert_non_null(m);
    assert_string_equal(cJSON_GetObjectItem(m, "workdir")->valuestring, "/work/dir");
    assert_string_equal(cJSON_GetObjectItem(m, "program")->valuestring, "prog");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(m, "args")), 2);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(m, "args"), 1)->valuestring,
                        "b c");
    assert_int_equal(strlen(cJSON_GetObjectItem(m, "recording_id")->valuestring), 36);
    cJSON_Delete(m);
    assert_int_equal(wfix_entries(&f), 1);   /* only the final folder, no temp sibling */
    free(json);
    free(paths);
    free(meta);
    wfix_done(&f);
}

static void test_interning_ids(void **state)
{
    wfix f;
    ct_path_id p0, p1, p2;
    ct_function_id f1, f2, f3, f4;
    ct_type_id t1, t2, t3, s1, s2, s3, q1, q2;
    ct_variable_id v0, v1, v2;
    ct_field fa[2] = {{"a", 0}, {"b", 0}}, fb[2] = {{"a", 0}, {"c", 0}};
    uint64_t n;
    char *json;
    (void)state;
    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    assert_int_equal(ct_writer_path_id(&p0, f.w, "/abs/src/Counter.sol"), CT_OK);
    assert_int_equal(p0, 0);
    assert_int_equal(ct_writer_path_id(&p1, f.w, "/abs/src/B.sol"), CT_OK);
    assert_int_equal(ct_writer_path_id(&p2, f.w, "/abs/src/B.sol"), CT_OK);
    assert_int_equal(p1, 1);
    assert_int_equal(p2, 1);
    /* functions: (name, path, line) */
    assert_int_equal(ct_writer_function_id(&f1, f.w, "<toplevel>", 0, 1), CT_OK);
    assert_int_equal(f1, 0);
    assert_int_equal(ct_writer_function_id(&f1, f.w, "g", p1, 4), CT_OK);
    assert_int_equal(ct_writer_function_id(&f2, f.w, "g", p1, 5), CT_OK);
    assert_int_equal(ct_writer_function_id(&f3, f.w, "g", p0, 4), CT_OK);
    assert_int_equal(ct_writer_function_id(&f4, f.w, "g", p1, 4), CT_OK);
    assert_int_equal(f1, 1);
    assert_int_equal(f2, 2);
    assert_int_equal(f3, 3);
    assert_int_equal(f4, 1);
    /* types: (kind, lang_type), struct/pointer info too */
    assert_int_equal(ct_writer_type_id(&t1, f.w, CT_TYPE_NONE, "None"), CT_OK);
    assert_int_equal(t1, 0);
    assert_int_equal(ct_writer_type_id(&t1, f.w, CT_TYPE_INT, "u8"), CT_OK);
    assert_int_equal(ct_writer_type_id(&t2, f.w, CT_TYPE_RAW, "u8"), CT_OK);
    assert_int_equal(ct_writer_type_id(&t3, f.w, CT_TYPE_INT, "u8"), CT_OK);
    assert_int_equal(t1, 1);
    assert_int_equal(t2, 2);
    assert_int_equal(t3, 1);
    fa[0].type_id = fa[1].type_id = fb[0].type_id = fb[1].type_id = t1;
    assert_int_equal(ct_writer_struct_type_id(&s1, f.w, "S", fa, 2), CT_OK);
    assert_int_equal(ct_writer_struct_type_id(&s2, f.w, "S", fb, 2), CT_OK);
    assert_int_equal(ct_writer_struct_type_id(&s3, f.w, "S", fa, 2), CT_OK);
    assert_int_equal(s1, 3);
    assert_int_equal(s2, 4);
    assert_int_equal(s3, 3);
    assert_int_equal(ct_writer_pointer_type_id(&q1, f.w, "*u8", t1), CT_OK);
    assert_int_equal(ct_writer_pointer_type_id(&q2, f.w, "*u8", t2), CT_OK);
    assert_int_equal(q1, 5);
    assert_int_equal(q2, 6);
    assert_int_equal(ct_writer_pointer_type_id(&q2, f.w, "*u8", t1), CT_OK);
    assert_int_equal(q2, 5);
    /* variables */
    assert_int_equal(ct_writer_variable_id(&v0, f.w, "a"), CT_OK);
    assert_int_equal(ct_writer_variable_id(&v1, f.w, "b"), CT_OK);
    assert_int_equal(ct_writer_variable_id(&v2, f.w, "a"), CT_OK);
    assert_int_equal(v0, 0);
    assert_int_equal(v1, 1);
    assert_int_equal(v2, 0);
    /* 4 start + 1 path + 3 functions + 2+2+2 types + 2 variables, nothing emitted twice */
    n = ct_writer_event_count(f.w);
    assert_int_equal(n, 16);
    /* verbatim registration emits again and takes the next id */
    assert_int_equal(ct_writer_register_type(f.w, CT_TYPE_INT, "u8", NULL, 0, NULL), CT_OK);
    assert_int_equal(ct_writer_register_path(f.w, "/abs/src/B.sol"), CT_OK);
    assert_int_equal(ct_writer_register_function(f.w, "g", 1, 4), CT_OK);
    assert_int_equal(ct_writer_register_variable_name(f.w, "a", false), CT_OK);
    assert_int_equal(ct_writer_step(f.w, 2, 1), CT_OK);   /* path 2 exists now */
    assert_int_equal(ct_writer_value(f.w, 2, NULL), CT_EINVAL);   /* NULL value */
    ct_writer_abort(f.w);
    f.w = NULL;
    assert_int_equal(wfix_entries(&f), 0);
    (void)json;
    wfix_done(&f);
}

static void test_verbatim_register_json(void **state)
{
    wfix f;
    ct_field fld = {"x", 0};
    ct_type_id deref = 0;
    ct_arg arg;
    char *json;
    (void)state;
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_VERBATIM);
    wfix_open(&f);
    /* no start: a Noir-like trace registering None first, then a struct type without start */
    assert_int_equal(ct_writer_register_type(f.w, CT_TYPE_NONE, "None", NULL, 0, NULL), CT_OK);
    assert_int_equal(ct_writer_register_type(f.w, CT_TYPE_STRUCT, "P", &fld, 1, NULL), CT_OK);
    assert_int_equal(ct_writer_register_type(f.w, CT_TYPE_STRUCT, "E", &fld, 0, NULL), CT_OK);
    assert_int_equal(ct_writer_register_type(f.w, CT_TYPE_POINTER, "*P", NULL, 0, &deref),
                     CT_OK);
    assert_int_equal(ct_writer_register_path(f.w, "rel/x.nr"), CT_OK);
    assert_int_equal(ct_writer_register_function(f.w, "main", 0, 2), CT_OK);
    assert_int_equal(ct_writer_register_variable_name(f.w, "v", false), CT_OK);
    arg.variable_id = 0;
    arg.value = ct_value_none();
    assert_int_equal(ct_writer_register_call(f.w, 0, &arg, 1), CT_OK);
    json = wfix_close(&f);
    assert_string_equal(json,
        "[{\"Type\":{\"kind\":30,\"lang_type\":\"None\",\"specific_info\":{\"kind\":\"None\"}}},"
        "{\"Type\":{\"kind\":6,\"lang_type\":\"P\",\"specific_info\":{\"kind\":\"Struct\","
        "\"fields\":[{\"name\":\"x\",\"type_id\":0}]}}},"
        "{\"Type\":{\"kind\":6,\"lang_type\":\"E\",\"specific_info\":{\"kind\":\"Struct\","
        "\"fields\":[]}}},"
        "{\"Type\":{\"kind\":23,\"lang_type\":\"*P\",\"specific_info\":{\"kind\":\"Pointer\","
        "\"dereference_type_id\":0}}},"
        "{\"Path\":\"rel/x.nr\"},"
        "{\"Function\":{\"path_id\":0,\"line\":2,\"name\":\"main\"}},"
        "{\"VariableName\":\"v\"},"
        "{\"Call\":{\"function_id\":0,\"args\":[{\"variable_id\":0,\"value\":{\"kind\":\"None\","
        "\"type_id\":0}}]}}]");
    free(json);
    wfix_done(&f);
}

static void test_null_arguments(void **state)
{
    wfix f;
    ct_writer *w = (ct_writer *)1;
    ct_error err;
    ct_type_id t;
    (void)state;
    assert_int_equal(ct_writer_open(NULL, "/tmp/x", NULL, &err), CT_EINVAL);
    assert_int_equal(ct_writer_open(&w, NULL, NULL, &err), CT_EINVAL);
    assert_null(w);
    assert_int_equal(ct_writer_close(NULL, &err), CT_EINVAL);
    ct_writer_abort(NULL);
    assert_null(ct_writer_error(NULL));
    assert_int_equal(ct_writer_event_count(NULL), 0);
    assert_int_equal(ct_writer_start(NULL, "/a", 1), CT_EINVAL);
    assert_int_equal(ct_writer_step(NULL, 0, 1), CT_EINVAL);
    assert_int_equal(ct_writer_value(NULL, 0, NULL), CT_EINVAL);
    assert_int_equal(ct_writer_call(NULL, 0, NULL, 0), CT_EINVAL);
    assert_int_equal(ct_writer_return(NULL, NULL), CT_EINVAL);
    assert_int_equal(ct_writer_event(NULL, CT_EVENT_WRITE, "", ""), CT_EINVAL);
    assert_int_equal(ct_writer_asm(NULL, NULL, 0), CT_EINVAL);
    assert_int_equal(ct_writer_type_id(&t, NULL, CT_TYPE_INT, "i"), CT_EINVAL);
    assert_int_equal(ct_writer_thread_start(NULL, 1), CT_EINVAL);
    assert_int_equal(ct_writer_drop_last_step(NULL), CT_EINVAL);
    assert_int_equal(ct_writer_source(NULL, 0, "", 0), CT_EINVAL);

    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    assert_int_equal(ct_writer_type_id(NULL, f.w, CT_TYPE_INT, "i"), CT_EINVAL);
    assert_non_null(strstr(ct_writer_error(f.w)->message, "out is NULL"));
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    assert_int_equal(ct_writer_path_id(&t, f.w, NULL), CT_EINVAL);
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    assert_int_equal(ct_writer_event(f.w, CT_EVENT_WRITE, NULL, NULL), CT_EINVAL);
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);
}

static void test_sticky_errors(void **state)
{
    wfix f;
    ct_type_id t;
    ct_value v;
    ct_error err;
    (void)state;
    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    assert_int_equal(ct_writer_step(f.w, 9, 1), CT_EINVAL);
    assert_non_null(strstr(ct_writer_error(f.w)->message, "path id 9 is not registered"));
    assert_non_null(strstr(ct_writer_error(f.w)->message, "event 4"));
    /* everything after returns the same status and writes nothing */
    assert_int_equal(ct_writer_step(f.w, 0, 1), CT_EINVAL);
    assert_int_equal(ct_writer_type_id(&t, f.w, CT_TYPE_INT, "int"), CT_EINVAL);
    v = ct_value_float(0, 1.5);
    assert_int_equal(ct_writer_value(f.w, 0, &v), CT_EINVAL);
    assert_int_equal(ct_writer_return(f.w, NULL), CT_EINVAL);
    assert_int_equal(ct_writer_event_count(f.w), 4);
    assert_int_equal(ct_writer_close(f.w, &err), CT_EINVAL);
    assert_non_null(strstr(err.message, "path id 9"));
    f.w = NULL;
    assert_int_equal(wfix_entries(&f), 0);
    wfix_done(&f);

    /* a refusal by profile is sticky too */
    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    assert_int_equal(ct_writer_thread_start(f.w, 1), CT_EUNSUPPORTED);
    assert_int_equal(ct_writer_step(f.w, 0, 1), CT_EUNSUPPORTED);
    wfix_close_fails(&f, CT_EUNSUPPORTED);
    wfix_done(&f);
}

static void test_utf8_replace(void **state)
{
    wfix f;
    ct_variable_id v;
    ct_type_id t;
    ct_value s;
    char *json;
    (void)state;
    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    assert_int_equal(ct_writer_variable_id(&v, f.w, "a\xff" "b"), CT_OK);
    assert_int_equal(ct_writer_type_id(&t, f.w, CT_TYPE_STRING, "str"), CT_OK);
    assert_int_equal(ct_writer_step(f.w, 0, 2), CT_OK);
    s = ct_value_text(CT_VALUE_STRING, t, "q\"\xe2\x82\n", 5);
    assert_int_equal(ct_writer_value(f.w, v, &s), CT_OK);
    assert_int_equal(ct_writer_event(f.w, CT_EVENT_WRITE, "\xc0", "ok \xf0\x9f\x98\x80"),
                     CT_OK);
    json = wfix_close(&f);
    assert_string_equal(json, WFIX_START
        ",{\"VariableName\":\"a\xef\xbf\xbd" "b\"}"
        ",{\"Type\":{\"kind\":9,\"lang_type\":\"str\",\"specific_info\":{\"kind\":\"None\"}}}"
        ",{\"Step\":{\"path_id\":0,\"line\":2}}"
        ",{\"Value\":{\"variable_id\":0,\"value\":{\"kind\":\"String\",\"text\":\"q\\\"\xef\xbf\xbd"
        "\\n\",\"type_id\":1}}}"
        ",{\"Event\":{\"kind\":0,\"metadata\":\"\xef\xbf\xbd\",\"content\":\"ok \xf0\x9f\x98\x80\"}}]");
    free(json);
    wfix_done(&f);
}

static void test_utf8_refuse(void **state)
{
    wfix f;
    ct_variable_id v;
    ct_type_id t;
    ct_value s;
    ct_path_id p;
    (void)state;
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    f.opts.utf8 = CT_UTF8_REFUSE;
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_variable_id(&v, f.w, "caf\xc3\xa9"), CT_OK);   /* valid */
    assert_int_equal(ct_writer_variable_id(&v, f.w, "a\xff" "b"), CT_EINVAL);
    assert_non_null(strstr(ct_writer_error(f.w)->message, "invalid UTF-8"));
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    f.opts.utf8 = CT_UTF8_REFUSE;
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_type_id(&t, f.w, CT_TYPE_STRING, "str"), CT_OK);
    assert_int_equal(ct_writer_variable_id(&v, f.w, "s"), CT_OK);
    s = ct_value_text(CT_VALUE_STRING, t, "\xed\xa0\x80", 3);
    assert_int_equal(ct_writer_value(f.w, v, &s), CT_EINVAL);
    assert_non_null(strstr(ct_writer_error(f.w)->message, "Value.value: text is not valid"));
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    f.opts.utf8 = CT_UTF8_REFUSE;
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_path_id(&p, f.w, "/x/\xfe.sol"), CT_EINVAL);
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    f.opts.utf8 = CT_UTF8_REFUSE;
    f.opts.program = "bad\x80";
    {
        ct_error err;
        assert_int_equal(ct_writer_open(&f.w, f.dir, &f.opts, &err), CT_EINVAL);
        assert_null(f.w);
    }
    assert_int_equal(wfix_entries(&f), 0);
    wfix_done(&f);
}

static void test_open_errors(void **state)
{
    wfix f;
    ct_writer *w = NULL;
    ct_error err;
    (void)state;
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    f.opts.version = 99;
    assert_int_equal(ct_writer_open(&w, f.dir, &f.opts, &err), CT_EINVAL);
    assert_non_null(strstr(err.message, "version"));
    f.opts.version = CT_WRITER_OPTIONS_VERSION;
    f.opts.profile = (ct_profile)7;
    assert_int_equal(ct_writer_open(&w, f.dir, &f.opts, &err), CT_EINVAL);
    f.opts.profile = CT_PROFILE_PORTABLE;
    f.opts.nargs = 1;
    assert_int_equal(ct_writer_open(&w, f.dir, &f.opts, &err), CT_EINVAL);
    f.opts.nargs = 0;
    /* an existing folder without overwrite */
    assert_int_equal(ct_test_system("mkdir '%s' && touch '%s/keep'", f.dir, f.dir), 0);
    assert_int_equal(ct_writer_open(&w, f.dir, &f.opts, &err), CT_EINVAL);
    assert_null(w);
    assert_int_equal(wfix_entries(&f), 1);
    wfix_done(&f);
}

static void test_overwrite_and_abort(void **state)
{
    wfix f;
    char *json;
    (void)state;
    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    assert_int_equal(ct_writer_step(f.w, 0, 1), CT_OK);
    json = wfix_close(&f);
    free(json);
    /* abort leaves the old trace alone */
    f.opts.overwrite = true;
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Other.sol", 1), CT_OK);
    ct_writer_abort(f.w);
    f.w = NULL;
    json = wfix_read(&f, "trace.json");
    assert_non_null(strstr(json, "Counter.sol"));
    free(json);
    assert_int_equal(wfix_entries(&f), 1);
    /* overwrite replaces it */
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Other.sol", 1), CT_OK);
    assert_int_equal(ct_writer_step(f.w, 0, 1), CT_OK);
    json = wfix_close(&f);
    assert_non_null(strstr(json, "Other.sol"));
    free(json);
    assert_int_equal(wfix_entries(&f), 1);
    wfix_done(&f);
}

static void test_sources_and_paths(void **state)
{
    wfix f;
    ct_path_id p;
    char path[4300], *data, *paths;
    (void)state;
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    f.opts.copy_sources = true;
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_source(f.w, 0, "contract C {}\n", 14), CT_OK);
    snprintf(path, sizeof path, "%s/real.sol", f.tmp);
    assert_int_equal(ct_test_write_file(path, "real", 4), 0);
    assert_int_equal(ct_writer_path_id(&p, f.w, path), CT_OK);
    assert_int_equal(ct_writer_source(f.w, 5, "x", 1), CT_EINVAL);   /* unknown path id */
    ct_writer_abort(f.w);
    f.w = NULL;
    assert_int_equal(wfix_entries(&f), 1);   /* only real.sol */

    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_source(f.w, 0, "contract C {}\n", 14), CT_OK);
    assert_int_equal(ct_writer_path_id(&p, f.w, path), CT_OK);
    assert_int_equal(ct_writer_step(f.w, p, 1), CT_OK);
    free(wfix_close(&f));
    data = wfix_read(&f, "files/abs/src/Counter.sol");
    assert_non_null(data);
    assert_string_equal(data, "contract C {}\n");
    free(data);
    snprintf(path, sizeof path, "files%s/real.sol", f.tmp);
    data = wfix_read(&f, path);
    assert_non_null(data);
    assert_string_equal(data, "real");
    free(data);
    paths = wfix_read(&f, "trace_paths.json");
    assert_non_null(strstr(paths, "real.sol\"]"));
    free(paths);
    wfix_done(&f);
}

/* Many events across many buffer flushes: the streamed file is one valid JSON array with as
 * many elements as events counted. */
static void test_streamed_output_parses(void **state)
{
    wfix f;
    ct_type_id t_int, t_str;
    ct_variable_id v;
    ct_function_id fn;
    ct_value val;
    cJSON *doc;
    char *json;
    uint64_t n;
    int i;
    (void)state;
    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    f.no_keep = true;   /* 2 MB; parsed here instead */
    assert_int_equal(ct_writer_type_id(&t_int, f.w, CT_TYPE_INT, "int"), CT_OK);
    assert_int_equal(ct_writer_type_id(&t_str, f.w, CT_TYPE_STRING, "string"), CT_OK);
    assert_int_equal(ct_writer_function_id(&fn, f.w, "loop_body", 0, 3), CT_OK);
    for (i = 0; i < 20000; i++) {
        char name[32];
        snprintf(name, sizeof name, "var_%d", i % 300);
        assert_int_equal(ct_writer_variable_id(&v, f.w, name), CT_OK);
        assert_int_equal(ct_writer_step(f.w, 0, 1 + i % 50), CT_OK);
        val = i % 3 ? ct_value_int(t_int, (int64_t)i * -7919)
                    : ct_value_text(CT_VALUE_STRING, t_str, "\"quoted\"\n\xc3\xa9", 12);
        assert_int_equal(ct_writer_value(f.w, v, &val), CT_OK);
        if (i % 1000 == 0) {
            assert_int_equal(ct_writer_call(f.w, fn, NULL, 0), CT_OK);
            assert_int_equal(ct_writer_return(f.w, NULL), CT_OK);
        }
    }
    n = ct_writer_event_count(f.w);
    json = wfix_close(&f);
    assert_true(strlen(json) > 4 * 65536);
    doc = cJSON_Parse(json);
    assert_non_null(doc);
    assert_int_equal((uint64_t)cJSON_GetArraySize(doc), n);
    {
        /* the last iterations: Value(int) at n-1, Step at n-2, Value(string) at n-3 */
        cJSON *last = cJSON_GetObjectItem(cJSON_GetObjectItem(
            cJSON_GetObjectItem(cJSON_GetArrayItem(doc, (int)n - 1), "Value"), "value"), "i");
        cJSON *text = cJSON_GetObjectItem(cJSON_GetObjectItem(
            cJSON_GetObjectItem(cJSON_GetArrayItem(doc, (int)n - 3), "Value"), "value"), "text");
        assert_non_null(last);
        assert_true(last->valuedouble == 19999.0 * -7919.0);
        assert_non_null(text);
        assert_string_equal(text->valuestring, "\"quoted\"\n\xc3\xa9");
    }
    cJSON_Delete(doc);
    free(json);
    wfix_done(&f);
}

/* A write error (file size limit) surfaces as CT_EIO from an event call, stays, and close
 * leaves nothing behind. */
static void test_write_error_is_sticky(void **state)
{
    wfix f;
    struct rlimit old, lim;
    void (*old_handler)(int);
    ct_status rc = CT_OK;
    ct_error err;
    int i;
    (void)state;
    wfix_start(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 200000;
    old_handler = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    for (i = 0; i < 100000 && rc == CT_OK; i++)
        rc = ct_writer_step(f.w, 0, i);
    assert_int_equal(rc, CT_EIO);
    assert_true(i < 100000);
    assert_int_equal(ct_writer_step(f.w, 0, 1), CT_EIO);
    assert_int_equal(ct_writer_close(f.w, &err), CT_EIO);
    f.w = NULL;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_handler);
    assert_non_null(strstr(err.message, "trace.json"));
    assert_non_null(strstr(err.message, "write failed"));
    assert_int_equal(wfix_entries(&f), 0);
    wfix_done(&f);
}

typedef struct missing_log {
    int count;
    char first[256];
} missing_log;

static void on_missing(void *payload, const char *path, const char *why)
{
    missing_log *m = payload;
    assert_non_null(why);
    if (m->count++ == 0)
        snprintf(m->first, sizeof m->first, "%s", path);
}

/* Missing sources are reported, not fatal; a path files/ cannot hold is refused early. */
static void test_missing_sources_and_bad_paths(void **state)
{
    wfix f;
    missing_log m;
    ct_path_id p;
    char *json;
    (void)state;
    memset(&m, 0, sizeof m);
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    f.opts.copy_sources = true;
    f.opts.on_missing_source = on_missing;
    f.opts.missing_source_payload = &m;
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_path_id(&p, f.w, "/nonexistent-ct/Gone.sol"), CT_OK);
    assert_int_equal(ct_writer_source(f.w, 0, "x", 1), CT_OK);
    assert_int_equal(ct_writer_step(f.w, 0, 1), CT_OK);
    json = wfix_close(&f);
    free(json);
    assert_int_equal(m.count, 1);
    assert_string_equal(m.first, "/nonexistent-ct/Gone.sol");
    wfix_done(&f);

    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    f.opts.copy_sources = true;
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_path_id(&p, f.w, "../up/x.sol"), CT_EINVAL);
    assert_non_null(strstr(ct_writer_error(f.w)->message, "copy_sources"));
    wfix_close_fails(&f, CT_EINVAL);
    wfix_done(&f);

    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);   /* copy_sources off: recorded */
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_path_id(&p, f.w, "../up/x.sol"), CT_OK);
    assert_int_equal(ct_writer_step(f.w, p, 1), CT_OK);
    json = wfix_close(&f);
    assert_non_null(strstr(json, "{\"Path\":\"../up/x.sol\"}"));
    free(json);
    wfix_done(&f);
}

/* Peak heap of a cycle writing `steps` Steps and Values (with a fixed set of names). */
static int64_t peak_heap(uint64_t steps)
{
    wfix f;
    ct_test_alloc t;
    ct_type_id ty;
    ct_variable_id v;
    ct_value val;
    uint64_t i;
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    ct_test_alloc_init(&t, 0);
    f.opts.allocator = &t.allocator;
    f.no_keep = true;
    wfix_open(&f);
    assert_int_equal(ct_writer_start(f.w, "/abs/src/Counter.sol", 1), CT_OK);
    assert_int_equal(ct_writer_type_id(&ty, f.w, CT_TYPE_INT, "int"), CT_OK);
    for (i = 0; i < steps; i++) {
        char name[16];
        snprintf(name, sizeof name, "v%d", (int)(i % 10));
        assert_int_equal(ct_writer_variable_id(&v, f.w, name), CT_OK);
        assert_int_equal(ct_writer_step(f.w, 0, (int64_t)i), CT_OK);
        val = ct_value_int(ty, (int64_t)i);
        assert_int_equal(ct_writer_value(f.w, v, &val), CT_OK);
    }
    free(wfix_close(&f));
    wfix_done(&f);
    assert_int_equal(t.live_bytes, 0);
    return t.peak_bytes;
}

/* Memory grows with distinct names only, never with the number of events. */
static void test_memory_independent_of_events(void **state)
{
    int64_t small, large;
    (void)state;
    small = peak_heap(100);
    large = peak_heap(300000);
    assert_int_equal(small, large);
    assert_true(small < 256 * 1024);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_event_exact_json),
        cmocka_unit_test(test_minimal_trace_matches_reference),
        cmocka_unit_test(test_interning_ids),
        cmocka_unit_test(test_verbatim_register_json),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_sticky_errors),
        cmocka_unit_test(test_utf8_replace),
        cmocka_unit_test(test_utf8_refuse),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_overwrite_and_abort),
        cmocka_unit_test(test_sources_and_paths),
        cmocka_unit_test(test_streamed_output_parses),
        cmocka_unit_test(test_write_error_is_sticky),
        cmocka_unit_test(test_missing_sources_and_bad_paths),
        cmocka_unit_test(test_memory_independent_of_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
