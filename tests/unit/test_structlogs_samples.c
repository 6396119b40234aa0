/*
 * The replay against the ground truth of trace-samples/ (real solc output run by ethereumjs,
 * written as Erigon's vmTrace and Geth's struct logs with enableMemory + enableReturnData).
 * For every transaction of trace-samples/index.json (and the erc20 block pair) the vmTrace is
 * replayed twice and compared with structlogs.json.gz on every field of every frame:
 *   1. through the struct-log writer (the product: ct__structlogs_write into memory), JSON
 *      against JSON: pc, op, gas, gasCost, depth, error, stack, memory, storage, returnData,
 *      plus failed and returnValue;
 *   2. through the step iterator, field by field, which also shows what the replay knows:
 *      return data it cannot determine (return_data_known = false) must be absent from the
 *      output and is counted, never accepted as a match of invented data.
 * `refund` is not in a vmTrace: counted, not compared. The top-level `gas` (receipt gasUsed) is
 * compared after applying, from the manifest's facts, exactly the documented differences
 * (EIP-3860 initcode words, the SSTORE refund, the EIP-7623 calldata floor), so a sample where
 * none applies must match as is.
 * cancun/run/vmtrace.erigon-classic.json (old Erigon defects) must replay exactly up to the
 * first unrecoverable defect, stop there with an error naming it, and fix the recoverable ones.
 * The samples are committed project files: nothing here skips.
 */
#include "ct_test.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <ctrecord/replay.h>
#include <ctrecord/structlogs.h>

#include "opcodes.h"
#include "structlogs_write.h"
#include "util/error.h"
#include "util/sink.h"

typedef struct counts {
    size_t txs, steps, fields, refunds, synthetic, rd_unknown, gas_exact, gas_explained;
    size_t gas_prague_exact;
} counts;

/* ---- input ------------------------------------------------------------------------------- */

static char *sample_path(const char *rel)
{
    char buf[600];
    char *p;
    snprintf(buf, sizeof buf, "trace-samples/%s", rel);
    p = ct_test_env_path("CT_SOURCE_DIR", buf);
    if (!p)
        fail_msg("CT_SOURCE_DIR is not set");
    return p;
}

/* A whole (gzipped or plain) file, parsed. */
static cJSON *load_json(const char *rel)
{
    char *path = sample_path(rel);
    gzFile gz = gzopen(path, "rb");
    size_t len = 0, cap = 1 << 20;
    char *text = malloc(cap);
    int n;
    cJSON *doc;
    if (!gz)
        fail_msg("%s: cannot open", path);
    while ((n = gzread(gz, text + len, (unsigned)(cap - len - 1))) > 0) {
        len += (size_t)n;
        if (cap - len < 2)
            text = realloc(text, cap *= 2);
    }
    assert_int_equal(n, 0);
    gzclose(gz);
    text[len] = '\0';
    doc = cJSON_ParseWithLength(text, len);
    if (!doc)
        fail_msg("%s: not JSON", path);
    free(text);
    free(path);
    return doc;
}

