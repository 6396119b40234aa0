/*
 * ct_evm_record on the committed trace samples (real solc output, real EVM executions):
 * concrete facts from the sources and the manifests' ground truth. Every trace is written to
 * $CT_BINARY_DIR/test-traces/test_evm_record/<name>/ (so the schema tests check it too) and
 * must pass ct_validate_dir for its profile.
 */
#include "ct_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <ctrecord/evm_record.h>
#include <ctrecord/validate.h>

typedef struct run {
    char dir[1024];
    ct_evm_record_report rep;
    cJSON *events;
    char warnings[4096];
} run;

/* "trace-samples/<a>/<b>..." made from a fixed pattern (kept literal for -Wformat). */
#define sample(fmt, a, b) sample_path(snprintf_rel(fmt, a, b))
static char rel_buf[512];
#define snprintf_rel(fmt, a, b) (snprintf(rel_buf, sizeof rel_buf, fmt, a, b), rel_buf)

static char *sample_path(const char *rel)
{
    char *p;
    p = ct_test_env_path("CT_SOURCE_DIR", rel);
    if (p && !ct_test_exists(p)) {
        free(p);
        return NULL;
    }
    return p;
}

static void on_warning(void *payload, const char *line)
{
    run *r = payload;
    size_t n = strlen(r->warnings);
    snprintf(r->warnings + n, sizeof r->warnings - n, "%s\n", line);
}

static void validate(const char *dir, ct_profile profile)
{
    ct_validate_options vo;
    ct_validate_report vr;
    ct_error err;
    ct_validate_options_init(&vo);
    vo.profile = profile;
    if (ct_validate_dir(&vr, dir, &vo, &err) != CT_OK)
        fail_msg("%s: %s", dir, err.message);
}

/* Record `project`/`tx` (or an explicit input) with the project's artifacts. */
static int record(run *r, const char *name, const char *project, const char *input,
                  ct_evm_granularity g, ct_profile profile)
{
    ct_evm_record_options o;
    ct_error err;
    char *out = sample("trace-samples/%s/solc-output.json%s", project, "");
    char *in = sample("trace-samples/%s/solc-input.json%s", project, "");
    char *tdir = ct_test_env_path("CT_BINARY_DIR", "test-traces");
    const char *arts[2];
    int rc;
    memset(r, 0, sizeof *r);
    if (!out || !in || !input || !tdir) {
        free(out);
        free(in);
        free(tdir);
        return -1;
    }
    snprintf(r->dir, sizeof r->dir, "%s/test_evm_record/%s", tdir, name);
    arts[0] = out;
    arts[1] = in;
    ct_evm_record_options_init(&o);
    o.input = input;
    o.artifacts = arts;
    o.nartifacts = 2;
    o.output = r->dir;
    o.overwrite = true;
    o.granularity = g;
    o.profile = profile;
    o.on_warning = on_warning;
    o.warning_payload = r;
    rc = ct_evm_record(&o, &r->rep, &err);
    if (rc != CT_OK)
        fail_msg("ct_evm_record %s: %s", name, err.message);
    if (profile != CT_PROFILE_PORTABLE) {   /* for the schema test (docs/testing.md) */
        char pf[1100];
        const char *word = profile == CT_PROFILE_CURRENT ? "current\n" : "codetracer-25.11\n";
        snprintf(pf, sizeof pf, "%s/profile", r->dir);
        ct_test_write_file(pf, word, strlen(word));
    }
    free(out);
    free(in);
    free(tdir);
    return 0;
}

static void load_events(run *r, const char *dir)
{
    char p[1100], *text;
    snprintf(p, sizeof p, "%s/trace.json", dir);
    text = ct_test_read_file(p, NULL);
    assert_non_null(text);
    r->events = cJSON_Parse(text);
    assert_non_null(r->events);
    free(text);
}

static int record_tx(run *r, const char *name, const char *project, const char *tx,
                     ct_evm_granularity g, ct_profile profile)
{
    char *input = sample("trace-samples/%s/%s/vmtrace.json", project, tx);
    int rc = record(r, name, project, input, g, profile);
    free(input);
    if (rc == 0) {
        validate(r->dir, profile);
        load_events(r, r->dir);
    }
    return rc;
}

static void done(run *r)
{
    cJSON_Delete(r->events);
}

/* ---- reading the trace back -------------------------------------------------------------- */

static const cJSON *payload(const cJSON *ev, const char *kind)
{
    return cJSON_GetObjectItemCaseSensitive(ev, kind);
}

static int num(const cJSON *o, const char *k)
{
    return (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* The name of function id `id` (Function events are numbered in order). */
static const char *function_name(const run *r, int id)
{
    const cJSON *ev;
    int n = 0;
    cJSON_ArrayForEach(ev, r->events) {
        const cJSON *f = payload(ev, "Function");
        if (f && n++ == id)
            return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "name"));
    }
    return NULL;
}

static const char *variable_name(const run *r, int id)
{
    const cJSON *ev;
    int n = 0;
    cJSON_ArrayForEach(ev, r->events) {
        const cJSON *v = payload(ev, "VariableName");
        if (v && n++ == id)
            return cJSON_GetStringValue(v);
    }
    return NULL;
}

/* Index of the first Call of `name` after event `from`, or -1. */
static int find_call(const run *r, const char *name, int from)
{
    const cJSON *ev;
    int i = 0;
    cJSON_ArrayForEach(ev, r->events) {
        const cJSON *c = payload(ev, "Call");
        if (i >= from && c && !strcmp(function_name(r, num(c, "function_id")), name))
            return i;
        i++;
    }
    return -1;
}

/* The source line of the first occurrence of `needle` in the project's only (or named)
 * source, from the standard-JSON input. */
static int line_of(const char *project, const char *needle)
{
    char *p = sample("trace-samples/%s/solc-input.json%s", project, "");
    char *text = p ? ct_test_read_file(p, NULL) : NULL;
    cJSON *doc = text ? cJSON_Parse(text) : NULL, *s;
    int line = -1;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(doc, "sources")) {
        const char *c = cJSON_GetStringValue(cJSON_GetObjectItem(s, "content")), *at;
        if (c && (at = strstr(c, needle))) {
            line = 1;
            for (; c < at; c++)
                line += *c == '\n';
            break;
        }
    }
    cJSON_Delete(doc);
    free(text);
    free(p);
    assert_true(line > 0);
    return line;
}

/* The Step lines of path 0 in order. */
static size_t step_lines(const run *r, int *out, size_t cap)
{
    const cJSON *ev;
    size_t n = 0;
    cJSON_ArrayForEach(ev, r->events) {
        const cJSON *s = payload(ev, "Step");
        if (s && n < cap)
            out[n++] = num(s, "line");
    }
    return n;
}

static bool subsequence(const int *seq, size_t n, const int *want, size_t nwant)
{
    size_t i, k = 0;
    for (i = 0; i < n && k < nwant; i++)
        if (seq[i] == want[k])
            k++;
    return k == nwant;
}

/* The manifest's object for transaction `tx`. */
static cJSON *manifest_tx(const char *project, const char *tx, cJSON **doc)
{
    char *p = sample("trace-samples/%s/manifest.json%s", project, "");
    char *text = p ? ct_test_read_file(p, NULL) : NULL;
    cJSON *t;
    *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    free(p);
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(*doc, "transactions")) {
        const char *n = cJSON_GetStringValue(cJSON_GetObjectItem(t, "name"));
        if (n && !strcmp(n, tx))
            return t;
    }
    return NULL;
}

/* A BigInt value's magnitude as a 32-byte big-endian word. */
static void bigint_word(const cJSON *v, uint8_t w[32])
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(v, "b"));
    uint8_t buf[48];
    size_t n = 0, i;
    uint32_t acc = 0;
    int bits = 0;
    assert_non_null(s);
    for (; *s && *s != '='; s++) {
        acc = acc << 6 | (uint32_t)(strchr(b64, *s) - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[n++] = (uint8_t)(acc >> bits);
        }
    }
    memset(w, 0, 32);
    for (i = 0; i < n && i < 32; i++)
        w[32 - n + i] = buf[i];
}

static uint64_t word_diff(const uint8_t a[32], const uint8_t b[32])
{
    uint8_t d[32];
    int i, borrow = 0;
    uint64_t v = 0;
    for (i = 31; i >= 0; i--) {
        int x = a[i] - b[i] - borrow;
        borrow = x < 0;
        d[i] = (uint8_t)(x + (borrow ? 256 : 0));
    }
    for (i = 24; i < 32; i++)
        v = v << 8 | d[i];
    return v;
}

/* The value of variable `name` at the first Step of `line` (NULL when absent there). */
static const cJSON *value_at_line(const run *r, const char *name, int line)
{
    const cJSON *ev;
    int cur = -1;
    bool seen = false;
    cJSON_ArrayForEach(ev, r->events) {
        const cJSON *s = payload(ev, "Step"), *v = payload(ev, "Value");
        if (s) {
            if (seen)
                return NULL;
            cur = num(s, "line");
            seen = cur == line;
        }
        if (v && seen && !strcmp(variable_name(r, num(v, "variable_id")), name))
            return cJSON_GetObjectItem(v, "value");
    }
    return NULL;
}

