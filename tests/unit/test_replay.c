/*
 * The replay on small hand-built vmTraces: stack (pop/push, DUP/SWAP executed directly),
 * memory (pre-op view, EVM expansion, reported writes, MCOPY, the max_memory bound), Geth's
 * storage view, gas and gasCost, frames and addresses, client defects, input shapes, bad
 * input, allocation failures and the no-allocation-per-op property.
 */
#include "ct_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctrecord/replay.h>
#include <ctrecord/structlogs.h>

#include "evm_memory.h"
#include "evm_storage.h"
#include "evm_word.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static ct_replay *open_text(const char *json, const ct_replay_options *o)
{
    ct_replay *r = NULL;
    ct_error err;
    if (ct_replay_open_memory(&r, json, strlen(json), o, &err) < 0)
        fail_msg("open: %s", err.message);
    return r;
}

static const ct_evm_step *next_ok(ct_replay *r)
{
    const ct_evm_step *s = NULL;
    ct_status rc = ct_replay_next(&s, r);
    if (rc != CT_OK)
        fail_msg("expected a step, got %d: %s", rc, ct_replay_error(r)->message);
    return s;
}

static const ct_evm_tx *tx_ok(ct_replay *r)
{
    const ct_evm_tx *tx = NULL;
    ct_status rc = ct_replay_next_tx(&tx, r);
    if (rc != CT_OK)
        fail_msg("expected a tx, got %d: %s", rc, ct_replay_error(r)->message);
    return tx;
}

static uint64_t word64(const ct_u256 *w)
{
    uint64_t v;
    assert_true(ct__u256_to_u64(w, &v));
    return v;
}

/* Replay everything; returns the final status (message in *msg when failing). */
static ct_status run_all(const char *json, const ct_replay_options *o, char *msg, size_t cap,
                         uint64_t *steps)
{
    ct_replay *r = NULL;
    ct_error err;
    const ct_evm_tx *tx;
    const ct_evm_step *s;
    ct_status rc = ct_replay_open_memory(&r, json, strlen(json), o, &err);
    uint64_t n = 0;
    if (rc < 0) {
        snprintf(msg, cap, "%s", err.message);
        return rc;
    }
    while ((rc = ct_replay_next_tx(&tx, r)) == CT_OK)
        while ((rc = ct_replay_next(&s, r)) == CT_OK)
            n++;
    if (rc < 0)
        snprintf(msg, cap, "%s", ct_replay_error(r)->message);
    ct_replay_free(r);
    if (steps)
        *steps = n;
    return rc < 0 ? rc : CT_OK;
}

static void expect_error(const char *json, ct_status code, const char *needle)
{
    char msg[600] = "";
    ct_status rc = run_all(json, NULL, msg, sizeof msg, NULL);
    if (rc != code || !strstr(msg, needle))
        fail_msg("expected %d containing '%s', got %d: %s", code, needle, rc, msg);
}

#define EX(used, push) "{\"used\":" #used ",\"push\":[" push "],\"mem\":null,\"store\":null}"
#define OP(pc, cost, ex) "{\"pc\":" #pc ",\"cost\":" #cost ",\"ex\":" ex ",\"sub\":null}"

/* ---- memory and storage units ------------------------------------------------------------ */

static void test_memory_expansion(void **state)
{
    ct_test_alloc ta;
    ct__memory m = {0};
    ct_error err;
    uint8_t data[3] = {1, 2, 3};
    (void)state;
    ct_test_alloc_init(&ta, 0);
    assert_int_equal(ct__memory_expand(&m, &ta.allocator, 0, 0, 1024, "t", &err), CT_OK);
    assert_int_equal(m.len, 0);
    assert_int_equal(ct__memory_expand(&m, &ta.allocator, 31, 2, 1024, "t", &err), CT_OK);
    assert_int_equal(m.len, 64);
    assert_int_equal(ct__memory_write(&m, &ta.allocator, 100, data, 3, 1024, "t", &err), CT_OK);
    assert_int_equal(m.len, 128);
    assert_int_equal(m.data[100], 1);
    assert_int_equal(m.data[99], 0);
    /* beyond the bound: an error, and nothing allocated for it */
    assert_int_equal(ct__memory_expand(&m, &ta.allocator, (uint64_t)1 << 40, 32, 1024, "t", &err),
                     CT_EREPLAY);
    assert_non_null(strstr(err.message, "max_memory"));
    assert_int_equal(ct__memory_expand(&m, &ta.allocator, UINT64_MAX - 2, 32, UINT64_MAX, "t", &err),
                     CT_EREPLAY);
    assert_true(ta.peak_bytes < 4096);
    ct__memory_reset(&m);
    assert_int_equal(ct__memory_expand(&m, &ta.allocator, 0, 1, 1024, "t", &err), CT_OK);
    assert_int_equal(m.data[0], 0);   /* a reused buffer is zeroed again */
    ct__memory_free(&m, &ta.allocator);
    assert_int_equal(ta.live_bytes, 0);
}

