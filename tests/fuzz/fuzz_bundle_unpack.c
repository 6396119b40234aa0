/*
 * libFuzzer target for ct_bundle_unpack. The first input byte picks the mode: even = the rest
 * is a tar archive that the harness gzips (so mutations reach the tar parser), odd = the rest
 * is the .tar.gz file itself (so they reach the gzip layer). Properties, for every input:
 *  - the status is CT_OK, CT_EPARSE or CT_EIO, never anything else, and a failure has a message;
 *  - after a failure, the work folder holds only the archive (no temp folder, no destination);
 *  - after success, the work folder holds the archive and the destination only, and everything
 *    under the destination is a regular file or a folder (no links, nothing outside).
 * A violated property aborts, which libFuzzer reports like a crash.
 */
#include <ctrecord/bundle.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_bundle_unpack: property violated: %s\n", what);
        abort();
    }
}

static int count_entries(const char *dir)
{
    DIR *h = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!h)
        return -1;
    while ((e = readdir(h)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(h);
    return n;
}

/* Every entry under `dir` is a regular file or a folder. */
static int only_files_and_folders(const char *dir)
{
    DIR *h = opendir(dir);
    struct dirent *e;
    int ok = 1;
    if (!h)
        return 0;
    while (ok && (e = readdir(h)) != NULL) {
        char path[8192];
        struct stat st;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (lstat(path, &st) != 0)
            ok = 0;
        else if (S_ISDIR(st.st_mode))
            ok = only_files_and_folders(path);
        else
            ok = S_ISREG(st.st_mode);
    }
    closedir(h);
    return ok;
}

static int write_archive(const char *path, const uint8_t *data, size_t size, int gzip_it)
{
    FILE *f;
    int ok;
    if (gzip_it) {
        gzFile g = gzopen(path, "wb1");
        if (!g)
            return 0;
        ok = size == 0 || gzwrite(g, data, (unsigned)size) == (int)size;
        return gzclose(g) == Z_OK && ok;
    }
    f = fopen(path, "wb");
    if (!f)
        return 0;
    ok = fwrite(data, 1, size, f) == size;
    return fclose(f) == 0 && ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char work[] = "/tmp/ct-fuzz-bundle-XXXXXX", archive[64], dest[64], cmd[128];
    ct_error err;
    ct_status rc;
    if (size < 1 || size > (1u << 20) || !mkdtemp(work))
        return 0;
    snprintf(archive, sizeof archive, "%s/in.tar.gz", work);
    snprintf(dest, sizeof dest, "%s/out", work);
    if (write_archive(archive, data + 1, size - 1, !(data[0] & 1))) {
        memset(&err, 0, sizeof err);
        rc = ct_bundle_unpack(archive, dest, &err);
        check(rc == CT_OK || rc == CT_EPARSE || rc == CT_EIO, "unexpected status");
        check(rc == CT_OK || err.message[0] != '\0', "failure without a message");
        check(count_entries(work) == (rc == CT_OK ? 2 : 1), "leftover or missing entries");
        check(rc != CT_OK || only_files_and_folders(dest), "non-regular entry created");
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    check(system(cmd) == 0, "cleanup");
    return 0;
}
