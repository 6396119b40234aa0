/*
 * The ctrecord command line: one file per subcommand (cmd_<name>.c), each mapping its flags
 * onto library calls. Only this folder prints or chooses exit codes.
 */
#ifndef CT_CLI_H
#define CT_CLI_H

#include <ctrecord/common.h>

/* Exit codes, documented in docs/cli.md. */
enum {
    CT_EXIT_OK = 0,
    CT_EXIT_INPUT = 1,    /* bad input, replay or validation failure */
    CT_EXIT_USAGE = 2,    /* bad flags or arguments */
    CT_EXIT_SYSTEM = 3    /* I/O or resource failure */
};

typedef struct ct_cli_command {
    const char *name;
    const char *summary;                 /* one line for `ctrecord --help` */
    int (*run)(int argc, char **argv);   /* argv[0] is the subcommand name */
} ct_cli_command;

/**
 * Print "ctrecord <cmd>: <kind><text>" as one line on stderr: control characters in `text`
 * (they come from the input, e.g. a JSON-RPC error message) are printed as \xNN.
 */
void ct_cli_print_line(const char *cmd, const char *kind, const char *text);
/** Print "ctrecord <cmd>: <message>" on stderr for `err`, and map its code to an exit code. */
int ct_cli_fail(const char *cmd, const ct_error *err);
/** Print a usage error ("ctrecord <cmd>: <message>" + a hint) on stderr; returns CT_EXIT_USAGE. */
int ct_cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Exit code for a status. */
int ct_cli_exit_code(ct_status st);

/* Subcommands (each defined in its cmd_<name>.c). */
int ct_cli_validate(int argc, char **argv);
int ct_cli_structlogs(int argc, char **argv);
int ct_cli_evm(int argc, char **argv);
int ct_cli_bundle(int argc, char **argv);
int ct_cli_unbundle(int argc, char **argv);

#endif
