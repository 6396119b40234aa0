/*
 * ct_validate_dir: a trace written by the writer passes; each rule broken once in a hand-written
 * folder gives its message with the right event index; the schema test cases (tests/schema) get
 * the same verdict from the C validator; the upstream traces get the verdict SOURCES.txt
 * predicts; allocation failures are reported and leak nothing.
 */
#include "ct_test.h"

#include <ctrecord/validate.h>
#include <ctrecord/writer.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define START                                                                                  \
    "[{\"Path\":\"/src/a.sol\"},"                                                              \
    "{\"Function\":{\"path_id\":0,\"line\":1,\"name\":\"<toplevel>\"}},"                       \
    "{\"Call\":{\"function_id\":0,\"args\":[]}},"                                              \
    "{\"Type\":{\"kind\":30,\"lang_type\":\"None\",\"specific_info\":{\"kind\":\"None\"}}}"
#define STEP ",{\"Step\":{\"path_id\":0,\"line\":5}}"
#define INT_TYPE ",{\"Type\":{\"kind\":7,\"lang_type\":\"int\",\"specific_info\":{\"kind\":\"None\"}}}"
#define VAR ",{\"VariableName\":\"x\"}"
#define META                                                                                   \
    "{\"recording_id\":\"01949fcc-7d92-7e9c-aaaa-bbbbbbbbbbbb\",\"workdir\":\"/w\","           \
    "\"program\":\"p\",\"args\":[]}"
#define PATHS "[\"/src/a.sol\"]"

/* A trace folder from its three files (NULL = leave the file out) plus files/src/a.sol. */
static char *make_dir(const char *trace, const char *meta, const char *paths)
{
    char *dir = ct_test_tmpdir("validate");
    char p[4200];
    assert_non_null(dir);
    snprintf(p, sizeof p, "%s/trace.json", dir);
    if (trace)
        assert_int_equal(ct_test_write_file(p, trace, strlen(trace)), 0);
    snprintf(p, sizeof p, "%s/trace_metadata.json", dir);
    if (meta)
        assert_int_equal(ct_test_write_file(p, meta, strlen(meta)), 0);
    snprintf(p, sizeof p, "%s/trace_paths.json", dir);
    if (paths)
        assert_int_equal(ct_test_write_file(p, paths, strlen(paths)), 0);
    assert_int_equal(ct_test_system("mkdir -p '%s/files/src' && echo x > '%s/files/src/a.sol'",
                                    dir, dir), 0);
    return dir;
}

static ct_status run(const char *dir, ct_profile profile, unsigned flags,
                     ct_validate_report *report, ct_error *err)
{
    ct_validate_options opts;
    ct_validate_options_init(&opts);
    opts.profile = profile;
    opts.flags = flags;
    return ct_validate_dir(report, dir, &opts, err);
}

/* Validate a hand-written folder and compare the message (exactly, or "" for success). */
static void expect_full(const char *trace, const char *meta, const char *paths,
                        ct_profile profile, unsigned flags, const char *want)
{
    char *dir = make_dir(trace, meta, paths);
    ct_validate_report report;
    ct_error err;
    ct_status rc = run(dir, profile, flags, &report, &err);
    if (!*want && rc != CT_OK)
        fail_msg("expected success, got: %s", err.message);
    if (*want) {
        assert_int_equal(rc, CT_EPARSE);
        assert_string_equal(err.message, want);
    }
    ct_test_rmrf(dir);
    free(dir);
}

static void expect(const char *trace, ct_profile profile, const char *want)
{
    expect_full(trace, META, PATHS, profile, 0, want);
}

