/* `ctrecord structlogs VMTRACE.json [-o OUT.json]`: Geth struct logs from a Parity vmTrace. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctrecord/replay.h>
#include <ctrecord/structlogs.h>

static const char USAGE[] =
    "usage: ctrecord structlogs [options] INPUT\n"
    "\n"
    "Replay a Parity-style vmTrace (trace_replayTransaction, trace_replayBlockTransactions,\n"
    "trace_call/callMany results, a bare vmTrace, a JSON-RPC response or an rpc-tests fixture;\n"
    "plain or gzip; INPUT '-' reads stdin) and write what Geth's debug_traceTransaction\n"
    "(or debug_traceBlockByNumber for a block) returns with the default struct logger.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE        write to FILE (appears only when complete); default stdout\n"
    "      --disable-stack      omit `stack` (Geth disableStack)\n"
    "      --disable-storage    omit `storage` (Geth disableStorage)\n"
    "      --enable-memory      add `memory` (Geth enableMemory)\n"
    "      --enable-return-data add `returnData` (Geth enableReturnData)\n"
    "      --legacy-encoding    memory words and storage without 0x (Geth before v1.17.3)\n"
    "      --storage-every-step `storage` on every step (Geth before v1.10.5, Besu)\n"
    "      --dialect NAME       auto|erigon|openethereum|nethermind|besu|reth (default auto)\n"
    "      --calldata-gas N     intrinsic gas per non-zero calldata byte for the top-level\n"
    "                           `gas`: 16 (default, Istanbul+) or 68 (earlier blocks)\n"
    "      --fork NAME          the block's fork, for the top-level `gas`: calldata price,\n"
    "                           EIP-3860 initcode words (shanghai+), EIP-7623 floor\n"
    "                           (prague+); frontier ... osaka\n"
    "      --max-memory BYTES   refuse frames whose memory would exceed this (default 64 MiB)\n"
    "  -q, --quiet              do not print client-defect warnings\n"
    "  -h, --help               this text\n";

typedef struct args {
    const char *in, *out;
    ct_replay_options ro;
    ct_structlogs_options so;
    bool quiet;
} args;

static int parse_number(const char *cmd, const char *flag, const char *v, uint64_t *out)
{
    char *end;
    unsigned long long n;
    errno = 0;
    n = strtoull(v, &end, 10);
    if (!*v || *end || v[0] == '-' || errno == ERANGE)
        return ct_cli_usage_error(cmd, "%s needs a non-negative integer, got '%s'", flag, v);
    *out = n;
    return -1;
}

/* A flag with a value; returns -1 when fine, else the exit code. */
static int value_flag(const char *cmd, const char *a, const char *v, args *g)
{
    uint64_t n = 0;
    int rc;
    if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
        g->out = v;
    } else if (!strcmp(a, "--dialect")) {
        if (!ct_dialect_parse(v, &g->ro.dialect))
            return ct_cli_usage_error(cmd, "unknown dialect '%s'", v);
    } else if (!strcmp(a, "--fork")) {
        if (!ct_structlogs_set_fork(&g->so, v))
            return ct_cli_usage_error(cmd, "unknown fork '%s'", v);
    } else if (!strcmp(a, "--calldata-gas")) {
        if ((rc = parse_number(cmd, a, v, &n)) >= 0)
            return rc;
        g->so.calldata_nonzero_gas = (uint32_t)n;
    } else {
        if ((rc = parse_number(cmd, a, v, &n)) >= 0)
            return rc;
        g->ro.max_memory = n;
    }
    return -1;
}

static bool takes_value(const char *a)
{
    return !strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--dialect") ||
           !strcmp(a, "--calldata-gas") || !strcmp(a, "--fork") || !strcmp(a, "--max-memory");
}

static int parse_args(int argc, char **argv, args *g)
{
    const char *cmd = argv[0];
    int i, rc;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, stdout);
            return CT_EXIT_OK;
        } else if (takes_value(a)) {
            if (++i == argc)
                return ct_cli_usage_error(cmd, "%s needs a value", a);
            if ((rc = value_flag(cmd, a, argv[i], g)) >= 0)
                return rc;
        } else if (!strcmp(a, "--disable-stack")) {
            g->so.disable_stack = true;
        } else if (!strcmp(a, "--disable-storage")) {
            g->so.disable_storage = true;
        } else if (!strcmp(a, "--enable-memory")) {
            g->so.enable_memory = true;
        } else if (!strcmp(a, "--enable-return-data")) {
            g->so.enable_return_data = true;
        } else if (!strcmp(a, "--storage-every-step")) {
            g->so.storage_every_step = true;
        } else if (!strcmp(a, "--legacy-encoding")) {
            g->so.legacy_encoding = true;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            g->quiet = true;
        } else if (a[0] == '-' && a[1]) {
            return ct_cli_usage_error(cmd, "unknown option '%s'", a);
        } else if (g->in) {
            return ct_cli_usage_error(cmd, "one input only ('%s' and '%s' given)", g->in, a);
        } else {
            g->in = a;
        }
    }
    if (!g->in)
        return ct_cli_usage_error(cmd, "no input given");
    return -1;
}

int ct_cli_structlogs(int argc, char **argv)
{
    args g;
    ct_replay *r = NULL;
    ct_error err;
    ct_status st;
    size_t i;
    int rc;
    memset(&g, 0, sizeof g);
    ct_replay_options_init(&g.ro);
    ct_structlogs_options_init(&g.so);
    if ((rc = parse_args(argc, argv, &g)) >= 0)
        return rc;
    if (ct_replay_open_file(&r, g.in, &g.ro, &err) < 0)
        return ct_cli_fail("structlogs", &err);
    st = ct_structlogs_write_file(r, g.out ? g.out : "-", &g.so, &err);
    for (i = 0; !g.quiet && i < ct_replay_warning_count(r); i++)
        ct_cli_print_line("structlogs", "warning: ", ct_replay_warning(r, i));
    ct_replay_free(r);
    if (st < 0)
        return ct_cli_fail("structlogs", &err);
    return CT_EXIT_OK;
}