static cJSON *item(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* Replay `path` (or `mem`) through the struct-log writer (the gas rules of `fork`, or the
 * defaults); the output, parsed. */
static cJSON *writer_output(const char *path, const char *mem, const char *fork)
{
    ct_replay *r = NULL;
    ct__sink *s = NULL;
    ct_structlogs_options o;
    ct_error err;
    const char *out;
    size_t len;
    cJSON *doc;
    ct_structlogs_options_init(&o);
    o.enable_memory = o.enable_return_data = true;
    assert_true(!fork || ct_structlogs_set_fork(&o, fork));
    if ((mem ? ct_replay_open_memory(&r, mem, strlen(mem), NULL, &err)
             : ct_replay_open_file(&r, path, NULL, &err)) < 0)
        fail_msg("%s", err.message);
    assert_int_equal(ct__sink_open_memory(&s, NULL, &err), CT_OK);
    if (ct__structlogs_write(r, s, &o, &err) < 0)
        fail_msg("%s: %s", path ? path : "<memory>", err.message);
    out = ct__sink_memory(s, &len);
    doc = cJSON_ParseWithLength(out, len);
    ct__sink_free(s);
    ct_replay_free(r);
    assert_non_null(doc);
    return doc;
}

/* ---- step against expected frame --------------------------------------------------------- */

static void hex(const uint8_t *b, size_t n, char *out)
{
    static const char d[] = "0123456789abcdef";
    size_t i;
    *out++ = '0';
    *out++ = 'x';
    for (i = 0; i < n; i++) {
        *out++ = d[b[i] >> 4];
        *out++ = d[b[i] & 15];
    }
    *out = '\0';
}

/* Geth's stack item: "0x" + minimal hex. */
static void quantity(const ct_u256 *w, char *out)
{
    char full[67];
    const char *p;
    hex(w->bytes, 32, full);
    for (p = full + 2; *p == '0' && p[1]; p++)
        ;
    snprintf(out, 67, "0x%s", p);
}

static bool same_storage(const cJSON *exp, const ct_evm_step *s)
{
    char k[67], v[67];
    size_t i;
    if (cJSON_GetArraySize(exp) != (int)s->storage_len)
        return false;
    for (i = 0; i < s->storage_len; i++) {
        const cJSON *e;
        hex(s->storage[i].key.bytes, 32, k);
        hex(s->storage[i].value.bytes, 32, v);
        e = item(exp, k);
        if (!cJSON_IsString(e) || strcmp(e->valuestring, v))
            return false;
    }
    return true;
}

static bool same_words(const cJSON *exp, const uint8_t *mem, size_t len)
{
    char w[67];
    size_t i = 0;
    const cJSON *e;
    if (!exp)
        return len == 0;
    if ((size_t)cJSON_GetArraySize(exp) * 32 != len)
        return false;
    cJSON_ArrayForEach(e, exp) {
        hex(mem + i, 32, w);
        if (!cJSON_IsString(e) || strcmp(e->valuestring, w))
            return false;
        i += 32;
    }
    return true;
}

static bool same_stack(const cJSON *exp, const ct_evm_step *s)
{
    char q[67];
    size_t i = 0;
    const cJSON *e;
    if (cJSON_GetArraySize(exp) != (int)s->stack_len)
        return false;
    cJSON_ArrayForEach(e, exp) {
        quantity(&s->stack[i++], q);
        if (!cJSON_IsString(e) || strcmp(e->valuestring, q))
            return false;
    }
    return true;
}

static bool same_return_data(const cJSON *exp, const ct_evm_step *s, counts *c)
{
    char *h;
    bool ok;
    if (!s->return_data_known) {
        c->rd_unknown++;   /* the output must not claim anything: the writer omits it */
        return s->return_data_len == 0;
    }
    if (!exp)
        return s->return_data_len == 0;
    h = malloc(2 * s->return_data_len + 3);
    hex(s->return_data, s->return_data_len, h);
    ok = cJSON_IsString(exp) && !strcmp(exp->valuestring, h);
    free(h);
    return ok;
}

/* NULL when step `s` shows exactly the frame `e`, else the name of the first field differing. */
static const char *step_differs(const ct_evm_step *s, const cJSON *e, counts *c)
{
    const cJSON *err = item(e, "error"), *st = item(e, "storage");
    bool storage_op = s->opcode == CT_OP_SLOAD || s->opcode == CT_OP_SSTORE;
    if (item(e, "pc")->valuedouble != (double)s->pc)
        return "pc";
    if (strcmp(item(e, "op")->valuestring, s->op))
        return "op";
    if (!s->gas_known || item(e, "gas")->valuedouble != (double)s->gas)
        return "gas";
    if (item(e, "gasCost")->valuedouble != (double)s->gas_cost)
        return "gasCost";
    if (item(e, "depth")->valuedouble != (double)s->depth)
        return "depth";
    if (err ? !s->error || strcmp(err->valuestring, s->error) : s->error != NULL)
        return "error";
    if (!same_stack(item(e, "stack"), s))
        return "stack";
    if (!same_words(item(e, "memory"), s->memory, s->memory_len))
        return "memory";
    if (storage_op ? !st || !same_storage(st, s) : st != NULL)
        return "storage";
    if (!same_return_data(item(e, "returnData"), s, c))
        return "returnData";
    c->synthetic += s->synthetic;
    c->refunds += item(e, "refund") != NULL;
    c->fields += 10;
    return NULL;
}

/* Steps whose return data the replay does not know: (tx, step) pairs from the iterator pass. */
typedef struct unknown_set {
    size_t tx[256], step[256], len;
} unknown_set;

/*
 * Replay `path` (or `mem`) with the iterator; each transaction's steps against the
 * `structLogs` of results[t]. Stops at the first replay error and returns its status; *steps
 * is the number of steps yielded (all of which matched); steps whose return data is unknown
 * go to `u`. The replay is left open in *out (its warnings and error are the caller's).
 */
static ct_status iterate(const char *path, const char *mem, cJSON *const *results, size_t ntx,
                         ct_replay **out, size_t *steps, counts *c, unknown_set *u)
{
    ct_replay *r = NULL;
    ct_error err;
    const ct_evm_tx *tx;
    const ct_evm_step *s;
    ct_status rc;
    size_t t = 0;
    *steps = 0;
    if ((mem ? ct_replay_open_memory(&r, mem, strlen(mem), NULL, &err)
             : ct_replay_open_file(&r, path, NULL, &err)) < 0)
        fail_msg("%s", err.message);
    *out = r;
    while ((rc = ct_replay_next_tx(&tx, r)) == CT_OK) {
        const cJSON *logs;
        assert_true(t < ntx);
        logs = item(results[t], "structLogs");
        while ((rc = ct_replay_next(&s, r)) == CT_OK) {
            const cJSON *e = cJSON_GetArrayItem(logs, (int)s->index);
            const char *d = e ? step_differs(s, e, c) : "(no such frame)";
            if (d)
                fail_msg("%s tx %zu step %llu (pc %llu %s): `%s` differs", path ? path : "<mem>",
                         t, (unsigned long long)s->index, (unsigned long long)s->pc, s->op, d);
            if (!s->return_data_known && u->len < 256) {
                u->tx[u->len] = t;
                u->step[u->len++] = (size_t)s->index;
            }
            (*steps)++;
        }
        if (rc < 0)
            return rc;
        assert_int_equal(tx->steps, cJSON_GetArraySize(logs));
        assert_int_equal(tx->failed, cJSON_IsTrue(item(results[t], "failed")));
        t++;
    }
    assert_int_equal(t, ntx);
    return rc < 0 ? rc : CT_OK;
}

/* ---- writer output against the expected JSON --------------------------------------------- */


static bool is_unknown(const unknown_set *u, size_t t, size_t i)
{
    size_t k;
    for (k = 0; k < u->len; k++)
        if (u->tx[k] == t && u->step[k] == i)
            return true;
    return false;
}

static void compare_frame(const char *what, int i, const cJSON *e, const cJSON *g, bool rd_unknown)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, e) {
        const cJSON *mine = item(g, f->string);
        if (!strcmp(f->string, "refund"))
            continue;   /* not in a vmTrace; counted by the iterator pass */
        if (!mine && rd_unknown && !strcmp(f->string, "returnData"))
            continue;   /* unknown, and honestly left out */
        if (!mine || !cJSON_Compare(f, mine, true)) {
            char *x = cJSON_PrintUnformatted(f), *y = mine ? cJSON_PrintUnformatted(mine) : NULL;
            fail_msg("%s: frame %d (pc %d): `%s` expected %.300s, written %.300s", what, i,
                     item(e, "pc")->valueint, f->string, x, y ? y : "(absent)");
        }
    }
    cJSON_ArrayForEach(f, g) {
        if (!item(e, f->string))
            fail_msg("%s: frame %d: `%s` written but not expected", what, i, f->string);
    }
}

