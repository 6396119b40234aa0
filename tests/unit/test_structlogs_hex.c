/*
 * The struct-log writer's word formatting (recorder/structlogs_hex.h) against a plain
 * reference: every length of quantity (0 to 64 digits, each leading-nibble case), words with
 * zero limbs in every position, and that nothing is written beyond the 64-byte room.
 */
#include "ct_test.h"

#include "structlogs_hex.h"

#include <stdio.h>
#include <string.h>

static void reference(const uint8_t *b, char *out, bool minimal)
{
    char full[65];
    size_t i;
    for (i = 0; i < 32; i++)
        snprintf(full + 2 * i, 3, "%02x", b[i]);
    if (!minimal) {
        memcpy(out, full, 65);
        return;
    }
    for (i = 0; i < 63 && full[i] == '0'; i++)
        ;
    strcpy(out, full + i);
}

static void check_word(const uint8_t *b)
{
    char want[65], got[80];
    size_t n;
    memset(got, 'Z', sizeof got);
    n = ct__hex_quantity(got, b);
    reference(b, want, true);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(got, want, n);
    assert_int_equal(got[64], 'Z');   /* the promised room, no more */
    ct__hex32(got, b);
    reference(b, want, false);
    assert_memory_equal(got, want, 64);
}

static void test_every_length(void **state)
{
    uint8_t b[32];
    uint64_t x = 0x9e3779b97f4a7c15ull;
    int len, rep, i;
    (void)state;
    for (len = 0; len <= 64; len++) {
        for (rep = 0; rep < 200; rep++) {
            memset(b, 0, 32);
            for (i = 0; i < 32; i++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b[i] = (uint8_t)x;
            }
            /* keep `len` digits: clear the rest, force the top digit non-zero */
            for (i = 0; i < 64 - len; i++)
                b[i / 2] &= (uint8_t)(i % 2 ? 0xf0 : 0x0f);
            if (len > 0) {
                int d = 64 - len;
                b[d / 2] |= (uint8_t)(d % 2 ? 0x01 : 0x10);
            }
            if (rep % 3 == 0 && len > 20)
                memset(b + 16, 0, 8);   /* zero limbs below the top one */
            if (rep % 5 == 0)
                memset(b + 24, 0, 8);
            check_word(b);
        }
    }
    memset(b, 0xff, 32);
    check_word(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
