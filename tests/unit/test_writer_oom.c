/* Allocation failure anywhere in a full open/write/close cycle: for N = 1, 2, ... the Nth
 * allocation fails until a run gets through. Every failing run must report CT_ENOMEM, free
 * everything, and leave neither the trace folder nor a temporary folder behind. */
#define WFIX_SUITE "test_writer_oom"
#include "writer_fixture.h"

/* One full cycle; returns close's status (or open's when open fails). */
static ct_status full_cycle(wfix *f, const char *src_path)
{
    ct_writer *w = NULL;
    ct_error err;
    ct_status rc;
    ct_type_id t_int, t_str, t_pt;
    ct_variable_id va, vb;
    ct_path_id p;
    ct_function_id fn;
    ct_field fields[2];
    ct_value xs[2], pt, s;
    ct_arg args[2];
    const char *asm_lines[2] = {"PUSH1 0x01", "ADD"};
    int i;
    rc = ct_writer_open(&w, f->dir, &f->opts, &err);
    if (rc < 0) {
        assert_null(w);
        return rc;
    }
    /* results are ignored on purpose: errors are sticky and close reports them */
    (void)ct_writer_start(w, "/abs/src/Counter.sol", 1);
    (void)ct_writer_type_id(&t_int, w, CT_TYPE_INT, "int");
    (void)ct_writer_type_id(&t_str, w, CT_TYPE_STRING, "string");
    fields[0].name = "x";
    fields[0].type_id = 1;
    fields[1].name = "label";
    fields[1].type_id = 2;
    (void)ct_writer_struct_type_id(&t_pt, w, "Point", fields, 2);
    (void)ct_writer_path_id(&p, w, src_path);
    (void)ct_writer_source(w, 0, "contract C {}\n", 14);
    (void)ct_writer_function_id(&fn, w, "move", 1, 3);
    for (i = 0; i < 40; i++) {
        char name[16];
        snprintf(name, sizeof name, "v%d", i);
        (void)ct_writer_variable_id(&va, w, name);   /* grows the variable table */
    }
    (void)ct_writer_variable_id(&va, w, "a");
    (void)ct_writer_variable_id(&vb, w, "b");
    xs[0] = ct_value_int(1, 7);
    xs[1] = ct_value_text(CT_VALUE_STRING, 2, "seven", 5);
    pt = ct_value_items(CT_VALUE_STRUCT, 3, xs, 2, false);
    for (i = 0; i < 2000; i++) {
        (void)ct_writer_step(w, 0, 2 + i % 5);
        (void)ct_writer_value(w, 40, &pt);
    }
    args[0].variable_id = 40;
    args[0].value = pt;
    args[1].variable_id = 41;
    args[1].value = ct_value_int(1, -1);
    (void)ct_writer_call(w, 1, args, 2);
    (void)ct_writer_asm(w, asm_lines, 2);
    (void)ct_writer_event(w, CT_EVENT_EVM, "LOG0", "0x00");
    s = ct_value_text(CT_VALUE_STRING, 2, "done", 4);
    (void)ct_writer_return(w, &s);
    (void)ct_writer_return(w, NULL);
    return ct_writer_close(w, &err);
}

static void test_every_allocation_failure(void **state)
{
    wfix f;
    char *srcdir = ct_test_tmpdir("writer-oom-src");
    char src[4096];
    uint64_t n;
    (void)state;
    snprintf(src, sizeof src, "%s/Mover.sol", srcdir);
    assert_int_equal(ct_test_write_file(src, "contract Mover {}\n", 18), 0);
    wfix_init(&f, CT_PROFILE_PORTABLE, CT_ORDER_STRICT);
    f.opts.copy_sources = true;
    for (n = 1; n < 100000; n++) {
        ct_test_alloc t;
        ct_status rc;
        ct_test_alloc_init(&t, n);
        f.opts.allocator = &t.allocator;
        rc = full_cycle(&f, src);
        if (t.live_bytes != 0 || t.live_blocks != 0)
            fail_msg("allocation %llu failed: %lld bytes in %lld blocks leaked",
                     (unsigned long long)n, (long long)t.live_bytes, (long long)t.live_blocks);
        if (t.calls < n) {   /* nothing failed: the cycle got through */
            assert_int_equal(rc, CT_OK);
            break;
        }
        if (rc != CT_ENOMEM)
            fail_msg("allocation %llu failed: status %d, expected CT_ENOMEM",
                     (unsigned long long)n, (int)rc);
        if (wfix_entries(&f) != 0)
            fail_msg("allocation %llu failed: something was left in %s",
                     (unsigned long long)n, f.tmp);
    }
    assert_true(n > 10);
    {
        char *json = wfix_read(&f, "trace.json"), *copy;
        wfix_keep(&f);
        assert_non_null(json);
        assert_non_null(strstr(json, "\"name\":\"move\""));
        free(json);
        copy = wfix_read(&f, "files/abs/src/Counter.sol");
        assert_non_null(copy);
        free(copy);
    }
    print_message("full cycle needs %llu allocations\n", (unsigned long long)(n - 1));
    wfix_done(&f);
    ct_test_rmrf(srcdir);
    free(srcdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