static void test_storage_maps(void **state)
{
    ct_test_alloc ta;
    ct__storage s = {0};
    ct_error err;
    ct_u256 a1, a2, k, v;
    size_t p1, p2, again, i;
    (void)state;
    ct_test_alloc_init(&ta, 0);
    ct__u256_from_u64(&a1, 0xaa);
    ct__u256_from_u64(&a2, 0xbb);
    assert_int_equal(ct__storage_find(&s, &ta.allocator, &a1, &p1, &err), CT_OK);
    assert_int_equal(ct__storage_find(&s, &ta.allocator, &a2, &p2, &err), CT_OK);
    assert_int_equal(ct__storage_find(&s, &ta.allocator, &a1, &again, &err), CT_OK);
    assert_int_equal(p1, again);
    assert_int_not_equal(p1, p2);
    for (i = 0; i < 100; i++) {
        ct__u256_from_u64(&k, i % 40);
        ct__u256_from_u64(&v, i);
        assert_int_equal(ct__storage_set(&s, &ta.allocator, p1, &k, &v, &err), CT_OK);
    }
    assert_int_equal(s.accounts[p1].len, 40);
    assert_int_equal(word64(&s.accounts[p1].slots[0].value), 80);   /* last write wins */
    assert_int_equal(s.accounts[p2].len, 0);
    ct__storage_reset(&s);
    assert_false(ct__storage_lookup(&s, &a1, &again));
    ct__storage_free(&s, &ta.allocator);
    assert_int_equal(ta.live_bytes, 0);
}

static void test_hex_words(void **state)
{
    ct_u256 w;
    uint8_t b[4];
    size_t n;
    (void)state;
    assert_true(ct__u256_from_hex(&w, "0x0", 3));
    assert_true(ct__u256_is_zero(&w));
    assert_true(ct__u256_from_hex(&w, "0x1f", 4));
    assert_int_equal(word64(&w), 0x1f);
    assert_false(ct__u256_from_hex(&w, "0x", 2));
    assert_false(ct__u256_from_hex(&w, "1f", 2));
    assert_false(ct__u256_from_hex(&w, "0xg1", 4));
    assert_false(ct__u256_from_hex(&w, "0x10000000000000000000000000000000000000000000000000000000000000000", 67));
    assert_true(ct__hex_decode(b, sizeof b, &n, "0x0aFf", 6));
    assert_int_equal(n, 2);
    assert_int_equal(b[1], 0xff);
    assert_false(ct__hex_decode(b, sizeof b, &n, "0x0aF", 5));
    assert_false(ct__hex_decode(b, 1, &n, "0x0aFf", 6));
}

/* ---- straight-line replay ---------------------------------------------------------------- */

#define W2A "0x000000000000000000000000000000000000000000000000000000000000002a"
#define ZERO32 "0x0000000000000000000000000000000000000000000000000000000000000000"

static const char simple[] =
    "{\"code\":\"0x602a60005260206000f3\",\"ops\":["
    OP(0, 3, EX(97, "\"0x2a\"")) ","
    OP(2, 3, EX(94, "\"0x0\"")) ","
    "{\"pc\":4,\"cost\":6,\"ex\":{\"used\":88,\"push\":[],\"mem\":{\"off\":0,\"data\":\"" W2A "\"},\"store\":null},\"sub\":null},"
    OP(5, 3, EX(85, "\"0x20\"")) ","
    OP(7, 3, EX(82, "\"0x0\"")) ","
    OP(9, 0, EX(82, "")) "]}";

static void test_simple_memory_and_gas(void **state)
{
    ct_replay *r = open_text(simple, NULL);
    const ct_evm_tx *tx = tx_ok(r);
    const ct_evm_step *s;
    (void)state;
    assert_true(tx->has_vmtrace);
    s = next_ok(r);
    assert_int_equal(s->gas, 100);
    assert_int_equal(s->gas_cost, 3);
    assert_int_equal(s->depth, 1);
    assert_string_equal(s->op, "PUSH1");
    assert_int_equal(s->stack_len, 0);
    next_ok(r);
    s = next_ok(r);
    assert_string_equal(s->op, "MSTORE");
    assert_int_equal(s->stack_len, 2);
    assert_int_equal(word64(&s->stack[0]), 0x2a);   /* bottom first */
    assert_int_equal(s->memory_len, 0);             /* before its own expansion */
    assert_int_equal(s->gas, 94);
    s = next_ok(r);
    assert_int_equal(s->memory_len, 32);
    assert_int_equal(s->memory[31], 0x2a);
    assert_int_equal(s->stack_len, 0);
    next_ok(r);
    s = next_ok(r);
    assert_string_equal(s->op, "RETURN");
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    assert_true(tx->output_known);
    assert_int_equal(tx->output_len, 32);
    assert_int_equal(tx->output[31], 0x2a);
    assert_false(tx->failed);
    assert_int_equal(tx->steps, 6);
    assert_int_equal(ct_replay_next_tx(&tx, r), CT_DONE);
    assert_int_equal(ct_replay_warning_count(r), 0);
    ct_replay_free(r);
}

static const char dupswap[] =
    "{\"code\":\"0x600160028091" "00\",\"ops\":["
    OP(0, 3, EX(97, "\"0x1\"")) "," OP(2, 3, EX(94, "\"0x2\"")) ","
    OP(4, 3, EX(91, "\"0x2\",\"0x2\"")) ","
    OP(5, 3, EX(88, "\"0x2\",\"0x2\",\"0x1\"")) "," OP(6, 0, EX(88, "")) "]}";

static void test_dup_swap(void **state)
{
    ct_replay *r = open_text(dupswap, NULL);
    const ct_evm_step *s;
    (void)state;
    tx_ok(r);
    next_ok(r);
    next_ok(r);
    next_ok(r);
    s = next_ok(r);
    assert_string_equal(s->op, "SWAP2");
    assert_int_equal(s->stack_len, 3);
    s = next_ok(r);
    assert_string_equal(s->op, "STOP");
    assert_int_equal(word64(&s->stack[0]), 2);
    assert_int_equal(word64(&s->stack[2]), 1);
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    assert_int_equal(ct_replay_warning_count(r), 0);
    ct_replay_free(r);
}