static void compare_result(const char *what, size_t t, const cJSON *exp, const cJSON *got,
                           const unknown_set *u)
{
    const cJSON *el = item(exp, "structLogs"), *gl = item(got, "structLogs"), *e;
    int i = 0;
    assert_non_null(gl);
    if (cJSON_GetArraySize(el) != cJSON_GetArraySize(gl))
        fail_msg("%s: %d expected frames, %d written", what, cJSON_GetArraySize(el),
                 cJSON_GetArraySize(gl));
    cJSON_ArrayForEach(e, el) {
        compare_frame(what, i, e, cJSON_GetArrayItem(gl, i), is_unknown(u, t, (size_t)i));
        i++;
    }
    if (!cJSON_Compare(item(exp, "failed"), item(got, "failed"), true))
        fail_msg("%s: `failed` differs", what);
    if (!cJSON_Compare(item(exp, "returnValue"), item(got, "returnValue"), true))
        fail_msg("%s: `returnValue` expected %s, written %s", what,
                 item(exp, "returnValue")->valuestring, item(got, "returnValue")->valuestring);
}

/* ---- the top-level gas ------------------------------------------------------------------- */

static uint64_t last_refund(const cJSON *result)
{
    const cJSON *logs = item(result, "structLogs");
    int n = cJSON_GetArraySize(logs);
    const cJSON *r = n ? item(cJSON_GetArrayItem(logs, n - 1), "refund") : NULL;
    return r ? (uint64_t)r->valuedouble : 0;
}

