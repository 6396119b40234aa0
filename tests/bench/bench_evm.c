/*
 * ctrecord evm end to end: a vmTrace of more than a million ops (trace-samples/gen-bench.mjs
 * writes it to /tmp/ctrecord-bench/) with its solc artifacts becomes a Solidity-level trace at
 * line granularity. Prints ops/s, output MB/s and the peak RSS, next to the peak RSS of a
 * 500-op transaction: memory must not grow with the number of ops. Each run is a child
 * process so its RSS is its own.
 * Usage: bench_evm [BENCH_DIR] [SAMPLES_DIR] [OUT_DIR]
 */
#include <ctrecord/evm_record.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long long dir_bytes(const char *dir)
{
    char cmd[1200], buf[64];
    FILE *p;
    unsigned long long n = 0;
    snprintf(cmd, sizeof cmd, "du -sb '%s' 2>/dev/null", dir);
    if ((p = popen(cmd, "r")) && fgets(buf, sizeof buf, p))
        n = strtoull(buf, NULL, 10);
    if (p)
        pclose(p);
    return n;
}

/* Record in a child; report ops, seconds and peak RSS (KiB). */
static int run(const char *input, const char *out, const char *art, const char *in,
               unsigned long long *ops, double *secs, long *rss_kb)
{
    int fds[2];
    pid_t pid;
    int status;
    struct rusage ru;
    double t0 = now();
    if (pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        ct_evm_record_options o;
        ct_evm_record_report rep;
        ct_error err;
        const char *arts[2] = {art, in};
        close(fds[0]);
        ct_evm_record_options_init(&o);
        o.input = input;
        o.artifacts = arts;
        o.nartifacts = 2;
        o.output = out;
        o.overwrite = true;
        if (ct_evm_record(&o, &rep, &err) != CT_OK) {
            fprintf(stderr, "bench_evm: %s\n", err.message);
            _exit(1);
        }
        if (write(fds[1], &rep.ops, sizeof rep.ops) != sizeof rep.ops)
            _exit(1);
        _exit(0);
    }
    close(fds[1]);
    if (read(fds[0], ops, sizeof *ops) != sizeof *ops)
        *ops = 0;
    close(fds[0]);
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
        return -1;
    *secs = now() - t0;
    *rss_kb = ru.ru_maxrss;
    return 0;
}

int main(int argc, char **argv)
{
    const char *bench = argc > 1 ? argv[1] : "/tmp/ctrecord-bench";
    const char *samples = argc > 2 ? argv[2] : "trace-samples";
    const char *outdir = argc > 3 ? argv[3] : "/tmp";
    char input[1024], art[1024], in[1024], out[1024], sin[1024], sart[1024], sinp[1024];
    unsigned long long ops, sops;
    double secs, ssecs;
    long rss, srss;
    struct stat st;
    snprintf(input, sizeof input, "%s/vmtrace.json", bench);
    snprintf(art, sizeof art, "%s/solc-output.json", bench);
    snprintf(in, sizeof in, "%s/solc-input.json", bench);
    if (stat(input, &st) != 0) {
        printf("bench_evm: %s missing; generate it with `node trace-samples/gen-bench.mjs`\n",
               input);
        return 0;
    }
    snprintf(out, sizeof out, "%s/ctrecord-bench-evm-trace", outdir);
    snprintf(sin, sizeof sin, "%s/erc20/transfer/vmtrace.json", samples);
    snprintf(sart, sizeof sart, "%s/erc20/solc-output.json", samples);
    snprintf(sinp, sizeof sinp, "%s/erc20/solc-input.json", samples);
    if (run(input, out, art, in, &ops, &secs, &rss) != 0)
        return 1;
    printf("evm (line granularity): %llu ops in %.3f s = %.0f ops/s; input %.1f MB/s; "
           "output %.1f MB at %.1f MB/s; peak RSS %ld KiB\n", ops, secs, (double)ops / secs,
           (double)st.st_size / 1e6 / secs, (double)dir_bytes(out) / 1e6,
           (double)dir_bytes(out) / 1e6 / secs, rss);
    if (run(sin, out, sart, sinp, &sops, &ssecs, &srss) == 0)
        printf("evm memory check: peak RSS %ld KiB for %llu ops vs %ld KiB for %llu ops\n", srss,
               sops, rss, ops);
    return 0;
}
