/*
 * Trace writer benchmark: N Step events, then N Value events carrying 256-bit BigInt values,
 * each written to a real trace folder through the public API (open, start, events, close).
 * Prints events/s, MB/s of trace.json and the process's peak RSS, which must not depend on N:
 * the writer streams and holds only interned names.
 *
 * usage: bench_writer [count=10000000] [folder=$TMPDIR or /tmp]
 */
#include <ctrecord/writer.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* CPU seconds of this process (user, system) so far: the wall clock on a busy machine
 * includes other processes and page-cache writeback. */
static void cpu_seconds(double *user, double *sys)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    *sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double file_mb(const char *dir)
{
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/trace.json", dir);
    return stat(path, &st) == 0 ? (double)st.st_size / 1e6 : 0;
}

static int open_started(ct_writer **w, const char *dir)
{
    ct_writer_options o;
    ct_error err;
    ct_writer_options_init(&o);
    o.copy_sources = false;
    o.overwrite = true;
    o.program = "bench_writer";
    if (ct_writer_open(w, dir, &o, &err) < 0 ||
        ct_writer_start(*w, "/bench/src/Bench.sol", 1) < 0) {
        fprintf(stderr, "bench_writer: %s\n", *w ? ct_writer_error(*w)->message : err.message);
        ct_writer_abort(*w);
        return -1;
    }
    return 0;
}

typedef struct clock3 {
    double wall, user, sys;
} clock3;

static clock3 clock_start(void)
{
    clock3 c;
    c.wall = now();
    cpu_seconds(&c.user, &c.sys);
    return c;
}

static int finish(ct_writer *w, const char *what, const char *dir, uint64_t events, clock3 t0)
{
    ct_error err;
    double secs, mb, user, sys;
    if (ct_writer_close(w, &err) < 0) {
        fprintf(stderr, "bench_writer: %s\n", err.message);
        return -1;
    }
    secs = now() - t0.wall;
    cpu_seconds(&user, &sys);
    user -= t0.user;
    sys -= t0.sys;
    mb = file_mb(dir);
    printf("%-20s %llu events: wall %.3f s = %.2f M events/s, %.0f MB/s; user %.3f s "
           "(%.2f M events/s), sys %.3f s; trace.json %.0f MB; peak RSS %.1f MB\n", what,
           (unsigned long long)events, secs, (double)events / secs / 1e6, mb / secs, user,
           (double)events / user / 1e6, sys, mb, (double)peak_rss_kb() / 1024.0);
    return 0;
}

static int bench_steps(const char *dir, uint64_t n)
{
    ct_writer *w = NULL;
    uint64_t i;
    clock3 t0 = clock_start();
    if (open_started(&w, dir) < 0)
        return -1;
    for (i = 0; i < n; i++)
        (void)ct_writer_step(w, 0, (int64_t)(1 + i % 997));   /* sticky; checked at close */
    return finish(w, "Step", dir, n, t0);
}

static int bench_bigint_values(const char *dir, uint64_t n)
{
    ct_writer *w = NULL;
    ct_type_id t = 0;
    ct_variable_id v = 0;
    ct_u256 word, scratch;
    uint64_t i, x = 0x9e3779b97f4a7c15u;
    clock3 t0 = clock_start();
    if (open_started(&w, dir) < 0)
        return -1;
    (void)ct_writer_type_id(&t, w, CT_TYPE_INT, "uint256");
    (void)ct_writer_variable_id(&v, w, "balance");
    (void)ct_writer_step(w, 0, 2);
    memset(&word, 0, sizeof word);
    for (i = 0; i < n; i++) {
        ct_value val;
        int k;
        /* a different full-width word each time (xorshift), as EVM storage values are */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        for (k = 0; k < 8; k++) {
            word.bytes[k] = (uint8_t)(x >> (8 * k));
            word.bytes[24 + k] = (uint8_t)(x >> (8 * (7 - k)));
        }
        val = ct_value_bigint_from_u256(t, &word, (i & 1) != 0, &scratch);
        (void)ct_writer_value(w, v, &val);
    }
    return finish(w, "Value (BigInt u256)", dir, n, t0);
}

int main(int argc, char **argv)
{
    uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000u;
    const char *base = argc > 2 ? argv[2] : getenv("TMPDIR");
    char dir[4096];
    int rc = 0;
    if (!base || !*base)
        base = "/tmp";
    snprintf(dir, sizeof dir, "%s/bench-writer-trace", base);
    printf("bench_writer: %llu events per run into %s\n", (unsigned long long)n, dir);
    if (bench_steps(dir, n) < 0 || bench_bigint_values(dir, n) < 0)
        rc = 1;
    {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            rc = 1;
    }
    return rc;
}
