/*
 * The exactness proof: every vmTrace of ../shared/upstream-vmtrace that has a Geth-style
 * struct log of the same transaction (Erigon trace_replayTransaction vs debug_traceTransaction,
 * one Erigon block pair, the Besu block 0x4 pair) is replayed and every field the expected
 * struct logs carry is compared, step by step. Every other vmTrace file there must replay
 * without error (or with the documented error of the deliberate failure cases), and every
 * JUMP/JUMPI destination taken from the replayed stack must be the pc of the next op of the
 * same frame. The data is read in place; the test skips when it is absent.
 */
#include "ct_test.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctrecord/replay.h>
#include <ctrecord/structlogs.h>

#include "structlogs_write.h"
#include "util/error.h"
#include "util/sink.h"

#define RT "upstream-vmtrace/erigontech/rpc-tests/integration/mainnet/"

static const char *const pairs[][2] = {
    {"02", "02"}, {"03", "03"}, {"04", "88"}, {"05", "05"}, {"06", "06"}, {"07", "07"},
    {"08", "08"}, {"09", "09"}, {"10", "10"}, {"11", "11"}, {"12", "12"}, {"24", "87"},
    {"29", "110"}, {"42", "21"}, {"43", "23"}, {"44", "24"}, {"45", "89"}, {"46", "106"},
    {"48", "107"},
};

/* The `result` of a fixture ([{request, response}] or {request, response}). */
static cJSON *fixture_result(cJSON *doc, cJSON **request)
{
    cJSON *entry = cJSON_IsArray(doc) ? cJSON_GetArrayItem(doc, 0) : doc;
    cJSON *resp = cJSON_GetObjectItemCaseSensitive(entry, "response");
    *request = cJSON_GetObjectItemCaseSensitive(entry, "request");
    return cJSON_GetObjectItemCaseSensitive(resp, "result");
}

/* Geth options of the expected side, from its request params. */
static void options_of(cJSON *request, ct_structlogs_options *o)
{
    cJSON *params = cJSON_GetObjectItemCaseSensitive(request, "params");
    cJSON *cfg = cJSON_GetArrayItem(params, 1);
    ct_structlogs_options_init(o);
    o->disable_stack = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cfg, "disableStack"));
    o->disable_storage = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cfg, "disableStorage"));
    o->enable_memory = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cfg, "enableMemory"));
}

/* Replay `path` into our struct logs, parsed. */
static cJSON *replay_structlogs(const char *path, const ct_structlogs_options *o)
{
    ct_replay *r = NULL;
    ct__sink *s = NULL;
    ct_error err;
    const char *out;
    size_t len;
    char *copy;
    cJSON *doc;
    assert_int_equal(ct_replay_open_file(&r, path, NULL, &err), CT_OK);
    assert_int_equal(ct__sink_open_memory(&s, NULL, &err), CT_OK);
    if (ct__structlogs_write(r, s, o, &err) < 0)
        fail_msg("%s: %s", path, err.message);
    out = ct__sink_memory(s, &len);
    copy = malloc(len + 1);
    memcpy(copy, out, len);
    copy[len] = '\0';
    doc = cJSON_Parse(copy);
    free(copy);
    ct__sink_free(s);
    ct_replay_free(r);
    assert_non_null(doc);
    return doc;
}

static bool same_return_value(cJSON *a, cJSON *b)
{
    const char *x = cJSON_GetStringValue(a), *y = cJSON_GetStringValue(b);
    if (!x || !y)
        return false;
    if (!strncmp(x, "0x", 2))   /* Geth before v1.15.6 (and Besu): no prefix */
        x += 2;
    if (!strncmp(y, "0x", 2))
        y += 2;
    return !strcmp(x, y);
}

