/*
 * The helper API (ct_tracer): emission order against runtime_tracing's documented order,
 * staging of call arguments (deep copies), built-in types, sticky errors, allocation failures,
 * and the documented example program's trace.
 */
#include "ct_test.h"

#include <ctrecord/tracer.h>
#include <ctrecord/validate.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRC "/abs/src/prog.tl"

typedef struct fixture {
    char *tmp;
    char dir[4096];
    ct_writer_options opts;
} fixture;

static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->tmp = ct_test_tmpdir("tracer");
    assert_non_null(f->tmp);
    snprintf(f->dir, sizeof f->dir, "%s/trace", f->tmp);
    ct_writer_options_init(&f->opts);
    f->opts.copy_sources = false;   /* the paths are made up */
}

static void fixture_done(fixture *f)
{
    ct_test_rmrf(f->tmp);
    free(f->tmp);
}

static ct_tracer *open_started(fixture *f)
{
    ct_tracer *t = NULL;
    ct_error err;
    const char *args[] = {"--fast"};
    if (ct_tracer_open(&t, f->dir, "prog.tl", args, 1, &f->opts, &err) != CT_OK)
        fail_msg("ct_tracer_open: %s", err.message);
    assert_int_equal(ct_tracer_start(t, SRC, 1), CT_OK);
    return t;
}

static cJSON *finish_and_read(fixture *f, ct_tracer *t)
{
    char path[4200], *text;
    ct_error err;
    ct_validate_options vopts;
    cJSON *events;
    if (ct_tracer_finish(t, &err) != CT_OK)
        fail_msg("ct_tracer_finish: %s", err.message);
    ct_validate_options_init(&vopts);
    vopts.flags = CT_VALIDATE_SKIP_FILES;           /* the sources are made up */
    if (ct_validate_dir(NULL, f->dir, &vopts, &err) != CT_OK)
        fail_msg("ct_validate_dir: %s", err.message);
    snprintf(path, sizeof path, "%s/trace.json", f->dir);
    text = ct_test_read_file(path, NULL);
    assert_non_null(text);
    events = cJSON_Parse(text);
    free(text);
    assert_true(cJSON_IsArray(events));
    return events;
}

/* "Path,Function,Call,..." : the variant name of every event, in order. */
static void kinds(char *out, size_t size, const cJSON *events)
{
    const cJSON *e;
    size_t n = 0;
    out[0] = '\0';
    cJSON_ArrayForEach(e, events) {
        const char *name = cJSON_IsString(e) ? e->valuestring : e->child->string;
        n += (size_t)snprintf(out + n, n < size ? size - n : 0, "%s%s", n ? "," : "", name);
    }
}

static const cJSON *payload(const cJSON *events, int index)
{
    const cJSON *e = cJSON_GetArrayItem(events, index);
    assert_non_null(e);
    return e->child;
}

static void test_tracer__call_emits_arg_values_step_then_call(void **state)
{
    fixture f;
    ct_tracer *t;
    ct_value five, result;
    cJSON *events;
    char seq[1024];
    (void)state;
    fixture_init(&f);
    t = open_started(&f);
    ct_tracer_step(t, SRC, 7);
    five = ct_tracer_int_value(t, 5);
    ct_tracer_arg(t, "n", &five);
    ct_tracer_call(t, "fib", SRC, 2);
    ct_tracer_step(t, SRC, 3);
    ct_tracer_variable(t, "n", &five);
    result = ct_tracer_int_value(t, 5);
    ct_tracer_return(t, &result);
    ct_tracer_event(t, CT_EVENT_WRITE, NULL, "5\n");
    events = finish_and_read(&f, t);
    kinds(seq, sizeof seq, events);
    /* runtime_tracing: start = Path, Function <toplevel>, Call, Type None; register_call of a
     * non-toplevel function = Values of the args, Step at the function's line, Call. */
    assert_string_equal(seq, "Path,Function,Call,Type,Step,Type,VariableName,Function,Value,Step,"
                             "Call,Step,Value,Return,Event");
    assert_int_equal(cJSON_GetObjectItem(payload(events, 9), "line")->valueint, 2);
    assert_string_equal(cJSON_GetObjectItem(payload(events, 7), "name")->valuestring, "fib");
    {
        const cJSON *args = cJSON_GetObjectItem(payload(events, 10), "args");
        const cJSON *arg = cJSON_GetArrayItem(args, 0);
        assert_int_equal(cJSON_GetArraySize(args), 1);
        assert_int_equal(cJSON_GetObjectItem(arg, "variable_id")->valueint, 0);
        assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(arg, "value"), "i")->valueint, 5);
    }
    assert_string_equal(cJSON_GetObjectItem(payload(events, 5), "lang_type")->valuestring, "Int");
    assert_string_equal(cJSON_GetObjectItem(payload(events, 14), "content")->valuestring, "5\n");
    cJSON_Delete(events);
    fixture_done(&f);
}