static void test_minimal_valid(void **state)
{
    char *dir = make_dir(START STEP INT_TYPE VAR
                         ",{\"Value\":{\"variable_id\":0,\"value\":{\"kind\":\"Int\",\"i\":1,"
                         "\"type_id\":1}}},{\"Return\":{\"return_value\":{\"kind\":\"None\","
                         "\"type_id\":0}}}]", META, PATHS);
    ct_validate_report r;
    ct_error err;
    (void)state;
    if (run(dir, CT_PROFILE_PORTABLE, 0, &r, &err) != CT_OK)
        fail_msg("%s", err.message);
    assert_int_equal(r.events, 9);
    assert_int_equal(r.per_type[CT_EV_STEP], 1);
    assert_int_equal(r.per_type[CT_EV_TYPE], 2);
    assert_int_equal(r.per_type[CT_EV_VALUE], 1);
    assert_int_equal(r.max_depth, 1);
    assert_int_equal(r.open_calls, 0);
    assert_int_equal(r.warnings, 0);
    assert_string_equal(ct_event_type_name(CT_EV_VARIABLE_NAME), "VariableName");
    ct_test_rmrf(dir);
    free(dir);
}

static void test_references(void **state)
{
    (void)state;
    expect(START STEP ",{\"Value\":{\"variable_id\":0,\"value\":{\"kind\":\"None\","
           "\"type_id\":0}}}]", CT_PROFILE_PORTABLE,
           "trace.json: event 5 (Value): variable_id: 0 is not registered (0 VariableName "
           "events so far)");
    expect(START STEP VAR ",{\"Value\":{\"variable_id\":0,\"value\":{\"kind\":\"Int\","
           "\"i\":1,\"type_id\":5}}}]", CT_PROFILE_PORTABLE,
           "trace.json: event 6 (Value): value.type_id: 5 is not registered (1 Type events "
           "so far)");
    expect(START STEP INT_TYPE VAR ",{\"Value\":{\"variable_id\":0,\"value\":{\"kind\":"
           "\"Sequence\",\"elements\":[{\"kind\":\"Int\",\"i\":1,\"type_id\":1},{\"kind\":"
           "\"Int\",\"i\":1,\"type_id\":9}],\"is_slice\":false,\"type_id\":1}}}]",
           CT_PROFILE_PORTABLE,
           "trace.json: event 7 (Value): value.elements[1].type_id: 9 is not registered (2 "
           "Type events so far)");
    expect(START ",{\"Step\":{\"path_id\":1,\"line\":5}}]", CT_PROFILE_PORTABLE,
           "trace.json: event 4 (Step): path_id: 1 is not registered (1 Path events so far)");
    expect(START STEP ",{\"Call\":{\"function_id\":1,\"args\":[]}}]", CT_PROFILE_PORTABLE,
           "trace.json: event 5 (Call): function_id: 1 is not registered (1 Function events "
           "so far)");
    /* a Struct type's field types must be earlier Types */
    expect(START STEP ",{\"Type\":{\"kind\":6,\"lang_type\":\"P\",\"specific_info\":{\"kind\":"
           "\"Struct\",\"fields\":[{\"name\":\"x\",\"type_id\":1}]}}}]", CT_PROFILE_PORTABLE,
           "trace.json: event 5 (Type): specific_info.fields[0].type_id: 1 is not registered "
           "(1 Type events so far)");
}

static void test_flow_rules(void **state)
{
    (void)state;
    expect_full("[{\"Path\":\"/src/a.sol\"},{\"Function\":{\"path_id\":0,\"line\":1,\"name\":"
           "\"<toplevel>\"}},{\"Step\":{\"path_id\":0,\"line\":1}}]", META, PATHS,
           CT_PROFILE_PORTABLE, CT_VALIDATE_LENIENT_START,
           "trace.json: event 2 (Step): a Step before any Call (CodeTracer 25.11 asserts that "
           "a Call comes first)");
    expect(START STEP ",{\"Return\":{\"return_value\":{\"kind\":\"None\",\"type_id\":0}}},"
           "{\"Return\":{\"return_value\":{\"kind\":\"None\",\"type_id\":0}}}]",
           CT_PROFILE_PORTABLE,
           "trace.json: event 6 (Return): more Returns than Calls (the loader asserts depth > "
           "0)");
    expect(START ",{\"Asm\":[\"STOP\"]}" STEP "]", CT_PROFILE_PORTABLE,
           "trace.json: event 4 (Asm): comes before the first Step (it attaches to the current "
           "step)");
    expect(START ",{\"CellValue\":{\"place\":0,\"value\":{\"kind\":\"None\",\"type_id\":0}}}]",
           CT_PROFILE_PORTABLE,
           "trace.json: event 4 (CellValue): comes before the first Step (it attaches to the "
           "current step)");
    expect(START STEP ",\"DropLastStep\"]", CT_PROFILE_CURRENT,
           "trace.json: event 5 (DropLastStep): DropLastStep makes every CodeTracer loader "
           "panic");
    expect(START "]", CT_PROFILE_PORTABLE,
           "trace.json: no Step event (CodeTracer opens a trace at step 0)");
    expect("[{\"Path\":\"/src/a.sol\"}]", CT_PROFILE_PORTABLE,
           "trace.json: ends after 1 events, inside the canonical start (Path, Function "
           "\"<toplevel>\", Call, Type None)");
}

