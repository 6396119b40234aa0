/* Mapping of a trace path to its place under files/ (rules in trace_dir.h). */
#include "trace_dir.h"

#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

/* One pass over the components; writes into `o` when non-NULL. Returns the length, or -1 on a
 * ".." component. */
static long map_components(const char *p, char *o)
{
    size_t n = 0;
    while (*p) {
        const char *s = p;
        size_t cl;
        while (*p && *p != '/')
            p++;
        cl = (size_t)(p - s);
        if (cl == 2 && s[0] == '.' && s[1] == '.')
            return -1;
        if (cl > 0 && !(cl == 1 && s[0] == '.')) {
            if (o && n)
                o[n] = '/';
            n += n ? 1 : 0;
            if (o)
                memcpy(o + n, s, cl);
            n += cl;
        }
        if (*p)
            p++;
    }
    return (long)n;
}

ct_status ct__source_relpath(char **out, const char *trace_path, const ct_allocator *a,
                             ct_error *err)
{
    long n = map_components(trace_path, NULL);
    char *o;
    *out = NULL;
    if (n < 0)
        return ct__error_set(err, CT_EINVAL,
                             "%s: source path has a '..' component (it would leave files/)",
                             trace_path);
    if (n == 0)
        return ct__error_set(err, CT_EINVAL, "'%s': source path names no file", trace_path);
    o = ct__malloc(a, (size_t)n + 1);
    if (!o)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", trace_path);
    map_components(trace_path, o);
    o[n] = '\0';
    *out = o;
    return CT_OK;
}
