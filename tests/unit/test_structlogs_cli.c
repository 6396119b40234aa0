/*
 * `ctrecord structlogs` end to end: real files (plain, gzip, stdin), the Geth options and
 * encodings, exit codes, and that a failure leaves no output file (temp + rename).
 */
#include "ct_test.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define OP(pc, cost, used, push) \
    "{\"pc\":" #pc ",\"cost\":" #cost ",\"ex\":{\"used\":" #used ",\"push\":[" push "]," \
    "\"mem\":null,\"store\":null},\"sub\":null}"

static const char trace[] =
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"output\":\"0x\",\"trace\":[{\"action\":{"
    "\"to\":\"0xaa\",\"gas\":\"0x64\",\"input\":\"0x0100\",\"value\":\"0x0\"},\"result\":{"
    "\"gasUsed\":\"0x17\"},\"type\":\"call\",\"traceAddress\":[]}],\"vmTrace\":{\"code\":"
    "\"0x602a600052600154" "00\",\"ops\":["
    OP(0, 3, 97, "\"0x2a\"") "," OP(2, 3, 94, "\"0x0\"") ","
    "{\"pc\":4,\"cost\":6,\"ex\":{\"used\":88,\"push\":[],\"mem\":{\"off\":0,\"data\":"
    "\"0x000000000000000000000000000000000000000000000000000000000000002a\"},\"store\":null},"
    "\"sub\":null}," OP(5, 3, 85, "\"0x1\"") "," OP(7, 800, 85, "\"0x9\"") ","
    OP(8, 0, 85, "") "]},\"transactionHash\":\"0xabc\"}}";

typedef struct fixture {
    char *dir, *in, *out;
    const char *cli;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->cli = getenv("CT_CLI");
    f->dir = ct_test_tmpdir("structlogs_cli");
    f->in = malloc(strlen(f->dir) + 32);
    f->out = malloc(strlen(f->dir) + 32);
    sprintf(f->in, "%s/in.json", f->dir);
    sprintf(f->out, "%s/out.json", f->dir);
    assert_int_equal(ct_test_write_file(f->in, trace, strlen(trace)), 0);
    *state = f;
    return f->cli ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ct_test_rmrf(f->dir);
    free(f->dir);
    free(f->in);
    free(f->out);
    free(f);
    return 0;
}

static cJSON *step(cJSON *doc, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "structLogs"), i);
}

static void test_default_output(void **state)
{
    fixture *f = *state;
    cJSON *doc, *s;
    assert_int_equal(ct_test_system("'%s' structlogs -o '%s' '%s'", f->cli, f->out, f->in), 0);
    doc = ct_test_read_json(f->out);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "structLogs")), 6);
    /* 21000 + calldata 16 + 4 + trace gasUsed 0x17 */
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(doc, "gas")->valuedouble, 21043);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(doc, "failed")));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(doc, "returnValue")->valuestring, "0x");
    s = step(doc, 4);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(s, "op")->valuestring, "SLOAD");
    assert_null(cJSON_GetObjectItemCaseSensitive(s, "memory"));   /* off by default */
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(
                            cJSON_GetObjectItemCaseSensitive(s, "storage"),
                            "0x0000000000000000000000000000000000000000000000000000000000000001")
                            ->valuestring,
                        "0x0000000000000000000000000000000000000000000000000000000000000009");
    assert_null(cJSON_GetObjectItemCaseSensitive(step(doc, 3), "storage"));
    assert_null(cJSON_GetObjectItemCaseSensitive(s, "refund"));
    cJSON_Delete(doc);
}

static void test_options_and_encodings(void **state)
{
    fixture *f = *state;
    cJSON *doc, *mem;
    assert_int_equal(ct_test_system("'%s' structlogs --enable-memory --disable-stack "
                                    "--legacy-encoding '%s' > '%s'", f->cli, f->in, f->out), 0);
    doc = ct_test_read_json(f->out);
    assert_null(cJSON_GetObjectItemCaseSensitive(step(doc, 0), "stack"));
    assert_null(cJSON_GetObjectItemCaseSensitive(step(doc, 2), "memory"));   /* pre-expansion */
    mem = cJSON_GetObjectItemCaseSensitive(step(doc, 3), "memory");
    assert_int_equal(cJSON_GetArraySize(mem), 1);
    assert_string_equal(cJSON_GetArrayItem(mem, 0)->valuestring,
                        "000000000000000000000000000000000000000000000000000000000000002a");
    assert_non_null(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(step(doc, 4), "storage"),
        "0000000000000000000000000000000000000000000000000000000000000001"));
    cJSON_Delete(doc);
    assert_int_equal(ct_test_system("'%s' structlogs --enable-memory --disable-storage - < '%s' "
                                    "> '%s'", f->cli, f->in, f->out), 0);
    doc = ct_test_read_json(f->out);
    mem = cJSON_GetObjectItemCaseSensitive(step(doc, 3), "memory");
    assert_string_equal(cJSON_GetArrayItem(mem, 0)->valuestring,
                        "0x000000000000000000000000000000000000000000000000000000000000002a");
    assert_null(cJSON_GetObjectItemCaseSensitive(step(doc, 4), "storage"));
    cJSON_Delete(doc);
}

static void test_gzip_input(void **state)
{
    fixture *f = *state;
    char gz[600];
    gzFile g;
    cJSON *doc;
    snprintf(gz, sizeof gz, "%s/in.json.gz", f->dir);
    g = gzopen(gz, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, trace, (unsigned)strlen(trace)), (int)strlen(trace));
    gzclose(g);
    assert_int_equal(ct_test_system("'%s' structlogs -o '%s' '%s'", f->cli, f->out, gz), 0);
    doc = ct_test_read_json(f->out);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "structLogs")), 6);
    cJSON_Delete(doc);
}

/* A failure: non-zero exit, one line on stderr naming the place, and no output file. */
static void test_failure_leaves_nothing(void **state)
{
    fixture *f = *state;
    char bad[600], err[600], *msg;
    size_t cut = strlen(trace) - 40;
    snprintf(bad, sizeof bad, "%s/truncated.json", f->dir);
    snprintf(err, sizeof err, "%s/stderr.txt", f->dir);
    assert_int_equal(ct_test_write_file(bad, trace, cut), 0);
    assert_int_equal(ct_test_system("'%s' structlogs -o '%s' '%s' 2> '%s'", f->cli, f->out, bad,
                                    err), 1);
    assert_false(ct_test_exists(f->out));
    assert_int_equal(ct_test_system("ls '%s' | grep -q tmp", f->dir), 1);
    msg = ct_test_read_file(err, NULL);
    assert_non_null(strstr(msg, "truncated.json: byte"));
    assert_non_null(strchr(msg, '\n'));
    assert_null(strchr(strchr(msg, '\n') + 1, '\n'));
    free(msg);
}

static void test_usage(void **state)
{
    fixture *f = *state;
    assert_int_equal(ct_test_system("'%s' structlogs --help > /dev/null", f->cli), 0);
    assert_int_equal(ct_test_system("'%s' structlogs --frobnicate x 2> /dev/null", f->cli), 2);
    assert_int_equal(ct_test_system("'%s' structlogs 2> /dev/null", f->cli), 2);
    assert_int_equal(ct_test_system("'%s' structlogs --dialect parity '%s' 2> /dev/null", f->cli,
                                    f->in), 2);
    assert_int_equal(ct_test_system("'%s' structlogs '%s/missing.json' 2> /dev/null", f->cli,
                                    f->dir), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_default_output, setup, teardown),
        cmocka_unit_test_setup_teardown(test_options_and_encodings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gzip_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