static void test_erc20_transfer(void **state)
{
    run r;
    int lines[4096], want[6], call, inner;
    size_t n;
    const cJSON *c, *a46, *a48, *bob49, *ev;
    uint8_t w46[32], w48[32], wb[32];
    char alice[80], bob[80];
    cJSON *mdoc;
    const cJSON *tx = manifest_tx("erc20", "transfer", &mdoc);
    (void)state;
    if (!tx || record_tx(&r, "erc20-transfer", "erc20", "transfer", CT_EVM_GRANULARITY_LINE,
                         CT_PROFILE_PORTABLE) < 0) {
        cJSON_Delete(mdoc);
        skip();
    }
    /* transfer's body, then _transfer's lines in order, then back in transfer. */
    want[0] = line_of("erc20", "_transfer(msg.sender, to, value);");
    want[1] = line_of("erc20", "require(to != address(0)");
    want[2] = line_of("erc20", "uint256 fromBalance = balanceOf[from];");
    want[3] = line_of("erc20", "balanceOf[to] += value;");
    want[4] = line_of("erc20", "emit Transfer(from, to, value);");
    want[5] = line_of("erc20", "return true;");
    n = step_lines(&r, lines, 4096);
    assert_true(subsequence(lines, n, want, 6));
    /* Calls: Token.transfer(to=bob, value=1000) containing Token._transfer(alice, bob, 1000). */
    call = find_call(&r, "Token.transfer", 0);
    inner = find_call(&r, "Token._transfer", call);
    assert_true(call > 0 && inner > call);
    c = payload(cJSON_GetArrayItem(r.events, call), "Call");
    snprintf(bob, sizeof bob, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
             cJSON_GetArrayItem(cJSON_GetObjectItem(c, "args"), 0), "value"), "r")));
    assert_string_equal(bob, cJSON_GetStringValue(cJSON_GetObjectItem(
                                 cJSON_GetObjectItem(mdoc, "accounts"), "bob")));
    assert_int_equal(find_call(&r, "Token.transfer", call + 1), -1);
    snprintf(alice, sizeof alice, "balanceOf[%s]", cJSON_GetStringValue(cJSON_GetObjectItem(
             cJSON_GetObjectItem(mdoc, "accounts"), "alice")));
    /* balanceOf[alice] drops by 1000 between the step of `balanceOf[from] = ...` and the
     * next line; balanceOf[bob] appears (1000) only after `balanceOf[to] += value;` ran. */
    a46 = value_at_line(&r, alice, line_of("erc20", "balanceOf[from] = fromBalance - value;"));
    a48 = value_at_line(&r, alice, want[3]);
    assert_non_null(a46);
    assert_non_null(a48);
    bigint_word(a46, w46);
    bigint_word(a48, w48);
    assert_int_equal(word_diff(w46, w48), 1000);
    snprintf(bob, sizeof bob, "balanceOf[%s]", cJSON_GetStringValue(cJSON_GetObjectItem(
             cJSON_GetObjectItem(mdoc, "accounts"), "bob")));
    assert_null(value_at_line(&r, bob, want[3]));
    bob49 = value_at_line(&r, bob, want[4]);
    assert_non_null(bob49);
    bigint_word(bob49, wb);
    memset(w46, 0, 32);
    assert_int_equal(word_diff(wb, w46), 1000);
    /* The Transfer event, decoded; transfer returned true. */
    n = 0;
    cJSON_ArrayForEach(ev, r.events) {
        const cJSON *e = payload(ev, "Event"), *ret = payload(ev, "Return");
        if (e && num(e, "kind") == 13) {
            assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(e, "metadata")),
                                "Transfer");
            assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(e, "content")),
                                   "value=1000"));
            n++;
        }
        if (ret && cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(ret, "return_value"),
                                                    "b")))
            n += 10;
    }
    assert_int_equal(n, 11);
    assert_int_equal(r.rep.warnings, 0);
    cJSON_Delete(mdoc);
    done(&r);
}

/* Depth of the Call at event index `at` (the toplevel call is 1). */
static int call_depth(const run *r, int at)
{
    const cJSON *ev;
    int i = 0, depth = 0;
    cJSON_ArrayForEach(ev, r->events) {
        if (payload(ev, "Call"))
            depth++;
        if (i == at)
            return depth;
        if (payload(ev, "Return"))
            depth--;
        i++;
    }
    return -1;
}

/* The same token compiled with the optimizer and through via-IR: both still give the calls,
 * _transfer's arguments in the right order (Yul pushes them reversed), and no step on the
 * contract's own line (where solc maps the dispatcher and generated helpers). */
static void test_optimized_and_via_ir(void **state)
{
    static const char *const projects[] = {"erc20-optimized", "erc20-viair"};
    size_t p;
    (void)state;
    for (p = 0; p < 2; p++) {
        run r;
        int call, lines[4096];
        size_t n, i;
        const cJSON *c, *args;
        cJSON *mdoc;
        char name[64];
        uint8_t w[32], zero[32] = {0};
        snprintf(name, sizeof name, "%s-transfer", projects[p]);
        if (!manifest_tx(projects[p], "transfer", &mdoc) ||
            record_tx(&r, name, projects[p], "transfer", CT_EVM_GRANULARITY_LINE,
                      CT_PROFILE_PORTABLE) < 0) {
            cJSON_Delete(mdoc);
            skip();
        }
        assert_int_equal(r.rep.frames_unmatched, 0);
        call = find_call(&r, "Token._transfer", find_call(&r, "Token.transfer", 0));
        assert_true(call > 0);
        c = payload(cJSON_GetArrayItem(r.events, call), "Call");
        args = cJSON_GetObjectItem(c, "args");
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
                                cJSON_GetArrayItem(args, 0), "value"), "r")),
                            cJSON_GetStringValue(cJSON_GetObjectItem(
                                cJSON_GetObjectItem(mdoc, "accounts"), "alice")));
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
                                cJSON_GetArrayItem(args, 1), "value"), "r")),
                            cJSON_GetStringValue(cJSON_GetObjectItem(
                                cJSON_GetObjectItem(mdoc, "accounts"), "bob")));
        bigint_word(cJSON_GetObjectItem(cJSON_GetArrayItem(args, 2), "value"), w);
        assert_int_equal(word_diff(w, zero), 1000);
        n = step_lines(&r, lines, 4096);
        for (i = 0; i < n; i++) {
            assert_int_not_equal(lines[i], line_of(projects[p], "contract Token {"));
            /* code the optimizer shares with approve() and the `name` getter is mapped to
             * those whole definitions: no step there, they do not run in a transfer */
            assert_int_not_equal(lines[i], line_of(projects[p], "function approve("));
            assert_int_not_equal(lines[i], line_of(projects[p], "string public constant name"));
        }
        /* the transfer's own lines are still all there */
        {
            int want[4];
            want[0] = line_of("erc20", "require(to != address(0)");
            want[1] = line_of("erc20", "balanceOf[to] += value;");
            want[2] = line_of("erc20", "emit Transfer(from, to, value);");
            want[3] = line_of("erc20", "function _transfer(");
            assert_true(subsequence(lines, n, want, p == 0 ? 4 : 1));
        }
        cJSON_Delete(mdoc);
        done(&r);
    }
}

static void test_proxy_delegatecall(void **state)
{
    run r;
    int outer, inner;
    const cJSON *c, *v, *ev;
    uint8_t w[32], zero[32] = {0};
    bool event = false;
    (void)state;
    if (record_tx(&r, "proxy-delegatecall", "proxy", "delegatecall", CT_EVM_GRANULARITY_LINE,
                  CT_PROFILE_PORTABLE) < 0)
        skip();
    outer = find_call(&r, "Proxy.fallback", 0);
    inner = find_call(&r, "Implementation.setValue", outer);
    assert_true(outer > 0 && inner > outer);
    assert_int_equal(call_depth(&r, inner), call_depth(&r, outer) + 1);
    c = payload(cJSON_GetArrayItem(r.events, inner), "Call");
    assert_string_equal(variable_name(&r, num(cJSON_GetArrayItem(cJSON_GetObjectItem(c, "args"),
                                                                 0), "variable_id")), "v");
    v = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(c, "args"), 0), "value");
    bigint_word(v, w);
    assert_int_equal(word_diff(w, zero), 77);
    cJSON_ArrayForEach(ev, r.events) {
        const cJSON *e = payload(ev, "Event");
        if (e && num(e, "kind") == 13)
            event = strstr(cJSON_GetStringValue(cJSON_GetObjectItem(e, "content")),
                           "value=77") != NULL;
    }
    assert_true(event);
    done(&r);
}

/* The content of the last Error event, and that it is the trace's last Event. */
static const char *last_error(const run *r, const char **metadata)
{
    const cJSON *ev, *last = NULL;
    cJSON_ArrayForEach(ev, r->events)
        if (payload(ev, "Event"))
            last = payload(ev, "Event");
    assert_non_null(last);
    assert_int_equal(num(last, "kind"), 11);
    *metadata = cJSON_GetStringValue(cJSON_GetObjectItem(last, "metadata"));
    return cJSON_GetStringValue(cJSON_GetObjectItem(last, "content"));
}