static void test_tracer__staged_args_are_copied_and_cleared(void **state)
{
    fixture f;
    ct_tracer *t;
    char text[16];
    ct_value s, items[2], seq;
    cJSON *events;
    const cJSON *args, *copy;
    (void)state;
    fixture_init(&f);
    t = open_started(&f);
    ct_tracer_step(t, SRC, 1);
    strcpy(text, "hello");
    s = ct_tracer_string_value(t, text);
    items[0] = ct_tracer_int_value(t, 1);
    items[1] = ct_tracer_string_value(t, text);
    seq = ct_value_items(CT_VALUE_SEQUENCE, CT_NONE_TYPE_ID, items, 2, false);
    assert_int_equal(ct_tracer_type_id(&seq.type_id, t, CT_TYPE_SEQ, "List"), CT_OK);
    ct_tracer_arg(t, "s", &s);
    ct_tracer_arg(t, "list", &seq);
    strcpy(text, "XXXXX");            /* the caller's memory changes before the call */
    items[0].as.i = 99;
    ct_tracer_call(t, "f", SRC, 10);
    ct_tracer_call(t, "g", SRC, 20);  /* no args staged any more */
    events = finish_and_read(&f, t);
    for (copy = events->child; copy; copy = copy->next)
        if (strcmp(copy->child->string, "Call") == 0 &&
            cJSON_GetObjectItem(copy->child, "function_id")->valueint == 1)
            break;
    assert_non_null(copy);
    args = cJSON_GetObjectItem(copy->child, "args");
    assert_int_equal(cJSON_GetArraySize(args), 2);
    copy = cJSON_GetObjectItem(cJSON_GetArrayItem(args, 0), "value");
    assert_string_equal(cJSON_GetObjectItem(copy, "text")->valuestring, "hello");
    copy = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(args, 1), "value"),
                               "elements");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(copy, 0), "i")->valueint, 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(copy, 1), "text")->valuestring,
                        "hello");
    copy = events->child;
    while (copy->next)
        copy = copy->next;          /* the last event: Call g */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(copy->child, "args")), 0);
    cJSON_Delete(events);
    fixture_done(&f);
}

static void test_tracer__builtin_types_are_registered_once(void **state)
{
    fixture f;
    ct_tracer *t;
    ct_value a, b, c, d;
    cJSON *events;
    char seq[1024];
    (void)state;
    fixture_init(&f);
    t = open_started(&f);
    ct_tracer_step(t, SRC, 1);
    a = ct_tracer_int_value(t, 1);
    b = ct_tracer_bool_value(t, true);
    c = ct_tracer_string_value_n(t, "abc", 2);
    d = ct_tracer_int_value(t, -1);
    assert_int_equal(a.type_id, 1);
    assert_int_equal(b.type_id, 2);
    assert_int_equal(c.type_id, 3);
    assert_int_equal(d.type_id, a.type_id);
    assert_int_equal(c.as.text.len, 2);
    ct_tracer_variable(t, "s", &c);
    events = finish_and_read(&f, t);
    kinds(seq, sizeof seq, events);
    assert_string_equal(seq, "Path,Function,Call,Type,Step,Type,Type,Type,VariableName,Value");
    assert_int_equal(cJSON_GetObjectItem(payload(events, 6), "kind")->valueint, CT_TYPE_BOOL);
    assert_string_equal(cJSON_GetObjectItem(payload(events, 7), "lang_type")->valuestring,
                        "String");
    cJSON_Delete(events);
    fixture_done(&f);
}

