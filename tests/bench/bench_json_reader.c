/*
 * Tokenizer throughput on a generated vmTrace-shaped document (Erigon trace_replayTransaction
 * layout, compact like an RPC response: long `code` hex strings, small integers, many short
 * keys, push words, occasional mem.data and nested sub frames). Prints MB/s and tokens/s from
 * memory and from a file, plain and gzip; a pretty-printed variant shows the whitespace cost.
 * Usage: bench_json_reader [megabytes|file [only [repetitions]]] (default 128 MB, best of 3;
 * a file name instead of a size measures that file; `only` = run the cases whose label contains
 * this text, e.g. "memory, plain", for profiling).
 */
#include "util/input.h"
#include "util/json_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

typedef struct gen {
    char *buf;
    size_t len, cap;
    uint64_t rng;
} gen;

static uint64_t next_rand(gen *g)
{
    g->rng ^= g->rng << 13;
    g->rng ^= g->rng >> 7;
    g->rng ^= g->rng << 17;
    return g->rng;
}

static void put(gen *g, const char *s, size_t n)
{
    if (g->len + n + 1 > g->cap) {
        g->cap = (g->len + n + 1) * 2;
        g->buf = realloc(g->buf, g->cap);
        if (!g->buf) {
            perror("realloc");
            exit(3);
        }
    }
    memcpy(g->buf + g->len, s, n);
    g->len += n;
}

static void puts_(gen *g, const char *s)
{
    put(g, s, strlen(s));
}

static void put_hex(gen *g, size_t digits)
{
    char tmp[64];
    while (digits) {
        size_t k = digits < sizeof tmp ? digits : sizeof tmp, i;
        uint64_t r = next_rand(g);
        for (i = 0; i < k; i++, r = r >> 4 | r << 60)
            tmp[i] = "0123456789abcdef"[r & 15];
        put(g, tmp, k);
        digits -= k;
    }
}

static void put_op(gen *g, uint64_t pc, uint64_t *gas, const char *idx, int depth);

static void put_frame(gen *g, int depth, const char *idx, size_t nops)
{
    uint64_t gas = 5000000, i;
    char sub_idx[256];
    puts_(g, "{\"code\":\"0x");
    put_hex(g, 2 * (2000 + next_rand(g) % 22000));
    puts_(g, "\",\"ops\":[");
    for (i = 0; i < nops; i++) {
        if (i)
            puts_(g, ",");
        snprintf(sub_idx, sizeof sub_idx, "%.200s%llu", idx, (unsigned long long)i);
        put_op(g, i * 2, &gas, sub_idx, depth);
    }
    puts_(g, "]}");
}

static void put_op(gen *g, uint64_t pc, uint64_t *gas, const char *idx, int depth)
{
    static const char *const names[] = {"PUSH1", "ADD", "MSTORE", "DUP2", "SWAP1", "JUMPI",
                                        "PUSH20", "CALLVALUE", "SLOAD", "EQ", "POP", "MLOAD"};
    static const int push_digits[] = {2, 1, 0, 3, 40, 64, 1, 8};
    char tmp[512];
    uint64_t r = next_rand(g), cost = 2 + r % 8;
    size_t i, npush = (r >> 8) % 3;
    *gas -= cost;
    snprintf(tmp, sizeof tmp, "{\"cost\":%llu,\"ex\":{\"mem\":", (unsigned long long)cost);
    puts_(g, tmp);
    if ((r >> 12) % 8 == 0) {
        snprintf(tmp, sizeof tmp, "{\"data\":\"0x");
        puts_(g, tmp);
        put_hex(g, (r >> 16) % 64 == 0 ? 2 * 4096 : 64);
        snprintf(tmp, sizeof tmp, "\",\"off\":%llu}", (unsigned long long)((r >> 24) % 4096));
        puts_(g, tmp);
    } else {
        puts_(g, "null");
    }
    puts_(g, ",\"push\":[");
    for (i = 0; i < npush; i++) {
        puts_(g, i ? ",\"0x" : "\"0x");
        put_hex(g, (size_t)push_digits[(r >> (30 + 3 * i)) % 8]);
        puts_(g, "\"");
    }
    snprintf(tmp, sizeof tmp, "],\"store\":null,\"used\":%llu},\"idx\":\"%s\",\"op\":\"%s\","
             "\"pc\":%llu,\"sub\":", (unsigned long long)*gas, idx, names[(r >> 40) % 12],
             (unsigned long long)pc);
    puts_(g, tmp);
    if (depth < 3 && (r >> 48) % 400 == 0) {
        char child[256];
        snprintf(child, sizeof child, "%.200s-", idx); /* idx paths stay short: depth < 3 */
        put_frame(g, depth + 1, child, 50 + (r >> 52) % 300);
    } else {
        puts_(g, "null");
    }
    puts_(g, "}");
}