/*
 * Our `gas` is intrinsic gas (21000, 32000 for a creation, 4/16 per calldata byte) plus the
 * execution gas. The receipt adds EIP-3860's 2 gas per initcode word for a creation, subtracts
 * the refund (at most a fifth, EIP-3529; none when the transaction failed) and is at least
 * EIP-7623's floor, 21000 + 10 per calldata token (zero byte 1, other 4). Each is a fact of the
 * manifest's transaction, so our value must equal the receipt after exactly these.
 */
static void check_gas(const char *what, const cJSON *mtx, const cJSON *exp, const cJSON *got,
                      counts *c)
{
    const char *in = item(mtx, "input")->valuestring + 2;
    uint64_t ours = (uint64_t)item(got, "gas")->valuedouble;
    uint64_t receipt = (uint64_t)item(exp, "gas")->valuedouble;
    uint64_t zeros = 0, bytes = strlen(in) / 2, initcode = 0, refund = 0, used, floor, i;
    for (i = 0; i < bytes; i++)
        zeros += in[2 * i] == '0' && in[2 * i + 1] == '0';
    if (cJSON_IsNull(item(mtx, "to")))
        initcode = 2 * ((bytes + 31) / 32);
    if (!cJSON_IsTrue(item(exp, "failed")))
        refund = last_refund(exp);
    used = ours + initcode;
    used -= refund < used / 5 ? refund : used / 5;
    floor = 21000 + 10 * (zeros + 4 * (bytes - zeros));
    assert_int_equal(receipt, (uint64_t)item(mtx, "gasUsed")->valuedouble);
    if ((used > floor ? used : floor) != receipt)
        fail_msg("%s: gas %llu, receipt %llu: not explained by initcode %llu, refund %llu, "
                 "floor %llu", what, (unsigned long long)ours, (unsigned long long)receipt,
                 (unsigned long long)initcode, (unsigned long long)refund,
                 (unsigned long long)floor);
    if (ours == receipt) {
        c->gas_exact++;
        return;
    }
    c->gas_explained++;
    print_message("%s: gas %llu vs receipt %llu: initcode words +%llu, refund -%llu, "
                  "calldata floor %llu\n", what, (unsigned long long)ours,
                  (unsigned long long)receipt, (unsigned long long)initcode,
                  (unsigned long long)refund, (unsigned long long)floor);
}