static void test_revert_reasons(void **state)
{
    run r;
    cJSON *mdoc;
    const cJSON *tx, *exp;
    const char *md, *content;
    char want[300];
    (void)state;
    if (record_tx(&r, "errors-revertReason", "errors", "revertReason",
                  CT_EVM_GRANULARITY_LINE, CT_PROFILE_PORTABLE) < 0)
        skip();
    tx = manifest_tx("errors", "revertReason", &mdoc);
    exp = cJSON_GetObjectItem(tx, "expect");
    content = last_error(&r, &md);
    snprintf(want, sizeof want, "Error(string): \"%s\"",
             cJSON_GetStringValue(cJSON_GetObjectItem(exp, "revertReason")));
    assert_non_null(strstr(content, want));
    assert_string_equal(md, "Revert");
    cJSON_Delete(mdoc);
    done(&r);

    assert_int_equal(record_tx(&r, "errors-customError", "errors", "customError",
                               CT_EVM_GRANULARITY_LINE, CT_PROFILE_PORTABLE), 0);
    tx = manifest_tx("errors", "customError", &mdoc);
    content = last_error(&r, &md);
    /* "InsufficientBalance(42, 1000)" in the manifest; named arguments in the trace. */
    assert_string_equal(md, "InsufficientBalance");
    assert_non_null(strstr(content, "InsufficientBalance(available=42, required=1000)"));
    assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(
                               cJSON_GetObjectItem(tx, "expect"), "customError")),
                           "InsufficientBalance(42, 1000)"));
    cJSON_Delete(mdoc);
    done(&r);

    assert_int_equal(record_tx(&r, "errors-panicDivision", "errors", "panicDivision",
                               CT_EVM_GRANULARITY_LINE, CT_PROFILE_PORTABLE), 0);
    tx = manifest_tx("errors", "panicDivision", &mdoc);
    content = last_error(&r, &md);
    snprintf(want, sizeof want, "Panic(0x%02x): division or modulo by zero",
             num(cJSON_GetObjectItem(tx, "expect"), "panicCode"));
    assert_non_null(strstr(content, want));
    assert_string_equal(md, "Panic");
    cJSON_Delete(mdoc);
    done(&r);

    assert_int_equal(record_tx(&r, "errors-assertPanic", "errors", "assertPanic",
                               CT_EVM_GRANULARITY_LINE, CT_PROFILE_PORTABLE), 0);
    content = last_error(&r, &md);
    assert_non_null(strstr(content, "Panic(0x01): assert(false)"));
    done(&r);

    assert_int_equal(record_tx(&r, "oog-rootOog", "oog", "rootOog", CT_EVM_GRANULARITY_LINE,
                               CT_PROFILE_PORTABLE), 0);
    content = last_error(&r, &md);
    assert_non_null(strstr(content, "out of gas"));
    done(&r);
}

static void test_try_catch_events(void **state)
{
    run r;
    const cJSON *ev;
    int errors = 0, caught = 0;
    (void)state;
    if (record_tx(&r, "errors-tryCatch", "errors", "tryCatch", CT_EVM_GRANULARITY_LINE,
                  CT_PROFILE_PORTABLE) < 0)
        skip();
    cJSON_ArrayForEach(ev, r.events) {
        const cJSON *e = payload(ev, "Event");
        const char *md = e ? cJSON_GetStringValue(cJSON_GetObjectItem(e, "metadata")) : NULL;
        if (e && num(e, "kind") == 11)
            errors++;
        if (e && num(e, "kind") == 13 && !strncmp(md, "Caught", 6))
            caught++;
    }
    /* Catcher's deployed code holds an immutable (the Thrower address): matched anyway. */
    assert_true(find_call(&r, "Catcher.tryAll", 0) > 0);
    assert_int_equal(r.rep.frames_unmatched, 0);
    /* Three callee reverts (reason, panic, custom error), each caught and logged. */
    assert_int_equal(errors, 3);
    assert_int_equal(caught, 3);
    assert_int_equal(r.rep.errors, 3);
    /* `string public lastReason` holds a short string: shown as the text, not the slot word */
    {
        const cJSON *v = value_at_line(&r, "lastReason", line_of("errors", "emit Caught(reason);"));
        assert_non_null(v);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(v, "kind")), "String");
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(v, "text")),
                            "Thrower: x too small");
    }
    /* revertWithReason(1) wrote counter = 1 and reverted: inside it the 1 shows, in the later
     * calls to the Thrower it is not shown as 1 (the replay's Geth-style map keeps reverted
     * writes; the value before was never read, so it is an Error value) */
    {
        const cJSON *in = value_at_line(&r, "counter", line_of("errors", "require(x > 100"));
        const cJSON *after = value_at_line(&r, "counter", line_of("errors", "return a / b;"));
        uint8_t w[32], zero[32] = {0};
        assert_non_null(in);
        bigint_word(in, w);
        assert_int_equal(word_diff(w, zero), 1);
        assert_non_null(after);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(after, "kind")), "Error");
    }
    done(&r);
}

/* A value as compact text: decimal integers, 0x.. raw, "strings", [sequences], (tuples),
 * Error: msg. */
static size_t value_text(char *out, size_t cap, const cJSON *v)
{
    const char *k = cJSON_GetStringValue(cJSON_GetObjectItem(v, "kind"));
    const cJSON *e;
    size_t n = 0;
    bool first = true;
    if (!k)
        return (size_t)snprintf(out, cap, "?");
    if (!strcmp(k, "BigInt")) {
        uint8_t w[32], zero[32] = {0};
        bigint_word(v, w);
        return (size_t)snprintf(out, cap, "%s%llu",
                                cJSON_IsTrue(cJSON_GetObjectItem(v, "negative")) ? "-" : "",
                                (unsigned long long)word_diff(w, zero));
    }
    if (!strcmp(k, "Int"))
        return (size_t)snprintf(out, cap, "%d", num(v, "i"));
    if (!strcmp(k, "Raw"))
        return (size_t)snprintf(out, cap, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(v, "r")));
    if (!strcmp(k, "String"))
        return (size_t)snprintf(out, cap, "\"%s\"",
                                cJSON_GetStringValue(cJSON_GetObjectItem(v, "text")));
    if (!strcmp(k, "Bool"))
        return (size_t)snprintf(out, cap, "%s",
                                cJSON_IsTrue(cJSON_GetObjectItem(v, "b")) ? "true" : "false");
    if (!strcmp(k, "Error"))
        return (size_t)snprintf(out, cap, "Error: %s",
                                cJSON_GetStringValue(cJSON_GetObjectItem(v, "msg")));
    if (!strcmp(k, "None"))
        return (size_t)snprintf(out, cap, "None");
    n += (size_t)snprintf(out + n, cap - n, "%s", !strcmp(k, "Sequence") ? "[" : "(");
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(v, !strcmp(k, "Struct") ? "field_values"
                                                                      : "elements")) {
        if (n + 4 >= cap)
            break;
        if (!first)
            n += (size_t)snprintf(out + n, cap - n, ", ");
        first = false;
        n += value_text(out + n, cap - n, e);
    }
    if (n + 2 < cap)
        n += (size_t)snprintf(out + n, cap - n, "%s", !strcmp(k, "Sequence") ? "]" : ")");
    return n;
}

/* Argument `k` of the Call at event `at`, and the value of its matching Return. */
static void call_arg_text(const run *r, int at, int k, char *out, size_t cap)
{
    const cJSON *c = payload(cJSON_GetArrayItem(r->events, at), "Call");
    const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "args"), k);
    assert_non_null(a);
    value_text(out, cap, cJSON_GetObjectItem(a, "value"));
}

static void call_return_text(const run *r, int at, char *out, size_t cap)
{
    const cJSON *ev;
    int i = 0, depth = 0;
    cJSON_ArrayForEach(ev, r->events) {
        if (i > at && payload(ev, "Call"))
            depth++;
        if (i > at && payload(ev, "Return") && depth-- == 0) {
            value_text(out, cap, cJSON_GetObjectItem(payload(ev, "Return"), "return_value"));
            return;
        }
        i++;
    }
    fail_msg("no Return for the Call at event %d", at);
}

/* Calls.expect: "Contract.fn", argument index (-1: the return value), expected text. */
static void expect_call(const run *r, const char *fn, int arg, const char *want)
{
    char got[1024];
    int at = find_call(r, fn, 0);
    if (at < 0)
        fail_msg("no Call of %s", fn);
    if (arg >= 0)
        call_arg_text(r, at, arg, got, sizeof got);
    else
        call_return_text(r, at, got, sizeof got);
    if (strcmp(got, want))
        fail_msg("%s %s%d: got %s, want %s", fn, arg >= 0 ? "argument " : "return", arg, got,
                 want);
}

static void test_internal_calls_recursion(void **state)
{
    run r;
    cJSON *mdoc;
    const cJSON *tx, *f;
    (void)state;
    if (record_tx(&r, "calls-recursion", "calls", "recursion", CT_EVM_GRANULARITY_LINE,
                  CT_PROFILE_PORTABLE) < 0)
        skip();
    tx = manifest_tx("calls", "recursion", &mdoc);
    /* Calls holds a link reference to MathLib, MathLib its own address: both matched. */
    assert_int_equal(r.rep.frames_unmatched, 0);
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(cJSON_GetObjectItem(tx, "expect"), "functions"))
        if (find_call(&r, cJSON_GetStringValue(f), 0) < 0)
            fail_msg("no Call of %s", cJSON_GetStringValue(f));
    /* fib recurses: more than one Call of it, nested. */
    assert_true(find_call(&r, "Calls.fib", find_call(&r, "Calls.fib", 0) + 1) > 0);
    /* Internal returns carry the value from the stack: square(i) returned i*i, i = 1, 2, 3. */
    {
        const cJSON *ev;
        const char *stack[64];
        int depth = 0, k = 1;
        cJSON_ArrayForEach(ev, r.events) {
            const cJSON *c = payload(ev, "Call"), *ret = payload(ev, "Return");
            if (c && depth < 64)
                stack[depth++] = function_name(&r, num(c, "function_id"));
            if (ret && depth > 0 && !strcmp(stack[--depth], "Calls.square")) {
                uint8_t w[32], zero[32] = {0};
                bigint_word(cJSON_GetObjectItem(ret, "return_value"), w);
                assert_int_equal(word_diff(w, zero), (uint64_t)(k * k));
                k++;
            }
        }
        assert_true(k > 2);
    }
    /* Every fib(n) Call returns fib(n), every level of the recursion included; sumOfSquares(n)
     * returns n(n+1)(2n+1)/6; run's Return is the transaction's output. */
    {
        static const unsigned long long fibs[] = {0, 1, 1, 2, 3, 5, 8, 13};
        char arg[64], ret[64], want[80];
        int at = -1, nfib = 0;
        unsigned long long n;
        while ((at = find_call(&r, "Calls.fib", at + 1)) >= 0) {
            call_arg_text(&r, at, 0, arg, sizeof arg);
            call_return_text(&r, at, ret, sizeof ret);
            n = strtoull(arg, NULL, 10);
            assert_true(n < 8);
            snprintf(want, sizeof want, "%llu", fibs[n]);
            assert_string_equal(ret, want);
            nfib++;
        }
        assert_int_equal(nfib, 5);   /* fib(3) -> fib(1), fib(2) -> fib(0), fib(1) */
        at = find_call(&r, "Calls.sumOfSquares", 0);
        call_arg_text(&r, at, 0, arg, sizeof arg);
        n = strtoull(arg, NULL, 10);
        snprintf(want, sizeof want, "%llu", n * (n + 1) * (2 * n + 1) / 6);
        expect_call(&r, "Calls.sumOfSquares", -1, want);
        snprintf(want, sizeof want, "%llu", strtoull(cJSON_GetStringValue(
                 cJSON_GetObjectItem(tx, "output")), NULL, 16));
        expect_call(&r, "Calls.run", -1, want);
        /* run's named return variable `r` (the external function, legacy code): 26 once
         * assigned, shown at the step of the emit */
        {
            const cJSON *v = value_at_line(&r, "r", line_of("calls", "emit Computed(n, r);"));
            char got[64];
            assert_non_null(v);
            value_text(got, sizeof got, v);
            assert_string_equal(got, want);
        }
    }
    cJSON_Delete(mdoc);
    done(&r);
}