static void test_nethermind_dup(void **state)
{
    static const char nm[] =
        "{\"code\":\"0x6001600280" "00\",\"ops\":["
        OP(0, 3, EX(97, "\"0x1\"")) "," OP(2, 3, EX(94, "\"0x2\"")) ","
        OP(4, 3, EX(91, "\"0x2\"")) "," OP(5, 0, EX(91, "")) "]}";
    ct_replay *r = open_text(nm, NULL);
    const ct_evm_tx *tx = tx_ok(r);
    const ct_evm_step *s;
    (void)state;
    next_ok(r);
    next_ok(r);
    next_ok(r);
    s = next_ok(r);
    assert_int_equal(s->stack_len, 3);
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    assert_int_equal(tx->dialect, CT_DIALECT_NETHERMIND);
    assert_int_equal(ct_replay_warning_count(r), 1);
    assert_non_null(strstr(ct_replay_warning(r, 0), "Nethermind"));
    ct_replay_free(r);
}

static void test_wrong_swap_push_is_an_error(void **state)
{
    static const char bad[] =
        "{\"code\":\"0x600160029000\",\"ops\":["
        OP(0, 3, EX(97, "\"0x1\"")) "," OP(2, 3, EX(94, "\"0x2\"")) ","
        OP(4, 3, EX(91, "\"0x1\",\"0x1\"")) "]}";
    (void)state;
    expect_error(bad, CT_EREPLAY, "differs from the replayed stack");
}

static void test_push0_fix(void **state)
{
    static const char p0[] =
        "{\"code\":\"0x5f00\",\"ops\":[{\"cost\":2,\"ex\":" EX(98, "") ",\"idx\":\"0-0\","
        "\"op\":\"PUSH0\",\"pc\":0,\"sub\":null}," OP(1, 0, EX(98, "")) "]}";
    ct_replay *r = open_text(p0, NULL);
    const ct_evm_step *s;
    (void)state;
    tx_ok(r);
    next_ok(r);
    s = next_ok(r);
    assert_int_equal(s->stack_len, 1);
    assert_true(ct__u256_is_zero(&s->stack[0]));
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    assert_int_equal(ct_replay_warning_count(r), 1);
    assert_non_null(strstr(ct_replay_warning(r, 0), "PUSH0"));
    ct_replay_free(r);
}

static void test_missing_tload_push(void **state)
{
    static const char t[] =
        "{\"code\":\"0x60015c00\",\"ops\":[" OP(0, 3, EX(97, "\"0x1\"")) ","
        OP(2, 100, EX(0, "")) "," OP(3, 0, EX(0, "")) "]}";
    (void)state;
    expect_error(t, CT_EREPLAY, "TLOAD pushed no value");
    expect_error(t, CT_EREPLAY, "op path 1");
}

static void test_stack_underflow(void **state)
{
    static const char u[] = "{\"code\":\"0x01\",\"ops\":[" OP(0, 3, EX(97, "\"0x0\"")) "]}";
    (void)state;
    expect_error(u, CT_EREPLAY, "stack underflow");
    expect_error(u, CT_EREPLAY, "step 0 ADD (op path 0)");
}

static void test_mcopy_executed_locally(void **state)
{
    static const char m[] =
        "{\"code\":\"0x602a6000526020600060205e00\",\"ops\":["
        OP(0, 3, EX(97, "\"0x2a\"")) "," OP(2, 3, EX(94, "\"0x0\"")) ","
        "{\"pc\":4,\"cost\":6,\"ex\":{\"used\":88,\"push\":[],\"mem\":{\"off\":0,\"data\":\"" W2A "\"},\"store\":null},\"sub\":null},"
        OP(5, 3, EX(85, "\"0x20\"")) "," OP(7, 3, EX(82, "\"0x0\"")) ","
        OP(9, 3, EX(79, "\"0x20\"")) "," OP(11, 9, EX(70, "")) "," OP(12, 0, EX(70, "")) "]}";
    ct_replay *r = open_text(m, NULL);
    const ct_evm_step *s;
    int i;
    (void)state;
    tx_ok(r);
    for (i = 0; i < 7; i++)
        s = next_ok(r);
    s = next_ok(r);
    assert_string_equal(s->op, "STOP");
    assert_int_equal(s->memory_len, 64);
    assert_int_equal(s->memory[63], 0x2a);
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    ct_replay_free(r);
}

static void test_implicit_stop(void **state)
{
    static const char b[] = "{\"code\":\"0x6001\",\"ops\":[" OP(0, 3, EX(97, "\"0x1\"")) "]}";
    ct_replay *r = open_text(b, NULL);
    const ct_evm_step *s;
    (void)state;
    tx_ok(r);
    next_ok(r);
    s = next_ok(r);
    assert_true(s->synthetic);
    assert_string_equal(s->op, "STOP");
    assert_int_equal(s->pc, 2);
    assert_int_equal(s->gas, 97);
    assert_int_equal(s->stack_len, 1);
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    ct_replay_free(r);
}

