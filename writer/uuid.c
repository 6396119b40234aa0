/* UUIDv7; see uuid.h. */
#include "uuid.h"

#include <errno.h>
#include <time.h>

#include "util/error.h"
#include "util/random.h"

ct_status ct__uuid_v7_bytes(uint8_t out[16], uint64_t unix_ms, ct_error *err)
{
    int i;
    CT_TRY(ct__random_bytes(out + 6, 10, err));
    for (i = 0; i < 6; i++)
        out[i] = (uint8_t)(unix_ms >> (8 * (5 - i)));
    out[6] = (uint8_t)(0x70 | (out[6] & 0x0f));
    out[8] = (uint8_t)(0x80 | (out[8] & 0x3f));
    return CT_OK;
}

void ct__uuid_format(char out[CT__UUID_STR_LEN + 1], const uint8_t bytes[16])
{
    static const char hex[] = "0123456789abcdef";
    int i, o = 0;
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[bytes[i] >> 4];
        out[o++] = hex[bytes[i] & 15];
    }
    out[o] = '\0';
}

ct_status ct__uuid_v7(char out[CT__UUID_STR_LEN + 1], ct_error *err)
{
    struct timespec ts;
    uint8_t bytes[16];
    uint64_t ms;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return ct__error_errno(err, CT_EIO, "clock_gettime");
    ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
    CT_TRY(ct__uuid_v7_bytes(bytes, ms, err));
    ct__uuid_format(out, bytes);
    return CT_OK;
}