/* Internal calls whose arguments are memory and calldata references show the data (legacy
 * and via-IR calling conventions): run(xs = [10, 20, 30], data = "-world", p = (5, true)).
 * The values are the ones the Solidity computes from those inputs. */
static void test_internal_reference_args(void **state)
{
    static const char *const projects[] = {"args", "args-viair"};
    size_t i;
    (void)state;
    for (i = 0; i < 2; i++) {
        run r;
        char owner[200];
        cJSON *mdoc, *mdoc2;
        const cJSON *v;
        if (!manifest_tx(projects[i], "run", &mdoc) ||
            record_tx(&r, projects[i], projects[i], "run", CT_EVM_GRANULARITY_LINE,
                      CT_PROFILE_PORTABLE) < 0) {
            cJSON_Delete(mdoc);
            skip();
        }
        expect_call(&r, "Args.reversed", 0, "[7, 8, 9]");          /* uint256[3] memory */
        expect_call(&r, "Args.reversed", -1, "[9, 8, 7]");
        expect_call(&r, "Args.total", 0, "[10, 20, 30]");          /* uint256[] memory */
        expect_call(&r, "Args.total", -1, "60");
        snprintf(owner, sizeof owner, "(%s, [10, 20, 30], \"note\")",   /* struct memory */
                 cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(mdoc, "accounts"),
                                                          "alice")));
        expect_call(&r, "Args.sumOrder", 0, owner);
        /* a struct is a Struct value whose type names the members */
        {
            const cJSON *ev, *o = cJSON_GetArrayItem(cJSON_GetObjectItem(payload(
                cJSON_GetArrayItem(r.events, find_call(&r, "Args.sumOrder", 0)), "Call"),
                "args"), 0);
            int tid = num(cJSON_GetObjectItem(o, "value"), "type_id"), n = 0;
            const char *fields = NULL;
            assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
                                    cJSON_GetObjectItem(o, "value"), "kind")), "Struct");
            cJSON_ArrayForEach(ev, r.events) {
                const cJSON *t = payload(ev, "Type");
                if (t && n++ == tid)
                    fields = cJSON_PrintUnformatted(cJSON_GetObjectItem(
                        cJSON_GetObjectItem(t, "specific_info"), "fields"));
            }
            assert_non_null(fields);
            /* the external argument p (ABI tuple) is named by its internalType */
            {
                const cJSON *pa = cJSON_GetArrayItem(cJSON_GetObjectItem(payload(
                    cJSON_GetArrayItem(r.events, find_call(&r, "Args.run", 0)), "Call"),
                    "args"), 2);
                int ptid = num(cJSON_GetObjectItem(pa, "value"), "type_id"), m = 0;
                const cJSON *tev;
                const char *lang = NULL;
                cJSON_ArrayForEach(tev, r.events) {
                    const cJSON *t = payload(tev, "Type");
                    if (t && m++ == ptid)
                        lang = cJSON_GetStringValue(cJSON_GetObjectItem(t, "lang_type"));
                }
                assert_non_null(lang);
                assert_string_equal(lang, "Args.Pair");
            }
            assert_non_null(strstr(fields, "\"owner\""));
            assert_non_null(strstr(fields, "\"amounts\""));
            assert_non_null(strstr(fields, "\"note\""));
            cJSON_free((void *)fields);
        }
        expect_call(&r, "Args.sumOrder", -1, "64");
        expect_call(&r, "Args.sliceLen", 0, "0x776f726c64");       /* bytes calldata data[1:] */
        expect_call(&r, "Args.firstTwo", 0, "[10, 20, 30]");       /* uint256[] calldata */
        expect_call(&r, "Args.firstTwo", -1, "30");
        expect_call(&r, "Args.pairValue", 0, "(5, true)");         /* struct calldata */
        expect_call(&r, "Args.greet", 0, "\"bob\"");               /* string memory */
        expect_call(&r, "Args.greet", 1, "0x2d776f726c64");        /* bytes memory */
        expect_call(&r, "Args.greet", -1, "\"hi bob-world\"");     /* string memory return */
        expect_call(&r, "Args.minMax", -1, "(10, 30)");            /* two return values */
        expect_call(&r, "Args.digits", -1, "5");
        /* value types as their type says: bytes4 is 4 bytes (left-aligned in the word), int8
         * signed, the enum its number */
        {
            char sel[16], want[64];
            const char *input = cJSON_GetStringValue(cJSON_GetObjectItem(
                manifest_tx(projects[i], "run", &mdoc2), "input"));
            assert_non_null(input);
            snprintf(sel, sizeof sel, "0x%.8s", input + 2);
            cJSON_Delete(mdoc2);
            expect_call(&r, "Args.classify", 0, sel);
            expect_call(&r, "Args.classify", 1, "-5");
            expect_call(&r, "Args.classify", 2, "2");
            snprintf(want, sizeof want, "(%s, -11)", sel);
            expect_call(&r, "Args.classify", -1, want);
        }
        /* a user-defined value type (type Price is uint128) is its underlying integer */
        expect_call(&r, "Args.discounted", 0, "100");
        expect_call(&r, "Args.discounted", -1, "99");
        /* the steps inside greet carry the decoded argument too */
        v = value_at_line(&r, "who", line_of("args", "return string.concat"));
        assert_non_null(v);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(v, "text")), "bob");
        /* legacy code keeps named return variables at the call's stack height: total's `s`
         * goes 0, 10, 30, 60 over its steps (not the jump target at the Call's own step) */
        if (i == 0) {
            const cJSON *ev;
            int at = find_call(&r, "Args.total", 0), k = 0, depth = 0;
            char seen[8][32], cur[32];
            size_t nseen = 0;
            cJSON_ArrayForEach(ev, r.events) {
                const cJSON *val = payload(ev, "Value");
                if (k++ <= at)
                    continue;
                if (payload(ev, "Call"))
                    depth++;
                if (payload(ev, "Return") && depth-- == 0)
                    break;
                if (val && depth == 0 && !strcmp(variable_name(&r, num(val, "variable_id")), "s")) {
                    value_text(cur, sizeof cur, cJSON_GetObjectItem(val, "value"));
                    if (nseen < 8 && (!nseen || strcmp(seen[nseen - 1], cur)))
                        snprintf(seen[nseen++], sizeof seen[0], "%s", cur);
                }
            }
            assert_int_equal(nseen, 4);
            assert_string_equal(seen[0], "0");
            assert_string_equal(seen[1], "10");
            assert_string_equal(seen[2], "30");
            assert_string_equal(seen[3], "60");
        }
        /* ... and the arguments where the call left them: digits(x) divides its parameter,
         * the steps show x = 12345, 1234, 123, 12, 1, 0 */
        if (i == 0) {
            static const char *const want[] = {"12345", "1234", "123", "12", "1", "0"};
            const cJSON *ev;
            int at = find_call(&r, "Args.digits", 0), k = 0, depth = 0;
            char seen[8][32], cur[32];
            size_t nseen = 0, j;
            cJSON_ArrayForEach(ev, r.events) {
                const cJSON *val = payload(ev, "Value");
                if (k++ <= at)
                    continue;
                if (payload(ev, "Call"))
                    depth++;
                if (payload(ev, "Return") && depth-- == 0)
                    break;
                if (val && depth == 0 && !strcmp(variable_name(&r, num(val, "variable_id")), "x")) {
                    value_text(cur, sizeof cur, cJSON_GetObjectItem(val, "value"));
                    if (nseen < 8 && (!nseen || strcmp(seen[nseen - 1], cur)))
                        snprintf(seen[nseen++], sizeof seen[0], "%s", cur);
                }
            }
            assert_int_equal(nseen, 6);
            for (j = 0; j < 6; j++)
                assert_string_equal(seen[j], want[j]);
        }
        assert_int_equal(r.rep.warnings, 0);
        cJSON_Delete(mdoc);
        done(&r);
    }
}

/* A memory argument whose length word points beyond memory: an Error value and a warning,
 * never a read outside (the length 3 of `m` made 0xffff in the vmTrace's memory). */
