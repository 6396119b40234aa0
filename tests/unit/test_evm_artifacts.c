/* Artifacts, bytecode matching, source maps and AST functions on the committed erc20 sample
 * (real solc 0.8.30 output and the real code of the executed frames). */
#include "ct_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts.h"
#include "ast_functions.h"
#include "bytecode_match.h"
#include "source_map.h"
#include "util/alloc.h"

typedef struct fx {
    ct__artifacts t;
    char *dir;
} fx;

static char *sample(const char *rel)
{
    char *p = ct_test_env_path("CT_SOURCE_DIR", rel);
    if (p && !ct_test_exists(p)) {
        free(p);
        return NULL;
    }
    return p;
}

static int setup(void **state)
{
    static fx f;
    ct_error err;
    char *out = sample("trace-samples/erc20/solc-output.json");
    char *in = sample("trace-samples/erc20/solc-input.json");
    ct__artifact_options o = {0};
    if (!out || !in)
        return 0;
    f.dir = ct_test_env_path("CT_SOURCE_DIR", "");
    o.sources_dir = f.dir;
    ct__artifacts_init(&f.t, &o, NULL);
    if (ct__artifacts_load(&f.t, out, &err) < 0 || ct__artifacts_load(&f.t, in, &err) < 0 ||
        ct__artifacts_finish(&f.t, &err) < 0) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    free(out);
    free(in);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    if (f) {
        ct__artifacts_free(&f->t);
        free(f->dir);
    }
    return 0;
}

/* The frame code of a sample's root vmTrace, decoded from hex. */
static uint8_t *root_code(const char *rel, size_t *len)
{
    char *p = sample(rel), *text = p ? ct_test_read_file(p, NULL) : NULL;
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    const cJSON *code = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "vmTrace"), "code");
    const char *h = cJSON_GetStringValue(code);
    uint8_t *bytes = NULL;
    size_t i, n;
    if (h) {
        n = (strlen(h) - 2) / 2;
        bytes = malloc(n + 1);
        for (i = 0; i < n; i++) {
            unsigned b;
            sscanf(h + 2 + 2 * i, "%2x", &b);
            bytes[i] = (uint8_t)b;
        }
        *len = n;
    }
    cJSON_Delete(doc);
    free(text);
    free(p);
    return bytes;
}

static uint32_t line_of(const ct__source *s, const char *needle)
{
    const char *at = strstr(s->content, needle);
    assert_non_null(at);
    return ct__source_line(s, (uint32_t)(at - s->content));
}

static void test_loaded(void **state)
{
    fx *f = *state;
    const ct__contract *c;
    if (!f)
        skip();
    c = ct__find_contract(&f->t, "Token");
    assert_non_null(c);
    assert_non_null(ct__find_contract(&f->t, "contracts/erc20/Token.sol:Token"));
    assert_true(c->runtime.len > 1000);
    assert_true(c->runtime.exec_len < c->runtime.len);   /* the CBOR tail was found */
    assert_non_null(c->set->by_id[0]);
    assert_non_null(c->set->by_id[0]->content);
    assert_non_null(strstr(c->set->by_id[0]->path, "/contracts/erc20/Token.sol"));
    assert_non_null(ct__abi_first(&c->abi, CT__ABI_ENTRY_CONSTRUCTOR));
    assert_int_equal(f->t.nwarnings, 0);
}

static void test_match_runtime_and_lines(void **state)
{
    fx *f = *state;
    size_t len = 0, pc;
    uint8_t *code;
    ct__match m;
    ct__locmap *lm;
    ct_error err;
    const ct__source *src;
    uint32_t want_call, want_add;
    bool saw_call = false, saw_add_after = false;
    if (!f)
        skip();
    code = root_code("trace-samples/erc20/transfer/vmtrace.json", &len);
    assert_non_null(code);
    assert_true(ct__match_code(&m, &f->t, code, len, false));
    assert_string_equal(m.contract->name, "Token");
    assert_false(ct__match_code(&m, &f->t, code, len - 1, false));
    assert_true(ct__match_code(&m, &f->t, code, len, false));
    assert_int_equal(ct__locmap_build(&lm, &f->t.arena, code, len, m.bytecode->exec_len,
                                      m.bytecode->srcmap, m.contract->set, NULL, &err), CT_OK);
    assert_int_equal(lm->out_of_range, 0);
    src = m.contract->set->by_id[0];
    want_call = line_of(src, "_transfer(msg.sender, to, value);");
    want_add = line_of(src, "balanceOf[to] += value;");
    for (pc = 0; pc < len; pc++) {
        ct__loc l = ct__locmap_at(lm, pc);
        if (l.file == 0 && l.line == want_call)
            saw_call = true;
        if (saw_call && l.file == 0 && l.line == want_add)
            saw_add_after = true;
    }
    assert_true(saw_call);
    assert_true(saw_add_after);
    /* The metadata tail and beyond have no location. */
    assert_int_equal(ct__locmap_at(lm, len - 1).file, -1);
    assert_int_equal(ct__locmap_at(lm, len + 100).file, -1);
    free(code);
}