/*
 * With the Prague rules (the samples' fork: ct_structlogs_set_fork) the initcode words and the
 * floor are ours too: only the refund remains, so without one the value is the receipt's.
 */
static void check_gas_prague(const char *what, const cJSON *mtx, const cJSON *exp,
                             const cJSON *got, counts *c)
{
    const char *in = item(mtx, "input")->valuestring + 2;
    uint64_t ours = (uint64_t)item(got, "gas")->valuedouble;
    uint64_t receipt = (uint64_t)item(exp, "gas")->valuedouble;
    uint64_t zeros = 0, bytes = strlen(in) / 2, refund = 0, used, floor, i;
    for (i = 0; i < bytes; i++)
        zeros += in[2 * i] == '0' && in[2 * i + 1] == '0';
    if (!cJSON_IsTrue(item(exp, "failed")))
        refund = last_refund(exp);
    floor = 21000 + 10 * (zeros + 4 * (bytes - zeros));
    used = ours - (refund < ours / 5 ? refund : ours / 5);
    if ((used > floor ? used : floor) != receipt)
        fail_msg("%s: gas with the Prague rules %llu, receipt %llu, refund %llu", what,
                 (unsigned long long)ours, (unsigned long long)receipt,
                 (unsigned long long)refund);
    c->gas_prague_exact += ours == receipt;
}

static const cJSON *manifest_tx(const cJSON *manifest, const char *hash)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, item(manifest, "transactions")) {
        if (!strcmp(item(t, "hash")->valuestring, hash))
            return t;
    }
    fail_msg("%s is not in the manifest", hash);
    return NULL;
}

/* ---- tests ------------------------------------------------------------------------------- */

/* Both passes over one vmTrace file against its expected results; the gas of each tx. */
static void check_file(const char *what, const char *vm_rel, cJSON *const *results,
                       cJSON *const *got, cJSON *const *got_prague, const cJSON *const *mtx,
                       size_t ntx, counts *c)
{
    char *path = sample_path(vm_rel);
    unknown_set u = {.len = 0};
    ct_replay *r;
    size_t steps, t;
    assert_int_equal(iterate(path, NULL, results, ntx, &r, &steps, c, &u), CT_OK);
    ct_replay_free(r);
    c->steps += steps;
    for (t = 0; t < ntx; t++) {
        compare_result(what, t, results[t], got[t], &u);
        check_gas(what, mtx[t], results[t], got[t], c);
        check_gas_prague(what, mtx[t], results[t], got_prague[t], c);
        c->txs++;
    }
    free(path);
}

static void test_every_sample(void **state)
{
    cJSON *index = load_json("index.json"), *e;
    counts c = {0};
    size_t expected_ops = 0;
    (void)state;
    cJSON_ArrayForEach(e, index) {
        const cJSON *files = item(e, "files");
        char what[200], *vm = sample_path(item(files, "vmtrace")->valuestring);
        cJSON *exp = load_json(item(files, "structlogs")->valuestring);
        cJSON *manifest = load_json(item(e, "manifest")->valuestring);
        cJSON *got = writer_output(vm, NULL, NULL), *got_p = writer_output(vm, NULL, "prague");
        const cJSON *mtx = manifest_tx(manifest, item(e, "hash")->valuestring);
        snprintf(what, sizeof what, "%s/%s", item(e, "project")->valuestring,
                 item(e, "tx")->valuestring);
        check_file(what, item(files, "vmtrace")->valuestring, &exp, &got, &got_p, &mtx, 1, &c);
        expected_ops += (size_t)item(e, "ops")->valuedouble;
        cJSON_Delete(got);
        cJSON_Delete(got_p);
        cJSON_Delete(manifest);
        cJSON_Delete(exp);
        free(vm);
    }
    print_message("%zu transactions, %zu frames (%zu synthesized), %zu fields equal; return data "
                  "unknown on %zu frames; refund on %zu frames not compared; gas equal to the "
                  "receipt %zu, explained by the documented differences %zu; with the Prague "
                  "rules equal %zu\n",
                  c.txs, c.steps, c.synthetic, c.fields, c.rd_unknown, c.refunds, c.gas_exact,
                  c.gas_explained, c.gas_prague_exact);
    assert_int_equal(c.txs, cJSON_GetArraySize(index));
    assert_true(c.txs >= 32);
    assert_int_equal(c.steps, expected_ops);   /* index.json counts Geth's frames */
    assert_int_equal(c.rd_unknown, 0);         /* every precompile output of the samples is known */
    assert_true(c.synthetic >= 1);             /* unverified/relayStop: the STOP Erigon dropped */
    assert_true(c.refunds > 0 && c.gas_explained > 0 && c.gas_exact > 0);
    assert_true(c.gas_prague_exact > c.gas_exact);
    cJSON_Delete(index);
}