static void test_start(void **state)
{
    const char *trace = "[{\"Path\":\"/src/a.sol\"},{\"Function\":{\"path_id\":0,\"line\":1,"
                        "\"name\":\"main\"}},{\"Call\":{\"function_id\":0,\"args\":[]}}" STEP "]";
    char *dir = make_dir(trace, META, PATHS);
    ct_validate_report r;
    ct_error err;
    (void)state;
    assert_int_equal(run(dir, CT_PROFILE_PORTABLE, 0, &r, &err), CT_EPARSE);
    assert_string_equal(err.message,
                        "trace.json: event 1 (Function): expected Function \"<toplevel>\": a "
                        "trace starts with Path, Function \"<toplevel>\", Call, Type None (the "
                        "lenient-start option accepts others)");
    assert_int_equal(run(dir, CT_PROFILE_PORTABLE, CT_VALIDATE_LENIENT_START, &r, &err), CT_OK);
    assert_int_equal(r.warnings, 1);
    assert_string_equal(r.first_warning,
                        "trace.json: event 1 (Function): expected Function \"<toplevel>\": a "
                        "trace starts with Path, Function \"<toplevel>\", Call, Type None");
    assert_int_equal(r.open_calls, 1);
    ct_test_rmrf(dir);
    free(dir);
}

static void test_shapes(void **state)
{
    (void)state;
    expect(START STEP ",{\"Step\":{\"path_id\":0,\"line\":5,\"column\":2}}]", CT_PROFILE_PORTABLE,
           "trace.json: event 5 (Step): unknown key \"column\"");
    expect_full(START STEP ",{\"Step\":{\"path_id\":0,\"line\":5,\"column\":2}}]", META, PATHS,
                CT_PROFILE_PORTABLE, CT_VALIDATE_ALLOW_UNKNOWN_FIELDS, "");
    expect(START STEP ",{\"Step\":{\"path_id\":0,\"line\":5,\"line\":6}}]", CT_PROFILE_PORTABLE,
           "trace.json: event 5 (Step): duplicate key \"line\"");
    expect(START STEP ",{\"Step\":{\"path_id\":0.0,\"line\":5}}]", CT_PROFILE_PORTABLE,
           "trace.json: event 5 (Step): path_id: expected a non-negative integer id, got a "
           "number");
    /* integers are exact, not doubles: i64::MAX passes, one more does not */
    expect(START STEP ",{\"Step\":{\"path_id\":0,\"line\":9223372036854775807}}]",
           CT_PROFILE_PORTABLE, "");
    expect(START STEP ",{\"Step\":{\"path_id\":0,\"line\":9223372036854775808}}]",
           CT_PROFILE_PORTABLE,
           "trace.json: event 5 (Step): line: expected an integer -2^63..2^63-1");
    expect(START STEP ",{\"Stepp\":{}}]", CT_PROFILE_PORTABLE,
           "trace.json: event 5 (?): unknown event \"Stepp\"");
    expect(START STEP ",{\"ThreadStart\":1}]", CT_PROFILE_CODETRACER_25_11,
           "trace.json: event 5 (ThreadStart): ThreadStart is not loadable in profile "
           "codetracer-25.11");
    expect(START STEP ",{\"Return\":{\"return_value\":{\"kind\":\"Float\",\"f\":\"1.5\","
           "\"type_id\":0}}}]", CT_PROFILE_CODETRACER_25_11,
           "trace.json: event 5 (Return): return_value.f: profile codetracer-25.11 reads Float "
           "as a JSON number");
    expect(START STEP ",{\"Return\":{\"return_value\":{\"kind\":\"Float\",\"f\":1.5,"
           "\"type_id\":0}}}]", CT_PROFILE_CURRENT,
           "trace.json: event 5 (Return): return_value.f: profile current reads Float as a "
           "string such as \"2.5\", \"inf\" or \"NaN\"");
    expect(START STEP ",{\"Return\":{\"return_value\":{\"kind\":\"Float\",\"f\":1.5,"
           "\"type_id\":0}}}]", CT_PROFILE_PORTABLE,
           "trace.json: event 5 (Return): return_value: value kind Float is not loadable in "
           "profile portable");
    expect(START STEP ",{\"Return\":{\"return_value\":{\"kind\":\"BigInt\",\"b\":\"AQ\","
           "\"negative\":false,\"type_id\":0}}}]", CT_PROFILE_PORTABLE,
           "trace.json: event 5 (Return): return_value.b: expected standard padded base64 "
           "(big-endian magnitude)");
    expect(START STEP ",{\"Event\":{\"kind\":14,\"metadata\":\"\",\"content\":\"\"}}]",
           CT_PROFILE_PORTABLE, "trace.json: event 5 (Event): kind: expected an EventLogKind "
           "0..13");
    expect(START STEP ",{\"Step\":{\"path_id\":0,\"line\":5}]", CT_PROFILE_PORTABLE,
           "trace.json: byte 250: expected ',' or '}' after an object member, found ']'");
}

