/*
 * The artifact formats other than standard-JSON, built from the committed real solc output of
 * the erc20 sample in the shapes those tools write: Hardhat build-info ({input, output}),
 * Foundry out/<File.sol>/<Name>.json and `solc --combined-json`. Each must give the same
 * contract, code match and lines; plus storage naming, disassembly and a linked library.
 */
#include "ct_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "artifacts.h"
#include "ast_functions.h"
#include "bytecode_match.h"
#include "disasm.h"
#include "keccak.h"
#include "source_map.h"
#include "storage_layout.h"

static cJSON *read_json(const char *rel)
{
    char *p = ct_test_env_path("CT_SOURCE_DIR", rel);
    char *text = p ? ct_test_read_file(p, NULL) : NULL;
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    free(p);
    return doc;
}

static void write_json(const char *path, const cJSON *doc)
{
    char *text = cJSON_PrintUnformatted(doc);
    assert_int_equal(ct_test_write_file(path, text, strlen(text)), 0);
    cJSON_free(text);
}

static uint8_t *runtime_of(const cJSON *contract, size_t *len)
{
    const char *h = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
        cJSON_GetObjectItem(contract, "evm"), "deployedBytecode"), "object"));
    size_t i, n = strlen(h) / 2;
    uint8_t *b = malloc(n);
    for (i = 0; i < n; i++) {
        unsigned x;
        sscanf(h + 2 * i, "%2x", &x);
        b[i] = (uint8_t)x;
    }
    *len = n;
    return b;
}

/* Load `path`, then check Token is found, matches the deployed code and maps lines. */
static void check_loaded(const char *path, const char *sources_dir, const uint8_t *code,
                         size_t len)
{
    ct__artifacts t;
    ct__artifact_options o = {0};
    ct_error err;
    ct__match m;
    ct__locmap *lm;
    o.sources_dir = sources_dir;
    ct__artifacts_init(&t, &o, NULL);
    if (ct__artifacts_load(&t, path, &err) < 0 || ct__artifacts_finish(&t, &err) < 0)
        fail_msg("%s: %s", path, err.message);
    assert_true(ct__match_code(&m, &t, code, len, false));
    assert_string_equal(m.contract->name, "Token");
    assert_non_null(ct__abi_first(&m.contract->abi, CT__ABI_ENTRY_CONSTRUCTOR));
    assert_non_null(m.contract->storage_layout);
    assert_int_equal(ct__locmap_build(&lm, &t.arena, code, len, m.bytecode->exec_len,
                                      m.bytecode->srcmap, m.contract->set, NULL, &err), CT_OK);
    assert_true(lm->mapped > 100);
    assert_int_equal(lm->out_of_range, 0);
    assert_non_null(ct__ast_function_named(m.contract->set, "Token", "_transfer", 3));
    ct__artifacts_free(&t);
}

typedef struct fx {
    cJSON *in, *out;
    const cJSON *token;
    uint8_t *code;
    size_t len;
    char *tmp, *srcdir;
} fx;

static int setup(void **state)
{
    static fx f;
    f.in = read_json("trace-samples/erc20/solc-input.json");
    f.out = read_json("trace-samples/erc20/solc-output.json");
    if (!f.in || !f.out)
        return 0;
    f.token = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(f.out, "contracts"),
                                                      "contracts/erc20/Token.sol"), "Token");
    f.code = runtime_of(f.token, &f.len);
    f.tmp = ct_test_tmpdir("evm-formats");
    f.srcdir = ct_test_env_path("CT_SOURCE_DIR", "trace-samples");
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    if (!f)
        return 0;
    cJSON_Delete(f->in);
    cJSON_Delete(f->out);
    free(f->code);
    ct_test_rmrf(f->tmp);
    free(f->tmp);
    free(f->srcdir);
    return 0;
}

