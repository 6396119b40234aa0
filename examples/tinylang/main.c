/*
 * tinylang: run a .tl program, optionally recording a CodeTracer trace of it.
 *   tinylang PROGRAM.tl [-o TRACE_DIR] [--max-steps N]
 * Exit status: 0 ok, 1 error in the program (parse or runtime), 2 usage, 3 I/O or recording.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ctrecord/tracer.h>

#include "eval.h"
#include "parser.h"

#define MAX_SOURCE ((size_t)16 << 20)
#define DEFAULT_MAX_STEPS 1000000

enum { EXIT_PROGRAM = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

typedef struct cli {
    const char *program;
    const char *trace_dir;
    uint64_t max_steps;
} cli;

static int usage(FILE *to, int status)
{
    fputs("usage: tinylang PROGRAM.tl [-o TRACE_DIR] [--max-steps N]\n"
          "  -o, --output DIR   record a CodeTracer trace of the run into DIR (a previous trace\n"
          "                     there is replaced)\n"
          "  --max-steps N      stop with an error after N steps (default 1000000, 0 = none)\n",
          to);
    return status;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(cli *c, int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"max-steps", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char *end;
    int opt;
    c->max_steps = DEFAULT_MAX_STEPS;
    while ((opt = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        if (opt == 'o') {
            c->trace_dir = optarg;
        } else if (opt == 's') {
            errno = 0;
            c->max_steps = strtoull(optarg, &end, 10);
            if (errno || *end || optarg[0] == '-' || !optarg[0])
                return fprintf(stderr, "tinylang: bad --max-steps '%s'\n", optarg), EXIT_USAGE;
        } else {
            return usage(opt == 'h' ? stdout : stderr, opt == 'h' ? 0 : EXIT_USAGE);
        }
    }
    if (optind != argc - 1)
        return usage(stderr, EXIT_USAGE);
    c->program = argv[optind];
    return -1;
}

static char *read_source(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    if (!f || !(buf = malloc(MAX_SOURCE + 1)))
        goto fail;
    *len = fread(buf, 1, MAX_SOURCE + 1, f);
    if (ferror(f) || *len > MAX_SOURCE) {
        errno = ferror(f) ? EIO : EFBIG;
        goto fail;
    }
    fclose(f);
    return buf;
fail:
    fprintf(stderr, "tinylang: %s: %s\n", path, strerror(errno));
    free(buf);
    if (f)
        fclose(f);
    return NULL;
}

/* An existing folder is replaced only if it is a trace: a mistyped -o must not wipe a folder. */
static int may_replace(const char *dir)
{
    char marker[PATH_MAX];
    struct stat st;
    if (stat(dir, &st) != 0)
        return 1;
    snprintf(marker, sizeof marker, "%s/trace_metadata.json", dir);
    if (stat(marker, &st) == 0)
        return 1;
    fprintf(stderr, "tinylang: %s: exists and is not a trace folder\n", dir);
    return 0;
}

static int open_trace(ct_tracer **t, const cli *c, const char *abs_path)
{
    ct_writer_options opts;
    ct_error err;
    if (!may_replace(c->trace_dir))
        return -1;
    ct_writer_options_init(&opts);
    opts.overwrite = true;
    if (ct_tracer_open(t, c->trace_dir, abs_path, NULL, 0, &opts, &err) < 0) {
        fprintf(stderr, "tinylang: %s: %s\n", c->trace_dir, err.message);
        return -1;
    }
    return 0;
}

static int run(const cli *c, const tl_program *prog, const char *abs_path)
{
    tl_eval_options opts = {c->program, abs_path, NULL, c->max_steps, stdout};
    char msg[512];
    ct_error err;
    int status = 0;
    if (c->trace_dir && open_trace(&opts.tracer, c, abs_path) < 0)
        return EXIT_IO;
    if (tl_run(prog, &opts, msg, sizeof msg) < 0) {
        fflush(stdout);
        fprintf(stderr, "tinylang: %s\n", msg);
        status = EXIT_PROGRAM;
    }
    if (opts.tracer && ct_tracer_finish(opts.tracer, &err) < 0) {
        fprintf(stderr, "tinylang: %s: %s\n", c->trace_dir, err.message);
        status = EXIT_IO;
    }
    return status;
}

int main(int argc, char **argv)
{
    cli c = {0};
    tl_program prog;
    tl_parse_error perr;
    char abs_path[PATH_MAX];
    size_t len = 0;
    char *src;
    int status = parse_args(&c, argc, argv);
    if (status >= 0)
        return status;
    if (!(src = read_source(c.program, &len)))
        return EXIT_IO;
    if (!realpath(c.program, abs_path))
        snprintf(abs_path, sizeof abs_path, "%s", c.program);
    if (tl_parse(&prog, src, len, &perr) < 0) {
        fprintf(stderr, "tinylang: %s:%d:%d: %s\n", c.program, perr.line, perr.col, perr.message);
        free(src);
        return EXIT_PROGRAM;
    }
    status = run(&c, &prog, abs_path);
    tl_program_free(&prog);
    free(src);
    return status;
}