static void test_block_pair(void **state)
{
    cJSON *exp = load_json("erc20/block/structlogs.json.gz");
    cJSON *manifest = load_json("erc20/manifest.json");
    char *vm = sample_path("erc20/block/vmtrace.json");
    cJSON *got = writer_output(vm, NULL, NULL), *got_p = writer_output(vm, NULL, "prague");
    cJSON *results[8], *gots[8], *gots_p[8];
    const cJSON *mtx[8];
    counts c = {0};
    int n = cJSON_GetArraySize(exp), i;
    (void)state;
    assert_true(n == 4);
    assert_true(cJSON_IsArray(got));
    assert_int_equal(cJSON_GetArraySize(got), n);
    for (i = 0; i < n; i++) {
        cJSON *e = cJSON_GetArrayItem(exp, i), *g = cJSON_GetArrayItem(got, i);
        if (!cJSON_Compare(item(e, "txHash"), item(g, "txHash"), true))
            fail_msg("block tx %d: txHash differs", i);
        results[i] = item(e, "result");
        gots[i] = item(g, "result");
        gots_p[i] = item(cJSON_GetArrayItem(got_p, i), "result");
        mtx[i] = manifest_tx(manifest, item(e, "txHash")->valuestring);
    }
    check_file("erc20/block", "erc20/block/vmtrace.json", results, gots, gots_p, mtx, (size_t)n,
               &c);
    print_message("block: %zu transactions, %zu frames equal; gas equal %zu, explained %zu\n",
                  c.txs, c.steps, c.gas_exact, c.gas_explained);
    assert_int_equal(c.rd_unknown, 0);
    cJSON_Delete(got);
    cJSON_Delete(got_p);
    cJSON_Delete(manifest);
    cJSON_Delete(exp);
    free(vm);
}

/* ---- old Erigon defects (cancun/run/vmtrace.erigon-classic.json) ------------------------- */

static bool is_unrecoverable(const char *op)
{
    return !strcmp(op, "TLOAD") || !strcmp(op, "BLOBHASH") || !strcmp(op, "BLOBBASEFEE");
}

typedef struct defects {
    long push0, mcopy, lost;   /* step index of the first of each kind, -1 if none */
    size_t lost_count;
} defects;

/*
 * Walk the classic ops in execution order (op, its sub, next op) next to the fixed ones: note
 * where each defect first occurs and, with `restore`, put the lost pushes back from `fixed`.
 */
static void walk_defects(cJSON *classic, const cJSON *fixed, long *i, defects *d, bool restore)
{
    cJSON *op;
    const cJSON *fop = cJSON_GetArrayItem(item(fixed, "ops"), 0);
    cJSON_ArrayForEach(op, item(classic, "ops")) {
        cJSON *ex = item(op, "ex"), *sub = item(op, "sub");
        const char *name = item(op, "op")->valuestring;
        bool empty = cJSON_IsObject(ex) && cJSON_GetArraySize(item(ex, "push")) == 0;
        if (empty && !strcmp(name, "PUSH0") && d->push0 < 0)
            d->push0 = *i;
        if (!strcmp(name, "MCOPY") && cJSON_IsNull(item(ex, "mem")) && d->mcopy < 0)
            d->mcopy = *i;
        if (empty && is_unrecoverable(name)) {
            d->lost_count++;
            if (d->lost < 0)
                d->lost = *i;
            if (restore)
                cJSON_ReplaceItemInObjectCaseSensitive(
                    ex, "push", cJSON_Duplicate(item(item(fop, "ex"), "push"), true));
        }
        (*i)++;
        if (cJSON_IsObject(sub))
            walk_defects(sub, item(fop, "sub"), i, d, restore);
        fop = fop->next;
    }
}