static void test_hardhat_build_info(void **state)
{
    fx *f = *state;
    char dir[600], file[700];
    cJSON *bi;
    if (!f)
        skip();
    snprintf(dir, sizeof dir, "%s/hardhat/artifacts/build-info", f->tmp);
    assert_int_equal(ct_test_system("mkdir -p '%s'", dir), 0);
    bi = cJSON_CreateObject();
    cJSON_AddStringToObject(bi, "_format", "hh-sol-build-info-1");
    cJSON_AddItemReferenceToObject(bi, "input", f->in);
    cJSON_AddItemReferenceToObject(bi, "output", f->out);
    snprintf(file, sizeof file, "%s/0123abcd.json", dir);
    write_json(file, bi);
    cJSON_Delete(bi);
    snprintf(dir, sizeof dir, "%s/hardhat/artifacts", f->tmp);
    /* No sources dir: contents come from the build-info's input. */
    check_loaded(dir, NULL, f->code, f->len);
}

static cJSON *foundry_bytecode(const cJSON *bc)
{
    cJSON *o = cJSON_CreateObject();
    char *hex = malloc(strlen(cJSON_GetStringValue(cJSON_GetObjectItem(bc, "object"))) + 3);
    sprintf(hex, "0x%s", cJSON_GetStringValue(cJSON_GetObjectItem(bc, "object")));
    cJSON_AddStringToObject(o, "object", hex);
    cJSON_AddItemToObject(o, "sourceMap",
                          cJSON_Duplicate(cJSON_GetObjectItem(bc, "sourceMap"), 1));
    cJSON_AddItemToObject(o, "linkReferences",
                          cJSON_Duplicate(cJSON_GetObjectItem(bc, "linkReferences"), 1));
    if (cJSON_GetObjectItem(bc, "immutableReferences"))
        cJSON_AddItemToObject(o, "immutableReferences", cJSON_Duplicate(
                              cJSON_GetObjectItem(bc, "immutableReferences"), 1));
    free(hex);
    return o;
}

static void test_foundry_out(void **state)
{
    fx *f = *state;
    char dir[600], file[700];
    cJSON *a, *src;
    const cJSON *evm;
    if (!f)
        skip();
    snprintf(dir, sizeof dir, "%s/foundry/out/Token.sol", f->tmp);
    assert_int_equal(ct_test_system("mkdir -p '%s'", dir), 0);
    evm = cJSON_GetObjectItem(f->token, "evm");
    src = cJSON_GetObjectItem(cJSON_GetObjectItem(f->out, "sources"),
                              "contracts/erc20/Token.sol");
    a = cJSON_CreateObject();
    cJSON_AddItemToObject(a, "abi", cJSON_Duplicate(cJSON_GetObjectItem(f->token, "abi"), 1));
    cJSON_AddItemToObject(a, "bytecode",
                          foundry_bytecode(cJSON_GetObjectItem(evm, "bytecode")));
    cJSON_AddItemToObject(a, "deployedBytecode",
                          foundry_bytecode(cJSON_GetObjectItem(evm, "deployedBytecode")));
    cJSON_AddItemToObject(a, "storageLayout",
                          cJSON_Duplicate(cJSON_GetObjectItem(f->token, "storageLayout"), 1));
    cJSON_AddItemToObject(a, "ast", cJSON_Duplicate(cJSON_GetObjectItem(src, "ast"), 1));
    cJSON_AddItemToObject(a, "id", cJSON_Duplicate(cJSON_GetObjectItem(src, "id"), 1));
    snprintf(file, sizeof file, "%s/Token.json", dir);
    write_json(file, a);
    cJSON_Delete(a);
    snprintf(dir, sizeof dir, "%s/foundry/out", f->tmp);
    /* Foundry artifacts carry no source text: it is read from the project folder. */
    check_loaded(dir, f->srcdir, f->code, f->len);
}

