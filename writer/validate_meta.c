/*
 * The small files around trace.json: trace_metadata.json (CodeTracer 25.11 reads workdir,
 * program and args typed; ctrecord also writes a UUIDv7 recording_id), trace_paths.json (must
 * equal the Path events in order), and files/<path without its leading '/'> for every Path.
 * These documents are small, so they are read whole and parsed with cJSON.
 */
#include "validate_impl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util/alloc.h"

#define SMALL_FILE_MAX (64u << 20)

static ct_status read_parse(ct__vstate *st, const char *name, FILE *f, size_t size,
                            cJSON **out)
{
    char *buf = ct__malloc(st->opts.allocator, size + 1);
    size_t n;
    if (!buf)
        return ct__error_set(st->err, CT_ENOMEM, "%s: out of memory", name);
    n = fread(buf, 1, size + 1, f);
    if (n == size)
        *out = cJSON_ParseWithLength(buf, n);
    ct__free(st->opts.allocator, buf, size + 1);
    if (n != size)
        return ct__error_set(st->err, CT_EIO, "%s: changed while being read", name);
    if (!*out)
        return ct__error_set(st->err, CT_EPARSE, "%s: not valid JSON", name);
    return CT_OK;
}

/* Parse `<dir>/<name>`; *out NULL (and CT_OK) when the file does not exist. */
static ct_status parse_small(ct__vstate *st, const char *name, cJSON **out)
{
    char path[4096];
    struct stat sb;
    FILE *f;
    ct_status rc;
    *out = NULL;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", st->dir, name) >= sizeof path)
        return ct__error_set(st->err, CT_EINVAL, "%s: path too long", name);
    /* Checked before opening: opening a FIFO would wait for a writer forever. */
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return ct__error_set(st->err, CT_EPARSE, "%s: not a regular file", name);
    f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? CT_OK : ct__error_errno(st->err, CT_EIO, "%s", name);
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return ct__error_set(st->err, CT_EPARSE, "%s: not a regular file", name);
    }
    if ((uint64_t)sb.st_size > SMALL_FILE_MAX) {
        fclose(f);
        return ct__error_set(st->err, CT_EPARSE, "%s: larger than 64 MiB", name);
    }
    rc = read_parse(st, name, f, (size_t)sb.st_size, out);
    fclose(f);
    return rc;
}

static bool hex_lower(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Lowercase, hyphenated, version 7, RFC 4122 variant. */
static bool uuid_v7(const char *s)
{
    size_t i;
    if (strlen(s) != 36)
        return false;
    for (i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !hex_lower(s[i]))
            return false;
    }
    return s[14] == '7' && strchr("89ab", s[19]) != NULL;
}

static ct_status check_metadata(ct__vstate *st, const cJSON *m)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "recording_id");
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(m, "args"), *a;
    if (!cJSON_IsObject(m))
        return ct__error_set(st->err, CT_EPARSE, "trace_metadata.json: expected an object");
    if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(m, "workdir")) ||
        !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(m, "program")) || !cJSON_IsArray(args))
        return ct__error_set(st->err, CT_EPARSE, "trace_metadata.json: needs string "
                             "\"workdir\", string \"program\" and array \"args\" (CodeTracer "
                             "25.11 reads them typed)");
    cJSON_ArrayForEach(a, args)
        if (!cJSON_IsString(a))
            return ct__error_set(st->err, CT_EPARSE, "trace_metadata.json: args: expected "
                                 "strings only");
    if (!id && (st->opts.flags & CT_VALIDATE_LENIENT_METADATA))
        return CT_OK;
    if (!cJSON_IsString(id) || !uuid_v7(id->valuestring))
        return ct__error_set(st->err, CT_EPARSE, "trace_metadata.json: recording_id: "
                             "expected a lowercase hyphenated UUIDv7");
    return CT_OK;
}

ct_status ct__vmetadata(ct__vstate *st)
{
    cJSON *m;
    ct_status rc;
    CT_TRY(parse_small(st, "trace_metadata.json", &m));
    if (!m)
        return (st->opts.flags & CT_VALIDATE_LENIENT_METADATA)
                   ? CT_OK
                   : ct__error_set(st->err, CT_EPARSE, "trace_metadata.json: missing");
    rc = check_metadata(st, m);
    cJSON_Delete(m);
    return rc;
}

ct_status ct__vpaths_load(ct__vstate *st)
{
    const cJSON *p;
    CT_TRY(parse_small(st, "trace_paths.json", &st->trace_paths));
    if (!st->trace_paths)
        return (st->opts.flags & CT_VALIDATE_LENIENT_METADATA)
                   ? CT_OK
                   : ct__error_set(st->err, CT_EPARSE, "trace_paths.json: missing");
    if (!cJSON_IsArray(st->trace_paths))
        return ct__error_set(st->err, CT_EPARSE, "trace_paths.json: expected an array");
    cJSON_ArrayForEach(p, st->trace_paths)
        if (!cJSON_IsString(p))
            return ct__error_set(st->err, CT_EPARSE, "trace_paths.json: expected strings "
                                 "only");
    st->next_path = st->trace_paths->child;
    return CT_OK;
}

static ct_status check_copy(ct__vstate *st, const char *path)
{
    size_t need = strlen(st->dir) + strlen(path) + sizeof "/files/";
    struct stat sb;
    if (need > st->file_cap) {
        char *b = ct__realloc(st->opts.allocator, st->file_buf, st->file_cap, need);
        if (!b)
            return ct__error_set(st->err, CT_ENOMEM, "trace.json: out of memory");
        st->file_buf = b;
        st->file_cap = need;
    }
    while (*path == '/')
        path++;
    snprintf(st->file_buf, st->file_cap, "%s/files/%s", st->dir, path);
    if (stat(st->file_buf, &sb) != 0 || !S_ISREG(sb.st_mode))
        return ct__vfail(st, "files/%.200s is missing (every Path needs its source copy)", path);
    return CT_OK;
}

ct_status ct__vpath_event(ct__vstate *st, const char *path)
{
    if (st->trace_paths) {
        if (!st->next_path)
            return ct__vfail(st, "trace_paths.json has only %llu entries",
                             (unsigned long long)st->paths);
        if (strcmp(st->next_path->valuestring, path))
            return ct__vfail(st, "\"%.100s\" differs from trace_paths.json[%llu] \"%.100s\"",
                             path, (unsigned long long)st->paths, st->next_path->valuestring);
        st->next_path = st->next_path->next;
    }
    if (*path && !(st->opts.flags & CT_VALIDATE_SKIP_FILES))
        CT_TRY(check_copy(st, path));
    return CT_OK;
}

ct_status ct__vpaths_end(ct__vstate *st)
{
    if (st->trace_paths && st->next_path)
        return ct__error_set(st->err, CT_EPARSE, "trace_paths.json: has %d entries, trace.json "
                             "has %llu Path events", cJSON_GetArraySize(st->trace_paths),
                             (unsigned long long)st->paths);
    return CT_OK;
}