/* Every field of every expected step equals ours; returns the number of steps compared. */
static size_t compare_result(const char *what, cJSON *exp, cJSON *got)
{
    cJSON *el = cJSON_GetObjectItemCaseSensitive(exp, "structLogs");
    cJSON *gl = cJSON_GetObjectItemCaseSensitive(got, "structLogs");
    cJSON *e, *field;
    int i = 0;
    assert_non_null(gl);
    if (cJSON_GetArraySize(el) != cJSON_GetArraySize(gl))
        fail_msg("%s: %d expected steps, %d replayed", what, cJSON_GetArraySize(el),
                 cJSON_GetArraySize(gl));
    cJSON_ArrayForEach(e, el) {
        cJSON *g = cJSON_GetArrayItem(gl, i);
        cJSON_ArrayForEach(field, e) {
            cJSON *mine = cJSON_GetObjectItemCaseSensitive(g, field->string);
            if (!strcmp(field->string, "refund"))
                continue;   /* not in a vmTrace; never invented (docs/structlogs.md) */
            if (!mine || !cJSON_Compare(field, mine, true)) {
                char *x = cJSON_PrintUnformatted(field), *y = mine ? cJSON_PrintUnformatted(mine) : NULL;
                fail_msg("%s: step %d (pc %d): `%s` expected %.300s, replayed %.300s", what, i,
                         cJSON_GetObjectItemCaseSensitive(e, "pc")->valueint, field->string, x,
                         y ? y : "(absent)");
            }
        }
        cJSON_ArrayForEach(field, g) {
            if (!cJSON_GetObjectItemCaseSensitive(e, field->string))
                fail_msg("%s: step %d: `%s` replayed but not expected", what, i, field->string);
        }
        i++;
    }
    assert_true(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(exp, "failed"),
                              cJSON_GetObjectItemCaseSensitive(got, "failed"), true));
    assert_true(same_return_value(cJSON_GetObjectItemCaseSensitive(exp, "returnValue"),
                                  cJSON_GetObjectItemCaseSensitive(got, "returnValue")));
    return (size_t)i;
}

static char *shared(const char *rel)
{
    char *p = ct_test_shared(rel);
    if (!p)
        skip();
    return p;
}

static void test_erigon_transaction_pairs(void **state)
{
    size_t i, steps = 0;
    (void)state;
    for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char rel[200], what[64];
        char *vm, *dt;
        cJSON *exp_doc, *request, *got;
        ct_structlogs_options o;
        snprintf(rel, sizeof rel, RT "trace_replayTransaction/test_%s.json", pairs[i][0]);
        vm = shared(rel);
        snprintf(rel, sizeof rel, RT "debug_traceTransaction/test_%s.json", pairs[i][1]);
        dt = shared(rel);
        exp_doc = ct_test_read_json(dt);
        {
            cJSON *res = fixture_result(exp_doc, &request);
            options_of(request, &o);
            got = replay_structlogs(vm, &o);
            snprintf(what, sizeof what, "RT%s/DT%s", pairs[i][0], pairs[i][1]);
            steps += compare_result(what, res, got);
        }
        cJSON_Delete(got);
        cJSON_Delete(exp_doc);
        free(vm);
        free(dt);
    }
    print_message("compared %zu steps of %zu transaction pairs\n", steps,
                  sizeof pairs / sizeof pairs[0]);
    assert_true(steps > 19000);
}

static size_t compare_block(const char *vm_rel, const char *dt_rel, bool every_step)
{
    char *vm = shared(vm_rel), *dt = shared(dt_rel);
    cJSON *exp_doc = ct_test_read_json(dt), *request, *exp, *got, *e;
    ct_structlogs_options o;
    size_t steps = 0;
    int i = 0;
    exp = fixture_result(exp_doc, &request);
    options_of(request, &o);
    o.storage_every_step = every_step;
    got = replay_structlogs(vm, &o);
    assert_true(cJSON_IsArray(got));
    assert_int_equal(cJSON_GetArraySize(got), cJSON_GetArraySize(exp));
    cJSON_ArrayForEach(e, exp) {
        cJSON *g = cJSON_GetArrayItem(got, i++);
        assert_true(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(e, "txHash"),
                                  cJSON_GetObjectItemCaseSensitive(g, "txHash"), true));
        steps += compare_result(vm_rel, cJSON_GetObjectItemCaseSensitive(e, "result"),
                                cJSON_GetObjectItemCaseSensitive(g, "result"));
    }
    cJSON_Delete(got);
    cJSON_Delete(exp_doc);
    free(vm);
    free(dt);
    return steps;
}

static void test_erigon_block_pair(void **state)
{
    (void)state;
    assert_int_equal(compare_block(RT "trace_replayBlockTransactions/test_02.json",
                                   RT "debug_traceBlockByNumber/test_15.json", false),
                     483 + 287);
}