static void test_combined_json(void **state)
{
    fx *f = *state;
    char file[700];
    cJSON *doc, *contracts, *c, *list, *sources, *s;
    const cJSON *evm;
    char *abi_text;
    if (!f)
        skip();
    evm = cJSON_GetObjectItem(f->token, "evm");
    doc = cJSON_CreateObject();
    contracts = cJSON_AddObjectToObject(doc, "contracts");
    c = cJSON_AddObjectToObject(contracts, "contracts/erc20/Token.sol:Token");
    /* solc < 0.8.10 wrote the ABI as JSON text: the loader takes either. */
    abi_text = cJSON_PrintUnformatted(cJSON_GetObjectItem(f->token, "abi"));
    cJSON_AddStringToObject(c, "abi", abi_text);
    cJSON_free(abi_text);
#define COPY(dst, bc, key) cJSON_AddItemToObject(c, dst, cJSON_Duplicate(cJSON_GetObjectItem( \
        cJSON_GetObjectItem(evm, bc), key), 1))
    COPY("bin", "bytecode", "object");
    COPY("bin-runtime", "deployedBytecode", "object");
    COPY("srcmap", "bytecode", "sourceMap");
    COPY("srcmap-runtime", "deployedBytecode", "sourceMap");
#undef COPY
    cJSON_AddItemToObject(c, "storage-layout",
                          cJSON_Duplicate(cJSON_GetObjectItem(f->token, "storageLayout"), 1));
    list = cJSON_AddArrayToObject(doc, "sourceList");
    cJSON_AddItemToArray(list, cJSON_CreateString("contracts/erc20/Token.sol"));
    sources = cJSON_AddObjectToObject(doc, "sources");
    s = cJSON_AddObjectToObject(sources, "contracts/erc20/Token.sol");
    cJSON_AddItemToObject(s, "AST", cJSON_Duplicate(cJSON_GetObjectItem(cJSON_GetObjectItem(
        cJSON_GetObjectItem(f->out, "sources"), "contracts/erc20/Token.sol"), "ast"), 1));
    snprintf(file, sizeof file, "%s/combined.json", f->tmp);
    write_json(file, doc);
    cJSON_Delete(doc);
    check_loaded(file, f->srcdir, f->code, f->len);
}

/* allowance[owner][spender] from two chained 64-byte preimages, as the EVM computes them. */
static void test_storage_names(void **state)
{
    fx *f = *state;
    ct__storage_layout l;
    ct__arena a;
    ct__preimages *pre;
    ct_error err;
    ct__slot_info info;
    uint8_t in[64];
    ct_u256 inner, outer, slot;
    size_t i;
    const cJSON *var;
    int allowance_slot = -1, supply_slot = -1;
    if (!f)
        skip();
    ct__arena_init(&a, NULL);
    assert_int_equal(ct__storage_layout_parse(&l, &a, cJSON_GetObjectItem(f->token,
                                              "storageLayout"), &err), CT_OK);
    cJSON_ArrayForEach(var, cJSON_GetObjectItem(cJSON_GetObjectItem(f->token, "storageLayout"),
                                                "storage")) {
        const char *label = cJSON_GetStringValue(cJSON_GetObjectItem(var, "label"));
        int s = atoi(cJSON_GetStringValue(cJSON_GetObjectItem(var, "slot")));
        if (!strcmp(label, "allowance"))
            allowance_slot = s;
        if (!strcmp(label, "totalSupply"))
            supply_slot = s;
    }
    assert_true(allowance_slot >= 0 && supply_slot >= 0);
    memset(&slot, 0, sizeof slot);
    slot.bytes[31] = (uint8_t)supply_slot;
    assert_true(ct__storage_name_slot(&info, &l, NULL, &slot, 0));
    assert_string_equal(info.name, "totalSupply");
    assert_int_equal(info.kind, CT__SLOT_UINT);
    assert_int_equal(ct__preimages_new(&pre, NULL, &err), CT_OK);
    memset(in, 0, 64);
    in[31] = 0xaa;                        /* owner 0x..aa */
    in[63] = (uint8_t)allowance_slot;
    ct__keccak256(in, 64, inner.bytes);
    assert_int_equal(ct__preimages_add(pre, &inner, in, 64), CT_OK);
    memset(in, 0, 64);
    in[31] = 0xbb;                        /* spender 0x..bb */
    memcpy(in + 32, inner.bytes, 32);
    ct__keccak256(in, 64, outer.bytes);
    assert_int_equal(ct__preimages_add(pre, &outer, in, 64), CT_OK);
    /* Many unrelated preimages force rehashing. */
    for (i = 0; i < 1000; i++) {
        ct_u256 h;
        memset(in, 0, 64);
        memcpy(in, &i, sizeof i);
        ct__keccak256(in, 32, h.bytes);
        assert_int_equal(ct__preimages_add(pre, &h, in, 32), CT_OK);
    }
    assert_true(ct__storage_name_slot(&info, &l, pre, &outer, 0));
    assert_string_equal(info.name, "allowance[0x00000000000000000000000000000000000000aa]"
                                   "[0x00000000000000000000000000000000000000bb]");
    assert_string_equal(info.type_label, "uint256");
    slot.bytes[0] = 0x77;   /* an unrelated slot: no name */
    assert_false(ct__storage_name_slot(&info, &l, pre, &slot, 0));
    ct__preimages_free(pre);
    ct__arena_free(&a);
}