static void test_max_memory_never_allocates(void **state)
{
    static const char big[] =
        "{\"code\":\"0x6001641000000000" "5200\",\"ops\":[" OP(0, 3, EX(97, "\"0x1\"")) ","
        OP(2, 3, EX(94, "\"0x1000000000\"")) "," OP(8, 6, EX(88, "")) "," OP(9, 0, EX(88, ""))
        "]}";
    ct_test_alloc ta;
    ct_replay_options o;
    char msg[600];
    (void)state;
    ct_test_alloc_init(&ta, 0);
    ct_replay_options_init(&o);
    o.allocator = &ta.allocator;
    assert_int_equal(run_all(big, &o, msg, sizeof msg, NULL), CT_EREPLAY);
    assert_non_null(strstr(msg, "max_memory"));
    assert_non_null(strstr(msg, "MSTORE"));
    assert_true(ta.peak_bytes < 8 << 20);
    assert_int_equal(ta.live_bytes, 0);
}

/* ---- frames: CALL with storage and return data, CREATE gas ------------------------------- */

#define CHILD_CODE "0x600760005560005460206000f3"
static const char call_tx[] =
    "{\"output\":\"0x\",\"trace\":[{\"action\":{\"callType\":\"call\",\"from\":\"0x11\","
    "\"gas\":\"0x186a0\",\"input\":\"0x\",\"to\":\"0xaa\",\"value\":\"0x0\"},"
    "\"result\":{\"gasUsed\":\"0x6b04\",\"output\":\"0x\"},\"subtraces\":1,"
    "\"traceAddress\":[],\"type\":\"call\"}],\"vmTrace\":{\"code\":"
    "\"0x600160005560206000600060006000" "60bb61ffff" "f16000" "5400\",\"ops\":["
    OP(0, 3, EX(99997, "\"0x1\"")) "," OP(2, 3, EX(99994, "\"0x0\"")) ","
    "{\"pc\":4,\"cost\":20000,\"ex\":{\"used\":79994,\"push\":[],\"mem\":null,"
    "\"store\":{\"key\":\"0x0\",\"val\":\"0x1\"}},\"sub\":null},"
    OP(5, 3, EX(79991, "\"0x20\"")) "," OP(7, 3, EX(79988, "\"0x0\"")) ","
    OP(9, 3, EX(79985, "\"0x0\"")) "," OP(11, 3, EX(79982, "\"0x0\"")) ","
    OP(13, 3, EX(79979, "\"0x0\"")) "," OP(15, 3, EX(79976, "\"0xbb\"")) ","
    OP(17, 3, EX(79973, "\"0xffff\"")) ","
    "{\"cost\":10700,\"ex\":{\"mem\":{\"data\":\"" ZERO32 "\",\"off\":0},\"push\":[\"0x1\"],"
    "\"store\":null,\"used\":73455},\"pc\":20,\"sub\":{\"code\":\"" CHILD_CODE "\",\"ops\":["
    OP(0, 3, EX(9997, "\"0x7\"")) "," OP(2, 3, EX(9994, "\"0x0\"")) ","
    OP(4, 5000, EX(4994, "")) "," OP(5, 3, EX(4991, "\"0x0\"")) ","
    OP(7, 800, EX(4191, "\"0x7\"")) "," OP(8, 3, EX(4188, "\"0x20\"")) ","
    OP(10, 3, EX(4185, "\"0x0\"")) "," OP(12, 3, EX(4182, "")) "]},\"op\":\"CALL\"},"
    OP(21, 3, EX(73452, "\"0x0\"")) "," OP(23, 800, EX(72652, "\"0x1\"")) ","
    OP(24, 0, EX(72652, "")) "]}}";

static void test_call_frames_storage_returndata(void **state)
{
    ct_replay *r = open_text(call_tx, NULL);
    const ct_evm_tx *tx = tx_ok(r);
    const ct_evm_step *s;
    int i;
    (void)state;
    for (i = 0; i < 3; i++)
        s = next_ok(r);
    assert_string_equal(s->op, "SSTORE");
    assert_int_equal(s->storage_len, 1);
    assert_int_equal(word64(&s->storage[0].value), 1);
    assert_int_equal(word64(&s->frame->address), 0xaa);
    for (i = 0; i < 8; i++)
        s = next_ok(r);
    assert_string_equal(s->op, "CALL");
    assert_int_equal(s->gas, 79973);
    assert_int_equal(s->gas_cost, 10700);
    s = next_ok(r);
    assert_int_equal(s->depth, 2);
    assert_int_equal(s->gas, 10000);
    assert_int_equal(s->frame->kind, CT_FRAME_CALL);
    assert_int_equal(word64(&s->frame->address), 0xbb);
    assert_int_equal(s->storage_len, 0);   /* 0xbb has touched nothing yet */
    next_ok(r);
    s = next_ok(r);
    assert_string_equal(s->op, "SSTORE");
    assert_int_equal(s->storage_len, 1);   /* per storage address: not 0xaa's slot */
    assert_int_equal(word64(&s->storage[0].value), 7);
    for (i = 0; i < 5; i++)
        s = next_ok(r);
    assert_string_equal(s->op, "RETURN");
    s = next_ok(r);
    assert_int_equal(s->depth, 1);
    assert_int_equal(s->pc, 21);
    assert_int_equal(s->gas, 73455);
    assert_int_equal(s->return_data_len, 32);
    assert_true(s->return_data_known);
    assert_int_equal(s->memory_len, 32);
    assert_int_equal(word64(&s->stack[s->stack_len - 1]), 1);
    s = next_ok(r);
    assert_string_equal(s->op, "SLOAD");
    assert_int_equal(s->storage_len, 1);
    assert_int_equal(word64(&s->storage[0].value), 1);
    next_ok(r);
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    assert_int_equal(tx->exec_gas_used, 0x6b04);
    assert_int_equal(tx->exec_gas_limit, 100000);
    assert_false(tx->failed);
    ct_replay_free(r);
}