/* Besu's old debug spec shows storage on every step (Geth before v1.10.5). */
static void test_besu_block_pair(void **state)
{
    (void)state;
    assert_int_equal(compare_block("upstream-vmtrace/hyperledger/besu/vm-trace/trace_replayBlockTransactions_0x4.json",
                                   "upstream-vmtrace/hyperledger/besu/debug/debug_traceBlock_default.json", true),
                     33);
}

/* Deliberate failure cases among the data and the error each must give. */
static const char *expected_error(const char *path)
{
    /* Erigon records the SMOD that underflows the empty stack (with `ex`). */
    if (strstr(path, "mainnet/trace_call/test_12.json"))
        return "stack underflow";
    return NULL;
}

typedef struct jump_check {
    bool pending;
    uint32_t depth;
    uint64_t dest;
    uint64_t checked;
} jump_check;

/* The step after a JUMP/JUMPI in the same frame must be at the destination the replayed
 * stack gives (or right after a JUMPI whose replayed condition is zero). */
static void check_jump(jump_check *j, const ct_evm_step *s, const char *path)
{
    static const uint8_t zero[32];
    if (j->pending && s->depth == j->depth) {
        if (s->pc != j->dest)
            fail_msg("%s: step %llu at pc %llu, the replayed jump went to %llu", path,
                     (unsigned long long)s->index, (unsigned long long)s->pc,
                     (unsigned long long)j->dest);
        j->checked++;
    }
    j->pending = false;
    if ((s->opcode == 0x56 || s->opcode == 0x57) && s->executed &&
        s->stack_len >= (s->opcode == 0x56 ? 1u : 2u)) {
        const uint8_t *b = s->stack[s->stack_len - 1].bytes;
        bool taken = s->opcode == 0x56 || memcmp(s->stack[s->stack_len - 2].bytes, zero, 32);
        uint64_t d = 0;
        int i;
        for (i = 24; i < 32; i++)
            d = d << 8 | b[i];
        j->pending = true;
        j->depth = s->depth;
        j->dest = taken ? d : s->pc + 1;
    }
}

/* Replay one file to its end; returns the status and counts jumps and steps. */
static ct_status replay_all(const char *path, jump_check *j, uint64_t *steps, ct_error *err)
{
    ct_replay *r = NULL;
    const ct_evm_tx *tx;
    const ct_evm_step *s;
    ct_status rc;
    CT_TRY(ct_replay_open_file(&r, path, NULL, err));
    while ((rc = ct_replay_next_tx(&tx, r)) == CT_OK) {
        j->pending = false;
        while ((rc = ct_replay_next(&s, r)) == CT_OK) {
            check_jump(j, s, path);
            (*steps)++;
        }
        if (rc < 0)
            break;
    }
    if (rc < 0)
        *err = *ct_replay_error(r);
    ct_replay_free(r);
    return rc < 0 ? rc : CT_OK;
}

static void replay_dir(const char *dir, jump_check *j, uint64_t *steps, size_t *files)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char path[1024];
        const char *want;
        ct_error err;
        ct_status rc;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (!strstr(e->d_name, ".json")) {
            if (!strchr(e->d_name, '.'))
                replay_dir(path, j, steps, files);
            continue;
        }
        if (strstr(path, "/debug_trace") || strstr(path, "/debug/"))
            continue;   /* the expected sides */
        rc = replay_all(path, j, steps, &err);
        want = expected_error(path);
        if (want) {
            assert_int_equal(rc, CT_EREPLAY);
            assert_non_null(strstr(err.message, want));
        } else if (rc < 0) {
            fail_msg("%s", err.message);
        }
        (*files)++;
    }
    closedir(d);
}

static void test_every_vmtrace_replays(void **state)
{
    char *root = shared("upstream-vmtrace");
    jump_check j = {0};
    uint64_t steps = 0;
    size_t files = 0;
    (void)state;
    free(root);
    root = ct_test_shared("upstream-vmtrace");
    replay_dir(root, &j, &steps, &files);
    print_message("%zu files, %llu steps, %llu jumps checked\n", files,
                  (unsigned long long)steps, (unsigned long long)j.checked);
    assert_true(files >= 60);
    assert_true(j.checked > 3000);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erigon_transaction_pairs),
        cmocka_unit_test(test_erigon_block_pair),
        cmocka_unit_test(test_besu_block_pair),
        cmocka_unit_test(test_every_vmtrace_replays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