/* storageLayout of this contract, from solc 0.8.30 (npm solc, outputSelection storageLayout):
 *   struct Pos { uint128 amount; uint64 since; address owner; uint256 debt; }
 *   uint256[3] fixedArr; Pos pos; mapping(address => Pos) positions; uint8[40] small; */
static const char struct_layout[] =
    "{\"storage\":[{\"astId\":14,\"contract\":\"S.sol:S\",\"label\":\"fixedArr\",\"offset\":0,\"slot"
    "\":\"0\",\"type\":\"t_array(t_uint256)3_storage\"},{\"astId\":17,\"contract\":\"S.sol:S\",\"la"
    "bel\":\"pos\",\"offset\":0,\"slot\":\"3\",\"type\":\"t_struct(Pos)10_storage\"},{\"astId\":22,\""
    "contract\":\"S.sol:S\",\"label\":\"positions\",\"offset\":0,\"slot\":\"6\",\"type\":\"t_mapping("
    "t_address,t_struct(Pos)10_storage)\"},{\"astId\":26,\"contract\":\"S.sol:S\",\"label\":\"s"
    "mall\",\"offset\":0,\"slot\":\"7\",\"type\":\"t_array(t_uint8)40_storage\"}],\"types\":{\"t_ad"
    "dress\":{\"encoding\":\"inplace\",\"label\":\"address\",\"numberOfBytes\":\"20\"},\"t_array(t_"
    "uint256)3_storage\":{\"base\":\"t_uint256\",\"encoding\":\"inplace\",\"label\":\"uint256[3]\""
    ",\"numberOfBytes\":\"96\"},\"t_array(t_uint8)40_storage\":{\"base\":\"t_uint8\",\"encoding\""
    ":\"inplace\",\"label\":\"uint8[40]\",\"numberOfBytes\":\"64\"},\"t_mapping(t_address,t_stru"
    "ct(Pos)10_storage)\":{\"encoding\":\"mapping\",\"key\":\"t_address\",\"label\":\"mapping(add"
    "ress => struct S.Pos)\",\"numberOfBytes\":\"32\",\"value\":\"t_struct(Pos)10_storage\"},\""
    "t_struct(Pos)10_storage\":{\"encoding\":\"inplace\",\"label\":\"struct S.Pos\",\"members\":"
    "[{\"astId\":3,\"contract\":\"S.sol:S\",\"label\":\"amount\",\"offset\":0,\"slot\":\"0\",\"type\":\""
    "t_uint128\"},{\"astId\":5,\"contract\":\"S.sol:S\",\"label\":\"since\",\"offset\":16,\"slot\":\""
    "0\",\"type\":\"t_uint64\"},{\"astId\":7,\"contract\":\"S.sol:S\",\"label\":\"owner\",\"offset\":0"
    ",\"slot\":\"1\",\"type\":\"t_address\"},{\"astId\":9,\"contract\":\"S.sol:S\",\"label\":\"debt\",\""
    "offset\":0,\"slot\":\"2\",\"type\":\"t_uint256\"}],\"numberOfBytes\":\"96\"},\"t_uint128\":{\"en"
    "coding\":\"inplace\",\"label\":\"uint128\",\"numberOfBytes\":\"16\"},\"t_uint256\":{\"encoding"
    "\":\"inplace\",\"label\":\"uint256\",\"numberOfBytes\":\"32\"},\"t_uint64\":{\"encoding\":\"inpl"
    "ace\",\"label\":\"uint64\",\"numberOfBytes\":\"8\"},\"t_uint8\":{\"encoding\":\"inplace\",\"labe"
    "l\":\"uint8\",\"numberOfBytes\":\"1\"}}}";