/* The id-based calls, for interpreters that intern once: same events as the name-based ones. */
static void test_tracer__ids_interned_beforehand(void **state)
{
    fixture f;
    ct_tracer *t;
    ct_path_id path;
    ct_function_id fn, fn_again;
    ct_variable_id var;
    ct_type_id type;
    ct_value v;
    cJSON *events;
    char seq[1024];
    const char *asm_lines[] = {"PUSH1 0x01", "ADD"};
    (void)state;
    fixture_init(&f);
    t = open_started(&f);
    assert_int_equal(ct_tracer_path_id(&path, t, "/abs/src/lib.tl"), CT_OK);
    assert_int_equal(path, 1);
    assert_int_equal(ct_tracer_function_id(&fn, t, "helper", "/abs/src/lib.tl", 5), CT_OK);
    assert_int_equal(ct_tracer_function_id(&fn_again, t, "helper", "/abs/src/lib.tl", 5), CT_OK);
    assert_int_equal(fn, fn_again);
    assert_int_equal(ct_tracer_variable_id(&var, t, "acc"), CT_OK);
    assert_int_equal(ct_tracer_type_id(&type, t, CT_TYPE_RAW, "word"), CT_OK);
    ct_tracer_step(t, SRC, 2);
    ct_tracer_asm(t, asm_lines, 2);
    v = ct_value_text(CT_VALUE_RAW, type, "0x2a", 4);
    assert_int_equal(ct_tracer_value(t, var, &v), CT_OK);
    assert_int_equal(ct_tracer_arg(t, "acc", &v), CT_OK);
    assert_int_equal(ct_tracer_call_id(t, fn), CT_OK);
    assert_int_equal(ct_tracer_return(t, NULL), CT_OK);
    events = finish_and_read(&f, t);
    kinds(seq, sizeof seq, events);
    assert_string_equal(seq, "Path,Function,Call,Type,Path,Function,VariableName,Type,Step,Asm,"
                             "Value,Value,Step,Call,Return");
    assert_int_equal(cJSON_GetObjectItem(payload(events, 12), "path_id")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(payload(events, 12), "line")->valueint, 5);
    assert_string_equal(cJSON_GetArrayItem(payload(events, 9), 1)->valuestring, "ADD");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(payload(events, 14),
                                                                "return_value"), "kind")
                            ->valuestring, "None");
    cJSON_Delete(events);
    fixture_done(&f);
}

static void test_tracer__errors_are_sticky_and_leave_no_folder(void **state)
{
    fixture f;
    ct_tracer *t = NULL;
    ct_error err;
    ct_status rc;
    ct_value v;
    (void)state;
    fixture_init(&f);
    assert_int_equal(ct_tracer_open(&t, f.dir, "p", NULL, 0, &f.opts, &err), CT_OK);
    rc = ct_tracer_step(t, SRC, 1);                 /* before start: refused by the writer */
    assert_int_equal(rc, CT_EINVAL);
    assert_int_equal(ct_tracer_start(t, SRC, 1), rc);
    v = ct_tracer_int_value(t, 3);                  /* type registration fails too */
    assert_int_equal(v.type_id, CT_NONE_TYPE_ID);
    assert_int_equal(ct_tracer_variable(t, "x", &v), rc);
    assert_int_equal(ct_tracer_error(t)->code, rc);
    assert_true(strlen(ct_tracer_error(t)->message) > 0);
    memset(&err, 0, sizeof err);
    assert_int_equal(ct_tracer_finish(t, &err), rc);
    assert_int_equal(err.code, rc);
    assert_false(ct_test_exists(f.dir));
    fixture_done(&f);
}

