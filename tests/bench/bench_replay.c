/*
 * Replay and struct-log throughput on a generated vmTrace with more than a million ops and
 * 100 KB of EVM memory in use (a loop that writes and reads memory far apart, like a contract
 * holding a large buffer). The trace is written to a temporary file and replayed from there in
 * child processes, so the peak RSS printed is the replay's own, for two trace lengths: it must
 * not grow with the number of ops.
 * Usage: bench_replay [iterations] (default 125000 loop iterations = 1.25 M ops), or
 * bench_replay FILE... to measure given traces (e.g. the rpc-tests fixtures).
 */
#include <ctrecord/replay.h>
#include <ctrecord/structlogs.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * pc0 PUSH1 0x2a; pc2 PUSH3 100000; pc6 MSTORE (memory -> 100032 bytes)
 * pc7 JUMPDEST; pc8 PUSH1 0x2a; pc10 PUSH2 0xabcd; pc13 MSTORE; pc14 PUSH2 0x1234; pc17 MLOAD;
 * pc18 POP; pc19 CALLVALUE (1 while looping, 0 at the end); pc20 PUSH1 7; pc22 JUMPI; pc23 STOP
 */
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

/* In this process: replay (and optionally write struct logs to /dev/null); steps seen. */
static unsigned long long run(const char *path, int structlogs)
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
        int fd = open("/dev/null", O_WRONLY);
        ct_structlogs_options o;
        ct_structlogs_options_init(&o);
        if (ct_structlogs_write_fd(r, fd, &o, &err) < 0) {
            fprintf(stderr, "%s\n", err.message);
            exit(1);
        }
        close(fd);
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

/* Run in a child; best CPU time (user + system, so that other load on a shared machine does
 * not count) of `reps`, and the child's peak RSS in KiB. */
static void measure(const char *label, const char *path, int structlogs, double mb,
                    unsigned long long ops, int reps)
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
            run(path, structlogs);
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
        rss = ru.ru_maxrss;
    }
    printf("%-34s %7.1f MB/s %6.2f M ops/s (CPU time)   peak RSS %6ld KiB\n", label,
           mb / best, ops / best / 1e6, rss);
}

static void bench(const char *path, unsigned long iterations, int reps)
{
    unsigned long long ops = generate(path, iterations);
    FILE *f = fopen(path, "r");
    double mb;
    char label[80];
    fseek(f, 0, SEEK_END);
    mb = ftell(f) / 1e6;
    fclose(f);
    printf("trace: %llu ops, %.1f MB, memory in use 100032 bytes\n", ops, mb);
    snprintf(label, sizeof label, "replay only (%llu ops)", ops);
    measure(label, path, 0, mb, ops, reps);
    snprintf(label, sizeof label, "replay + structLogs (%llu ops)", ops);
    measure(label, path, 1, mb, ops, reps);
    if (run(path, 0) != ops + 0) {
        fprintf(stderr, "step count differs from the generated op count\n");
        exit(1);
    }
}

static void bench_file(const char *path)
{
    FILE *f = fopen(path, "r");
    unsigned long long steps;
    double mb;
    char label[80];
    const char *base = strrchr(path, '/');
    if (!f) {
        perror(path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    mb = ftell(f) / 1e6;
    fclose(f);
    steps = run(path, 0);
    snprintf(label, sizeof label, "%.22s replay", base ? base + 1 : path);
    measure(label, path, 0, mb, steps, 3);
    snprintf(label, sizeof label, "%.22s + structLogs", base ? base + 1 : path);
    measure(label, path, 1, mb, steps, 3);
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
    return bench_generated(argc > 1 ? strtoul(argv[1], NULL, 10) : 125000);
}