static void name_of(char *out, const ct__storage_layout *l, const ct__preimages *p,
                    const ct_u256 *slot, int index)
{
    ct__slot_info info;
    if (!ct__storage_name_slot(&info, l, p, slot, index))
        strcpy(out, "-");
    else
        sprintf(out, "%s:%s@%u+%u", info.name, info.type_label, info.offset, info.nbytes);
}

static void test_storage_structs_and_packing(void **state)
{
    cJSON *doc = cJSON_Parse(struct_layout);
    ct__storage_layout l;
    ct__arena a;
    ct__preimages *pre;
    ct_error err;
    ct_u256 slot, entry;
    uint8_t in[64];
    char got[400];
    (void)state;
    ct__arena_init(&a, NULL);
    assert_int_equal(ct__storage_layout_parse(&l, &a, doc, &err), CT_OK);
    assert_int_equal(ct__preimages_new(&pre, NULL, &err), CT_OK);
    memset(&slot, 0, sizeof slot);
    slot.bytes[31] = 1;
    name_of(got, &l, NULL, &slot, 0);
    assert_string_equal(got, "fixedArr[1]:uint256@0+32");
    slot.bytes[31] = 3;   /* pos: amount and since share its first slot */
    name_of(got, &l, NULL, &slot, 0);
    assert_string_equal(got, "pos.amount:uint128@0+16");
    name_of(got, &l, NULL, &slot, 1);
    assert_string_equal(got, "pos.since:uint64@16+8");
    name_of(got, &l, NULL, &slot, 2);
    assert_string_equal(got, "-");
    slot.bytes[31] = 5;
    name_of(got, &l, NULL, &slot, 0);
    assert_string_equal(got, "pos.debt:uint256@0+32");
    slot.bytes[31] = 8;   /* small[32..63] */
    name_of(got, &l, NULL, &slot, 3);
    assert_string_equal(got, "small[35]:uint8@3+1");
    /* positions[0x..cc].owner: one slot after the mapping entry keccak(key . 6). */
    memset(in, 0, sizeof in);
    in[31] = 0xcc;
    in[63] = 6;
    ct__keccak256(in, 64, entry.bytes);
    assert_int_equal(ct__preimages_add(pre, &entry, in, 64), CT_OK);
    name_of(got, &l, pre, &entry, 1);
    assert_string_equal(got, "positions[0x00000000000000000000000000000000000000cc].since:"
                             "uint64@16+8");
    entry.bytes[31]++;
    name_of(got, &l, pre, &entry, 0);
    assert_string_equal(got, "positions[0x00000000000000000000000000000000000000cc].owner:"
                             "address@0+20");
    /* An ERC-1967 slot needs no layout. */
    {
        static const uint8_t impl[32] = {
            0x36, 0x08, 0x94, 0xa1, 0x3b, 0xa1, 0xa3, 0x21, 0x06, 0x67, 0xc8, 0x28, 0x49,
            0x2d, 0xb9, 0x8d, 0xca, 0x3e, 0x20, 0x76, 0xcc, 0x37, 0x35, 0xa9, 0x20, 0xa3,
            0xca, 0x50, 0x5d, 0x38, 0x2b, 0xbc};
        memcpy(slot.bytes, impl, 32);
        name_of(got, NULL, NULL, &slot, 0);
        assert_string_equal(got, "eip1967.proxy.implementation:address@0+20");
    }
    ct__preimages_free(pre);
    ct__arena_free(&a);
    cJSON_Delete(doc);
}

