/* Kernel randomness; the loop covers short reads and signals (getrandom may return early). */
#include "util/random.h"

#include <errno.h>
#include <sys/random.h>

#include "util/error.h"

ct_status ct__random_bytes(void *buf, size_t len, ct_error *err)
{
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return ct__error_errno(err, CT_EIO, "getrandom");
        }
        p += n;
        len -= (size_t)n;
    }
    return CT_OK;
}

ct_status ct__random_name(char *out, size_t n, ct_error *err)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    size_t i;
    CT_TRY(ct__random_bytes(out, n, err));
    for (i = 0; i < n; i++)
        out[i] = alphabet[(unsigned char)out[i] % (sizeof alphabet - 1)];
    return CT_OK;
}