static void test_call_storage_mismatch_detected(void **state)
{
    char *bad = strdup(call_tx);
    char *p = strstr(bad, "\"val\":\"0x1\"");
    (void)state;
    p[9] = '5';   /* ex.store.val no longer what the stack says */
    expect_error(bad, CT_EREPLAY, "`ex.store` differs");
    free(bad);
}

static const char create_tx[] =
    "{\"code\":\"0x600060006000f000\",\"ops\":["
    OP(0, 3, EX(99997, "\"0x0\"")) "," OP(2, 3, EX(99994, "\"0x0\"")) ","
    OP(4, 3, EX(99991, "\"0x0\"")) ","
    "{\"cost\":98929,\"ex\":" EX(67991, "\"0xcc\"") ",\"pc\":6,\"sub\":{\"code\":\"0x00\","
    "\"ops\":[" OP(0, 0, EX(66929, "")) "]}},"
    OP(7, 0, EX(67991, "")) "]}";

static void test_create_gas_cost(void **state)
{
    ct_replay *r = open_text(create_tx, NULL);
    const ct_evm_step *s;
    int i;
    (void)state;
    tx_ok(r);
    for (i = 0; i < 4; i++)
        s = next_ok(r);
    assert_string_equal(s->op, "CREATE");
    assert_int_equal(s->gas, 99991);
    assert_int_equal(s->gas_cost, 32000);
    assert_int_equal(s->stack_len, 3);     /* the lookahead did not apply anything yet */
    s = next_ok(r);
    assert_int_equal(s->depth, 2);
    assert_int_equal(s->gas, 66929);
    assert_int_equal(s->frame->kind, CT_FRAME_CREATE);
    assert_true(s->frame->address_known);
    assert_int_equal(word64(&s->frame->address), 0xcc);
    assert_int_equal(s->frame->input_len, 1);   /* the init code */
    s = next_ok(r);
    assert_int_equal(s->depth, 1);
    assert_int_equal(s->gas, 67991);
    assert_int_equal(word64(&s->stack[0]), 0xcc);
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    ct_replay_free(r);
}

/* A call to precompile `addr` returning `push` with the 32-byte window filled with 0xab. */
static char *precompile_call(const char *addr, const char *push)
{
    char *j = malloc(4096);
    char ab[67];
    memset(ab, 'a', sizeof ab);
    ab[0] = '0';
    ab[1] = 'x';
    for (int i = 2; i < 66; i += 2)
        ab[i + 1] = 'b';
    ab[66] = '\0';
    snprintf(j, 4096,
             "{\"code\":\"0x60206000600060006000" "60%s" "61fffff100\",\"ops\":["
             OP(0, 3, EX(99997, "\"0x20\"")) "," OP(2, 3, EX(99994, "\"0x0\"")) ","
             OP(4, 3, EX(99991, "\"0x0\"")) "," OP(6, 3, EX(99988, "\"0x0\"")) ","
             OP(8, 3, EX(99985, "\"0x0\"")) ",{\"pc\":10,\"cost\":3,\"ex\":{\"used\":99982,"
             "\"push\":[\"0x%s\"]},\"sub\":null}," OP(12, 3, EX(99979, "\"0xffff\"")) ","
             "{\"pc\":15,\"cost\":1000,\"ex\":{\"used\":99000,\"push\":[\"%s\"],\"mem\":"
             "{\"off\":0,\"data\":\"%s\"}},\"sub\":{\"code\":\"0x\",\"ops\":[]}},"
             OP(16, 0, EX(99000, "")) "]}",
             addr, addr, push, ab);
    return j;
}

static const ct_evm_step *step_after_call(ct_replay *r)
{
    const ct_evm_step *s = NULL;
    int i;
    tx_ok(r);
    for (i = 0; i < 9; i++)
        s = next_ok(r);
    assert_string_equal(s->op, "STOP");
    return s;
}

static void test_precompile_return_data(void **state)
{
    char *sha = precompile_call("02", "0x1"), *rec = precompile_call("01", "0x1");
    char *failed = precompile_call("02", "0x0");
    ct_replay *r = open_text(sha, NULL);
    const ct_evm_step *s = step_after_call(r);
    (void)state;
    assert_true(s->return_data_known);
    assert_int_equal(s->return_data_len, 32);
    assert_int_equal(s->return_data[0], 0xab);
    ct_replay_free(r);
    r = open_text(rec, NULL);   /* ecrecover: 32 bytes or none, the trace cannot tell */
    s = step_after_call(r);
    assert_false(s->return_data_known);
    assert_int_equal(ct_replay_warning_count(r), 1);
    ct_replay_free(r);
    r = open_text(failed, NULL);
    s = step_after_call(r);
    assert_true(s->return_data_known);
    assert_int_equal(s->return_data_len, 0);
    ct_replay_free(r);
    free(sha);
    free(rec);
    free(failed);
}

