/*
 * libFuzzer target for the whole `ctrecord evm` pipeline. The input is a mutation script
 * applied to a real vmTrace (trace-samples/erc20/transfer): each pair of bytes picks one hex
 * digit inside a "0x.." string (code, stack pushes, memory, calldata) or one decimal digit
 * (pc, gas, offsets) and replaces it with another of its kind, so the JSON stays well formed
 * while code, pcs, stacks and memory go wrong in every way. The recording runs with the
 * sample's real artifacts. Properties:
 *  - ct_evm_record returns CT_OK or an error status with a one-line message; never crashes;
 *  - every trace it writes passes ct_validate_dir;
 *  - a failed recording leaves no trace folder.
 * The sample is found next to this file (CT_SOURCE_DIR overrides); without it, nothing runs.
 */
#include <ctrecord/evm_record.h>
#include <ctrecord/validate.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_evm: property violated: %s\n", what);
        abort();
    }
}

static void root_dir(char *out, size_t cap)
{
    const char *env = getenv("CT_SOURCE_DIR");
    char *slash;
    if (env) {
        snprintf(out, cap, "%s", env);
        return;
    }
    snprintf(out, cap, "%s", __FILE__);   /* <root>/tests/fuzz/fuzz_evm.c */
    for (int i = 0; i < 3 && (slash = strrchr(out, '/')); i++)
        *slash = '\0';
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Positions that may change: hex digits of "0x.." strings (kind 'x'), digits of bare
 * numbers (kind '1' for a leading digit of a longer number, which must not become 0, else '0'). */
static size_t mutable_positions(const char *t, size_t len, size_t *pos, char *kind)
{
    size_t i, n = 0;
    int in_string = 0, in_hex = 0;
    for (i = 0; i < len; i++) {
        char c = t[i];
        if (c == '"') {
            in_string = !in_string;
            in_hex = in_string && i + 2 < len && t[i + 1] == '0' && t[i + 2] == 'x';
            if (in_hex)
                i += 2;
            continue;
        }
        if (in_hex && is_hex(c)) {
            kind[n] = 'x';
            pos[n++] = i;
        } else if (!in_string && c >= '0' && c <= '9') {
            int leading = i > 0 && !(t[i - 1] >= '0' && t[i - 1] <= '9') && i + 1 < len &&
                          t[i + 1] >= '0' && t[i + 1] <= '9';
            kind[n] = leading ? '1' : '0';
            pos[n++] = i;
        }
    }
    return n;
}

static void mutate(char *t, const size_t *pos, const char *kind, size_t npos,
                   const uint8_t *data, size_t size)
{
    static const char hexd[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i + 2 < size && npos; i += 3) {
        size_t k = ((size_t)data[i] << 8 | data[i + 1]) * 7919 % npos;
        uint8_t b = data[i + 2];
        if (kind[k] == 'x')
            t[pos[k]] = hexd[b & 15];
        else if (kind[k] == '1')
            t[pos[k]] = (char)('1' + b % 9);
        else
            t[pos[k]] = (char)('0' + b % 10);
    }
}

static void record(const char *input, const char *root, const char *out)
{
    char a1[1200], a2[1200];
    const char *arts[2] = {a1, a2};
    ct_evm_record_options o;
    ct_evm_record_report rep;
    ct_error err;
    ct_status rc;
    struct stat st;
    snprintf(a1, sizeof a1, "%s/trace-samples/erc20/solc-output.json", root);
    snprintf(a2, sizeof a2, "%s/trace-samples/erc20/solc-input.json", root);
    ct_evm_record_options_init(&o);
    o.input = input;
    o.artifacts = arts;
    o.nartifacts = 2;
    o.output = out;
    o.overwrite = true;
    rc = ct_evm_record(&o, &rep, &err);
    if (rc < 0) {
        check(err.message[0] && !strchr(err.message, '\n'), "one-line error message");
        check(stat(out, &st) != 0, "no folder after a failure");
        return;
    }
    if (stat(out, &st) == 0 && stat(input, &st) == 0) {
        ct_validate_report vr;
        ct_error verr;
        if (ct_validate_dir(&vr, out, NULL, &verr) != CT_OK) {
            fprintf(stderr, "fuzz_evm: %s\n", verr.message);
            check(0, "every written trace validates");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char root[1024], base[1200], dir[64] = "/tmp/ct-fuzz-evm-XXXXXX", input[128], out[128];
    char cmd[200];
    size_t len, npos, *pos;
    char *text, *kind;
    FILE *f;
    root_dir(root, sizeof root);
    snprintf(base, sizeof base, "%s/trace-samples/erc20/transfer/vmtrace.json", root);
    if (!(text = slurp(base, &len)))
        return 0;
    pos = malloc(len * sizeof *pos);
    kind = malloc(len);
    check(pos && kind, "memory");
    npos = mutable_positions(text, len, pos, kind);
    mutate(text, pos, kind, npos, data, size);
    check(mkdtemp(dir) != NULL, "temp folder");
    snprintf(input, sizeof input, "%s/in.json", dir);
    snprintf(out, sizeof out, "%s/trace", dir);
    f = fopen(input, "wb");
    check(f && fwrite(text, 1, len, f) == len && fclose(f) == 0, "write input");
    record(input, root, out);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    check(system(cmd) == 0, "cleanup");
    free(pos);
    free(kind);
    free(text);
    return 0;
}