/* A Value of `k` nested Tuples, the innermost empty: the event nests 2 + 2k containers deep. */
static char *nested_trace(int k)
{
    size_t cap = 1024 + (size_t)k * 64;
    char *t = malloc(cap);
    int i;
    assert_non_null(t);
    strcpy(t, START STEP VAR ",{\"Value\":{\"variable_id\":0,\"value\":");
    for (i = 0; i < k; i++)
        strcat(t, "{\"kind\":\"Tuple\",\"elements\":[");
    for (i = 0; i < k; i++)
        strcat(t, "],\"type_id\":0}");
    strcat(t, "}}]");
    return t;
}

/* serde_json's recursion limit (128 with the trace array) is a loader limit too. */
static void test_nesting_limit(void **state)
{
    char *ok = nested_trace(62), *deep = nested_trace(63);
    (void)state;
    expect(ok, CT_PROFILE_PORTABLE, "");
    expect(deep, CT_PROFILE_PORTABLE,
           "trace.json: event 6 (Value): nested 128 levels deep; serde_json stops at 127 with "
           "the trace array");
    free(ok);
    free(deep);
}

static void test_side_files(void **state)
{
    const char *trace = START STEP "]";
    (void)state;
    expect_full(trace, META, "[\"/src/b.sol\"]", CT_PROFILE_PORTABLE, 0,
                "trace.json: event 0 (Path): \"/src/a.sol\" differs from trace_paths.json[0] "
                "\"/src/b.sol\"");
    expect_full(trace, META, "[\"/src/a.sol\",\"/x\"]", CT_PROFILE_PORTABLE, 0,
                "trace_paths.json: has 2 entries, trace.json has 1 Path events");
    expect_full(trace, META, NULL, CT_PROFILE_PORTABLE, 0, "trace_paths.json: missing");
    expect_full(trace, NULL, PATHS, CT_PROFILE_PORTABLE, 0, "trace_metadata.json: missing");
    expect_full(trace, "{\"workdir\":\"/w\",\"program\":\"p\",\"args\":[]}", PATHS,
                CT_PROFILE_PORTABLE, 0,
                "trace_metadata.json: recording_id: expected a lowercase hyphenated UUIDv7");
    expect_full(trace, "{\"workdir\":\"/w\",\"program\":\"p\",\"args\":[]}", NULL,
                CT_PROFILE_PORTABLE, CT_VALIDATE_LENIENT_METADATA, "");
    expect_full("[{\"Path\":\"/src/gone.sol\"}]", META, "[\"/src/gone.sol\"]",
                CT_PROFILE_PORTABLE, 0,
                "trace.json: event 0 (Path): files/src/gone.sol is missing (every Path needs "
                "its source copy)");
    expect_full(NULL, META, PATHS, CT_PROFILE_PORTABLE, 0, "trace.json: missing");
}

