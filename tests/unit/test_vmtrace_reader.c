/*
 * The vmTrace reader's two ways of reading an op must agree: the fast path that parses an op
 * object straight from the JSON window (vmtrace_fastop.c) and the token path. Each document is
 * read whole (ops complete in the window: fast path) and through 1-byte reads (never a whole
 * op in the window: token path only) and through reads of odd sizes (ops cut at every
 * position); the event streams, every op record and any error message must be identical.
 * Inputs: hand-built op shapes (every client's key order, whitespace, each value form the fast
 * path leaves to the token path, and malformed ops), the project's trace-samples and the real
 * traces of ../shared/upstream-vmtrace. Also the nesting limits: 1024 calls below the root
 * replay, deeper input is refused with a clear error and bounded memory.
 */
#include "ct_test.h"

#include <ctrecord/replay.h>

#include "util/input.h"
#include "util/json_reader.h"
#include "vmtrace_reader.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- a growable log ---------------------------------------------------------------------- */

typedef struct logbuf {
    char *s;
    size_t len, cap;
} logbuf;

#if defined(__GNUC__)
static void logf_(logbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#endif

static void logf_(logbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        assert_true(n >= 0);
        if (b->s && b->len + (size_t)n < b->cap)
            break;
        b->cap = (b->cap + (size_t)n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    b->len += (size_t)n;
}

static void log_word(logbuf *b, const ct_u256 *w)
{
    int i;
    for (i = 0; i < 32; i++)
        logf_(b, "%02x", w->bytes[i]);
    logf_(b, " ");
}

static void log_op(logbuf *b, const ct__vt_op *op)
{
    size_t i;
    logf_(b, "off=%llu pc=%llu cost=%llu used=%llu flags=%d%d%d%d%d%d named=%d push=",
          (unsigned long long)op->offset, (unsigned long long)op->pc,
          (unsigned long long)op->cost, (unsigned long long)op->used, op->has_pc, op->has_cost,
          op->has_ex_key, op->has_ex, op->has_sub, op->has_idx, op->named_opcode);
    for (i = 0; i < op->push_len; i++)
        log_word(b, &op->push[i]);
    if (op->has_mem) {
        logf_(b, "mem@%llu=", (unsigned long long)op->mem_off);
        for (i = 0; i < op->mem_len; i++)
            logf_(b, "%02x", op->mem_data[i]);
    }
    if (op->has_store) {
        logf_(b, " store=");
        log_word(b, &op->store_key);
        log_word(b, &op->store_val);
    }
    logf_(b, "\n");
}

/* Everything the reader reports for a document read in reads of at most `chunk` bytes. */
static char *read_log(const char *data, size_t len, size_t chunk, uint64_t *fast)
{
    ct__input *in = NULL;
    ct__vt_reader *r = NULL;
    ct_error err;
    logbuf b = {0};
    ct__vt_event ev = CT__VT_TX_BEGIN;
    uint32_t level;
    assert_status(ct__input_open_memory_chunked(&in, data, len, chunk, NULL, &err), CT_OK, err);
    assert_status(ct__vt_reader_new(&r, in, "t.json", NULL, &err), CT_OK, err);
    while (ev != CT__VT_EOF) {
        const ct__vt_level *l;
        if (ct__vt_next(r, &ev, &level, &err) < 0) {
            logf_(&b, "error: %s\n", err.message);
            break;
        }
        logf_(&b, "ev %d level %u ", (int)ev, level);
        l = ct__vt_level_at(r, level);
        if (ev == CT__VT_OP || ev == CT__VT_OP_END)
            log_op(&b, &l->op);
        else if (ev == CT__VT_FRAME_BEGIN)
            logf_(&b, "code %d %zu\n", l->has_code, l->code_len);
        else
            logf_(&b, "tx %llu\n", (unsigned long long)ct__vt_tx_info(r)->index);
    }
    *fast = ct__vt_fast_ops(r);
    ct__vt_reader_free(r);
    ct__input_free(in);
    return b.s;
}

/* Whole, 1-byte and odd-sized reads agree; returns how many ops the whole read took fast. */
static uint64_t check_same(const char *data, size_t len)
{
    static const size_t chunks[] = {1, 7, 61, 251, 4093};
    uint64_t fast_whole, fast;
    char *whole = read_log(data, len, len ? len : 1, &fast_whole);
    size_t i;
    for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        char *part;
        if (chunks[i] >= len || (len > 300000 && chunks[i] < 61))
            continue;   /* 1-byte reads of MBs take long: the small documents cover them */
        part = read_log(data, len, chunks[i], &fast);
        if (strcmp(whole, part) != 0)
            print_message("differs with %zu-byte reads:\n--- whole\n%.2000s\n--- chunked\n%.2000s\n",
                          chunks[i], whole, part);
        assert_string_equal(whole, part);
        if (chunks[i] == 1)
            assert_int_equal(fast, 0);   /* no op is ever whole in the window */
        free(part);
    }
    free(whole);
    return fast_whole;
}

static uint64_t check_str(const char *doc)
{
    return check_same(doc, strlen(doc));
}

/* ---- hand-built shapes --------------------------------------------------------------------- */

#define CODE "\"code\":\"0x6080604052600160025500\""
#define ERIGON_OP "{\"cost\":3,\"ex\":{\"mem\":null,\"push\":[\"0x80\"],\"store\":null,\"used\":97}," \
                  "\"pc\":0,\"sub\":null,\"op\":\"PUSH1\",\"idx\":\"0-0\"}"

/* A bare vmTrace whose second op is `op`, between two ordinary ops. */
static uint64_t check_op(const char *op)
{
    char doc[4096];
    snprintf(doc, sizeof doc, "{" CODE ",\"ops\":[" ERIGON_OP ",%s," ERIGON_OP "]}", op);
    return check_str(doc);
}

/* Shapes the fast path takes: it must report exactly what the token path does. */
static void test_fast_shapes(void **state)
{
    static const char *const fast[] = {
        /* Erigon (alphabetical ex, then pc, sub, op, idx) */
        ERIGON_OP,
        /* OpenEthereum/Nethermind/Besu: no op, no idx */
        "{\"cost\":3,\"ex\":{\"mem\":null,\"push\":[\"0x40\"],\"store\":null,\"used\":94},"
        "\"pc\":2,\"sub\":null}",
        /* reth order with op name */
        "{\"pc\":4,\"cost\":12,\"ex\":{\"used\":82,\"push\":[],\"mem\":{\"off\":64,\"data\":"
        "\"0x0000000000000000000000000000000000000000000000000000000000000080\"},\"store\":null},"
        "\"sub\":null,\"op\":\"MSTORE\"}",
        /* store and push null, uppercase hex digits, 64 digits */
        "{\"cost\":20000,\"ex\":{\"mem\":null,\"push\":null,\"store\":{\"key\":\"0x2\",\"val\":"
        "\"0xFFffFFffFFffFFffFFffFFffFFffFFffFFffFFffFFffFFffFFffFFffFFffFFff\"},\"used\":1},"
        "\"pc\":9,\"sub\":null,\"op\":\"SSTORE\",\"idx\":\"0-4\"}",
        /* ex null (a failing op), zero values */
        "{\"cost\":0,\"ex\":null,\"pc\":0,\"sub\":null}",
        /* whitespace everywhere a token may be separated */
        "{ \"cost\" :3 }",
        "{\n  \"cost\": 3,\n  \"ex\": {\n    \"mem\": null,\n    \"push\": [ \"0x1\" , \"0x2\" ],\n"
        "    \"store\": null,\n    \"used\": 5\n  },\n  \"pc\": 7,\n  \"sub\": null\n}",
        /* an op name the code disagrees with, an alias, an undefined opcode's name, unknown */
        "{\"cost\":3,\"ex\":null,\"pc\":0,\"sub\":null,\"op\":\"ADD\"}",
        "{\"cost\":3,\"ex\":null,\"pc\":0,\"sub\":null,\"op\":\"SHA3\"}",
        "{\"cost\":3,\"ex\":null,\"pc\":99,\"sub\":null,\"op\":\"opcode 0xef not defined\"}",
        "{\"cost\":3,\"ex\":null,\"pc\":1,\"sub\":null,\"op\":\"NOPE\"}",
        "{\"cost\":3,\"ex\":null,\"pc\":1,\"sub\":null,\"op\":\"\"}",
        /* empty memory write, 19-digit numbers */
        "{\"cost\":9223372036854775807,\"ex\":{\"mem\":{\"data\":\"0x\",\"off\":0},\"push\":[],"
        "\"store\":null,\"used\":1000000000000000000},\"pc\":1,\"sub\":null}",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof fast / sizeof fast[0]; i++) {
        uint64_t n = check_op(fast[i]);
        /* 5 has a space before ':' (and no pc); 2 is the first `mem.data`, which must grow
         * the op's buffer: both go the token path. */
        assert_int_equal(n, i == 5 ? 1 : i == 2 ? 2 : 3);
    }
}

/* Values the fast path leaves to the token path, valid and invalid: same records, same
 * errors (messages with byte offsets). */
static void test_token_shapes(void **state)
{
    static const char *const slow[] = {
        /* valid, but not the fast path's forms */
        "{\"cost\":\"0x3\",\"ex\":null,\"pc\":\"0x1\",\"sub\":null}",
        "{\"cost\":3,\"ex\":{\"push\":[\"0X1\"],\"used\":1},\"pc\":1,\"sub\":null}",
        "{\"cost\":3,\"ex\":{\"push\":[\"0x00000000000000000000000000000000000000000000000000000"
        "000000000000001\"],\"used\":1},\"pc\":1,\"sub\":null}",
        "{\"cost\":3,\"ex\":{\"store\":{\"key\":1,\"val\":2},\"used\":1},\"pc\":1,\"sub\":null}",
        "{\"cost\":3,\"ex\":{\"mem\":{\"data\":\"0x00\",\"off\":\"0x20\"},\"used\":1},\"pc\":1,"
        "\"sub\":null}",
        "{\"cost\":3,\"ex\":null,\"pc\":1,\"sub\":null,\"extra\":[1,{\"a\":2}]}",
        "{\"cost\":3,\"cost\":4,\"ex\":null,\"pc\":1,\"sub\":null}",
        "{\"cost\":3,\"ex\":{\"push\":[\"0x1\"],\"push\":[\"0x2\"],\"used\":1},\"pc\":1,\"sub\":null}",
        "{\"cost\":3,\"ex\":null,\"pc\":1,\"sub\":null,\"op\":\"PUSH\\u0031\"}",
        "{\"cost\":3,\"ex\":null,\"pc\":1,\"sub\":null,\"idx\":7}",
        "{\"cost\":12345678901234567890,\"ex\":null,\"pc\":1,\"sub\":null}",
        "{\"cost\":3,\"ex\":null,\"pc\":1,\"sub\":null,\"op\":\"PUSH1\",\"idx\":\"\xc3\xa9\"}",
        /* invalid: the token path's error, at the same byte */
        "{\"cost\":3,\"ex\":null,\"sub\":null}",
        "{\"ex\":null,\"pc\":1}",
        "{\"cost\":01,\"ex\":null,\"pc\":1}",
        "{\"cost\":1.5,\"ex\":null,\"pc\":1}",
        "{\"cost\":1e3,\"ex\":null,\"pc\":1}",
        "{\"cost\":-1,\"ex\":null,\"pc\":1}",
        "{\"cost\":3,\"ex\":{\"push\":[],\"mem\":null},\"pc\":1}",
        "{\"cost\":3,\"ex\":{\"push\":[\"0x\"],\"used\":1},\"pc\":1}",
        "{\"cost\":3,\"ex\":{\"push\":[\"0xg\"],\"used\":1},\"pc\":1}",
        "{\"cost\":3,\"ex\":{\"push\":[\"80\"],\"used\":1},\"pc\":1}",
        "{\"cost\":3,\"ex\":{\"push\":[\"0x1\",],\"used\":1},\"pc\":1}",
        "{\"cost\":3,\"ex\":{\"push\":\"0x1\",\"used\":1},\"pc\":1}",
        "{\"cost\":3,\"ex\":{\"mem\":{\"data\":\"0x123\",\"off\":0},\"used\":1},\"pc\":1}",
        "{\"cost\":3,\"ex\":{\"mem\":{\"data\":\"0x12\"},\"used\":1},\"pc\":1}",
        "{\"cost\":3,\"ex\":{\"store\":{\"key\":\"0x1\"},\"used\":1},\"pc\":1}",
        "{\"cost\":3,\"ex\":{\"used\":1,},\"pc\":1}",
        "{\"cost\":3,\"ex\":null,\"pc\":1,}",
        "{\"cost\":3,\"ex\":null,\"pc\":1 \"sub\":null}",
        "{\"cost\":3,\"ex\":null,\"pc\":nul}",
        "{\"cost\":3,\"ex\":null,\"pc\":1,\"op\":\"PUSH1\x01\"}",
        "{\"cost\":3,\"ex\":null,\"pc\":1,\"op\":5}",
        "{\"cost\":3,\"ex\":null,\"pc\":1,\"sub\":[]}",
        "{\"cost\":3,\"ex\":null,\"pc\":1,\"sub\":{\"code\":\"0x\",\"ops\":[]}}",
        "{\"cost\":3,\"ex\":null,\"pc\":1",
        "{}",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof slow / sizeof slow[0]; i++)
        check_op(slow[i]);
}

/* Every op cut at every byte by the window's end: the fast path must leave those to the
 * token path, with the same result. */
static void test_window_boundaries(void **state)
{
    char doc[8192];
    size_t n = 0, chunk;
    int i;
    (void)state;
    n += (size_t)snprintf(doc + n, sizeof doc - n, "{" CODE ",\"ops\":[");
    for (i = 0; i < 12; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n,
                              "%s{\"cost\":%d,\"ex\":{\"mem\":{\"data\":\"0x%064d\",\"off\":%d},"
                              "\"push\":[\"0x%x\"],\"store\":null,\"used\":%d},\"pc\":%d,"
                              "\"sub\":null,\"op\":\"PUSH1\",\"idx\":\"0-%d\"}",
                              i ? "," : "", i, i, 32 * i, i * 77, 1000 - i, i, i);
    n += (size_t)snprintf(doc + n, sizeof doc - n, "]}");
    for (chunk = 1; chunk < 400; chunk += 13) {
        uint64_t f1, f2;
        char *a = read_log(doc, n, n, &f1), *b = read_log(doc, n, chunk, &f2);
        assert_string_equal(a, b);
        assert_int_equal(f1, 11);   /* the first op grows the `mem.data` buffer: token path */
        free(a);
        free(b);
    }
}

/* ---- real traces -------------------------------------------------------------------------- */

static void check_tree(const char *dir, uint64_t *files, uint64_t *fast)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        char *p;
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        p = ct_test_join(dir, e->d_name);
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            check_tree(p, files, fast);
        } else if (strstr(e->d_name, "vmtrace") || strstr(p, "trace_replay") ||
                   strstr(p, "trace_call") || strstr(p, "vm-trace")) {
            size_t len;
            char *data = strstr(e->d_name, ".json") && !strstr(e->d_name, ".gz")
                             ? ct_test_read_file(p, &len) : NULL;
            if (data) {
                *fast += check_same(data, len);
                ++*files;
                free(data);
            }
        }
        free(p);
    }
    closedir(d);
}