static char *make_document(size_t target, size_t *len)
{
    gen g = {NULL, 0, 0, 0x9e3779b97f4a7c15ull};
    size_t tx = 0;
    puts_(&g, "[");
    while (g.len < target) {
        char idx[32];
        if (tx)
            puts_(&g, ",");
        puts_(&g, "{\"output\":\"0x\",\"stateDiff\":null,\"trace\":[],\"transactionHash\":\"0x");
        put_hex(&g, 64);
        puts_(&g, "\",\"vmTrace\":");
        snprintf(idx, sizeof idx, "%zu-", tx++);
        put_frame(&g, 0, idx, 20000);
        puts_(&g, "}");
    }
    puts_(&g, "]");
    *len = g.len;
    return g.buf;
}

/* Pretty-printed copy (4-space indent), like the RPC test fixtures. */
static char *pretty(const char *s, size_t n, size_t *out_len)
{
    gen g = {NULL, 0, 0, 1};
    size_t i;
    int depth = 0;
    bool in_str = false;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            put(&g, &c, 1);
            in_str = c != '"';
            continue;
        }
        if (c == '}' || c == ']') {
            depth--;
            put(&g, "\n", 1);
            for (int k = 0; k < depth * 4; k++)
                put(&g, " ", 1);
        }
        put(&g, &c, 1);
        if (c == '"')
            in_str = true;
        if (c == ':')
            put(&g, " ", 1);
        if (c == '{' || c == '[' || c == ',') {
            depth += c != ',';
            put(&g, "\n", 1);
            for (int k = 0; k < depth * 4; k++)
                put(&g, " ", 1);
        }
    }
    *out_len = g.len;
    return g.buf;
}

