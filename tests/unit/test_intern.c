/* The interning table behind the writer's dense ids: many keys across rehashes, binary keys,
 * and allocation failures that leave the table unchanged. */
#include "ct_test.h"

#include "intern.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

static void test_many_keys(void **state)
{
    ct_test_alloc t;
    ct__intern ix;
    char key[32];
    uint64_t id, i;
    (void)state;
    ct_test_alloc_init(&t, 0);
    memset(&ix, 0, sizeof ix);
    assert_false(ct__intern_find(&ix, "x", 1, &id));
    for (i = 0; i < 100000; i++) {
        int n = snprintf(key, sizeof key, "name_%llu", (unsigned long long)i);
        assert_false(ct__intern_find(&ix, key, (size_t)n, &id));
        assert_int_equal(ct__intern_add(&ix, &t.allocator, key, (size_t)n, i * 3), CT_OK);
    }
    for (i = 0; i < 100000; i++) {
        int n = snprintf(key, sizeof key, "name_%llu", (unsigned long long)i);
        assert_true(ct__intern_find(&ix, key, (size_t)n, &id));
        assert_int_equal(id, i * 3);
    }
    assert_false(ct__intern_find(&ix, "name_100000", 11, &id));
    assert_int_equal(ix.count, 100000);
    assert_true(ix.nslots >= 2 * ix.count);
    ct__intern_free(&ix, &t.allocator);
    assert_int_equal(t.live_bytes, 0);
}

static void test_binary_and_empty_keys(void **state)
{
    ct__intern ix;
    uint64_t id = 99;
    static const unsigned char a[5] = {'f', 0, 1, 2, 3}, b[5] = {'f', 0, 1, 2, 4};
    (void)state;
    memset(&ix, 0, sizeof ix);
    assert_int_equal(ct__intern_add(&ix, NULL, "", 0, 7), CT_OK);
    assert_int_equal(ct__intern_add(&ix, NULL, a, 5, 8), CT_OK);
    assert_true(ct__intern_find(&ix, "", 0, &id));
    assert_int_equal(id, 7);
    assert_true(ct__intern_find(&ix, a, 5, &id));
    assert_int_equal(id, 8);
    assert_false(ct__intern_find(&ix, b, 5, &id));
    assert_false(ct__intern_find(&ix, a, 1, &id));   /* "f" alone */
    ct__intern_free(&ix, NULL);
    assert_int_equal(ix.count, 0);
}

static void test_allocation_failure_leaves_table(void **state)
{
    uint64_t fail;
    (void)state;
    for (fail = 1; fail < 40; fail++) {
        ct_test_alloc t;
        ct__intern ix;
        char key[16];
        uint64_t i, id, added = 0;
        ct_test_alloc_init(&t, fail);
        memset(&ix, 0, sizeof ix);
        for (i = 0; i < 40; i++) {
            int n = snprintf(key, sizeof key, "k%llu", (unsigned long long)i);
            if (ct__intern_add(&ix, &t.allocator, key, (size_t)n, i) == CT_OK)
                added++;
            else
                assert_false(ct__intern_find(&ix, key, (size_t)n, &id));
        }
        assert_int_equal(ix.count, added);
        for (i = 0; i < 40; i++) {
            int n = snprintf(key, sizeof key, "k%llu", (unsigned long long)i);
            if (ct__intern_find(&ix, key, (size_t)n, &id))
                assert_int_equal(id, i);
        }
        ct__intern_free(&ix, &t.allocator);
        assert_int_equal(t.live_bytes, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_binary_and_empty_keys),
        cmocka_unit_test(test_allocation_failure_leaves_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
