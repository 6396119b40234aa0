/*
 * libFuzzer target for ct_validate_dir: the input is a trace.json, validated in a fresh folder
 * (with valid metadata and paths files) for every profile, strict and lenient. Besides "no
 * crash, no leak, no UB" it checks properties that must hold for every input:
 *  - the only outcomes are CT_OK and CT_EPARSE (CT_ENOMEM aside); a failure has a one-line
 *    message starting with "trace.json: " (or naming the side file);
 *  - validating twice gives the same status and message;
 *  - lenience only relaxes: strict OK implies lenient OK;
 *  - the portable profile is the common subset: portable OK implies codetracer-25.11 OK and
 *    current OK.
 * A violated property aborts, which libFuzzer reports like a crash.
 */
#include <ctrecord/validate.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_validate: property violated: %s\n", what);
        abort();
    }
}

static void put(const char *dir, const char *name, const void *data, size_t len)
{
    char path[4200];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    check(f != NULL, "create a file in the temp folder");
    check(fwrite(data, 1, len, f) == len && fclose(f) == 0, "write a file");
}

static ct_status run(const char *dir, ct_profile p, unsigned flags, ct_error *err)
{
    ct_validate_options opts;
    ct_validate_report r;
    ct_status rc;
    ct_validate_options_init(&opts);
    opts.profile = p;
    opts.flags = flags | CT_VALIDATE_SKIP_FILES;
    rc = ct_validate_dir(&r, dir, &opts, err);
    check(rc == CT_OK || rc == CT_EPARSE || rc == CT_ENOMEM, "status is OK, EPARSE or ENOMEM");
    if (rc != CT_OK) {
        check(err->message[0] != '\0' && !strchr(err->message, '\n'), "one-line message");
        check(!strncmp(err->message, "trace", 5), "message names the file");
    }
    return rc;
}

static void properties(const char *dir)
{
    ct_status strict[3], lenient[3];
    ct_error e1, e2;
    int p;
    for (p = 0; p < 3; p++) {
        strict[p] = run(dir, (ct_profile)p, 0, &e1);
        check(run(dir, (ct_profile)p, 0, &e2) == strict[p], "same status twice");
        check(strict[p] == CT_OK || !strcmp(e1.message, e2.message), "same message twice");
        lenient[p] = run(dir, (ct_profile)p, CT_VALIDATE_LENIENT, &e1);
        check(strict[p] != CT_OK || lenient[p] == CT_OK, "strict OK implies lenient OK");
    }
    check(strict[0] != CT_OK || (strict[1] == CT_OK && strict[2] == CT_OK),
          "portable OK implies both others OK (strict)");
    check(lenient[0] != CT_OK || (lenient[1] == CT_OK && lenient[2] == CT_OK),
          "portable OK implies both others OK (lenient)");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char meta[] = "{\"recording_id\":\"01949fcc-7d92-7e9c-aaaa-bbbbbbbbbbbb\","
                               "\"workdir\":\"/w\",\"program\":\"p\",\"args\":[]}";
    /* the Path of the seed traces (tests/schema cases), so valid seeds pass strictly */
    static const char paths[] = "[\"/abs/src/Counter.sol\"]";
    static const char *const files[] = {"trace.json", "trace_metadata.json", "trace_paths.json"};
    char dir[] = "/tmp/ct-fuzz-validate-XXXXXX";
    char path[64];
    size_t i;
    check(mkdtemp(dir) != NULL, "mkdtemp");
    put(dir, "trace.json", data, size);
    put(dir, "trace_metadata.json", meta, sizeof meta - 1);
    put(dir, "trace_paths.json", paths, sizeof paths - 1);
    properties(dir);
    for (i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        check(unlink(path) == 0, "remove a temp file");
    }
    check(rmdir(dir) == 0, "remove the temp folder");
    return 0;
}
