/* `ctrecord bundle` / `ctrecord unbundle`: the real binary, its exit codes and messages. */
#include "ct_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct cli_env {
    char *cli;
    char *root;
} cli_env;

static int setup(void **state)
{
    cli_env *e = calloc(1, sizeof *e);
    const char *cli = getenv("CT_CLI");
    if (!e || !cli || !*cli)
        return -1;
    e->cli = strdup(cli);
    e->root = ct_test_tmpdir("clibundle");
    *state = e;
    return e->cli && e->root ? 0 : -1;
}

static int teardown(void **state)
{
    cli_env *e = *state;
    ct_test_rmrf(e->root);
    free(e->root);
    free(e->cli);
    free(e);
    return 0;
}

static char *slurp(const cli_env *e, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", e->root, name);
    return ct_test_read_file(path, NULL);
}

static void test_round_trip_and_codes(void **state)
{
    cli_env *e = *state;
    const char *r = e->root;
    char *text;
    assert_int_equal(ct_test_system("mkdir -p '%s/t/files/tmp' && printf '[]' > '%s/t/trace.json' "
                                    "&& printf 'x' > '%s/t/files/tmp/a.sol'", r, r, r), 0);
    assert_int_equal(ct_test_system("'%s' bundle '%s/t' -o '%s/t.tar.gz'", e->cli, r, r), 0);
    assert_int_equal(ct_test_system("'%s' unbundle '%s/t.tar.gz' --output '%s/back'", e->cli, r,
                                    r), 0);
    assert_int_equal(ct_test_system("diff -r '%s/t' '%s/back'", r, r), 0);
    /* Destination exists: usage error (2) with a one-line message naming it. */
    assert_int_equal(ct_test_system("'%s' unbundle '%s/t.tar.gz' -o '%s/back' 2> '%s/err'",
                                    e->cli, r, r, r), 2);
    text = slurp(e, "err");
    assert_non_null(text);
    assert_non_null(strstr(text, "ctrecord unbundle: "));
    assert_non_null(strstr(text, "back: already exists"));
    free(text);
    /* Corrupt archive: input error (1), nothing created. */
    assert_int_equal(ct_test_system("head -c 100 '%s/t.tar.gz' > '%s/cut.tar.gz'", r, r), 0);
    assert_int_equal(ct_test_system("'%s' unbundle '%s/cut.tar.gz' -o '%s/cut' 2>/dev/null",
                                    e->cli, r, r), 1);
    {
        char p[4096];
        snprintf(p, sizeof p, "%s/cut", r);
        assert_false(ct_test_exists(p));
    }
}

static void test_usage(void **state)
{
    cli_env *e = *state;
    const char *r = e->root;
    char *text;
    assert_int_equal(ct_test_system("'%s' bundle --help > '%s/out'", e->cli, r), 0);
    text = slurp(e, "out");
    assert_non_null(text);
    assert_non_null(strstr(text, "usage: ctrecord bundle DIR -o FILE.tar.gz"));
    free(text);
    assert_int_equal(ct_test_system("'%s' unbundle -h > '%s/out'", e->cli, r), 0);
    text = slurp(e, "out");
    assert_non_null(strstr(text, "usage: ctrecord unbundle FILE.tar.gz -o DIR"));
    free(text);
    assert_int_equal(ct_test_system("'%s' bundle '%s' 2>/dev/null", e->cli, r), 2);
    assert_int_equal(ct_test_system("'%s' bundle -o x 2>/dev/null", e->cli), 2);
    assert_int_equal(ct_test_system("'%s' bundle a b -o x 2>/dev/null", e->cli), 2);
    assert_int_equal(ct_test_system("'%s' unbundle --bogus 2>/dev/null", e->cli), 2);
    assert_int_equal(ct_test_system("'%s' bundle '%s/nope' -o '%s/x.tgz' 2>/dev/null", e->cli, r,
                                    r), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_and_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
