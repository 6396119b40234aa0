/* ctrecord: dispatch to a subcommand. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <ctrecord/common.h>

/* Subcommands are listed here as their files land. */
static const ct_cli_command commands[] = {
    {"validate", "check a trace folder the way CodeTracer loads it", ct_cli_validate},
    {"bundle", "pack a trace folder into one .tar.gz", ct_cli_bundle},
    {"unbundle", "restore a trace folder from a .tar.gz bundle", ct_cli_unbundle},
    {"structlogs", "Geth debug_traceTransaction struct logs from a Parity vmTrace", ct_cli_structlogs},
    {"evm", "Solidity-level CodeTracer traces from a vmTrace and compiler artifacts", ct_cli_evm},
    {NULL, NULL, NULL}
};

static void print_help(FILE *out)
{
    const ct_cli_command *c;
    fprintf(out, "usage: ctrecord <command> [options]\n\ncommands:\n");
    for (c = commands; c->name; c++)
        fprintf(out, "  %-12s %s\n", c->name, c->summary);
    fprintf(out, "\n`ctrecord <command> --help` describes a command; docs/cli.md has the manual.\n");
}

int ct_cli_exit_code(ct_status st)
{
    switch (st) {
    case CT_OK:
    case CT_DONE:
        return CT_EXIT_OK;
    case CT_EIO:
    case CT_ENOMEM:
        return CT_EXIT_SYSTEM;
    case CT_EINVAL:
        return CT_EXIT_USAGE;
    default:
        return CT_EXIT_INPUT;
    }
}

void ct_cli_print_line(const char *cmd, const char *kind, const char *text)
{
    const unsigned char *p;
    fprintf(stderr, "ctrecord %s: %s", cmd, kind);
    for (p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(stderr, "\\x%02x", *p);
        else
            fputc(*p, stderr);
    }
    fputc('\n', stderr);
}

int ct_cli_fail(const char *cmd, const ct_error *err)
{
    ct_cli_print_line(cmd, "", err && err->message[0] ? err->message
                                                     : ct_strerror(err ? err->code : CT_ERROR));
    return ct_cli_exit_code(err ? err->code : CT_ERROR);
}

int ct_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "ctrecord %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see `ctrecord %s --help`)\n", cmd);
    return CT_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    const ct_cli_command *c;
    if (argc < 2) {
        print_help(stderr);
        return CT_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        print_help(stdout);
        return CT_EXIT_OK;
    }
    if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
        printf("ctrecord %s\n", ct_version());
        return CT_EXIT_OK;
    }
    for (c = commands; c->name; c++)
        if (!strcmp(argv[1], c->name))
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "ctrecord: unknown command '%s' (see `ctrecord --help`)\n", argv[1]);
    return CT_EXIT_USAGE;
}