static char *gzip_all(const char *s, size_t n, size_t *out_len)
{
    uLongf cap = compressBound((uLong)n) + 64;
    char *out = malloc(cap);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (!out || deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        exit(3);
    z.next_in = (unsigned char *)(uintptr_t)s;
    z.avail_in = (uInt)n;
    z.next_out = (unsigned char *)out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        exit(3);
    *out_len = z.total_out;
    deflateEnd(&z);
    return out;
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: on a shared machine it is far steadier than wall time. */
static double now(void)
{
    return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

/* Tokenize one input to the end; returns CPU seconds (wall seconds in *wall), -1 on error. */
static double run(ct__input *in, uint64_t *tokens, size_t *window, double *wall)
{
    ct__json_reader *r;
    ct__json_token t;
    ct_error err = {0};
    uint64_t n = 0, sum = 0;
    double t0 = now(), w0 = clock_s(CLOCK_MONOTONIC), dt;
    if (ct__json_reader_new(&r, in, "bench", NULL, &err) < 0)
        return -1;
    do {
        if (ct__json_next(r, &t, &err) < 0) {
            fprintf(stderr, "%s\n", err.message);
            ct__json_reader_free(r);
            return -1;
        }
        n++;
        sum += t.len;
    } while (t.type != CT__JSON_EOF);
    dt = now() - t0;
    *wall = clock_s(CLOCK_MONOTONIC) - w0;
    *window = ct__json_window_size(r);
    ct__json_reader_free(r);
    *tokens = n + (sum == 0);
    return dt;
}

static const char *only_case;
static int repetitions = 3;

static void report(const char *label, size_t bytes, bool from_file, const char *path,
                   const char *data, size_t len)
{
    double best = 1e30, best_wall = 1e30;
    uint64_t tokens = 0;
    size_t window = 0;
    int rep;
    if (only_case && !strstr(label, only_case))
        return;
    for (rep = 0; rep < repetitions; rep++) {
        ct__input *in;
        ct_error err = {0};
        double dt, wall = 0;
        if (from_file ? ct__input_open_file(&in, path, NULL, &err)
                      : ct__input_open_memory(&in, data, len, NULL, &err)) {
            fprintf(stderr, "%s\n", err.message);
            exit(1);
        }
        dt = run(in, &tokens, &window, &wall);
        ct__input_free(in);
        if (dt < 0)
            exit(1);
        if (dt < best)
            best = dt;
        if (wall < best_wall)
            best_wall = wall;
    }
    printf("%-24s %7.1f MB/s %6.1f Mtok/s (CPU time) %7.1f MB/s (wall)  %zu MB, %llu tokens, "
           "window %zu KiB\n",
           label, (double)bytes / 1e6 / best, (double)tokens / 1e6 / best,
           (double)bytes / 1e6 / best_wall, bytes >> 20, (unsigned long long)tokens,
           window >> 10);
}

/* The input layer alone (what gunzip costs before any tokenizing). */
static void report_input_only(const char *label, size_t bytes, const char *data, size_t len)
{
    static char chunk[1 << 20];
    double best = 1e30;
    int rep;
    if (only_case && !strstr(label, only_case))
        return;
    for (rep = 0; rep < repetitions; rep++) {
        ct__input *in;
        size_t n, total = 0;
        double t0 = now();
        if (ct__input_open_memory(&in, data, len, NULL, NULL) < 0)
            exit(1);
        do {
            if (ct__input_read(in, chunk, sizeof chunk, &n, NULL) < 0)
                exit(1);
            total += n;
        } while (n);
        ct__input_free(in);
        if (total != bytes)
            exit(1);
        if (now() - t0 < best)
            best = now() - t0;
    }
    printf("%-24s %7.1f MB/s (CPU time)\n", label, (double)bytes / 1e6 / best);
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(3);
    }
}

/* A whole file (to measure real data instead of the generated document). */
static char *load_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        perror(path);
        exit(3);
    }
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(3);
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 128, len, glen, plen;
    char *doc, *gz, *pp;
    char path[] = "/tmp/ct-bench-json-XXXXXX";
    char gpath[sizeof path + 3];
    int fd = mkstemp(path);
    only_case = argc > 2 ? argv[2] : NULL;
    repetitions = argc > 3 ? atoi(argv[3]) : 3;
    doc = mb ? make_document(mb << 20, &len) : load_file(argv[1], &len);
    if (fd < 0)
        return 3;
    close(fd);
    snprintf(gpath, sizeof gpath, "%s.gz", path);
    gz = gzip_all(doc, len, &glen);
    write_file(path, doc, len);
    write_file(gpath, gz, glen);
    printf("%s: %zu MB, gzip %zu MB\n", mb ? "vmTrace-shaped document" : argv[1], len >> 20,
           glen >> 20);
    report("memory, plain", len, false, NULL, doc, len);
    report("file, plain", len, true, path, NULL, 0);
    report_input_only("gunzip only (no tokens)", len, gz, glen);
    report("memory, gzip", len, false, NULL, gz, glen);
    report("file, gzip", len, true, gpath, NULL, 0);
    pp = pretty(doc, len, &plen);
    report("memory, pretty-printed", plen, false, NULL, pp, plen);
    unlink(path);
    unlink(gpath);
    free(pp);
    free(gz);
    free(doc);
    return 0;
}