static void test_trace_samples(void **state)
{
    char *root = ct_test_env_path("CT_SOURCE_DIR", "trace-samples");
    uint64_t files = 0, fast = 0;
    (void)state;
    if (!root)
        skip();
    check_tree(root, &files, &fast);
    free(root);
    print_message("trace-samples: %llu files, %llu ops on the fast path\n",
                  (unsigned long long)files, (unsigned long long)fast);
    assert_true(files >= 10);
    assert_true(fast > 1000);
}

static void test_upstream(void **state)
{
    char *root = ct_test_shared("upstream-vmtrace");
    uint64_t files = 0, fast = 0;
    (void)state;
    if (!root)
        skip();
    check_tree(root, &files, &fast);
    free(root);
    print_message("upstream-vmtrace: %llu files, %llu ops on the fast path\n",
                  (unsigned long long)files, (unsigned long long)fast);
    assert_true(files >= 20);
    assert_true(fast > 1000);
}

/* ---- nesting ------------------------------------------------------------------------------ */

/* Each level: 7 PUSH1 then GAS and a CALL whose sub is the next level, then STOP. */
#define CALL_CODE "0x6000600060006000600060aa5af100"

static char *nested_calls(unsigned levels, size_t *len)
{
    static const char head[] =
        "{\"code\":\"" CALL_CODE "\",\"ops\":["
        "{\"cost\":3,\"ex\":{\"mem\":null,\"push\":[\"0x0\"],\"store\":null,\"used\":1000},\"pc\":0,\"sub\":null},"
        "{\"cost\":3,\"ex\":{\"mem\":null,\"push\":[\"0x0\"],\"store\":null,\"used\":997},\"pc\":2,\"sub\":null},"
        "{\"cost\":3,\"ex\":{\"mem\":null,\"push\":[\"0x0\"],\"store\":null,\"used\":994},\"pc\":4,\"sub\":null},"
        "{\"cost\":3,\"ex\":{\"mem\":null,\"push\":[\"0x0\"],\"store\":null,\"used\":991},\"pc\":6,\"sub\":null},"
        "{\"cost\":3,\"ex\":{\"mem\":null,\"push\":[\"0x0\"],\"store\":null,\"used\":988},\"pc\":8,\"sub\":null},"
        "{\"cost\":3,\"ex\":{\"mem\":null,\"push\":[\"0xaa\"],\"store\":null,\"used\":985},\"pc\":10,\"sub\":null},"
        "{\"cost\":2,\"ex\":{\"mem\":null,\"push\":[\"0x3d7\"],\"store\":null,\"used\":983},\"pc\":12,\"sub\":null},"
        "{\"cost\":100,\"ex\":{\"mem\":null,\"push\":[\"0x1\"],\"store\":null,\"used\":883},\"pc\":13,\"sub\":";
    static const char tail[] =
        "},{\"cost\":0,\"ex\":{\"mem\":null,\"push\":[],\"store\":null,\"used\":883},\"pc\":14,"
        "\"sub\":null}]}";
    static const char leaf[] = "{\"code\":\"0x00\",\"ops\":[{\"cost\":0,\"ex\":{\"mem\":null,"
                               "\"push\":[],\"store\":null,\"used\":900},\"pc\":0,\"sub\":null}]}";
    size_t n = (size_t)levels * (sizeof head + sizeof tail) + sizeof leaf, at = 0;
    char *s = malloc(n);
    unsigned i;
    assert_non_null(s);
    for (i = 0; i + 1 < levels; i++) {
        memcpy(s + at, head, sizeof head - 1);
        at += sizeof head - 1;
    }
    memcpy(s + at, leaf, sizeof leaf - 1);
    at += sizeof leaf - 1;
    for (i = 0; i + 1 < levels; i++) {
        memcpy(s + at, tail, sizeof tail - 1);
        at += sizeof tail - 1;
    }
    s[at] = '\0';
    *len = at;
    return s;
}