static void test_tracer__misuse_is_einval(void **state)
{
    fixture f;
    ct_tracer *t;
    ct_error err;
    ct_value deep[300];
    int i;
    (void)state;
    fixture_init(&f);
    assert_int_equal(ct_tracer_finish(NULL, &err), CT_EINVAL);
    ct_tracer_abort(NULL);
    assert_int_equal(ct_tracer_step(NULL, SRC, 1), CT_EINVAL);
    assert_int_equal(ct_tracer_int_value(NULL, 1).type_id, CT_NONE_TYPE_ID);
    assert_int_equal(ct_tracer_open(NULL, f.dir, "p", NULL, 0, NULL, &err), CT_EINVAL);
    /* More Returns than Calls. */
    t = open_started(&f);
    assert_int_equal(ct_tracer_return(t, NULL), CT_OK);
    assert_int_equal(ct_tracer_return(t, NULL), CT_EINVAL);
    ct_tracer_abort(t);
    assert_false(ct_test_exists(f.dir));
    /* An argument nested deeper than the copy bound. */
    t = open_started(&f);
    deep[0] = ct_value_none();
    for (i = 1; i < 300; i++) {
        deep[i] = ct_value_none();
        deep[i].kind = CT_VALUE_REFERENCE;
        deep[i].as.ref.dereferenced = &deep[i - 1];
        deep[i].as.ref.address = (uint64_t)i;
        deep[i].as.ref.is_mutable = false;
    }
    assert_int_equal(ct_tracer_arg(t, "deep", &deep[299]), CT_EINVAL);
    assert_int_equal(ct_tracer_arg(t, "deep", NULL), CT_EINVAL);
    assert_int_equal(ct_tracer_finish(t, &err), CT_EINVAL);
    assert_non_null(strstr(err.message, "deeper"));
    fixture_done(&f);
}

static void test_tracer__existing_folder_needs_overwrite(void **state)
{
    fixture f;
    ct_tracer *t = (ct_tracer *)&f;
    ct_error err;
    (void)state;
    fixture_init(&f);
    assert_int_equal(ct_test_system("mkdir '%s'", f.dir), 0);
    assert_int_equal(ct_tracer_open(&t, f.dir, "p", NULL, 0, &f.opts, &err), CT_EINVAL);
    assert_null(t);
    f.opts.overwrite = true;
    t = open_started(&f);
    assert_int_equal(ct_tracer_step(t, SRC, 1), CT_OK);
    assert_int_equal(ct_tracer_finish(t, &err), CT_OK);
    assert_true(ct_test_exists(f.dir));
    fixture_done(&f);
}

/* One whole session; the result of the first failing call or of finish. */
static ct_status session(fixture *f, const ct_allocator *alloc)
{
    ct_tracer *t;
    ct_error err;
    ct_value v, s;
    ct_status rc;
    int i;
    f->opts.allocator = alloc;
    f->opts.overwrite = true;
    if ((rc = ct_tracer_open(&t, f->dir, "prog.tl", NULL, 0, &f->opts, &err)) < 0)
        return rc;
    ct_tracer_start(t, SRC, 1);
    for (i = 0; i < 20; i++) {    /* enough staging to need a second block and a grown array */
        ct_tracer_step(t, SRC, 2 + i);
        v = ct_tracer_int_value(t, i);
        s = ct_tracer_string_value(t, "a string argument long enough to fill blocks ........");
        ct_tracer_variable(t, "i", &v);
        ct_tracer_arg(t, "i", &v);
        ct_tracer_arg(t, "s", &s);
        ct_tracer_arg(t, "t", &s);
        ct_tracer_call(t, i % 2 ? "odd" : "even", SRC, 40 + i % 2);
        ct_tracer_return(t, &v);
    }
    ct_tracer_event(t, CT_EVENT_WRITE, "", "out\n");
    return ct_tracer_finish(t, &err);
}

static void test_tracer__every_allocation_failure_is_enomem_without_leak(void **state)
{
    fixture f;
    ct_test_alloc a;
    ct_status rc = CT_ERROR;
    uint64_t n;
    (void)state;
    fixture_init(&f);
    for (n = 1; n < 5000; n++) {
        ct_test_alloc_init(&a, n);
        rc = session(&f, &a.allocator);
        assert_int_equal(a.live_blocks, 0);
        assert_int_equal(a.live_bytes, 0);
        if (rc == CT_OK)
            break;
        if (rc != CT_ENOMEM)
            fail_msg("allocation %llu failed with %s", (unsigned long long)n, ct_strerror(rc));
    }
    assert_int_equal(rc, CT_OK);
    print_message("a whole session makes %llu allocations\n", (unsigned long long)(n - 1));
    assert_true(n > 5);           /* the session did allocate, so failures were exercised */
    fixture_done(&f);
}