/* A writer-made trace, kept under test-traces/ for the schema test (docs/testing.md). */
static char *test_traces_dir(const char *name)
{
    char *base = ct_test_env_path("CT_BINARY_DIR", "test-traces/test_validate");
    char *dir;
    if (!base)
        base = ct_test_tmpdir("validate-writer");
    assert_non_null(base);
    assert_int_equal(ct_test_system("mkdir -p '%s'", base), 0);
    dir = malloc(strlen(base) + strlen(name) + 2);
    assert_non_null(dir);
    sprintf(dir, "%s/%s", base, name);
    free(base);
    return dir;
}

static void write_trace(const char *dir, const char *src)
{
    ct_writer_options o;
    ct_writer *w = NULL;
    ct_error err;
    ct_type_id t;
    ct_variable_id v;
    ct_function_id f;
    ct_value val;
    ct_writer_options_init(&o);
    o.overwrite = true;
    o.program = "prog";
    if (ct_writer_open(&w, dir, &o, &err) != CT_OK)
        fail_msg("open: %s", err.message);
    assert_int_equal(ct_writer_start(w, src, 1), CT_OK);
    assert_int_equal(ct_writer_step(w, 0, 2), CT_OK);
    assert_int_equal(ct_writer_type_id(&t, w, CT_TYPE_INT, "int"), CT_OK);
    assert_int_equal(ct_writer_variable_id(&v, w, "x"), CT_OK);
    val = ct_value_int(t, 42);
    assert_int_equal(ct_writer_value(w, v, &val), CT_OK);
    assert_int_equal(ct_writer_function_id(&f, w, "f", 0, 3), CT_OK);
    assert_int_equal(ct_writer_call(w, f, NULL, 0), CT_OK);
    assert_int_equal(ct_writer_step(w, 0, 4), CT_OK);
    assert_int_equal(ct_writer_return(w, &val), CT_OK);
    assert_int_equal(ct_writer_event(w, CT_EVENT_EVM, "LOG1", "0xabc"), CT_OK);
    if (ct_writer_close(w, &err) != CT_OK)
        fail_msg("close: %s", err.message);
}

static void test_writer_output_passes(void **state)
{
    char *dir = test_traces_dir("writer-portable");
    char *src = ct_test_tmpdir("validate-src");
    char path[4200];
    ct_validate_report r;
    ct_error err;
    (void)state;
    snprintf(path, sizeof path, "%s/prog.c", src);
    assert_int_equal(ct_test_write_file(path, "a\nb\nc\nd\n", 8), 0);
    write_trace(dir, path);
    if (run(dir, CT_PROFILE_PORTABLE, 0, &r, &err) != CT_OK)
        fail_msg("writer output rejected: %s", err.message);
    assert_int_equal(r.per_type[CT_EV_CALL], 2);
    assert_int_equal(r.per_type[CT_EV_RETURN], 1);
    assert_int_equal(r.max_depth, 2);
    assert_int_equal(r.warnings, 0);
    ct_test_rmrf(src);
    free(src);
    free(dir);
}

static ct_profile profile_of(const char *name)
{
    if (!strcmp(name, "codetracer-25.11"))
        return CT_PROFILE_CODETRACER_25_11;
    return !strcmp(name, "current") ? CT_PROFILE_CURRENT : CT_PROFILE_PORTABLE;
}

/*
 * The raw text of a case's "document" (its last key): re-printing it with cJSON would turn
 * -9223372036854775808 into a double and test cJSON instead of the validator.
 */
static char *document_text(char *text)
{
    char *start = strstr(text, "\"document\":");
    char *end = strrchr(text, '}');
    assert_non_null(start);
    assert_non_null(end);
    start += strlen("\"document\":");
    *end = '\0';
    return start;
}