/* Replays `doc`; returns the status, the step count and the deepest step depth. */
static ct_status replay_doc(const char *doc, size_t len, uint64_t *steps, uint32_t *depth,
                            int64_t *peak, ct_error *err)
{
    ct_test_alloc ta;
    ct_replay_options o;
    ct_replay *r = NULL;
    const ct_evm_tx *tx;
    const ct_evm_step *s;
    ct_status rc;
    ct_test_alloc_init(&ta, 0);
    ct_replay_options_init(&o);
    o.allocator = &ta.allocator;
    *steps = 0;
    *depth = 0;
    assert_status(ct_replay_open_memory(&r, doc, len, &o, err), CT_OK, *err);
    while ((rc = ct_replay_next_tx(&tx, r)) == CT_OK) {
        while ((rc = ct_replay_next(&s, r)) == CT_OK) {
            ++*steps;
            if (s->depth > *depth)
                *depth = s->depth;
        }
        if (rc < 0)
            break;
    }
    if (rc < 0)
        *err = *ct_replay_error(r);
    ct_replay_free(r);
    *peak = ta.peak_bytes;
    assert_int_equal(ta.live_bytes, 0);
    return rc < 0 ? rc : CT_OK;
}

/* The EVM's limit: the root and 1024 nested calls (3 JSON containers each). */
static void test_1024_calls_replay(void **state)
{
    size_t len;
    char *doc = nested_calls(1025, &len);
    uint64_t steps;
    uint32_t depth;
    int64_t peak;
    ct_error err;
    (void)state;
    assert_status(replay_doc(doc, len, &steps, &depth, &peak, &err), CT_OK, err);
    assert_int_equal(depth, 1025);
    assert_int_equal(steps, 1024 * 9 + 1);   /* 9 ops a calling level, the leaf's STOP */
    free(doc);
}