static char *classic_text(bool restore, defects *d)
{
    cJSON *classic = load_json("cancun/run/vmtrace.erigon-classic.json");
    cJSON *fixed = load_json("cancun/run/vmtrace.json");
    char *text;
    long i = 0;
    d->push0 = d->mcopy = d->lost = -1;
    d->lost_count = 0;
    walk_defects(item(classic, "vmTrace"), item(fixed, "vmTrace"), &i, d, restore);
    text = cJSON_PrintUnformatted(classic);
    cJSON_Delete(classic);
    cJSON_Delete(fixed);
    return text;
}

static bool warned_at(ct_replay *r, const char *what, long step)
{
    char needle[64];
    size_t i;
    snprintf(needle, sizeof needle, "step %ld %s (op path %ld)", step, what, step);
    for (i = 0; i < ct_replay_warning_count(r); i++)
        if (strstr(ct_replay_warning(r, i), needle))
            return true;
    return false;
}

static void test_classic_stops_at_first_lost_push(void **state)
{
    cJSON *exp = load_json("cancun/run/structlogs.json.gz");
    defects d;
    char *text = classic_text(false, &d), needle[64];
    char *dir = ct_test_tmpdir("samples"), out[600];
    unknown_set u = {.len = 0};
    counts c = {0};
    ct_replay *r;
    const ct_evm_step *s;
    ct_structlogs_options o;
    ct_error err;
    size_t steps;
    (void)state;
    assert_true(d.push0 >= 0 && d.mcopy >= 0 && d.lost >= 0 && d.lost_count >= 3);
    /* Every frame before the lost value is exact; the replay stops at the op that lost it. */
    assert_int_equal(iterate(NULL, text, &exp, 1, &r, &steps, &c, &u), CT_EREPLAY);
    assert_int_equal(steps, (size_t)d.lost + 1);   /* the op's own frame is still exact */
    snprintf(needle, sizeof needle, "step %ld TLOAD (op path %ld)", d.lost, d.lost);
    if (!strstr(ct_replay_error(r)->message, needle) ||
        !strstr(ct_replay_error(r)->message, "pushed no value"))
        fail_msg("error does not name %s: %s", needle, ct_replay_error(r)->message);
    assert_true(warned_at(r, "PUSH0", d.push0));
    /* Sticky: nothing after it is yielded. */
    assert_int_equal(ct_replay_next(&s, r), CT_EREPLAY);
    ct_replay_free(r);
    /* The struct-log writer leaves no output that could pass for a complete one. */
    snprintf(out, sizeof out, "%s/classic.json", dir);
    assert_int_equal(ct_replay_open_memory(&r, text, strlen(text), NULL, &err), CT_OK);
    ct_structlogs_options_init(&o);
    assert_int_equal(ct_structlogs_write_file(r, out, &o, &err), CT_EREPLAY);
    assert_non_null(strstr(err.message, needle));
    assert_false(ct_test_exists(out));
    ct_replay_free(r);
    ct_test_rmrf(dir);
    free(dir);
    free(text);
    cJSON_Delete(exp);
}