static void test_bad_memory_reference(void **state)
{
    char *input = sample("trace-samples/%s/%s/vmtrace.json", "args", "run"), *text, *tmp, *bad;
    cJSON *doc, *op;
    run r;
    int patched = 0;
    (void)state;
    if (!input)
        skip();
    text = ct_test_read_file(input, NULL);
    doc = cJSON_Parse(text);
    free(text);
    assert_non_null(doc);
    cJSON_ArrayForEach(op, cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "vmTrace"), "ops")) {
        cJSON *mem = cJSON_GetObjectItem(cJSON_GetObjectItem(op, "ex"), "mem");
        const char *data = cJSON_GetStringValue(cJSON_GetObjectItem(mem, "data"));
        if (data && num(mem, "off") == 128 && strlen(data) == 66 && !strcmp(data + 63, "003")) {
            cJSON_ReplaceItemInObject(mem, "data", cJSON_CreateString(
                "0x000000000000000000000000000000000000000000000000000000000000ffff"));
            patched++;
        }
    }
    assert_true(patched > 0);
    text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    free(input);
    tmp = ct_test_tmpdir("evm-bad-memory");
    bad = ct_test_join(tmp, "vmtrace.json");
    ct_test_write_file(bad, text, strlen(text));
    free(text);
    assert_int_equal(record(&r, "args-bad-memory", "args", bad, CT_EVM_GRANULARITY_LINE,
                            CT_PROFILE_PORTABLE), 0);
    validate(r.dir, CT_PROFILE_PORTABLE);
    load_events(&r, r.dir);
    assert_non_null(strstr(r.warnings, "Args.total"));
    assert_non_null(strstr(r.warnings, "argument 'xs' not decoded (a length beyond memory"));
    {
        char got[512];
        call_arg_text(&r, find_call(&r, "Args.total", 0), 0, got, sizeof got);
        assert_non_null(strstr(got, "Error: a length beyond memory at memory 0x80"));
    }
    done(&r);
    ct_test_rmrf(tmp);
    free(bad);
    free(tmp);
}

/* Memory and stack gone wrong under the reference decoders: pushed words and memory bytes of
 * the args sample replaced by pseudo-random ones (a fixed seed), so pointers, lengths and
 * offsets point anywhere. Every recording succeeds or fails with a message, never reads
 * outside (the ASan build checks), and what it writes validates. */
static void test_mutated_references(void **state)
{
    char *input = sample("trace-samples/%s/%s/vmtrace.json", "args", "run"), *text, *tmp, *path;
    cJSON *orig;
    uint32_t seed = 12345;
    int round, undecoded = 0, ok = 0;
    (void)state;
    if (!input)
        skip();
    text = ct_test_read_file(input, NULL);
    orig = cJSON_Parse(text);
    free(text);
    free(input);
    assert_non_null(orig);
    tmp = ct_test_tmpdir("evm-mutated");
    path = ct_test_join(tmp, "vmtrace.json");
    for (round = 0; round < 24; round++) {
        cJSON *doc = cJSON_Duplicate(orig, 1), *ops, *op;
        int nops, k, misses = 0;
        run r;
        assert_non_null(doc);
        ops = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "vmTrace"), "ops");
        nops = cJSON_GetArraySize(ops);
        for (k = 0; k < 6; k++) {
            /* a few hex digits of one memory write: lengths and offsets stay well formed */
            cJSON *mem;
            const char *data;
            char *copy;
            size_t len, j;
            seed = seed * 1103515245u + 12345u;
            op = cJSON_GetArrayItem(ops, (int)((seed >> 8) % (uint32_t)nops));
            mem = cJSON_GetObjectItem(cJSON_GetObjectItem(op, "ex"), "mem");
            data = cJSON_GetStringValue(cJSON_GetObjectItem(mem, "data"));
            if (!data || (len = strlen(data)) < 4) {
                if (++misses < 100000)
                    k--;
                continue;
            }
            copy = strdup(data);
            assert_non_null(copy);
            for (j = 0; j < 6; j++) {
                seed = seed * 1103515245u + 12345u;
                copy[2 + (seed >> 8) % (len - 2)] = "0123456789abcdef"[(seed >> 4) & 15];
            }
            cJSON_ReplaceItemInObject(mem, "data", cJSON_CreateString(copy));
            free(copy);
        }
        text = cJSON_PrintUnformatted(doc);
        cJSON_Delete(doc);
        ct_test_write_file(path, text, strlen(text));
        free(text);
        {
            ct_evm_record_options o;
            ct_error err;
            char *out = sample("trace-samples/%s/solc-output.json%s", "args", "");
            char *in = sample("trace-samples/%s/solc-input.json%s", "args", "");
            const char *arts[2];
            char dir[1024];
            ct_status rc;
            memset(&r, 0, sizeof r);
            arts[0] = out;
            arts[1] = in;
            snprintf(dir, sizeof dir, "%s/t%d", tmp, round);
            ct_evm_record_options_init(&o);
            o.input = path;
            o.artifacts = arts;
            o.nartifacts = 2;
            o.output = dir;
            o.on_warning = on_warning;
            o.warning_payload = &r;
            rc = ct_evm_record(&o, &r.rep, &err);
            undecoded += strstr(r.warnings, "not decoded") != NULL;
            ok += rc == CT_OK;
            if (rc == CT_OK)
                validate(dir, CT_PROFILE_PORTABLE);
            else
                assert_false(ct_test_exists(dir));
            free(out);
            free(in);
        }
    }
    /* the mutations did reach the decoders: some references did not decode */
    print_message("mutated references: %d of 24 recorded, %d with undecodable references\n",
                  ok, undecoded);
    assert_true(undecoded > 0);
    cJSON_Delete(orig);
    ct_test_rmrf(tmp);
    free(path);
    free(tmp);
}

/* A creation returns the new contract's address: the root CREATE of a deploy transaction
 * (the manifest's contract address), and CREATE / CREATE2 frames (the factory's output). */
static void test_creation_returns_address(void **state)
{
    static const char *const deploys[] = {"erc20", "erc20-optimized", "erc20-viair"};
    static const char *const nested[] = {"create", "create2"};
    size_t i;
    (void)state;
    for (i = 0; i < 3; i++) {
        run r;
        cJSON *mdoc;
        const cJSON *c;
        const char *want = NULL;
        if (!manifest_tx(deploys[i], "deploy", &mdoc) ||
            record_tx(&r, "deploy", deploys[i], "deploy", CT_EVM_GRANULARITY_LINE,
                      CT_PROFILE_PORTABLE) < 0) {
            cJSON_Delete(mdoc);
            skip();
        }
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(mdoc, "contracts"))
            if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(c, "name")), "Token"))
                want = cJSON_GetStringValue(cJSON_GetObjectItem(c, "address"));
        assert_non_null(want);
        expect_call(&r, "Token.constructor", -1, want);
        cJSON_Delete(mdoc);
        done(&r);
    }
    for (i = 0; i < 2; i++) {
        run r;
        cJSON *mdoc;
        const cJSON *tx = manifest_tx("factory", nested[i], &mdoc);
        char want[64];
        if (!tx || record_tx(&r, nested[i], "factory", nested[i], CT_EVM_GRANULARITY_LINE,
                             CT_PROFILE_PORTABLE) < 0) {
            cJSON_Delete(mdoc);
            skip();
        }
        /* the output is the address as a 32-byte word */
        snprintf(want, sizeof want, "0x%s",
                 cJSON_GetStringValue(cJSON_GetObjectItem(tx, "output")) + 2 + 24);
        expect_call(&r, "Child.constructor", -1, want);
        cJSON_Delete(mdoc);
        done(&r);
    }
}

static void test_unverified_disassembly(void **state)
{
    run r;
    const cJSON *ev, *p;
    int path_id = -1, i = 0, steps_in = 0;
    char fp[2048];
    (void)state;
    if (record_tx(&r, "unverified-poke", "unverified", "poke", CT_EVM_GRANULARITY_LINE,
                  CT_PROFILE_PORTABLE) < 0)
        skip();
    assert_int_equal(r.rep.frames_unmatched, 1);
    assert_non_null(strstr(r.warnings, "matches no artifact"));
    cJSON_ArrayForEach(ev, r.events) {
        if ((p = payload(ev, "Path")) && strstr(cJSON_GetStringValue(p), ".evm")) {
            path_id = i;
            snprintf(fp, sizeof fp, "%s/files%s", r.dir, cJSON_GetStringValue(p));
        }
        if (payload(ev, "Path"))
            i++;
        if ((p = payload(ev, "Step")) && num(p, "path_id") == path_id)
            steps_in++;
    }
    assert_true(path_id >= 0);
    /* The listing is in files/ and its lines are instructions with their pc. */
    {
        char *text = ct_test_read_file(fp, NULL);
        assert_non_null(text);
        assert_non_null(strstr(text, "0x0000  CALLDATASIZE"));
        free(text);
    }
    assert_true(steps_in > 5);
    done(&r);
    /* A root that fails without an op saying so (the bad JUMP: the client reports the error
     * only in the `trace` part): the trace part's error is the Error event and the Return. */
    if (record_tx(&r, "unverified-badJump", "unverified", "badJump", CT_EVM_GRANULARITY_LINE,
                  CT_PROFILE_PORTABLE) < 0)
        skip();
    assert_int_equal(r.rep.errors, 1);
    expect_call(&r, "0x1a4f38b8a89ffbe21ef07d0c85e71a1da5afd2b6.receive", -1,
                "Error: invalid jump destination");
    done(&r);
}

