/* The instruction table: names round-trip, aliases resolve, undefined bytes get Geth's text,
 * and the stack effects of the families the replay depends on. */
#include "ct_test.h"

#include <stdio.h>
#include <string.h>

#include <ctrecord/replay.h>

#include "opcodes.h"

static void test_opcodes__every_defined_name_round_trips(void **state)
{
    int b, defined = 0;
    (void)state;
    for (b = 0; b < 256; b++) {
        const ct__opcode_info *info = ct__opcode((uint8_t)b);
        if (!info->name)
            continue;
        defined++;
        assert_string_equal(ct_opcode_name((uint8_t)b), info->name);
        assert_int_equal(ct__opcode_from_name(info->name, strlen(info->name)), b);
    }
    /* 0x00-0x0b, 0x10-0x1e, 0x20, 0x30-0x4b, 0x50-0x5f, PUSH1-32, DUP, SWAP, LOG, 10 system */
    assert_int_equal(defined, 12 + 15 + 1 + 28 + 16 + 32 + 16 + 16 + 5 + 10);
}

static void test_opcodes__aliases_and_unknown_names(void **state)
{
    (void)state;
    assert_int_equal(ct__opcode_from_name("SHA3", 4), 0x20);
    assert_int_equal(ct__opcode_from_name("PREVRANDAO", 10), 0x44);
    assert_int_equal(ct__opcode_from_name("SUICIDE", 7), 0xff);
    assert_int_equal(ct__opcode_from_name("PUSH", 4), -1);
    assert_int_equal(ct__opcode_from_name("PUSH33", 6), -1);
    assert_int_equal(ct__opcode_from_name("", 0), -1);
    assert_int_equal(ct__opcode_from_name("ADDX", 3), 0x01); /* explicit length wins */
    assert_int_equal(ct__opcode_from_name("opcode 0xef not defined", 23), -1);
}

static void test_opcodes__undefined_bytes_use_geths_text(void **state)
{
    char want[32];
    int b;
    (void)state;
    for (b = 0; b < 256; b++) {
        if (ct__opcode((uint8_t)b)->name)
            continue;
        snprintf(want, sizeof want, "opcode 0x%02x not defined", b);
        assert_string_equal(ct_opcode_name((uint8_t)b), want);
    }
    assert_string_equal(ct_opcode_name(0xfe), "INVALID");
    assert_string_equal(ct_opcode_name(0x20), "KECCAK256");
    assert_string_equal(ct_opcode_name(0x44), "DIFFICULTY");
}

static void test_opcodes__stack_effects(void **state)
{
    int n;
    (void)state;
    for (n = 1; n <= 16; n++) {
        const ct__opcode_info *dup = ct__opcode((uint8_t)(0x7f + n));
        const ct__opcode_info *swap = ct__opcode((uint8_t)(0x8f + n));
        assert_int_equal(dup->pops, n);
        assert_int_equal(dup->pushes, n + 1);
        assert_int_equal(swap->pops, n + 1);
        assert_int_equal(swap->pushes, n + 1);
    }
    for (n = 1; n <= 32; n++)
        assert_int_equal(ct__opcode((uint8_t)(0x5f + n))->immediate, n);
    assert_int_equal(ct__opcode(CT_OP_PUSH0)->immediate, 0);
    assert_int_equal(ct__opcode(CT_OP_CALL)->pops, 7);
    assert_int_equal(ct__opcode(CT_OP_DELEGATECALL)->pops, 6);
    assert_int_equal(ct__opcode(CT_OP_CREATE2)->pops, 4);
    assert_int_equal(ct__opcode(CT_OP_MCOPY)->pops, 3);
    assert_int_equal(ct__opcode(CT_OP_TLOAD)->pushes, 1);
    assert_int_equal(ct__opcode(0xa4)->pops, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opcodes__every_defined_name_round_trips),
        cmocka_unit_test(test_opcodes__aliases_and_unknown_names),
        cmocka_unit_test(test_opcodes__undefined_bytes_use_geths_text),
        cmocka_unit_test(test_opcodes__stack_effects),
    };
    return cmocka_run_group_tests_name("opcodes", tests, NULL, NULL);
}