static void test_classic_recoverable_defects_fixed(void **state)
{
    cJSON *exp = load_json("cancun/run/structlogs.json.gz");
    defects d;
    char *text = classic_text(true, &d);
    unknown_set u = {.len = 0};
    counts c = {0};
    ct_replay *r;
    size_t steps;
    (void)state;
    /* With only the PUSH0 and MCOPY defects left, every frame is exact (PUSH0 from the code,
     * MCOPY executed locally) and each fix is reported where it was first needed. */
    assert_int_equal(iterate(NULL, text, &exp, 1, &r, &steps, &c, &u), CT_OK);
    assert_int_equal(steps, cJSON_GetArraySize(item(exp, "structLogs")));
    assert_true(warned_at(r, "PUSH0", d.push0));
    assert_true(warned_at(r, "MCOPY", d.mcopy));
    assert_int_equal(ct_replay_warning_count(r), 2);
    ct_replay_free(r);
    free(text);
    cJSON_Delete(exp);
}

/* ---- fork gas rules ---------------------------------------------------------------------- */

static void test_fork_rules(void **state)
{
    static const uint8_t init[33] = {0x60, 0x01};   /* 2 non-zero bytes, 31 zero bytes */
    ct_structlogs_options o;
    ct_evm_tx tx;
    (void)state;
    memset(&tx, 0, sizeof tx);
    tx.is_create = tx.input_known = tx.exec_gas_used_known = true;
    tx.input = init;
    tx.input_len = sizeof init;
    tx.exec_gas_used = 100;
    ct_structlogs_options_init(&o);
    /* 21000 + 32000 + 2 * 16 + 31 * 4 + 100 */
    assert_int_equal(ct_structlogs_receipt_gas(&tx, &o), 53256);
    assert_false(ct_structlogs_set_fork(&o, "atlantis"));
    assert_int_equal(o.calldata_nonzero_gas, 16);
    assert_true(ct_structlogs_set_fork(&o, "petersburg"));
    assert_int_equal(ct_structlogs_receipt_gas(&tx, &o), 53256 + 2 * 52);
    assert_true(ct_structlogs_set_fork(&o, "shanghai"));
    assert_int_equal(ct_structlogs_receipt_gas(&tx, &o), 53256 + 2 * 2);   /* two words */
    assert_false(o.calldata_floor);
    assert_true(ct_structlogs_set_fork(&o, "prague"));
    tx.is_create = false;
    tx.exec_gas_used = 0;   /* 21000 + 156 < floor 21000 + 10 * (31 + 8) */
    assert_int_equal(ct_structlogs_receipt_gas(&tx, &o), 21390);
    assert_true(ct_structlogs_set_fork(&o, "london"));
    assert_int_equal(ct_structlogs_receipt_gas(&tx, &o), 21156);
}

static void test_cli_fork(void **state)
{
    char *cli = getenv("CT_CLI") ? strdup(getenv("CT_CLI")) : NULL;
    char *vm = sample_path("erc20/deploy/vmtrace.json"), *dir = ct_test_tmpdir("fork");
    char out[600];
    cJSON *doc, *manifest = load_json("erc20/manifest.json");
    char *text;
    (void)state;
    if (!cli)
        fail_msg("CT_CLI is not set");
    snprintf(out, sizeof out, "%s/deploy.json", dir);
    assert_int_equal(ct_test_system("'%s' structlogs -q --fork prague -o '%s' '%s'", cli, out, vm),
                     0);
    text = ct_test_read_file(out, NULL);
    assert_non_null(text);
    doc = cJSON_Parse(text);
    assert_non_null(doc);
    assert_true(item(doc, "gas")->valuedouble ==
                item(cJSON_GetArrayItem(item(manifest, "transactions"), 0), "gasUsed")->valuedouble);
    assert_int_equal(ct_test_system("'%s' structlogs --fork atlantis '%s' >/dev/null 2>&1", cli, vm),
                     2);
    cJSON_Delete(doc);
    cJSON_Delete(manifest);
    free(text);
    ct_test_rmrf(dir);
    free(dir);
    free(vm);
    free(cli);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_sample),
        cmocka_unit_test(test_block_pair),
        cmocka_unit_test(test_classic_stops_at_first_lost_push),
        cmocka_unit_test(test_classic_recoverable_defects_fixed),
        cmocka_unit_test(test_fork_rules),
        cmocka_unit_test(test_cli_fork),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
