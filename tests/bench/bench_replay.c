/*
 * Replay and struct-log throughput, end to end (reading the file, tokenizing, replaying; the
 * struct logs formatted and written to /dev/null), on a generated vmTrace with more than a
 * million ops and 100 KB of EVM memory in use (a loop that writes and reads memory far apart,
 * like a contract holding a large buffer), then on the real-contract input of
 * trace-samples/gen-bench.mjs when it exists (plain and gzip). Each run is a child process, so
 * the peak RSS printed is the replay's own; the generated trace comes in two lengths: RSS must
 * not grow with the number of ops. Printed: input MB/s, steps (struct-log entries) per second,
 * struct-log output MB/s, all per second of CPU time (best of 3), and peak RSS.
 * Usage: bench_replay [iterations] (default 125000 loop iterations = 1.25 M ops), or
 * bench_replay FILE... to measure given traces (e.g. the rpc-tests fixtures).
 */
#include <ctrecord/replay.h>
#include <ctrecord/structlogs.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * pc0 PUSH1 0x2a; pc2 PUSH3 100000; pc6 MSTORE (memory -> 100032 bytes)
 * pc7 JUMPDEST; pc8 PUSH1 0x2a; pc10 PUSH2 0xabcd; pc13 MSTORE; pc14 PUSH2 0x1234; pc17 MLOAD;
 * pc18 POP; pc19 CALLVALUE (1 while looping, 0 at the end); pc20 PUSH1 7; pc22 JUMPI; pc23 STOP
 */
/* The real-contract input trace-samples/gen-bench.mjs writes (1.09 M ops of a Solidity loop). */
#define REAL_TRACE "/tmp/ctrecord-bench/vmtrace.json"

#define CODE "0x602a620186a0525b602a61abcd52611234515034600757" "00"
#define WORD "0x000000000000000000000000000000000000000000000000000000000000002a"
#define ZERO "0x0000000000000000000000000000000000000000000000000000000000000000"

typedef struct gen {
    FILE *f;
    unsigned long long gas;
    unsigned long long ops;
} gen;

static void op(gen *g, unsigned pc, unsigned cost, const char *push, const char *mem_off,
               const char *mem)
{
    g->gas -= cost;
    fprintf(g->f, "%s{\"cost\":%u,\"ex\":{\"mem\":", g->ops ? "," : "", cost);
    if (mem)
        fprintf(g->f, "{\"data\":\"%s\",\"off\":%s}", mem, mem_off);
    else
        fputs("null", g->f);
    fprintf(g->f, ",\"push\":[%s],\"store\":null,\"used\":%llu},\"pc\":%u,\"sub\":null}",
            push, g->gas, pc);
    g->ops++;
}

static unsigned long long generate(const char *path, unsigned long iterations)
{
    gen g = {fopen(path, "w"), 1000000000000ull, 0};
    unsigned long i;
    if (!g.f) {
        perror(path);
        exit(1);
    }
    fputs("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"output\":\"0x\",\"vmTrace\":{\"code\":\""
          CODE "\",\"ops\":[", g.f);
    op(&g, 0, 3, "\"0x2a\"", NULL, NULL);
    op(&g, 2, 3, "\"0x186a0\"", NULL, NULL);
    op(&g, 6, 9378, "", "100000", WORD);
    for (i = 0; i < iterations; i++) {
        op(&g, 7, 1, "", NULL, NULL);
        op(&g, 8, 3, "\"0x2a\"", NULL, NULL);
        op(&g, 10, 3, "\"0xabcd\"", NULL, NULL);
        op(&g, 13, 3, "", "43981", WORD);
        op(&g, 14, 3, "\"0x1234\"", NULL, NULL);
        op(&g, 17, 3, "\"0x0\"", "4660", ZERO);
        op(&g, 18, 2, "", NULL, NULL);
        op(&g, 19, 2, i + 1 < iterations ? "\"0x1\"" : "\"0x0\"", NULL, NULL);
        op(&g, 20, 3, "\"0x7\"", NULL, NULL);
        op(&g, 22, 10, "", NULL, NULL);
    }
    op(&g, 23, 0, "", NULL, NULL);
    fputs("]},\"transactionHash\":\"0x01\"}}\n", g.f);
    fclose(g.f);
    return g.ops;
}

/* In this process: replay, optionally writing struct logs to `out` (NULL: /dev/null); steps. */
static unsigned long long run(const char *path, int structlogs, const char *out)
{
    ct_replay *r = NULL;
    ct_error err;
    const ct_evm_tx *tx;
    const ct_evm_step *s;
    unsigned long long steps = 0;
    if (ct_replay_open_file(&r, path, NULL, &err) < 0) {
        fprintf(stderr, "%s\n", err.message);
        exit(1);
    }
    if (structlogs) {
        ct_structlogs_options o;
        int fd = out ? -1 : open("/dev/null", O_WRONLY);
        ct_status rc;
        ct_structlogs_options_init(&o);
        rc = out ? ct_structlogs_write_file(r, out, &o, &err)
                 : ct_structlogs_write_fd(r, fd, &o, &err);
        if (fd >= 0)
            close(fd);
        if (rc < 0) {
            fprintf(stderr, "%s\n", err.message);
            exit(1);
        }
        steps = 1;
    } else {
        while (ct_replay_next_tx(&tx, r) == CT_OK)
            while (ct_replay_next(&s, r) == CT_OK)
                steps++;
        if (ct_replay_error(r)->code < 0) {
            fprintf(stderr, "%s\n", ct_replay_error(r)->message);
            exit(1);
        }
    }
    ct_replay_free(r);
    return steps;
}