static void test_pc_after_sub_unsupported(void **state)
{
    static const char t[] =
        "{\"code\":\"0x600060006000f000\",\"ops\":["
        OP(0, 3, EX(99997, "\"0x0\"")) "," OP(2, 3, EX(99994, "\"0x0\"")) ","
        OP(4, 3, EX(99991, "\"0x0\"")) ","
        "{\"cost\":98929,\"ex\":" EX(67991, "\"0xcc\"") ",\"sub\":{\"code\":\"0x00\","
        "\"ops\":[" OP(0, 0, EX(66929, "")) "]},\"pc\":6}]}";
    (void)state;
    expect_error(t, CT_EUNSUPPORTED, "`sub` comes before");
}

static void test_op_name_must_match_code(void **state)
{
    static const char t[] =
        "{\"code\":\"0x6001\",\"ops\":[{\"cost\":3,\"ex\":" EX(97, "\"0x1\"") ",\"pc\":0,"
        "\"sub\":null,\"op\":\"PUSH2\",\"idx\":\"0-0\"}]}";
    (void)state;
    expect_error(t, CT_EREPLAY, "names the op PUSH2 but the code has PUSH1");
}

/* Erigon's native key order puts `op` after `sub`: checked when the op completes. */
static void test_late_op_name_checked(void **state)
{
    char *bad = strdup(create_tx);
    char *p = strstr(bad, "]}},");
    static const char good_tail[] = "]},\"op\":\"CREATE\"},";
    static const char bad_tail[] = "]},\"op\":\"CREATE2\"},";
    char *ok = malloc(strlen(create_tx) + 64), *wrong = malloc(strlen(create_tx) + 64);
    (void)state;
    assert_non_null(p);
    *p = '\0';
    sprintf(ok, "%s%s%s", bad, good_tail, p + 4);
    sprintf(wrong, "%s%s%s", bad, bad_tail, p + 4);
    assert_int_equal(run_all(ok, NULL, (char[600]){0}, 600, NULL), CT_OK);
    expect_error(wrong, CT_EREPLAY, "names the op CREATE2 but the code has CREATE");
    free(ok);
    free(wrong);
    free(bad);
}

/* ---- reth ------------------------------------------------------------------------------- */

#define ROP(pc, name, cost, ex) \
    "{\"pc\":" #pc ",\"op\":\"" name "\",\"cost\":" #cost ",\"ex\":" ex ",\"sub\":null}"

static void test_reth_gas_before(void **state)
{
    static const char t[] =
        "{\"code\":\"0x600160020100\",\"ops\":[" ROP(0, "PUSH1", 3, EX(100, "\"0x1\"")) ","
        ROP(2, "PUSH1", 3, EX(97, "\"0x2\"")) "," ROP(4, "ADD", 3, EX(94, "\"0x3\"")) ","
        ROP(5, "STOP", 0, EX(91, "")) "]}";
    ct_replay *r = open_text(t, NULL);
    const ct_evm_tx *tx = tx_ok(r);
    const ct_evm_step *s;
    uint64_t expect[] = {100, 97, 94, 91};
    int i;
    (void)state;
    for (i = 0; i < 4; i++) {
        s = next_ok(r);
        assert_int_equal(s->gas, expect[i]);
    }
    assert_int_equal(word64(&s->stack[0]), 3);
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    assert_int_equal(tx->dialect, CT_DIALECT_RETH);
    ct_replay_free(r);
}

static void test_reth_missing_call_push(void **state)
{
    static const char t[] =
        "{\"code\":\"0x6000600060006000600060aa5af100\",\"ops\":["
        ROP(0, "PUSH1", 3, EX(100, "\"0x0\"")) "," ROP(2, "PUSH1", 3, EX(97, "\"0x0\"")) ","
        ROP(4, "PUSH1", 3, EX(94, "\"0x0\"")) "," ROP(6, "PUSH1", 3, EX(91, "\"0x0\"")) ","
        ROP(8, "PUSH1", 3, EX(88, "\"0x0\"")) "," ROP(10, "PUSH1", 3, EX(85, "\"0xaa\"")) ","
        ROP(12, "GAS", 2, EX(82, "\"0x50\"")) ","
        "{\"pc\":13,\"op\":\"CALL\",\"cost\":40,\"ex\":" EX(80, "") ",\"sub\":{\"code\":"
        "\"0x\",\"ops\":[]}}," ROP(14, "STOP", 0, EX(70, "")) "]}";
    (void)state;
    expect_error(t, CT_EREPLAY, "no result pushed by CALL (a reth defect)");
}

/* ---- input shapes ------------------------------------------------------------------------ */

#define SMALL_VM "{\"code\":\"0x6001\",\"ops\":[" OP(0, 3, EX(97, "\"0x1\"")) "]}"

static void test_shapes(void **state)
{
    static const char *const single[] = {
        SMALL_VM,
        "{\"output\":\"0x\",\"stateDiff\":null,\"trace\":[],\"vmTrace\":" SMALL_VM "}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"vmTrace\":" SMALL_VM ",\"output\":\"0x\"}}",
        "[{\"request\":{\"method\":\"trace_replayTransaction\",\"params\":[\"0x1\",[\"vmTrace\"]]},"
        "\"response\":{\"id\":1,\"jsonrpc\":\"2.0\",\"result\":{\"output\":\"0x\",\"vmTrace\":"
        SMALL_VM "}}}]",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof single / sizeof single[0]; i++) {
        ct_replay *r = open_text(single[i], NULL);
        const ct_evm_tx *tx = tx_ok(r);
        const ct_evm_step *s;
        assert_false(ct_replay_input_is_list(r));
        assert_true(tx->has_vmtrace);
        next_ok(r);
        next_ok(r);   /* the implicit STOP */
        assert_int_equal(ct_replay_next(&s, r), CT_DONE);
        assert_int_equal(ct_replay_next_tx(&tx, r), CT_DONE);
        ct_replay_free(r);
    }
}

