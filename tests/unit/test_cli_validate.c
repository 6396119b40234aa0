/* `ctrecord validate`: the real binary, its output, exit codes and flags. */
#include "ct_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define START                                                                                  \
    "[{\"Path\":\"/src/a.sol\"},"                                                              \
    "{\"Function\":{\"path_id\":0,\"line\":1,\"name\":\"<toplevel>\"}},"                       \
    "{\"Call\":{\"function_id\":0,\"args\":[]}},"                                              \
    "{\"Type\":{\"kind\":30,\"lang_type\":\"None\",\"specific_info\":{\"kind\":\"None\"}}}"
#define META                                                                                   \
    "{\"recording_id\":\"01949fcc-7d92-7e9c-aaaa-bbbbbbbbbbbb\",\"workdir\":\"/w\","           \
    "\"program\":\"p\",\"args\":[]}"

typedef struct cli_env {
    const char *cli;
    char *root;
} cli_env;

static int setup(void **state)
{
    cli_env *e = calloc(1, sizeof *e);
    if (!e || !(e->cli = getenv("CT_CLI")) || !*e->cli)
        return -1;
    e->root = ct_test_tmpdir("clivalidate");
    *state = e;
    return e->root ? 0 : -1;
}

static int teardown(void **state)
{
    cli_env *e = *state;
    ct_test_rmrf(e->root);
    free(e->root);
    free(e);
    return 0;
}

static void write_in(const cli_env *e, const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", e->root, name);
    assert_int_equal(ct_test_write_file(path, text, strlen(text)), 0);
}

static char *read_in(const cli_env *e, const char *name)
{
    char path[4200];
    char *text;
    snprintf(path, sizeof path, "%s/%s", e->root, name);
    text = ct_test_read_file(path, NULL);
    assert_non_null(text);
    return text;
}

/* A folder t/ with the given trace.json, valid metadata, paths and source copy. */
static void make_trace(const cli_env *e, const char *trace)
{
    assert_int_equal(ct_test_system("rm -rf '%s/t' && mkdir -p '%s/t/files/src' && "
                                    "echo x > '%s/t/files/src/a.sol'", e->root, e->root, e->root),
                     0);
    write_in(e, "t/trace.json", trace);
    write_in(e, "t/trace_metadata.json", META);
    write_in(e, "t/trace_paths.json", "[\"/src/a.sol\"]");
}

static int run(const cli_env *e, const char *args)
{
    return ct_test_system("'%s' validate '%s/t' %s > '%s/out' 2> '%s/err'", e->cli, e->root, args,
                          e->root, e->root);
}

static void expect_text(const cli_env *e, const char *name, const char *want)
{
    char *got = read_in(e, name);
    assert_string_equal(got, want);
    free(got);
}

static void test_valid_and_invalid(void **state)
{
    cli_env *e = *state;
    make_trace(e, START ",{\"Step\":{\"path_id\":0,\"line\":5}}]");
    assert_int_equal(run(e, ""), 0);
    expect_text(e, "out", "ok: 5 events, 1 steps, 1 calls, 0 returns, 0 values, 1 types, "
                          "1 paths, max depth 1\n");
    expect_text(e, "err", "");
    make_trace(e, START ",{\"Step\":{\"path_id\":0,\"line\":5}},{\"Return\":{\"return_value\":"
                        "{\"kind\":\"Int\",\"i\":1,\"type_id\":3}}}]");
    assert_int_equal(run(e, ""), 1);
    expect_text(e, "out", "");
    expect_text(e, "err", "ctrecord validate: trace.json: event 5 (Return): "
                          "return_value.type_id: 3 is not registered (1 Type events so far)\n");
}

static void test_profiles_and_lenience(void **state)
{
    cli_env *e = *state;
    make_trace(e, START ",{\"Step\":{\"path_id\":0,\"line\":5}},{\"ThreadStart\":1}]");
    assert_int_equal(run(e, ""), 1);
    expect_text(e, "err", "ctrecord validate: trace.json: event 5 (ThreadStart): ThreadStart is "
                          "not loadable in profile portable\n");
    assert_int_equal(run(e, "--profile current"), 0);
    make_trace(e, "[{\"Path\":\"/src/a.sol\"},{\"Function\":{\"path_id\":0,\"line\":1,\"name\":"
                  "\"main\"}},{\"Call\":{\"function_id\":0,\"args\":[]}},{\"Step\":{\"path_id\":0,"
                  "\"line\":2,\"column\":4}}]");
    assert_int_equal(run(e, "--lenient-start"), 1);
    expect_text(e, "err", "ctrecord validate: trace.json: event 3 (Step): unknown key "
                          "\"column\"\n");
    assert_int_equal(run(e, "--lenient"), 0);
    expect_text(e, "err", "ctrecord validate: warning: trace.json: event 1 (Function): expected "
                          "Function \"<toplevel>\": a trace starts with Path, Function "
                          "\"<toplevel>\", Call, Type None (1 warning)\n");
}

static void test_usage(void **state)
{
    cli_env *e = *state;
    char *text;
    assert_int_equal(ct_test_system("'%s' validate --help > '%s/out'", e->cli, e->root), 0);
    text = read_in(e, "out");
    assert_non_null(strstr(text, "usage: ctrecord validate DIR [options]"));
    assert_non_null(strstr(text, "--lenient-start"));
    free(text);
    assert_int_equal(ct_test_system("'%s' validate 2>/dev/null", e->cli), 2);
    assert_int_equal(ct_test_system("'%s' validate a b 2>/dev/null", e->cli), 2);
    assert_int_equal(ct_test_system("'%s' validate --bogus x 2>/dev/null", e->cli), 2);
    assert_int_equal(ct_test_system("'%s' validate x --profile 25 2> '%s/err'", e->cli, e->root),
                     2);
    expect_text(e, "err", "ctrecord validate: --profile needs portable, codetracer-25.11 or "
                          "current (see `ctrecord validate --help`)\n");
    assert_int_equal(ct_test_system("'%s' validate '%s/none' 2>/dev/null", e->cli, e->root), 1);
    assert_int_equal(ct_test_system("'%s' --help | grep -q '^  validate '", e->cli), 0);
}

static void test_upstream(void **state)
{
    cli_env *e = *state;
    char *dir = ct_test_shared("upstream-traces/codetracer/stylus-fund-trace");
    if (!dir)
        skip();
    assert_int_equal(ct_test_system("'%s' validate '%s' --lenient > '%s/out' 2>/dev/null", e->cli,
                                    dir, e->root), 0);
    expect_text(e, "out", "ok: 112 events, 14 steps, 7 calls, 7 returns, 19 values, 37 types, "
                          "1 paths, max depth 2\n");
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_and_invalid),
        cmocka_unit_test(test_profiles_and_lenience),
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_upstream),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