/* examples/helper_minimal.c, the program docs/helper-api.md quotes, run for real. */
static void test_tracer__helper_minimal_example_trace(void **state)
{
    const char *exe = getenv("CT_HELPER_MINIMAL");
    fixture f;
    char path[4200], *text;
    cJSON *events;
    const cJSON *e;
    int calls = 0, returns = 0, writes = 0;
    int64_t expected_return[] = {1, 4, 9};
    ct_error err;
    (void)state;
    if (!exe || !*exe)
        skip();
    fixture_init(&f);
    assert_int_equal(ct_test_system("'%s' '%s' > /dev/null", exe, f.dir), 0);
    if (ct_validate_dir(NULL, f.dir, NULL, &err) != CT_OK)   /* strict: files/ included */
        fail_msg("ct_validate_dir: %s", err.message);
    snprintf(path, sizeof path, "%s/trace.json", f.dir);
    assert_non_null(text = ct_test_read_file(path, NULL));
    events = cJSON_Parse(text);
    free(text);
    assert_non_null(events);
    assert_non_null(strstr(payload(events, 0)->valuestring, "helper_minimal.c"));
    cJSON_ArrayForEach(e, events) {
        const cJSON *p = e->child;
        if (!strcmp(p->string, "Call") && cJSON_GetObjectItem(p, "function_id")->valueint == 1) {
            const cJSON *arg = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "args"), 0);
            assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(arg, "value"), "i")->valueint,
                             ++calls);
        } else if (!strcmp(p->string, "Return")) {
            assert_true(returns < 3);
            assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "return_value"), "i")
                                 ->valueint, expected_return[returns++]);
        } else if (!strcmp(p->string, "Event")) {
            assert_string_equal(cJSON_GetObjectItem(p, "content")->valuestring, "total 14\n");
            writes++;
        }
    }
    assert_int_equal(calls, 3);
    assert_int_equal(returns, 3);
    assert_int_equal(writes, 1);
    snprintf(path, sizeof path, "%s/trace_paths.json", f.dir);
    assert_true(ct_test_exists(path));
    cJSON_Delete(events);
    fixture_done(&f);
}

/* docs/helper-api.md quotes examples/helper_minimal.c whole; the quote must not drift. */
static void test_tracer__docs_quote_the_example(void **state)
{
    char *doc = ct_test_env_path("CT_SOURCE_DIR", "docs/helper-api.md");
    char *example = ct_test_env_path("CT_SOURCE_DIR", "examples/helper_minimal.c");
    char *doc_text, *example_text, *quote, *end;
    (void)state;
    if (!doc || !example)
        skip();
    assert_non_null(doc_text = ct_test_read_file(doc, NULL));
    assert_non_null(example_text = ct_test_read_file(example, NULL));
    assert_non_null(quote = strstr(doc_text, "<!-- quoted from examples/helper_minimal.c"));
    assert_non_null(quote = strstr(quote, "```c\n"));
    quote += strlen("```c\n");
    assert_non_null(end = strstr(quote, "\n```\n"));
    end[1] = '\0';
    assert_string_equal(quote, example_text);
    free(doc_text);
    free(example_text);
    free(doc);
    free(example);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tracer__call_emits_arg_values_step_then_call),
        cmocka_unit_test(test_tracer__staged_args_are_copied_and_cleared),
        cmocka_unit_test(test_tracer__builtin_types_are_registered_once),
        cmocka_unit_test(test_tracer__ids_interned_beforehand),
        cmocka_unit_test(test_tracer__errors_are_sticky_and_leave_no_folder),
        cmocka_unit_test(test_tracer__misuse_is_einval),
        cmocka_unit_test(test_tracer__existing_folder_needs_overwrite),
        cmocka_unit_test(test_tracer__every_allocation_failure_is_enomem_without_leak),
        cmocka_unit_test(test_tracer__helper_minimal_example_trace),
        cmocka_unit_test(test_tracer__docs_quote_the_example),
    };
    return cmocka_run_group_tests_name("tracer", tests, NULL, NULL);
}