static void test_disassembly(void **state)
{
    /* PUSH1 0x80 PUSH1 0x40 MSTORE, an undefined byte, a PUSH2 cut short by the end. */
    const uint8_t code[] = {0x60, 0x80, 0x60, 0x40, 0x52, 0x0c, 0x61, 0x12};
    ct__arena a;
    char *text;
    size_t len;
    ct__locmap *lm;
    ct_error err;
    (void)state;
    ct__arena_init(&a, NULL);
    assert_int_equal(ct__disasm(&text, &len, &lm, &a, code, sizeof code, "title", &err), CT_OK);
    assert_string_equal(text, "; title\n0x0000  PUSH1 0x80\n0x0002  PUSH1 0x40\n"
                              "0x0004  MSTORE\n0x0005  INVALID 0x0c\n0x0006  PUSH2 0x12\n");
    assert_int_equal(len, strlen(text));
    assert_int_equal(ct__locmap_at(lm, 0).line, 2);
    assert_int_equal(ct__locmap_at(lm, 1).line, 2);   /* PUSH data: its instruction's line */
    assert_int_equal(ct__locmap_at(lm, 4).line, 4);
    assert_int_equal(ct__locmap_at(lm, 7).line, 6);
    ct__arena_free(&a);
}

/* The calls sample links a library: its placeholder in Calls and its own PUSH20 address. */
static void test_linked_library(void **state)
{
    cJSON *out = read_json("trace-samples/calls/solc-output.json");
    cJSON *vt = read_json("trace-samples/calls/recursion/vmtrace.json");
    char *path = ct_test_env_path("CT_SOURCE_DIR", "trace-samples/calls/solc-output.json");
    ct__artifacts t;
    ct_error err;
    const cJSON *op;
    int matched = 0;
    (void)state;
    if (!out || !vt || !cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(
                           cJSON_GetObjectItem(out, "contracts"), "contracts/calls/Calls.sol"),
                           "MathLib"), "evm")) {
        cJSON_Delete(out);
        cJSON_Delete(vt);
        free(path);
        skip();
    }
    ct__artifacts_init(&t, NULL, NULL);
    assert_int_equal(ct__artifacts_load(&t, path, &err), CT_OK);
    assert_int_equal(ct__artifacts_finish(&t, &err), CT_OK);
    /* Every frame below the root: the sub of each CALL-family op. */
    cJSON_ArrayForEach(op, cJSON_GetObjectItem(cJSON_GetObjectItem(vt, "vmTrace"), "ops")) {
        const char *h = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(op, "sub"),
                                                                 "code"));
        ct__match m;
        size_t i, n;
        uint8_t *b;
        if (!h || strlen(h) < 4)
            continue;
        n = (strlen(h) - 2) / 2;
        b = malloc(n);
        for (i = 0; i < n; i++) {
            unsigned x;
            sscanf(h + 2 + 2 * i, "%2x", &x);
            b[i] = (uint8_t)x;
        }
        if (ct__match_code(&m, &t, b, n, false) && !strcmp(m.contract->name, "MathLib"))
            matched++;
        free(b);
    }
    assert_true(matched >= 1);
    ct__artifacts_free(&t);
    cJSON_Delete(out);
    cJSON_Delete(vt);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hardhat_build_info),
        cmocka_unit_test(test_foundry_out),
        cmocka_unit_test(test_combined_json),
        cmocka_unit_test(test_storage_names),
        cmocka_unit_test(test_storage_structs_and_packing),
        cmocka_unit_test(test_disassembly),
        cmocka_unit_test(test_linked_library),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