static void test_opcode_granularity(void **state)
{
    run r;
    const cJSON *ev;
    uint64_t asms = 0, steps = 0, same_line = 0;
    int last_line = -1;
    bool first = true;
    (void)state;
    if (record_tx(&r, "erc20-transfer-opcode", "erc20", "transfer", CT_EVM_GRANULARITY_OPCODE,
                  CT_PROFILE_CURRENT) < 0)
        skip();
    cJSON_ArrayForEach(ev, r.events) {
        const cJSON *a = payload(ev, "Asm"), *st = payload(ev, "Step");
        if (st) {
            steps++;
            same_line += num(st, "line") == last_line;
            last_line = num(st, "line");
        }
        if (!a)
            continue;
        asms++;
        if (first) {   /* the first op of the runtime code: PUSH1 0x80 at pc 0 */
            assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(a, 0)),
                                "0x0000  PUSH1 0x80");
            first = false;
        }
    }
    /* Every op has its instruction; mapped ops each get a Step, also on the same line. */
    assert_int_equal(asms, r.rep.ops);
    assert_true(steps > 100);
    assert_true(same_line > 50);
    done(&r);
}

/* Precompiles and accounts without code run no ops, yet each call is a Call with a Return. */
static void test_codeless_calls(void **state)
{
    run r;
    int at;
    const cJSON *ev, *ret = NULL;
    int i = 0, depth = 0, call_depth_sha = -1;
    (void)state;
    if (record_tx(&r, "precompiles-run", "precompiles", "run", CT_EVM_GRANULARITY_LINE,
                  CT_PROFILE_PORTABLE) < 0)
        skip();
    assert_true(find_call(&r, "precompile.ecrecover", 0) > 0);
    assert_true(find_call(&r, "precompile.ripemd160", 0) > 0);
    assert_true(find_call(&r, "precompile.identity", 0) > 0);
    at = find_call(&r, "precompile.sha256", 0);
    assert_true(at > 0);
    /* sha256 of its input is its Return: check with the input the Call shows. */
    cJSON_ArrayForEach(ev, r.events) {
        if (payload(ev, "Call"))
            depth++;
        if (i == at)
            call_depth_sha = depth;
        if (payload(ev, "Return")) {
            if (depth == call_depth_sha && !ret)
                ret = cJSON_GetObjectItem(payload(ev, "Return"), "return_value");
            depth--;
        }
        i++;
    }
    assert_non_null(ret);
    assert_int_equal(strlen(cJSON_GetStringValue(cJSON_GetObjectItem(ret, "r"))), 66);
    /* ecrecover returns the signer's address (the manifest's expected signer), ripemd160 a
     * bytes20: not the 32-byte words they are padded to */
    {
        cJSON *mdoc;
        const cJSON *tx = manifest_tx("precompiles", "run", &mdoc);
        char got[128];
        assert_non_null(tx);
        expect_call(&r, "precompile.ecrecover", -1, cJSON_GetStringValue(cJSON_GetObjectItem(
                    cJSON_GetObjectItem(tx, "expect"), "signer")));
        call_return_text(&r, find_call(&r, "precompile.ripemd160", 0), got, sizeof got);
        assert_int_equal(strlen(got), 42);
        cJSON_Delete(mdoc);
    }
    done(&r);
    if (record_tx(&r, "payments-payEoa", "payments", "payEoa", CT_EVM_GRANULARITY_LINE,
                  CT_PROFILE_PORTABLE) < 0)
        skip();
    {
        /* The payee is Payer.pay's argument; the value transfer to it is a Call. */
        char name[80];
        const cJSON *c = payload(cJSON_GetArrayItem(r.events, find_call(&r, "Payer.pay", 0)),
                                 "Call");
        snprintf(name, sizeof name, "%s.transfer", cJSON_GetStringValue(cJSON_GetObjectItem(
                 cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(c, "args"), 0),
                                     "value"), "r")));
        assert_true(find_call(&r, name, 0) > 0);
    }
    done(&r);
}

/* The real trace_replayBlockTransactions result of the erc20 project: one folder per tx. */
static void test_block_sample(void **state)
{
    run r;
    cJSON *mdoc;
    const cJSON *t;
    char *input = sample("trace-samples/%s/%s/vmtrace.json", "erc20", "block");
    char path[1200];
    int n = 0;
    (void)state;
    if (!input || record(&r, "erc20-block-sample", "erc20", input, CT_EVM_GRANULARITY_LINE,
                         CT_PROFILE_PORTABLE) < 0) {
        free(input);
        skip();
    }
    manifest_tx("erc20", "transfer", &mdoc);
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(mdoc, "transactions")) {
        snprintf(path, sizeof path, "%s/%s", r.dir,
                 cJSON_GetStringValue(cJSON_GetObjectItem(t, "hash")));
        validate(path, CT_PROFILE_PORTABLE);
        n++;
    }
    assert_int_equal(r.rep.transactions, n);
    assert_true(n >= 4);
    cJSON_Delete(mdoc);
    free(input);
}

static void test_profiles_and_block(void **state)
{
    run r;
    char *a = sample("trace-samples/%s/%s/vmtrace.json", "erc20", "transfer");
    char *b = sample("trace-samples/%s/%s/vmtrace.json", "erc20", "approve");
    char *ta = a ? ct_test_read_file(a, NULL) : NULL, *tb = b ? ct_test_read_file(b, NULL) : NULL;
    char *tmp, path[1200], *block;
    cJSON *da, *db;
    const char *ha, *hb;
    (void)state;
    free(a);
    free(b);
    if (!ta || !tb) {
        free(ta);
        free(tb);
        skip();
    }
    tmp = ct_test_tmpdir("evm-block");
    /* The 25.11 profile too. */
    assert_int_equal(record_tx(&r, "erc20-transfer-25.11", "erc20", "transfer",
                               CT_EVM_GRANULARITY_LINE, CT_PROFILE_CODETRACER_25_11), 0);
    done(&r);
    /* Struct values, decoded references and Error values in both CodeTracer profiles */
    assert_int_equal(record_tx(&r, "args-25.11", "args", "run", CT_EVM_GRANULARITY_LINE,
                               CT_PROFILE_CODETRACER_25_11), 0);
    done(&r);
    assert_int_equal(record_tx(&r, "args-current", "args", "run", CT_EVM_GRANULARITY_OPCODE,
                               CT_PROFILE_CURRENT), 0);
    done(&r);
    assert_int_equal(record_tx(&r, "errors-tryCatch-current", "errors", "tryCatch",
                               CT_EVM_GRANULARITY_LINE, CT_PROFILE_CURRENT), 0);
    done(&r);
    /* A block: the two results as one trace_replayBlockTransactions array. */
    block = malloc(strlen(ta) + strlen(tb) + 4);
    sprintf(block, "[%s,%s]", ta, tb);
    snprintf(path, sizeof path, "%s/block.json", tmp);
    ct_test_write_file(path, block, strlen(block));
    assert_int_equal(record(&r, "erc20-block", "erc20", path, CT_EVM_GRANULARITY_LINE,
                            CT_PROFILE_PORTABLE), 0);
    assert_int_equal(r.rep.transactions, 2);
    da = cJSON_Parse(ta);
    db = cJSON_Parse(tb);
    ha = cJSON_GetStringValue(cJSON_GetObjectItem(da, "transactionHash"));
    hb = cJSON_GetStringValue(cJSON_GetObjectItem(db, "transactionHash"));
    assert_non_null(ha);
    snprintf(path, sizeof path, "%s/%s", r.dir, ha);
    validate(path, CT_PROFILE_PORTABLE);
    snprintf(path, sizeof path, "%s/%s/trace_metadata.json", r.dir, hb);
    {
        char *meta = ct_test_read_file(path, NULL);
        assert_non_null(meta);
        assert_non_null(strstr(meta, hb));
        assert_non_null(strstr(meta, "Token"));
        free(meta);
    }
    snprintf(path, sizeof path, "%s/%s", r.dir, hb);
    validate(path, CT_PROFILE_PORTABLE);
    cJSON_Delete(da);
    cJSON_Delete(db);
    free(block);
    free(ta);
    free(tb);
    ct_test_rmrf(tmp);
    free(tmp);
}

/* ---- bad input --------------------------------------------------------------------------- */

static ct_status record_with(run *r, const char *dir, const char *input, const char **arts,
                             size_t narts, const char *git, ct_test_alloc *ta, ct_error *err)
{
    ct_evm_record_options o;
    memset(r, 0, sizeof *r);
    snprintf(r->dir, sizeof r->dir, "%s", dir);
    ct_evm_record_options_init(&o);
    o.input = input;
    o.artifacts = arts;
    o.nartifacts = narts;
    o.output = r->dir;
    o.overwrite = true;
    o.git_repo = git;
    o.on_warning = on_warning;
    o.warning_payload = r;
    o.allocator = ta ? &ta->allocator : NULL;
    return ct_evm_record(&o, &r->rep, err);
}

static char *tampered_copy(const char *src, const char *tmp, const char *name,
                           void (*edit)(cJSON *doc))
{
    char *text = ct_test_read_file(src, NULL), *out, *path = malloc(1024);
    cJSON *doc = cJSON_Parse(text);
    edit(doc);
    out = cJSON_PrintUnformatted(doc);
    snprintf(path, 1024, "%s/%s", tmp, name);
    ct_test_write_file(path, out, strlen(out));
    cJSON_free(out);
    cJSON_Delete(doc);
    free(text);
    return path;
}

static void cut_calldata(cJSON *doc)
{
    cJSON *action = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "trace"),
                                                           0), "action");
    char *in = cJSON_GetStringValue(cJSON_GetObjectItem(action, "input"));
    in[strlen(in) - 20] = '\0';
    cJSON_ReplaceItemInObject(action, "input", cJSON_CreateString(in));
}