static void test_block_list(void **state)
{
    static const char block[] =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":["
        "{\"output\":\"0x\",\"vmTrace\":" SMALL_VM ",\"transactionHash\":\"0xa1\"},"
        "{\"output\":\"0x\",\"vmTrace\":null,\"transactionHash\":\"0xa2\"},"
        "{\"output\":\"0x\",\"transactionHash\":\"0xa3\",\"vmTrace\":{\"code\":\"0x\",\"ops\":[]}}]}";
    ct_replay *r = open_text(block, NULL);
    const ct_evm_tx *tx;
    const ct_evm_step *s;
    (void)state;
    tx = tx_ok(r);
    assert_true(ct_replay_input_is_list(r));
    assert_int_equal(tx->index, 0);
    next_ok(r);   /* leave the rest: next_tx skips it */
    tx = tx_ok(r);
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    assert_string_equal(tx->hash, "0xa2");   /* complete at CT_DONE */
    assert_false(tx->has_vmtrace);
    tx = tx_ok(r);
    assert_int_equal(tx->index, 2);
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    assert_string_equal(tx->hash, "0xa3");
    assert_int_equal(tx->steps, 0);
    assert_int_equal(ct_replay_next_tx(&tx, r), CT_DONE);
    ct_replay_free(r);
}

static void test_empty_block_is_a_list(void **state)
{
    ct_replay *r = open_text("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[]}", NULL);
    const ct_evm_tx *tx;
    (void)state;
    assert_int_equal(ct_replay_next_tx(&tx, r), CT_DONE);
    assert_true(ct_replay_input_is_list(r));
    ct_replay_free(r);
}

/* ---- bad input --------------------------------------------------------------------------- */

static void test_bad_input(void **state)
{
    static const struct { const char *json; ct_status code; const char *needle; } cases[] = {
        {"{\"code\":\"0x6001\",\"ops\":[", CT_EPARSE, "byte"},
        {"{\"code\":\"0x6001\",\"ops\":[{\"pc\":0,\"cost\":3,\"ex\":{\"used\":", CT_EPARSE, "byte"},
        {"{\"code\":\"0x6001\",\"ops\":[{\"pc\":\"zero\",\"cost\":3}]}", CT_EPARSE, "`pc` must be"},
        {"{\"code\":\"0x6001\",\"ops\":[{\"pc\":-1,\"cost\":3}]}", CT_EPARSE, "`pc` must be"},
        {"{\"code\":\"0x600\",\"ops\":[]}", CT_EPARSE, "`code` must be"},
        {"{\"code\":\"0x6001\",\"ops\":[{\"pc\":0,\"ex\":null}]}", CT_EPARSE, "no `cost`"},
        {"{\"code\":\"0x6001\",\"ops\":[{\"pc\":0,\"cost\":3,\"ex\":{\"push\":[]}}]}", CT_EPARSE,
         "no `used`"},
        {"{\"code\":\"0x6001\",\"ops\":[{\"pc\":0,\"cost\":3,\"ex\":{\"used\":1,\"push\":[7]}}]}",
         CT_EPARSE, "ex.push[]"},
        {"{\"ops\":[{\"pc\":0,\"cost\":3,\"op\":\"FROB\",\"ex\":null}]}", CT_EUNSUPPORTED,
         "no usable `op` name"},
        {"{\"code\":\"0xef\",\"ops\":[" OP(0, 0, EX(1, "")) "]}", CT_OK, ""},
        {"{\"code\":\"0x6001\",\"ops\":[" OP(0, 3, EX(97, "\"0x2\"")) "]}", CT_EREPLAY,
         "differs from the code"},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"no such tx\"}}",
         CT_EREPLAY, "JSON-RPC error: no such tx"},
        {"42", CT_EPARSE, "expected a JSON object or array"},
        {"[1]", CT_EPARSE, "expected an object"},
        {"", CT_EPARSE, ""},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char msg[600] = "";
        ct_status rc = run_all(cases[i].json, NULL, msg, sizeof msg, NULL);
        if (rc != cases[i].code || !strstr(msg, cases[i].needle))
            fail_msg("case %zu: expected %d '%s', got %d: %s", i, cases[i].code,
                     cases[i].needle, rc, msg);
        if (rc < 0 && !strstr(msg, "byte"))
            fail_msg("case %zu: no byte offset in '%s'", i, msg);
    }
}

static void test_absurd_nesting(void **state)
{
    size_t depth = 2000, i, n = 0;
    char *json = malloc(depth * 64 + 64);
    char msg[600] = "";
    (void)state;
    for (i = 0; i < depth; i++)
        n += (size_t)sprintf(json + n, "{\"code\":\"0x\",\"ops\":[{\"pc\":0,\"cost\":1,"
                                       "\"ex\":null,\"sub\":");
    strcpy(json + n, "null");
    assert_true(run_all(json, NULL, msg, sizeof msg, NULL) < 0);
    assert_non_null(strstr(msg, "byte"));
    free(json);
}

/* ---- allocation ---------------------------------------------------------------------------- */

