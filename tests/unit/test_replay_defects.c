/*
 * Replay rules found by comparing the replay with the ground truth of trace-samples/ (the
 * sample test, test_structlogs_samples.c, shows them on real data; these hand-built traces pin
 * each rule and its limits): ecrecover's output told from its return window, and a STOP the
 * client dropped at the end of a frame.
 */
#include "ct_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctrecord/replay.h>

#define EX(used, push) "{\"used\":" #used ",\"push\":[" push "],\"mem\":null,\"store\":null}"
#define OP(pc, cost, ex) "{\"pc\":" #pc ",\"cost\":" #cost ",\"ex\":" ex ",\"sub\":null}"
#define ZERO32 "0x0000000000000000000000000000000000000000000000000000000000000000"
#define W2A "0x000000000000000000000000000000000000000000000000000000000000002a"
#define NOT_ADDR "0xab0000000000000000000000000000000000000000000000000000000000002a"
#define SIGNER "0x000000000000000000000000e05fcc23807536bee418f142d19fa0d21bb0cff7"

/* Open `json` and move to its transaction (*tx, when given, stays valid until the end). */
static ct_replay *open_tx(const char *json, const ct_evm_tx **tx)
{
    ct_replay *r = NULL;
    ct_error err;
    const ct_evm_tx *t;
    if (ct_replay_open_memory(&r, json, strlen(json), NULL, &err) < 0)
        fail_msg("open: %s", err.message);
    if (ct_replay_next_tx(tx ? tx : &t, r) != CT_OK)
        fail_msg("tx: %s", ct_replay_error(r)->message);
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

/*
 * STATICCALL to ecrecover (0x01) with the return window (0, 32) and no input; the window
 * holds `after` when the call returned. With `preset`, an MSTORE of 0x2a fills the window
 * before the call. `tail_code`/`tail_ops` (`tail_n` ops, each followed by a comma) run between
 * the call and the final STOP. Returns the step after the call.
 */
static const ct_evm_step *ecrecover_tail(ct_replay **out, bool preset, const char *after,
                                         const char *tail_code, const char *tail_ops,
                                         char *buf, size_t cap)
{
    const ct_evm_step *s = NULL;
    int i, n = preset ? 10 : 7, b = preset * 5;
    snprintf(buf, cap,
             "{\"code\":\"0x%s602060006000600060016161a8fa%s00\",\"ops\":[%s"
             OP(%d, 3, EX(99997, "\"0x20\"")) "," OP(%d, 3, EX(99994, "\"0x0\"")) ","
             OP(%d, 3, EX(99991, "\"0x0\"")) "," OP(%d, 3, EX(99988, "\"0x0\"")) ","
             OP(%d, 3, EX(99985, "\"0x1\"")) "," OP(%d, 3, EX(99982, "\"0x61a8\"")) ","
             "{\"pc\":%d,\"cost\":3100,\"ex\":{\"used\":96882,\"push\":[\"0x1\"],\"mem\":"
             "{\"off\":0,\"data\":\"%s\"},\"store\":null},\"sub\":{\"code\":\"0x\",\"ops\":[]}},"
             "%s" OP(%d, 0, EX(96800, "")) "]}",
             preset ? "602a600052" : "", tail_code,
             preset ? OP(0, 3, EX(99997, "\"0x2a\"")) "," OP(2, 3, EX(99994, "\"0x0\"")) ","
                      "{\"pc\":4,\"cost\":6,\"ex\":{\"used\":99988,\"push\":[],\"mem\":{\"off\":0,"
                      "\"data\":\"" W2A "\"},\"store\":null},\"sub\":null},"
                    : "",
             b + 0, b + 2, b + 4, b + 6, b + 8, b + 10, b + 13, after, tail_ops,
             b + 14 + (int)strlen(tail_code) / 2);
    *out = open_tx(buf, NULL);
    for (i = 0; i < n; i++)
        s = next_ok(*out);
    assert_string_equal(s->op, "STATICCALL");
    return next_ok(*out);
}

static const ct_evm_step *ecrecover_call(ct_replay **out, bool preset, const char *after,
                                         char *buf, size_t cap)
{
    const ct_evm_step *s = ecrecover_tail(out, preset, after, "", "", buf, cap);
    assert_string_equal(s->op, "STOP");
    return s;
}

static void test_ecrecover_output_written(void **state)
{
    char buf[4096];
    ct_replay *r;
    const ct_evm_step *s = ecrecover_call(&r, false, SIGNER, buf, sizeof buf);
    (void)state;
    assert_true(s->return_data_known);
    assert_int_equal(s->return_data_len, 32);
    assert_int_equal(s->return_data[12], 0xe0);
    assert_int_equal(s->return_data[31], 0xf7);
    assert_int_equal(ct_replay_warning_count(r), 0);
    ct_replay_free(r);
}

static void test_ecrecover_no_output(void **state)
{
    char buf[4096];
    ct_replay *r;
    const ct_evm_step *s = ecrecover_call(&r, false, ZERO32, buf, sizeof buf);
    (void)state;
    assert_true(s->return_data_known);   /* a zero window stayed zero: nothing was written */
    assert_int_equal(s->return_data_len, 0);
    ct_replay_free(r);
}

static void test_ecrecover_ambiguous_stays_unknown(void **state)
{
    char buf[4096];
    ct_replay *r;
    const ct_evm_step *s = ecrecover_call(&r, true, W2A, buf, sizeof buf);
    (void)state;
    /* The window held 0x2a before and after: an output of 0x2a or none, the trace can't tell. */
    assert_false(s->return_data_known);
    assert_int_equal(s->return_data_len, 0);
    assert_int_equal(ct_replay_warning_count(r), 1);
    assert_non_null(strstr(ct_replay_warning(r, 0), "op path 9"));
    ct_replay_free(r);
    /* A written window that is not an address is no ecrecover output. */
    s = ecrecover_call(&r, false, NOT_ADDR, buf, sizeof buf);
    assert_false(s->return_data_known);
    ct_replay_free(r);
}

static void test_returndatasize_zero_makes_it_known(void **state)
{
    char buf[4096];
    ct_replay *r;
    const ct_evm_step *s = ecrecover_tail(&r, true, W2A, "3d",
                                          OP(19, 2, EX(96880, "\"0x0\"")) ",", buf, sizeof buf);
    (void)state;
    assert_string_equal(s->op, "RETURNDATASIZE");
    assert_false(s->return_data_known);   /* not yet: the frame has not asked */
    s = next_ok(r);
    assert_string_equal(s->op, "STOP");
    assert_true(s->return_data_known);
    assert_int_equal(s->return_data_len, 0);
    ct_replay_free(r);
}

static void test_full_returndatacopy_makes_it_known(void **state)
{
    char buf[4096];
    ct_replay *r;
    const ct_evm_step *s;
    (void)state;
    s = ecrecover_tail(&r, true, W2A, "3d600060403e",
                       OP(19, 2, EX(96880, "\"0x20\"")) "," OP(20, 3, EX(96877, "\"0x0\"")) ","
                       OP(22, 3, EX(96874, "\"0x40\"")) ","
                       "{\"pc\":24,\"cost\":9,\"ex\":{\"used\":96865,\"push\":[],\"mem\":"
                       "{\"off\":64,\"data\":\"" W2A "\"},\"store\":null},\"sub\":null},",
                       buf, sizeof buf);
    for (int i = 0; i < 3; i++) {
        assert_false(s->return_data_known);
        s = next_ok(r);
    }
    assert_string_equal(s->op, "RETURNDATACOPY");
    assert_false(s->return_data_known);
    s = next_ok(r);
    assert_string_equal(s->op, "STOP");
    assert_true(s->return_data_known);
    assert_int_equal(s->return_data_len, 32);
    assert_int_equal(s->return_data[31], 0x2a);
    assert_int_equal(s->memory_len, 96);
    ct_replay_free(r);
    /* A partial copy proves nothing about the rest. */
    s = ecrecover_tail(&r, true, W2A, "3d600060403e",
                       OP(19, 2, EX(96880, "\"0x21\"")) "," OP(20, 3, EX(96877, "\"0x0\"")) ","
                       OP(22, 3, EX(96874, "\"0x40\"")) ","
                       "{\"pc\":24,\"cost\":9,\"ex\":{\"used\":96865,\"push\":[],\"mem\":"
                       "{\"off\":64,\"data\":\"" W2A "\"},\"store\":null},\"sub\":null},",
                       buf, sizeof buf);
    for (int i = 0; i < 4; i++)
        s = next_ok(r);
    assert_string_equal(s->op, "STOP");
    assert_false(s->return_data_known);
    ct_replay_free(r);
}

static void test_call_failing_before_entry_clears_unknown(void **state)
{
    char buf[4096];
    ct_replay *r;
    const ct_evm_step *s;
    int i;
    (void)state;
    /* A call that fails before entering (depth, balance: `sub` null) empties the buffer. */
    s = ecrecover_tail(&r, true, W2A, "600060006000600060006000fa",
                       OP(19, 3, EX(96879, "\"0x0\"")) "," OP(21, 3, EX(96876, "\"0x0\"")) ","
                       OP(23, 3, EX(96873, "\"0x0\"")) "," OP(25, 3, EX(96870, "\"0x0\"")) ","
                       OP(27, 3, EX(96867, "\"0x0\"")) "," OP(29, 3, EX(96864, "\"0x0\"")) ","
                       OP(31, 100, EX(96764, "\"0x0\"")) ",", buf, sizeof buf);
    for (i = 0; i < 7; i++) {
        assert_false(s->return_data_known);
        s = next_ok(r);
    }
    assert_string_equal(s->op, "STOP");
    assert_true(s->return_data_known);
    assert_int_equal(s->return_data_len, 0);
    ct_replay_free(r);
}

/* Root: CALL into code "0x00" then STOP at pc 16, which the trace dropped (or not). */
static char *relay(char *buf, size_t cap, const char *last_byte, bool with_stop)
{
    snprintf(buf, cap,
             "{\"code\":\"0x6000600060006000600060ff61fffff1%s\",\"ops\":["
             OP(0, 3, EX(99997, "\"0x0\"")) "," OP(2, 3, EX(99994, "\"0x0\"")) ","
             OP(4, 3, EX(99991, "\"0x0\"")) "," OP(6, 3, EX(99988, "\"0x0\"")) ","
             OP(8, 3, EX(99985, "\"0x0\"")) "," OP(10, 3, EX(99982, "\"0xff\"")) ","
             OP(12, 3, EX(99979, "\"0xffff\"")) ","
             "{\"pc\":15,\"cost\":67000,\"ex\":{\"used\":99000,\"push\":[\"0x1\"],\"mem\":null,"
             "\"store\":null},\"sub\":{\"code\":\"0x00\",\"ops\":[" OP(0, 0, EX(65000, ""))
             "]}}%s]}",
             last_byte, with_stop ? "," OP(16, 0, EX(99000, "")) : "");
    return buf;
}

static void test_dropped_top_level_stop(void **state)
{
    char buf[4096];
    const ct_evm_tx *tx;
    ct_replay *r = open_tx(relay(buf, sizeof buf, "00", false), &tx);
    const ct_evm_step *s = NULL;
    int i;
    (void)state;
    for (i = 0; i < 9; i++)
        s = next_ok(r);
    assert_int_equal(s->depth, 2);
    s = next_ok(r);   /* Geth logs the STOP the trace dropped */
    assert_true(s->synthetic);
    assert_string_equal(s->op, "STOP");
    assert_int_equal(s->pc, 16);
    assert_int_equal(s->depth, 1);
    assert_int_equal(s->gas, 99000);
    assert_int_equal(s->gas_cost, 0);
    assert_int_equal(s->stack_len, 1);
    assert_int_equal(s->index, 9);
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    assert_false(tx->failed);
    assert_int_equal(ct_replay_warning_count(r), 1);
    assert_non_null(strstr(ct_replay_warning(r, 0), "STOP at pc 16"));
    assert_non_null(strstr(ct_replay_warning(r, 0), "step 9"));
    ct_replay_free(r);
}

static void test_recorded_stop_and_cut_frame(void **state)
{
    char buf[4096];
    const ct_evm_tx *tx;
    ct_replay *r = open_tx(relay(buf, sizeof buf, "00", true), NULL);
    const ct_evm_step *s = NULL;
    int i;
    (void)state;
    for (i = 0; i < 10; i++)
        s = next_ok(r);
    assert_false(s->synthetic);
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    assert_int_equal(ct_replay_warning_count(r), 0);
    ct_replay_free(r);
    /* Anything but a STOP at the cut may have failed there: no synthesized op, frame failed. */
    r = open_tx(relay(buf, sizeof buf, "01", false), &tx);
    for (i = 0; i < 9; i++)
        next_ok(r);
    assert_int_equal(ct_replay_next(&s, r), CT_DONE);
    assert_true(tx->failed);
    ct_replay_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ecrecover_output_written),
        cmocka_unit_test(test_ecrecover_no_output),
        cmocka_unit_test(test_ecrecover_ambiguous_stays_unknown),
        cmocka_unit_test(test_returndatasize_zero_makes_it_known),
        cmocka_unit_test(test_full_returndatacopy_makes_it_known),
        cmocka_unit_test(test_call_failing_before_entry_clears_unknown),
        cmocka_unit_test(test_dropped_top_level_stop),
        cmocka_unit_test(test_recorded_stop_and_cut_frame),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
