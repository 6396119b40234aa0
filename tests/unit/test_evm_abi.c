/* keccak256 vectors, ABI JSON parsing, calldata/event/revert decoding and its bounds checks. */
#include "ct_test.h"

#include <stdio.h>
#include <string.h>

#include "abi.h"
#include "keccak.h"

static void hex(char *out, const uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

static void test_keccak_vectors(void **state)
{
    uint8_t h[32];
    char s[65];
    char big[300];
    (void)state;
    ct__keccak256("", 0, h);
    hex(s, h, 32);
    assert_string_equal(s, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    ct__keccak256("transfer(address,uint256)", 25, h);
    hex(s, h, 4);
    assert_string_equal(s, "a9059cbb");
    ct__keccak256("Transfer(address,address,uint256)", 33, h);
    hex(s, h, 32);
    assert_string_equal(s, "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
    /* Exactly one rate block of input (padding goes to a second block); value from js-sha3. */
    memset(big, 'a', 200);
    ct__keccak256(big, 136, h);
    hex(s, h, 32);
    assert_string_equal(s, "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e");
}

static const char *token_abi =
    "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"have\",\"type\":\"uint256\"},"
    "{\"internalType\":\"uint256\",\"name\":\"want\",\"type\":\"uint256\"}],"
    "\"name\":\"Insufficient\",\"type\":\"error\"},"
    "{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"name\":\"from\",\"type\":\"address\"},"
    "{\"indexed\":true,\"name\":\"to\",\"type\":\"address\"},"
    "{\"indexed\":false,\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\","
    "\"type\":\"event\"},"
    "{\"inputs\":[{\"name\":\"to\",\"type\":\"address\"},{\"name\":\"amount\",\"type\":"
    "\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"name\":\"\",\"type\":\"bool\"}],"
    "\"stateMutability\":\"nonpayable\",\"type\":\"function\"},"
    "{\"inputs\":[{\"components\":[{\"name\":\"a\",\"type\":\"uint8\"},{\"name\":\"b\","
    "\"type\":\"string\"}],\"name\":\"xs\",\"type\":\"tuple[]\"},{\"name\":\"n\",\"type\":"
    "\"int16[2]\"}],\"name\":\"batch\",\"outputs\":[],\"type\":\"function\"}]";

typedef struct fx {
    ct__arena arena;
    cJSON *json;
    ct__abi abi;
} fx;

static int setup(void **state)
{
    static fx f;
    ct_error err;
    ct__arena_init(&f.arena, NULL);
    f.json = cJSON_Parse(token_abi);
    if (!f.json || ct__abi_parse(&f.abi, &f.arena, f.json, &err) < 0)
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    cJSON_Delete(f->json);
    ct__arena_free(&f->arena);
    return 0;
}

static size_t unhex(uint8_t *out, const char *s)
{
    size_t n = 0;
    unsigned b;
    while (s[0] && s[1] && sscanf(s, "%2x", &b) == 1) {
        out[n++] = (uint8_t)b;
        s += 2;
    }
    return n;
}

static void test_parse_signatures(void **state)
{
    fx *f = *state;
    const uint8_t sel[4] = {0xa9, 0x05, 0x9c, 0xbb};
    const ct__abi_entry *e = ct__abi_find(&f->abi, CT__ABI_ENTRY_FUNCTION, sel);
    assert_non_null(e);
    assert_string_equal(e->signature, "transfer(address,uint256)");
    assert_int_equal(f->abi.count, 4);
    assert_string_equal(f->abi.entries[3].signature, "batch((uint8,string)[],int16[2])");
    assert_string_equal(f->abi.entries[0].signature, "Insufficient(uint256,uint256)");
}

static void test_decode_calldata(void **state)
{
    fx *f = *state;
    uint8_t cd[200];
    char buf[256];
    ct__abi_value v;
    ct_error err;
    size_t n = unhex(cd, "a9059cbb000000000000000000000000000000000000000000000000000000000000beef"
                         "00000000000000000000000000000000000000000000000000000000000003e8");
    const ct__abi_entry *e = ct__abi_find(&f->abi, CT__ABI_ENTRY_FUNCTION, cd);
    assert_int_equal(ct__abi_decode(&v, &f->arena, e->inputs, cd + 4, n - 4, &err), CT_OK);
    ct__abi_format_named(buf, sizeof buf, &v);
    assert_string_equal(buf, "to=0x000000000000000000000000000000000000beef, amount=1000");
    /* One byte short: a decode error, not a read past the end. */
    assert_int_equal(ct__abi_decode(&v, &f->arena, e->inputs, cd + 4, n - 5, &err), CT_EPARSE);
    assert_non_null(strstr(err.message, "too short"));
}

/* batch([(7,"hi")], [-1, 2]) encoded by hand following the spec's example layout. */
static void test_decode_nested_dynamic(void **state)
{
    fx *f = *state;
    uint8_t cd[512];
    char buf[256];
    ct__abi_value v;
    ct_error err;
    size_t n = unhex(cd,
        "0000000000000000000000000000000000000000000000000000000000000060"   /* xs offset */
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"   /* n[0] = -1 */
        "0000000000000000000000000000000000000000000000000000000000000002"   /* n[1] = 2 */
        "0000000000000000000000000000000000000000000000000000000000000001"   /* xs.length */
        "0000000000000000000000000000000000000000000000000000000000000020"   /* xs[0] offset */
        "0000000000000000000000000000000000000000000000000000000000000007"   /* a */
        "0000000000000000000000000000000000000000000000000000000000000040"   /* b offset */
        "0000000000000000000000000000000000000000000000000000000000000002"   /* b.length */
        "6869000000000000000000000000000000000000000000000000000000000000");
    assert_int_equal(ct__abi_decode(&v, &f->arena, f->abi.entries[3].inputs, cd, n, &err),
                     CT_OK);
    ct__abi_format_named(buf, sizeof buf, &v);
    assert_string_equal(buf, "xs=[(7, \"hi\")], n=[-1, 2]");
    /* An offset pointing far beyond the data is refused. */
    cd[31] = 0xff;
    cd[30] = 0xff;
    assert_int_equal(ct__abi_decode(&v, &f->arena, f->abi.entries[3].inputs, cd, n, &err),
                     CT_EPARSE);
}

static void test_decode_event(void **state)
{
    fx *f = *state;
    uint8_t topics[3][32], data[32];
    char buf[256];
    ct__abi_value v;
    ct_error err;
    const ct__abi_entry *ev;
    unhex(topics[0], "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
    unhex(topics[1], "000000000000000000000000000000000000000000000000000000000000cafe");
    unhex(topics[2], "000000000000000000000000000000000000000000000000000000000000beef");
    unhex(data, "0000000000000000000000000000000000000000000000000000000000000005");
    ev = ct__abi_find_event(&f->abi, topics[0]);
    assert_non_null(ev);
    assert_int_equal(ct__abi_decode_event(&v, &f->arena, ev, (const uint8_t(*)[32])topics, 3,
                                          data, 32, &err), CT_OK);
    ct__abi_format_named(buf, sizeof buf, &v);
    assert_string_equal(buf, "from=0x000000000000000000000000000000000000cafe, "
                             "to=0x000000000000000000000000000000000000beef, value=5");
    assert_int_equal(ct__abi_decode_event(&v, &f->arena, ev, (const uint8_t(*)[32])topics, 2,
                                          data, 32, &err), CT_EPARSE);
}

static void test_revert_reasons(void **state)
{
    fx *f = *state;
    const ct__abi *abis[1] = {&f->abi};
    uint8_t d[256];
    char buf[256], md[64];
    size_t n = unhex(d, "08c379a0"
                        "0000000000000000000000000000000000000000000000000000000000000020"
                        "0000000000000000000000000000000000000000000000000000000000000003"
                        "6e6f700000000000000000000000000000000000000000000000000000000000");
    ct__abi_describe_revert(buf, sizeof buf, md, sizeof md, abis, 1, d, n, &f->arena);
    assert_string_equal(buf, "Error(string): \"nop\"");
    n = unhex(d, "4e487b710000000000000000000000000000000000000000000000000000000000000011");
    ct__abi_describe_revert(buf, sizeof buf, md, sizeof md, abis, 1, d, n, &f->arena);
    assert_string_equal(buf, "Panic(0x11): arithmetic overflow or underflow");
    assert_string_equal(md, "Panic");
    memcpy(d, f->abi.entries[0].hash, 4);
    n = 4 + unhex(d + 4, "0000000000000000000000000000000000000000000000000000000000000001"
                         "0000000000000000000000000000000000000000000000000000000000000009");
    ct__abi_describe_revert(buf, sizeof buf, md, sizeof md, abis, 1, d, n, &f->arena);
    assert_string_equal(buf, "Insufficient(have=1, want=9)");
    assert_string_equal(md, "Insufficient");
    ct__abi_describe_revert(buf, sizeof buf, md, sizeof md, abis, 1, d, 0, &f->arena);
    assert_string_equal(buf, "reverted without reason");
    ct__abi_describe_revert(buf, sizeof buf, md, sizeof md, abis, 1, d, 6, &f->arena);
    assert_string_equal(md, "RevertRaw");
    assert_string_equal(ct__abi_panic_meaning(0x32), "array index out of bounds");
}

static void test_decimal(void **state)
{
    uint8_t w[32];
    char buf[100];
    (void)state;
    memset(w, 0xff, 32);
    ct__u256_decimal(buf, sizeof buf, w, false);
    assert_string_equal(buf, "115792089237316195423570985008687907853269984665640564039457584007913129639935");
    ct__u256_decimal(buf, sizeof buf, w, true);
    assert_string_equal(buf, "-1");
    memset(w, 0, 32);
    ct__u256_decimal(buf, sizeof buf, w, false);
    assert_string_equal(buf, "0");
}

static void test_bad_abi_json(void **state)
{
    ct__arena a;
    ct__abi abi;
    ct_error err;
    cJSON *j = cJSON_Parse("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"uint7\"}]}]");
    (void)state;
    ct__arena_init(&a, NULL);
    assert_int_equal(ct__abi_parse(&abi, &a, j, &err), CT_EPARSE);
    assert_non_null(strstr(err.message, "ABI entry 0"));
    cJSON_Delete(j);
    ct__arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keccak_vectors),
        cmocka_unit_test(test_parse_signatures),
        cmocka_unit_test(test_decode_calldata),
        cmocka_unit_test(test_decode_nested_dynamic),
        cmocka_unit_test(test_decode_event),
        cmocka_unit_test(test_revert_reasons),
        cmocka_unit_test(test_decimal),
        cmocka_unit_test(test_bad_abi_json),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