static double file_mb(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        perror(path);
        exit(1);
    }
    return (double)st.st_size / 1e6;
}

/* MB of JSON the replay reads: for gzip the decompressed size (the trailer's ISIZE, exact
 * below 4 GiB), so that plain and gzip figures compare. */
static double input_mb(const char *path)
{
    size_t n = strlen(path);
    unsigned char t[4];
    FILE *f;
    if (n < 3 || strcmp(path + n - 3, ".gz") != 0)
        return file_mb(path);
    f = fopen(path, "rb");
    if (!f || fseek(f, -4, SEEK_END) != 0 || fread(t, 1, 4, f) != 4) {
        perror(path);
        exit(1);
    }
    fclose(f);
    return (double)((uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 |
                    (uint32_t)t[3] << 24) / 1e6;
}

/* Bytes of struct logs the trace gives (written once to a temporary file, not timed). */
static double structlogs_mb(const char *path)
{
    char out[] = "/tmp/bench_replay_out_XXXXXX";
    int fd = mkstemp(out);
    double mb;
    if (fd < 0) {
        perror("mkstemp");
        exit(1);
    }
    close(fd);
    run(path, 1, out);
    mb = file_mb(out);
    unlink(out);
    return mb;
}

/* Run in a child; best CPU time (user + system, so that other load on a shared machine does
 * not count) of `reps`, and the child's peak RSS in KiB. `out_mb` > 0: struct logs written. */
static void measure(const char *label, const char *path, int structlogs, double mb,
                    double out_mb, unsigned long long steps, int reps)
{
    double best = 1e30;
    long rss = 0;
    int i;
    for (i = 0; i < reps; i++) {
        pid_t pid = fork();
        int status;
        struct rusage ru;
        double cpu;
        if (pid == 0) {
            run(path, structlogs, NULL);
            _exit(0);
        }
        wait4(pid, &status, 0, &ru);
        if (!WIFEXITED(status) || WEXITSTATUS(status)) {
            fprintf(stderr, "%s failed\n", label);
            exit(1);
        }
        cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
              (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
        if (cpu < best)
            best = cpu;
        if (ru.ru_maxrss > rss)
            rss = ru.ru_maxrss;
    }
    printf("%-30s in %6.1f MB/s  %5.2f M steps/s", label, mb / best, steps / best / 1e6);
    if (out_mb > 0)
        printf("  out %6.1f MB/s", out_mb / best);
    else
        printf("  %16s", "");
    printf("  peak RSS %6ld KiB\n", rss);
}

/* Both measurements of one trace file. */
static void measure_file(const char *name, const char *path, unsigned long long steps, int reps)
{
    double mb = input_mb(path), out = structlogs_mb(path);
    char label[80];
    printf("%s: %.1f MB of JSON, %llu steps, %.0f bytes/step; struct logs %.1f MB\n", name, mb,
           steps, mb * 1e6 / (double)steps, out);
    snprintf(label, sizeof label, "  replay only");
    measure(label, path, 0, mb, 0, steps, reps);
    snprintf(label, sizeof label, "  replay + structLogs");
    measure(label, path, 1, mb, out, steps, reps);
}

static void bench(const char *path, unsigned long iterations, int reps)
{
    unsigned long long ops = generate(path, iterations);
    char name[80];
    if (run(path, 0, NULL) != ops) {
        fprintf(stderr, "step count differs from the generated op count\n");
        exit(1);
    }
    snprintf(name, sizeof name, "generated, %llu ops, 100032 bytes of memory", ops);
    measure_file(name, path, ops, reps);
}

static void bench_file(const char *path)
{
    const char *base = strrchr(path, '/');
    measure_file(base ? base + 1 : path, path, run(path, 0, NULL), 3);
}

static int bench_generated(unsigned long iterations)
{
    char path[] = "/tmp/bench_replay_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        return 1;
    }
    close(fd);
    bench(path, iterations / 10 ? iterations / 10 : 1, 3);
    bench(path, iterations, 3);
    unlink(path);
    return 0;
}

int main(int argc, char **argv)
{
    int i;
    if (argc > 1 && (argv[1][0] < '0' || argv[1][0] > '9')) {
        for (i = 1; i < argc; i++)
            bench_file(argv[i]);
        return 0;
    }
    if (bench_generated(argc > 1 ? strtoul(argv[1], NULL, 10) : 125000))
        return 1;
    if (argc == 1 && access(REAL_TRACE, R_OK) == 0) {
        bench_file(REAL_TRACE);
        if (access(REAL_TRACE ".gz", R_OK) == 0)
            bench_file(REAL_TRACE ".gz");
    } else if (argc == 1) {
        printf("(%s absent: `cd trace-samples && node gen-bench.mjs` makes the real-contract "
               "input)\n", REAL_TRACE);
    }
    return 0;
}