static void bad_source_map(cJSON *doc)
{
    cJSON *c = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "contracts"),
                                                       "contracts/erc20/Token.sol"), "Token");
    cJSON *d = cJSON_GetObjectItem(cJSON_GetObjectItem(c, "evm"), "deployedBytecode");
    const char *m = cJSON_GetStringValue(cJSON_GetObjectItem(d, "sourceMap"));
    char *nm = malloc(strlen(m) + 32);
    /* The first entry points far beyond the end of Token.sol. */
    sprintf(nm, "999999:1:0:-:0%s", strchr(m, ';'));
    cJSON_ReplaceItemInObject(d, "sourceMap", cJSON_CreateString(nm));
    free(nm);
}

static void test_bad_inputs_warn(void **state)
{
    run r;
    ct_error err;
    char *tx = sample("trace-samples/%s/%s/vmtrace.json", "erc20", "transfer");
    char *proxy = sample("trace-samples/%s/%s/vmtrace.json", "proxy", "delegatecall");
    char *out = sample("trace-samples/%s/solc-output.json%s", "erc20", "");
    char *in = sample("trace-samples/%s/solc-input.json%s", "erc20", "");
    char *tmp, dir[1024], *cut, *badmap;
    const char *arts[2];
    (void)state;
    if (!tx || !proxy || !out || !in)
        skip();
    tmp = ct_test_tmpdir("evm-bad");
    arts[0] = out;
    arts[1] = in;
    /* Artifacts that match no frame: every frame is shown as its disassembly. */
    snprintf(dir, sizeof dir, "%s/nomatch", tmp);
    assert_int_equal(record_with(&r, dir, proxy, arts, 2, NULL, NULL, &err), CT_OK);
    assert_int_equal(r.rep.frames_unmatched, 2);
    assert_non_null(strstr(r.warnings, "matches no artifact"));
    assert_non_null(strstr(r.warnings, "solc-output.json: no contract of these artifacts "
                                       "matched any frame"));
    validate(dir, CT_PROFILE_PORTABLE);
    /* Calldata that does not decode: a warning naming the frame, raw calldata shown. */
    cut = tampered_copy(tx, tmp, "cut.json", cut_calldata);
    snprintf(dir, sizeof dir, "%s/cut", tmp);
    assert_int_equal(record_with(&r, dir, cut, arts, 2, NULL, NULL, &err), CT_OK);
    assert_non_null(strstr(r.warnings, "Token.transfer (depth 1): arguments not decoded"));
    validate(dir, CT_PROFILE_PORTABLE);
    /* A source map entry outside its source: a warning, no step on a wrong line. */
    badmap = tampered_copy(out, tmp, "badmap.json", bad_source_map);
    arts[0] = badmap;
    snprintf(dir, sizeof dir, "%s/badmap", tmp);
    assert_int_equal(record_with(&r, dir, tx, arts, 2, NULL, NULL, &err), CT_OK);
    assert_non_null(strstr(r.warnings, "point outside their sources"));
    validate(dir, CT_PROFILE_PORTABLE);
    /* Artifacts that cannot be read: a hard error, no trace folder. */
    arts[0] = "/nonexistent/solc-output.json";
    snprintf(dir, sizeof dir, "%s/noart", tmp);
    assert_int_equal(record_with(&r, dir, tx, arts, 1, NULL, NULL, &err), CT_EIO);
    assert_non_null(strstr(err.message, "/nonexistent/solc-output.json"));
    assert_false(ct_test_exists(dir));
    free(cut);
    free(badmap);
    free(tx);
    free(proxy);
    free(out);
    free(in);
    ct_test_rmrf(tmp);
    free(tmp);
}

/* Without its artifacts the token is disassembled, but the well-known ERC-20 interface still
 * names the call, decodes its arguments, return value and Transfer event. */
static void test_builtin_interfaces(void **state)
{
    run r;
    ct_error err;
    char *input = sample("trace-samples/%s/%s/vmtrace.json", "erc20", "transfer");
    char *other = sample("trace-samples/%s/solc-output.json%s", "proxy", "");
    char *tmp, dir[1024], name[80];
    const char *arts[1];
    const cJSON *ev, *c;
    cJSON *mdoc;
    int call, events = 0;
    bool returned_true = false;
    (void)state;
    if (!input || !other || !manifest_tx("erc20", "transfer", &mdoc))
        skip();
    tmp = ct_test_tmpdir("evm-builtin");
    snprintf(dir, sizeof dir, "%s/t", tmp);
    arts[0] = other;
    assert_int_equal(record_with(&r, dir, input, arts, 1, NULL, NULL, &err), CT_OK);
    assert_int_equal(r.rep.frames_unmatched, 1);
    validate(dir, CT_PROFILE_PORTABLE);
    load_events(&r, dir);
    snprintf(name, sizeof name, "%s.transfer", cJSON_GetStringValue(cJSON_GetObjectItem(
             cJSON_GetArrayItem(cJSON_GetObjectItem(mdoc, "contracts"), 0), "address")));
    call = find_call(&r, name, 0);
    assert_true(call > 0);
    c = payload(cJSON_GetArrayItem(r.events, call), "Call");
    assert_string_equal(variable_name(&r, num(cJSON_GetArrayItem(cJSON_GetObjectItem(c, "args"),
                                                                 1), "variable_id")), "value");
    cJSON_ArrayForEach(ev, r.events) {
        const cJSON *e = payload(ev, "Event"), *ret = payload(ev, "Return");
        if (e && num(e, "kind") == 13 &&
            strstr(cJSON_GetStringValue(cJSON_GetObjectItem(e, "content")), "value=1000"))
            events++;
        if (ret && cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(ret, "return_value"),
                                                    "b")))
            returned_true = true;
    }
    assert_int_equal(events, 1);
    assert_true(returned_true);
    done(&r);
    cJSON_Delete(mdoc);
    free(input);
    free(other);
    ct_test_rmrf(tmp);
    free(tmp);
}

/* One byte of Token's deployed code changed: no match by code; the address map still says
 * which contract runs there. */
static void flip_runtime_byte(cJSON *doc)
{
    cJSON *c = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "contracts"),
                                                       "contracts/erc20/Token.sol"), "Token");
    cJSON *d = cJSON_GetObjectItem(cJSON_GetObjectItem(c, "evm"), "deployedBytecode");
    char *hex = strdup(cJSON_GetStringValue(cJSON_GetObjectItem(d, "object")));
    hex[2] = hex[2] == '0' ? '1' : '0';   /* PUSH1 0x80 -> PUSH1 0x90 (or 0x00) */
    cJSON_ReplaceItemInObject(d, "object", cJSON_CreateString(hex));
    free(hex);
}

static void test_address_map(void **state)
{
    run r;
    ct_error err;
    cJSON *mdoc;
    const cJSON *tx;
    char *input = sample("trace-samples/%s/%s/vmtrace.json", "erc20", "transfer");
    char *out = sample("trace-samples/%s/solc-output.json%s", "erc20", "");
    char *in = sample("trace-samples/%s/solc-input.json%s", "erc20", "");
    char *tmp, dir[1024], *art;
    const char *arts[2];
    ct_evm_record_options o;
    ct_evm_address_entry map[2];
    (void)state;
    tx = manifest_tx("erc20", "transfer", &mdoc);
    if (!input || !out || !in || !tx)
        skip();
    tmp = ct_test_tmpdir("evm-amap");
    art = tampered_copy(out, tmp, "flipped.json", flip_runtime_byte);
    arts[0] = art;
    arts[1] = in;
    snprintf(dir, sizeof dir, "%s/t", tmp);
    ct_evm_record_options_init(&o);
    o.input = input;
    o.artifacts = arts;
    o.nartifacts = 2;
    o.output = dir;
    o.overwrite = true;
    o.on_warning = on_warning;
    memset(&r, 0, sizeof r);
    o.warning_payload = &r;
    map[0].address = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(
        cJSON_GetObjectItem(mdoc, "contracts"), 0), "address"));
    map[0].contract = "Token";
    map[1].address = "0x00000000000000000000000000000000000000aa";
    map[1].contract = "NoSuchContract";
    o.address_map = map;
    o.naddress_map = 2;
    assert_int_equal(ct_evm_record(&o, &r.rep, &err), CT_OK);
    assert_int_equal(r.rep.frames_unmatched, 0);
    assert_non_null(strstr(r.warnings, "NoSuchContract"));
    validate(dir, CT_PROFILE_PORTABLE);
    load_events(&r, dir);
    assert_true(find_call(&r, "Token._transfer", 0) > 0);
    done(&r);
    /* Without the map: the disassembly. */
    o.naddress_map = 0;
    assert_int_equal(ct_evm_record(&o, &r.rep, &err), CT_OK);
    assert_int_equal(r.rep.frames_unmatched, 1);
    /* A malformed address is a usage error. */
    map[0].address = "0x1234";
    o.naddress_map = 1;
    assert_int_equal(ct_evm_record(&o, &r.rep, &err), CT_EINVAL);
    assert_non_null(strstr(err.message, "0x1234"));
    free(art);
    free(input);
    free(out);
    free(in);
    cJSON_Delete(mdoc);
    ct_test_rmrf(tmp);
    free(tmp);
}

/* INVALID in code without artifacts (a hand-made vmTrace: PUSH1 1, INVALID): an Error event
 * "invalid opcode", last in the trace, and the frame's Return carries it. */