/*
 * Run one tests/schema case file through the C validator; returns the status. An invalid case
 * names the C validator's message in "c_error", so a case rejected for another reason fails.
 */
static ct_status run_case(const char *file, ct_error *err)
{
    char *text = ct_test_read_file(file, NULL);
    cJSON *c;
    const char *kind, *doc;
    char *dir;
    ct_status rc;
    unsigned flags = CT_VALIDATE_SKIP_FILES;
    assert_non_null(text);
    c = cJSON_Parse(text);
    assert_non_null(c);
    kind = cJSON_GetObjectItem(c, "file")->valuestring;
    doc = document_text(text);
    if (!strcmp(kind, "metadata")) {
        dir = make_dir(START STEP "]", doc, PATHS);
    } else if (!strcmp(kind, "paths")) {
        dir = make_dir(START STEP "]", META, doc);
    } else {
        /* a bare trace.json: the side files are what the other cases check */
        dir = make_dir(doc, META, NULL);
        flags |= CT_VALIDATE_LENIENT_METADATA;
    }
    rc = run(dir, profile_of(cJSON_GetObjectItem(c, "profile")->valuestring), flags, NULL, err);
    if (rc != CT_OK && cJSON_IsString(cJSON_GetObjectItem(c, "c_error")) &&
        strcmp(err->message, cJSON_GetObjectItem(c, "c_error")->valuestring))
        fail_msg("%s: rejected with \"%s\", expected \"%s\"", file, err->message,
                 cJSON_GetObjectItem(c, "c_error")->valuestring);
    cJSON_Delete(c);
    free(text);
    ct_test_rmrf(dir);
    free(dir);
    return rc;
}

static void run_cases(const char *sub, bool want_ok)
{
    char *folder = ct_test_env_path("CT_SOURCE_DIR", sub);
    DIR *d = NULL;   /* skip() does not return, but compilers cannot tell */
    struct dirent *e;
    int n = 0;
    if (!folder || !(d = opendir(folder)))
        skip();
    while ((e = readdir(d))) {
        char file[4200];
        ct_error err;
        ct_status rc;
        /* the valid paths case lists other paths than this folder's trace */
        if (!strstr(e->d_name, ".json") || (want_ok && strstr(e->d_name, "paths")))
            continue;
        snprintf(file, sizeof file, "%s/%s", folder, e->d_name);
        rc = run_case(file, &err);
        if ((rc == CT_OK) != want_ok)
            fail_msg("%s: expected %s, got %s", e->d_name, want_ok ? "valid" : "invalid",
                     rc == CT_OK ? "valid" : err.message);
        n++;
    }
    closedir(d);
    free(folder);
    assert_true(n > 3);
}

static void test_schema_cases(void **state)
{
    (void)state;
    run_cases("tests/schema/valid", true);
    run_cases("tests/schema/invalid", false);
}

static const struct upstream_case {
    const char *folder;
    ct_profile profile;
    const char *want;   /* "" = valid (leniently) */
} UPSTREAM[] = {
    {"codetracer/db-backend-trace", CT_PROFILE_PORTABLE, ""},
    {"codetracer/loop-trace-25.11.1", CT_PROFILE_PORTABLE, ""},
    {"codetracer/stylus-fund-trace", CT_PROFILE_PORTABLE, ""},
    {"codetracer-example-recordings/ruby-flow_test", CT_PROFILE_PORTABLE, ""},
    {"codetracer-ruby-recorder/addition-2025-09", CT_PROFILE_CODETRACER_25_11, ""},
    {"codetracer-ruby-recorder/addition", CT_PROFILE_CURRENT, ""},
    {"codetracer-ruby-recorder/more_types", CT_PROFILE_CURRENT, ""},
    {"codetracer-ruby-recorder/addition", CT_PROFILE_CODETRACER_25_11,
     "trace.json: event 21 (BindVariable): BindVariable is not loadable in profile "
     "codetracer-25.11"},
    /* SOURCES.txt: no Type events although Returns use type_id 0 (25.11 panics) */
    {"codetracer/m0_three_funcs", CT_PROFILE_PORTABLE,
     "trace.json: event 10 (Return): return_value.type_id: 0 is not registered (0 Type events "
     "so far)"},
    /* SOURCES.txt: a Step before the first Call, 6 Returns for 1 Call, no Type */
    {"runtime_tracing/trace_util-tests-data", CT_PROFILE_CODETRACER_25_11,
     "trace.json: event 2 (Step): a Step before any Call (CodeTracer 25.11 asserts that a Call "
     "comes first)"},
    {"runtime_tracing/trace_util-tests-data", CT_PROFILE_CURRENT,
     "trace.json: event 4 (Return): return_value.type_id: 0 is not registered (0 Type events "
     "so far)"},
};