static void test_match_creation_with_args(void **state)
{
    fx *f = *state;
    size_t len = 0;
    uint8_t *code;
    ct__match m;
    ct__abi_value v;
    ct__arena ar;
    ct_error err;
    char buf[256];
    if (!f)
        skip();
    code = root_code("trace-samples/erc20/deploy/vmtrace.json", &len);
    assert_non_null(code);
    assert_false(ct__match_code(&m, &f->t, code, len, false));
    assert_true(ct__match_code(&m, &f->t, code, len, true));
    assert_string_equal(m.contract->name, "Token");
    assert_true(m.args_offset < len);
    ct__arena_init(&ar, NULL);
    assert_int_equal(ct__abi_decode(&v, &ar, ct__abi_first(&m.contract->abi,
                                                           CT__ABI_ENTRY_CONSTRUCTOR)->inputs,
                                    code + m.args_offset, len - m.args_offset, &err), CT_OK);
    ct__abi_format_named(buf, sizeof buf, &v);
    /* The sample's constructor ends with the supply the manifest deploys with (10^24). */
    assert_non_null(strstr(buf, "supply=1000000000000000000000000"));
    ct__arena_free(&ar);
    free(code);
}

static void test_ast_functions(void **state)
{
    fx *f = *state;
    const ct__artifact_set *set;
    const ct__ast_function *fn;
    const ct__source *src;
    if (!f)
        skip();
    set = ct__find_contract(&f->t, "Token")->set;
    src = set->by_id[0];
    fn = ct__ast_function_named(set, "Token", "_transfer", 3);
    assert_non_null(fn);
    assert_string_equal(fn->visibility, "internal");
    assert_int_equal(fn->line, line_of(src, "function _transfer("));
    assert_string_equal(fn->params[2], "value");
    assert_string_equal(fn->param_types[0], "address");
    assert_ptr_equal(ct__ast_function_at(set, 0, (uint32_t)(strstr(src->content,
                     "balanceOf[to] += value;") - src->content)), fn);
    fn = ct__ast_function_named(set, "Token", "constructor",
                                ct__abi_first(&ct__find_contract(&f->t, "Token")->abi,
                                              CT__ABI_ENTRY_CONSTRUCTOR)->inputs->nfields);
    assert_non_null(fn);
    assert_int_equal(fn->line, line_of(src, "constructor("));
}

static void test_srcmap_parse_and_bad_ranges(void **state)
{
    fx *f = *state;
    ct__srcmap_entry *e;
    size_t n;
    ct_error err;
    ct__locmap *lm;
    const uint8_t code[] = {0x60, 0x80, 0x60, 0x40, 0x52, 0x00};
    (void)state;
    assert_int_equal(ct__srcmap_parse(&e, &n, "1:2:1;:9;2:1:2:o;;-1:3:-1:i:2", NULL, &err),
                     CT_OK);
    assert_int_equal(n, 5);
    assert_int_equal(e[1].s, 1);
    assert_int_equal(e[1].l, 9);
    assert_int_equal(e[1].f, 1);
    assert_int_equal(e[3].s, 2);
    assert_int_equal(e[3].j, 'o');
    assert_int_equal(e[4].f, -1);
    assert_int_equal(e[4].m, 2);
    ct__free(NULL, e, n * sizeof *e);
    assert_int_equal(ct__srcmap_parse(&e, &n, "1:x", NULL, &err), CT_EPARSE);
    if (!f)
        return;
    /* An entry far past the end of the source: no location, counted for a warning. */
    assert_int_equal(ct__locmap_build(&lm, &f->t.arena, code, sizeof code, sizeof code,
                                      "0:10:0;999999:4:0;1:1:-1", ct__find_contract(&f->t,
                                      "Token")->set, NULL, &err), CT_OK);
    assert_int_equal(lm->out_of_range, 1);
    assert_int_equal(ct__locmap_at(lm, 0).file, 0);
    assert_int_equal(ct__locmap_at(lm, 0).line, 1);
    assert_int_equal(ct__locmap_at(lm, 1).file, -1);   /* PUSH data */
    assert_int_equal(ct__locmap_at(lm, 2).file, -1);   /* out of range */
    assert_int_equal(ct__locmap_at(lm, 4).file, -1);   /* f == -1 */
}

static void test_bad_paths(void **state)
{
    ct__artifacts t;
    ct_error err;
    char *d = ct_test_tmpdir("evm-art");
    char p[512];
    (void)state;
    ct__artifacts_init(&t, NULL, NULL);
    snprintf(p, sizeof p, "%s/nope.json", d);
    assert_int_equal(ct__artifacts_load(&t, p, &err), CT_EIO);
    assert_non_null(strstr(err.message, "nope.json"));
    ct_test_write_file(p, "{\"x\":", 5);
    assert_int_equal(ct__artifacts_load(&t, p, &err), CT_EPARSE);
    ct_test_write_file(p, "{\"x\":1}", 7);
    assert_int_equal(ct__artifacts_load(&t, p, &err), CT_EPARSE);
    assert_int_equal(ct__artifacts_load(&t, d, &err), CT_EPARSE);   /* empty folder */
    ct__artifacts_free(&t);
    ct_test_rmrf(d);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loaded),
        cmocka_unit_test(test_match_runtime_and_lines),
        cmocka_unit_test(test_match_creation_with_args),
        cmocka_unit_test(test_ast_functions),
        cmocka_unit_test(test_srcmap_parse_and_bad_ranges),
        cmocka_unit_test(test_bad_paths),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