static void test_allocation_failures(void **state)
{
    uint64_t n;
    (void)state;
    for (n = 1;; n++) {
        ct_test_alloc ta;
        ct_replay_options o;
        char msg[600];
        ct_status rc;
        ct_test_alloc_init(&ta, n);
        ct_replay_options_init(&o);
        o.allocator = &ta.allocator;
        rc = run_all(call_tx, &o, msg, sizeof msg, NULL);
        if (ta.live_bytes != 0)
            fail_msg("leak after failing allocation %llu (%d: %s)", (unsigned long long)n, rc, msg);
        if (rc == CT_OK)
            break;
        if (rc != CT_ENOMEM)
            fail_msg("allocation %llu failed: got %d: %s", (unsigned long long)n, rc, msg);
        assert_true(n < 500);
    }
}

/* The struct-log file under allocation failures: an error, no file, nothing leaked. */
static void test_structlogs_allocation_failures(void **state)
{
    char *dir = ct_test_tmpdir("replay_oom");
    char path[512];
    uint64_t n;
    (void)state;
    snprintf(path, sizeof path, "%s/out.json", dir);
    for (n = 1;; n++) {
        ct_test_alloc ta;
        ct_replay_options o;
        ct_structlogs_options so;
        ct_replay *r = NULL;
        ct_error err;
        ct_status rc;
        ct_test_alloc_init(&ta, n);
        ct_replay_options_init(&o);
        o.allocator = &ta.allocator;
        ct_structlogs_options_init(&so);
        so.enable_memory = so.enable_return_data = true;
        rc = ct_replay_open_memory(&r, call_tx, strlen(call_tx), &o, &err);
        if (rc == CT_OK) {
            rc = ct_structlogs_write_file(r, path, &so, &err);
            ct_replay_free(r);
        }
        assert_int_equal(ta.live_bytes, 0);
        if (rc == CT_OK)
            break;
        assert_int_equal(rc, CT_ENOMEM);
        assert_false(ct_test_exists(path));
        assert_true(n < 500);
    }
    assert_true(ct_test_exists(path));
    ct_test_rmrf(dir);
    free(dir);
}

/* N PUSH1/POP pairs then STOP. */
static char *long_trace(size_t pairs)
{
    size_t cap = pairs * 140 + 256, n = 0, i;
    char *j = malloc(cap);
    uint64_t gas = 10 * pairs + 100;
    n += (size_t)sprintf(j, "{\"code\":\"0x");
    for (i = 0; i < pairs; i++)
        n += (size_t)sprintf(j + n, "600150");
    n += (size_t)sprintf(j + n, "00\",\"ops\":[");
    for (i = 0; i < pairs; i++) {
        n += (size_t)sprintf(j + n,
                             "{\"pc\":%zu,\"cost\":3,\"ex\":{\"used\":%llu,\"push\":[\"0x1\"]},"
                             "\"sub\":null},{\"pc\":%zu,\"cost\":2,\"ex\":{\"used\":%llu,"
                             "\"push\":[]},\"sub\":null},",
                             3 * i, (unsigned long long)(gas - 3), 3 * i + 2,
                             (unsigned long long)(gas - 5));
        gas -= 5;
    }
    sprintf(j + n, "{\"pc\":%zu,\"cost\":0,\"ex\":{\"used\":%llu,\"push\":[]},\"sub\":null}]}",
            3 * pairs, (unsigned long long)gas);
    return j;
}

static void test_no_allocation_per_op(void **state)
{
    uint64_t calls[2], steps;
    size_t sizes[2] = {1000, 20000}, k;
    (void)state;
    for (k = 0; k < 2; k++) {
        char *j = long_trace(sizes[k]);
        ct_test_alloc ta;
        ct_replay_options o;
        char msg[600];
        ct_test_alloc_init(&ta, 0);
        ct_replay_options_init(&o);
        o.allocator = &ta.allocator;
        assert_int_equal(run_all(j, &o, msg, sizeof msg, &steps), CT_OK);
        assert_int_equal(steps, 2 * sizes[k] + 1);
        calls[k] = ta.calls;
        free(j);
    }
    /* the JSON window may double once more for the longer code string */
    assert_true(calls[1] <= calls[0] + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_expansion),
        cmocka_unit_test(test_storage_maps),
        cmocka_unit_test(test_hex_words),
        cmocka_unit_test(test_simple_memory_and_gas),
        cmocka_unit_test(test_dup_swap),
        cmocka_unit_test(test_nethermind_dup),
        cmocka_unit_test(test_wrong_swap_push_is_an_error),
        cmocka_unit_test(test_push0_fix),
        cmocka_unit_test(test_missing_tload_push),
        cmocka_unit_test(test_stack_underflow),
        cmocka_unit_test(test_mcopy_executed_locally),
        cmocka_unit_test(test_implicit_stop),
        cmocka_unit_test(test_max_memory_never_allocates),
        cmocka_unit_test(test_call_frames_storage_returndata),
        cmocka_unit_test(test_call_storage_mismatch_detected),
        cmocka_unit_test(test_create_gas_cost),
        cmocka_unit_test(test_precompile_return_data),
        cmocka_unit_test(test_pc_after_sub_unsupported),
        cmocka_unit_test(test_op_name_must_match_code),
        cmocka_unit_test(test_late_op_name_checked),
        cmocka_unit_test(test_reth_gas_before),
        cmocka_unit_test(test_reth_missing_call_push),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_block_list),
        cmocka_unit_test(test_empty_block_is_a_list),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_absurd_nesting),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_structlogs_allocation_failures),
        cmocka_unit_test(test_no_allocation_per_op),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