static void test_deeper_refused(void **state)
{
    size_t len;
    char *doc = nested_calls(1101, &len), *deep;
    uint64_t steps;
    uint32_t depth;
    int64_t peak;
    ct_error err;
    size_t i, n = 1000000;
    (void)state;
    assert_status(replay_doc(doc, len, &steps, &depth, &peak, &err), CT_EPARSE, err);
    assert_non_null(strstr(err.message, "call frames nested deeper than 1100"));
    free(doc);

    /* Absurd JSON nesting inside a vmTrace: refused at the limit, memory stays small. */
    deep = malloc(n * 2 + 64);
    assert_non_null(deep);
    len = (size_t)sprintf(deep, "{\"code\":\"0x\",\"extra\":");
    for (i = 0; i < n; i++)
        deep[len++] = '[';
    for (i = 0; i < n; i++)
        deep[len++] = ']';
    len += (size_t)sprintf(deep + len, ",\"ops\":[]}");
    assert_status(replay_doc(deep, len, &steps, &depth, &peak, &err), CT_EPARSE, err);
    print_message("%s (peak %lld bytes)\n", err.message, (long long)peak);
    assert_non_null(strstr(err.message, "nesting deeper than 3319 levels"));
    assert_true(peak < 8 * 1024 * 1024);
    free(deep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_shapes),
        cmocka_unit_test(test_token_shapes),
        cmocka_unit_test(test_window_boundaries),
        cmocka_unit_test(test_trace_samples),
        cmocka_unit_test(test_upstream),
        cmocka_unit_test(test_1024_calls_replay),
        cmocka_unit_test(test_deeper_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
