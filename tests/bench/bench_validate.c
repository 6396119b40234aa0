/*
 * Validator benchmark: a trace of N Steps and N BigInt Values (plus a call every 1000 steps) is
 * written with the writer, then checked with ct_validate_dir. Prints events/s, MB/s of
 * trace.json, CPU seconds and the process's peak RSS, which must not grow with N: the validator
 * parses one event at a time and keeps counters.
 *
 * usage: bench_validate [count=2000000] [folder=$TMPDIR or /tmp]
 */
#include <ctrecord/validate.h>
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

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int emit(ct_writer *w, long i, ct_type_id t, ct_variable_id v, ct_function_id f)
{
    uint8_t word[32];
    ct_value val;
    memset(word, 0xab, sizeof word);
    word[31] = (uint8_t)i;
    val = ct_value_bigint(t, word, sizeof word, false);
    if (i % 1000 == 999 && ct_writer_call(w, f, NULL, 0) < 0)
        return -1;
    if (ct_writer_step(w, 0, 1 + i % 100) < 0 || ct_writer_value(w, v, &val) < 0)
        return -1;
    return i % 1000 == 999 ? ct_writer_return(w, NULL) : 0;
}

static int write_trace(const char *dir, long n)
{
    ct_writer_options o;
    ct_writer *w = NULL;
    ct_error err;
    ct_type_id t;
    ct_variable_id v;
    ct_function_id f;
    long i;
    ct_writer_options_init(&o);
    o.copy_sources = false;
    o.overwrite = true;
    o.program = "bench_validate";
    if (ct_writer_open(&w, dir, &o, &err) < 0) {
        fprintf(stderr, "bench_validate: %s\n", err.message);
        return -1;
    }
    if (ct_writer_start(w, "/bench/src/Bench.sol", 1) < 0 ||
        ct_writer_type_id(&t, w, CT_TYPE_INT, "uint256") < 0 ||
        ct_writer_variable_id(&v, w, "balance") < 0 ||
        ct_writer_function_id(&f, w, "transfer", 0, 10) < 0)
        return -1;
    for (i = 0; i < n; i++)
        if (emit(w, i, t, v, f) < 0)
            break;
    return ct_writer_close(w, &err) < 0 ? (fprintf(stderr, "%s\n", err.message), -1) : 0;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000000;
    const char *base = argc > 2 ? argv[2] : getenv("TMPDIR");
    char dir[4096], path[4200];
    ct_validate_options opts;
    ct_validate_report r;
    ct_error err;
    struct stat st;
    double t0, c0, wall, cpu;
    snprintf(dir, sizeof dir, "%s/bench-validate-trace", base && *base ? base : "/tmp");
    if (write_trace(dir, n) < 0)
        return 1;
    snprintf(path, sizeof path, "%s/trace.json", dir);
    stat(path, &st);
    ct_validate_options_init(&opts);
    opts.flags = CT_VALIDATE_SKIP_FILES;   /* written without copying sources */
    t0 = now();
    c0 = cpu_seconds();
    if (ct_validate_dir(&r, dir, &opts, &err) < 0) {
        fprintf(stderr, "bench_validate: %s\n", err.message);
        return 1;
    }
    wall = now() - t0;
    cpu = cpu_seconds() - c0;
    printf("validate: %llu events, %.1f MB in %.2f s wall, %.2f s CPU: %.0f events/s, "
           "%.1f MB/s (CPU); peak RSS %ld KB\n", (unsigned long long)r.events,
           (double)st.st_size / 1e6, wall, cpu, (double)r.events / cpu,
           (double)st.st_size / 1e6 / cpu, peak_rss_kb());
    return 0;
}