static void test_upstream(void **state)
{
    char *base = ct_test_shared("upstream-traces");
    size_t i;
    (void)state;
    if (!base)
        skip();
    for (i = 0; i < sizeof UPSTREAM / sizeof UPSTREAM[0]; i++) {
        char dir[4200];
        ct_validate_report r;
        ct_error err;
        ct_status rc;
        snprintf(dir, sizeof dir, "%s/%s", base, UPSTREAM[i].folder);
        rc = run(dir, UPSTREAM[i].profile, CT_VALIDATE_LENIENT, &r, &err);
        if (!*UPSTREAM[i].want && rc != CT_OK)
            fail_msg("%s: %s", UPSTREAM[i].folder, err.message);
        if (*UPSTREAM[i].want)
            assert_string_equal(err.message, UPSTREAM[i].want);
        if (!strcmp(UPSTREAM[i].folder, "codetracer/loop-trace-25.11.1")) {
            /* counts from SOURCES.txt */
            assert_int_equal(r.events, 4028);
            assert_int_equal(r.per_type[CT_EV_STEP], 2007);
            assert_int_equal(r.per_type[CT_EV_VARIABLE], 3);
            assert_int_equal(r.open_calls, 1);
        }
    }
    free(base);
}

static void test_allocation_failures(void **state)
{
    char *dir = make_dir(START STEP INT_TYPE VAR
                         ",{\"Value\":{\"variable_id\":0,\"value\":{\"kind\":\"Int\",\"i\":1,"
                         "\"type_id\":1}}}]", META, PATHS);
    uint64_t n;
    (void)state;
    for (n = 1;; n++) {
        ct_test_alloc t;
        ct_validate_options opts;
        ct_error err;
        ct_status rc;
        ct_test_alloc_init(&t, n);
        ct_validate_options_init(&opts);
        opts.allocator = &t.allocator;
        rc = ct_validate_dir(NULL, dir, &opts, &err);
        assert_int_equal(t.live_blocks, 0);
        if (rc == CT_OK)
            break;
        assert_int_equal(rc, CT_ENOMEM);
        assert_true(n < 1000);
    }
    ct_test_rmrf(dir);
    free(dir);
}

static void test_bad_arguments(void **state)
{
    ct_validate_options opts;
    ct_error err;
    (void)state;
    assert_int_equal(ct_validate_dir(NULL, NULL, NULL, &err), CT_EINVAL);
    ct_validate_options_init(&opts);
    opts.version = 99;
    assert_int_equal(ct_validate_dir(NULL, "/tmp", &opts, &err), CT_EINVAL);
    ct_validate_options_init(&opts);
    opts.profile = (ct_profile)7;
    assert_int_equal(ct_validate_dir(NULL, "/tmp", &opts, &err), CT_EINVAL);
    assert_int_equal(ct_validate_dir(NULL, "/nonexistent-ct-dir", NULL, &err), CT_EPARSE);
    assert_string_equal(err.message, "/nonexistent-ct-dir: No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_valid),
        cmocka_unit_test(test_references),
        cmocka_unit_test(test_flow_rules),
        cmocka_unit_test(test_start),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_side_files),
        cmocka_unit_test(test_writer_output_passes),
        cmocka_unit_test(test_schema_cases),
        cmocka_unit_test(test_upstream),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
