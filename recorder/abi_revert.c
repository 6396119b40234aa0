/* Revert data: Error(string) 0x08c379a0, Panic(uint256) 0x4e487b71, custom errors by selector. */
#include "abi.h"

#include <stdio.h>
#include <string.h>

static const uint8_t sel_error[4] = {0x08, 0xc3, 0x79, 0xa0};
static const uint8_t sel_panic[4] = {0x4e, 0x48, 0x7b, 0x71};

static bool describe_error_string(char *buf, size_t cap, const uint8_t *data, size_t len,
                                  ct__arena *arena)
{
    static const ct__abi_type str = {CT__ABI_STRING, 0, 0, NULL, NULL, NULL, NULL, 0, "string",
                                     NULL};
    const ct__abi_type *fields[1] = {&str};
    ct__abi_type tuple = {CT__ABI_TUPLE, 0, 0, NULL, fields, NULL, NULL, 1, "(string)", NULL};
    ct__abi_value v;
    int n;
    if (ct__abi_decode(&v, arena, &tuple, data + 4, len - 4, NULL) < 0)
        return false;
    n = snprintf(buf, cap, "Error(string): ");
    if (n > 0 && (size_t)n < cap)
        ct__abi_format(buf + n, cap - (size_t)n, &v.items[0]);
    return true;
}

static bool describe_panic(char *buf, size_t cap, const uint8_t *data, size_t len)
{
    uint64_t code = 0;
    size_t i;
    const char *meaning;
    if (len != 36)
        return false;
    for (i = 4; i < 28; i++)
        if (data[i])
            return false;
    for (i = 28; i < 36; i++)
        code = (code << 8) | data[i];
    meaning = ct__abi_panic_meaning(code);
    snprintf(buf, cap, "Panic(0x%02llx): %s", (unsigned long long)code,
             meaning ? meaning : "unknown panic code");
    return true;
}

static bool describe_custom(char *buf, size_t cap, char *md, size_t mcap,
                            const ct__abi *const *abis, size_t nabis, const uint8_t *data,
                            size_t len, ct__arena *arena)
{
    size_t i;
    for (i = 0; i < nabis; i++) {
        const ct__abi_entry *e = ct__abi_find(abis[i], CT__ABI_ENTRY_ERROR, data);
        ct__abi_value v;
        int n;
        if (!e || ct__abi_decode(&v, arena, e->inputs, data + 4, len - 4, NULL) < 0)
            continue;
        snprintf(md, mcap, "%s", e->name);
        n = snprintf(buf, cap, "%s(", e->name);
        if (n > 0 && (size_t)n < cap) {
            size_t m = ct__abi_format_named(buf + n, cap - (size_t)n, &v);
            if ((size_t)n + m + 1 < cap)
                strcpy(buf + n + m, ")");
        }
        return true;
    }
    return false;
}

static void describe_raw(char *buf, size_t cap, const uint8_t *data, size_t len)
{
    size_t i, n = (size_t)snprintf(buf, cap, "revert data 0x");
    for (i = 0; i < len && n + 3 < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%02x", data[i]);
}

void ct__abi_describe_revert(char *buf, size_t cap, char *metadata, size_t mcap,
                             const ct__abi *const *abis, size_t nabis, const uint8_t *data,
                             size_t len, ct__arena *arena)
{
    snprintf(metadata, mcap, "Revert");
    if (len == 0) {
        snprintf(buf, cap, "reverted without reason");
        return;
    }
    if (len >= 4 && !memcmp(data, sel_error, 4) && describe_error_string(buf, cap, data, len,
                                                                        arena))
        return;
    if (len >= 4 && !memcmp(data, sel_panic, 4) && describe_panic(buf, cap, data, len)) {
        snprintf(metadata, mcap, "Panic");
        return;
    }
    if (len >= 4 && describe_custom(buf, cap, metadata, mcap, abis, nabis, data, len, arena))
        return;
    snprintf(metadata, mcap, "RevertRaw");
    describe_raw(buf, cap, data, len);
}
