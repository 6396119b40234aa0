/*
 * libFuzzer target for the ABI decoder, revert-data description and source-map parsing:
 * arbitrary bytes must decode or fail with CT_EPARSE, never read outside the data. The first
 * input byte picks the parameter list; the rest is the data. Properties checked:
 *  - decoding succeeds or fails with CT_EPARSE (CT_ENOMEM never happens with libc);
 *  - a successful decode's byte ranges all lie inside the input;
 *  - formatting never writes past its buffer and is always NUL-terminated;
 *  - the same bytes read as a source map parse or fail with CT_EPARSE.
 */
#include "abi.h"
#include "source_map.h"
#include "util/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const ABIS[] = {
    "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"address\"},"
    "{\"type\":\"uint256\"}]}]",
    "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"string\"},{\"type\":"
    "\"bytes\"},{\"type\":\"int8[]\"}]}]",
    "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"tuple[]\",\"components\":"
    "[{\"type\":\"uint8\"},{\"type\":\"string[2]\"}]},{\"type\":\"bytes32[3]\"}]}]",
    "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"uint256[][]\"},"
    "{\"type\":\"tuple\",\"components\":[{\"type\":\"bool\"},{\"type\":\"bytes\"}]}]}]",
    "[{\"type\":\"error\",\"name\":\"E\",\"inputs\":[{\"type\":\"string\"},"
    "{\"type\":\"uint256\"}]}]",
};

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_abi: property violated: %s\n", what);
        abort();
    }
}

static void check_ranges(const ct__abi_value *v, const uint8_t *lo, const uint8_t *hi)
{
    size_t i;
    if (v->data)
        check(v->data >= lo && v->data + v->len <= hi, "value bytes inside the data");
    for (i = 0; i < v->count; i++)
        check_ranges(&v->items[i], lo, hi);
}

static void fuzz_decode(const ct__abi *abi, const uint8_t *d, size_t n, ct__arena *a)
{
    ct__abi_value v;
    ct_error err;
    char buf[300];
    ct_status rc = ct__abi_decode(&v, a, abi->entries[0].inputs, d, n, &err);
    check(rc == CT_OK || rc == CT_EPARSE, "decode status");
    if (rc == CT_OK) {
        check_ranges(&v, d, d + n);
        buf[sizeof buf - 1] = 'x';
        ct__abi_format_named(buf, sizeof buf - 1, &v);
        check(buf[sizeof buf - 1] == 'x' && strlen(buf) < sizeof buf - 1, "format bounded");
    }
}

static void fuzz_srcmap(const uint8_t *d, size_t n)
{
    char *map = malloc(n + 1);
    ct__srcmap_entry *e = NULL;
    size_t count = 0;
    ct_error err;
    ct_status rc;
    memcpy(map, d, n);
    map[n] = '\0';
    rc = ct__srcmap_parse(&e, &count, map, NULL, &err);
    check(rc == CT_OK || rc == CT_EPARSE, "srcmap status");
    if (rc == CT_OK)
        ct__free(NULL, e, count * sizeof *e);
    free(map);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct__arena a;
    ct__abi abi;
    const ct__abi *abis[1];
    cJSON *j;
    char buf[256], md[64];
    ct_error err;
    if (size < 1)
        return 0;
    ct__arena_init(&a, NULL);
    j = cJSON_Parse(ABIS[data[0] % (sizeof ABIS / sizeof ABIS[0])]);
    check(j && ct__abi_parse(&abi, &a, j, &err) == CT_OK, "fixed ABI parses");
    fuzz_decode(&abi, data + 1, size - 1, &a);
    abis[0] = &abi;
    ct__abi_describe_revert(buf, sizeof buf, md, sizeof md, abis, 1, data + 1, size - 1, &a);
    check(strlen(buf) < sizeof buf && strlen(md) < sizeof md, "revert text bounded");
    fuzz_srcmap(data + 1, size - 1);
    cJSON_Delete(j);
    ct__arena_free(&a);
    return 0;
}