static void test_invalid_opcode(void **state)
{
    static const char vm[] =
        "{\"output\":\"0x\",\"stateDiff\":null,\"trace\":[],\"vmTrace\":{\"code\":\"0x6001fe\","
        "\"ops\":[{\"cost\":3,\"ex\":{\"mem\":null,\"push\":[\"0x1\"],\"store\":null,"
        "\"used\":99997},\"pc\":0,\"sub\":null,\"op\":\"PUSH1\"},{\"cost\":99997,\"ex\":null,"
        "\"pc\":2,\"sub\":null,\"op\":\"INVALID\"}]},\"transactionHash\":\"0x11111111111111"
        "11111111111111111111111111111111111111111111111111\"}";
    run r;
    ct_error err;
    char *out = sample("trace-samples/%s/solc-output.json%s", "erc20", "");
    char *tmp, input[1200], dir[1024];
    const char *arts[1];
    const char *md, *content;
    const cJSON *ev, *ret = NULL;
    (void)state;
    if (!out)
        skip();
    tmp = ct_test_tmpdir("evm-invalid");
    snprintf(input, sizeof input, "%s/vm.json", tmp);
    ct_test_write_file(input, vm, strlen(vm));
    snprintf(dir, sizeof dir, "%s/t", tmp);
    arts[0] = out;
    assert_int_equal(record_with(&r, dir, input, arts, 1, NULL, NULL, &err), CT_OK);
    validate(dir, CT_PROFILE_PORTABLE);
    load_events(&r, dir);
    content = last_error(&r, &md);
    assert_string_equal(md, "InvalidOpcode");
    assert_non_null(strstr(content, "invalid opcode 0xfe"));
    cJSON_ArrayForEach(ev, r.events)
        if (payload(ev, "Return") && !ret)
            ret = cJSON_GetObjectItem(payload(ev, "Return"), "return_value");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(ret, "kind")), "Error");
    assert_true(find_call(&r, "unverified.fallback", 0) > 0);
    done(&r);
    free(out);
    ct_test_rmrf(tmp);
    free(tmp);
}

/* The command: exit codes and the summary line. */
static void test_cli(void **state)
{
    char *cli = getenv("CT_CLI") ? strdup(getenv("CT_CLI")) : NULL;
    char *input = sample("trace-samples/%s/%s/vmtrace.json", "erc20", "transfer");
    char *out = sample("trace-samples/%s/solc-output.json%s", "erc20", "");
    char *in = sample("trace-samples/%s/solc-input.json%s", "erc20", "");
    char *tmp;
    (void)state;
    if (!cli || !input || !out || !in)
        skip();
    tmp = ct_test_tmpdir("evm-cli");
    assert_int_equal(ct_test_system("'%s' evm '%s' -a '%s' -a '%s' -o '%s/t' > '%s/stdout'", cli,
                                    input, out, in, tmp, tmp), 0);
    {
        char p[1200], *text;
        snprintf(p, sizeof p, "%s/stdout", tmp);
        text = ct_test_read_file(p, NULL);
        assert_non_null(strstr(text, "ok: 1 transaction, "));
        free(text);
    }
    /* exists without --force: 2; with it: 0; no output: 2; bad artifacts: 1 (parse) */
    assert_int_equal(ct_test_system("'%s' evm '%s' -a '%s' -o '%s/t' -q 2>/dev/null", cli, input,
                                    out, tmp), 2);
    assert_int_equal(ct_test_system("'%s' evm '%s' -a '%s' -a '%s' -o '%s/t' --force -q "
                                    ">/dev/null", cli, input, out, in, tmp), 0);
    assert_int_equal(ct_test_system("'%s' evm '%s' -a '%s' 2>/dev/null", cli, input, out), 2);
    assert_int_equal(ct_test_system("'%s' evm '%s' -a '%s' -o '%s/u' 2>/dev/null", cli, input,
                                    input, tmp), 1);
    assert_int_equal(ct_test_system("'%s' evm '%s' -a '%s' -o '%s/v' --granularity word "
                                    "2>/dev/null", cli, input, out, tmp), 2);
    free(cli);
    free(input);
    free(out);
    free(in);
    ct_test_rmrf(tmp);
    free(tmp);
}

/* Sources taken from a git revision that lacks them: a warning, then the disassembly. */
static void test_git_revision_without_sources(void **state)
{
    run r;
    ct_error err;
    char *tx = sample("trace-samples/%s/%s/vmtrace.json", "erc20", "transfer");
    char *out = sample("trace-samples/%s/solc-output.json%s", "erc20", "");
    char *tmp, repo[1200], dir[1024];
    const char *arts[1];
    (void)state;
    if (!tx || !out)
        skip();
    tmp = ct_test_tmpdir("evm-git");
    snprintf(repo, sizeof repo, "%s/repo", tmp);
    if (ct_test_system("git init -q '%s' && git -C '%s' -c user.name=t -c user.email=t@t "
                       "commit -q --allow-empty -m empty", repo, repo) != 0) {
        ct_test_rmrf(tmp);
        free(tmp);
        skip();
    }
    arts[0] = out;
    snprintf(dir, sizeof dir, "%s/trace", tmp);
    assert_int_equal(record_with(&r, dir, tx, arts, 1, repo, NULL, &err), CT_OK);
    assert_non_null(strstr(r.warnings, "not in the git revision"));
    assert_int_equal(r.rep.frames_unmatched, 1);
    validate(dir, CT_PROFILE_PORTABLE);
    /* Committed in a later revision, edited after it in the work tree: the lines and files/
     * come from the revision given. */
    if (ct_test_system("mkdir -p '%s/contracts/erc20' && cp '%s/trace-samples/contracts/erc20/"
                       "Token.sol' '%s/contracts/erc20/' && git -C '%s' add . && git -C '%s' "
                       "-c user.name=t -c user.email=t@t commit -q -m token && echo '// edited' "
                       ">> '%s/contracts/erc20/Token.sol'", repo, getenv("CT_SOURCE_DIR"),
                       repo, repo, repo, repo) != 0) {
        ct_test_rmrf(tmp);
        free(tmp);
        skip();
    }
    {
        ct_evm_record_options o;
        char rev[64] = "HEAD", fp[2600], *text;
        ct_evm_record_options_init(&o);
        o.input = tx;
        o.artifacts = arts;
        o.nartifacts = 1;
        o.output = dir;
        o.overwrite = true;
        o.git_repo = repo;
        o.git_rev = rev;
        memset(&r, 0, sizeof r);
        o.on_warning = on_warning;
        o.warning_payload = &r;
        assert_int_equal(ct_evm_record(&o, &r.rep, &err), CT_OK);
        assert_int_equal(r.rep.frames_unmatched, 0);
        assert_true(r.rep.steps > 5);
        validate(dir, CT_PROFILE_PORTABLE);
        snprintf(fp, sizeof fp, "%s/files%s/contracts/erc20/Token.sol", dir, repo);
        text = ct_test_read_file(fp, NULL);
        assert_non_null(text);
        assert_null(strstr(text, "// edited"));
        free(text);
    }
    free(tx);
    free(out);
    ct_test_rmrf(tmp);
    free(tmp);
}

/* Every allocation may fail: an error, no crash, no leak, no trace folder. */
/* Every ~60th allocation of a recording fails in turn: CT_ENOMEM or success, nothing leaked,
 * no folder left behind. */
static void alloc_sweep(const char *project, const char *txname)
{
    run r;
    ct_error err;
    ct_test_alloc ta;
    char *tx = sample("trace-samples/%s/%s/vmtrace.json", project, txname);
    char *out = sample("trace-samples/%s/solc-output.json%s", project, "");
    char *in = sample("trace-samples/%s/solc-input.json%s", project, "");
    char *tmp, dir[1024];
    const char *arts[2];
    uint64_t total, k;
    if (!tx || !out || !in) {
        free(tx);
        free(out);
        free(in);
        skip();
    }
    tmp = ct_test_tmpdir("evm-alloc");
    arts[0] = out;
    arts[1] = in;
    snprintf(dir, sizeof dir, "%s/t", tmp);
    ct_test_alloc_init(&ta, 0);
    assert_int_equal(record_with(&r, dir, tx, arts, 2, NULL, &ta, &err), CT_OK);
    assert_int_equal(ta.live_blocks, 0);
    total = ta.calls;
    for (k = 1; k <= total; k += 1 + total / 60) {
        ct_status rc;
        ct_test_rmrf(dir);
        ct_test_alloc_init(&ta, k);
        rc = record_with(&r, dir, tx, arts, 2, NULL, &ta, &err);
        assert_true(rc == CT_OK || rc == CT_ENOMEM);
        assert_int_equal(ta.live_blocks, 0);
        if (rc != CT_OK && ct_test_exists(dir))
            fail_msg("%s/%s: allocation %llu failed (%s) but %s exists", project, txname,
                     (unsigned long long)k, err.message, dir);
    }
    free(tx);
    free(out);
    free(in);
    ct_test_rmrf(tmp);
    free(tmp);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    alloc_sweep("erc20", "transfer");
    alloc_sweep("args", "run");          /* reference arguments */
    alloc_sweep("errors", "tryCatch");   /* the storage journal across reverts */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erc20_transfer),
        cmocka_unit_test(test_optimized_and_via_ir),
        cmocka_unit_test(test_proxy_delegatecall),
        cmocka_unit_test(test_revert_reasons),
        cmocka_unit_test(test_try_catch_events),
        cmocka_unit_test(test_internal_calls_recursion),
        cmocka_unit_test(test_internal_reference_args),
        cmocka_unit_test(test_bad_memory_reference),
        cmocka_unit_test(test_creation_returns_address),
        cmocka_unit_test(test_mutated_references),
        cmocka_unit_test(test_unverified_disassembly),
        cmocka_unit_test(test_opcode_granularity),
        cmocka_unit_test(test_profiles_and_block),
        cmocka_unit_test(test_block_sample),
        cmocka_unit_test(test_codeless_calls),
        cmocka_unit_test(test_bad_inputs_warn),
        cmocka_unit_test(test_address_map),
        cmocka_unit_test(test_builtin_interfaces),
        cmocka_unit_test(test_cli),
        cmocka_unit_test(test_invalid_opcode),
        cmocka_unit_test(test_git_revision_without_sources),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
