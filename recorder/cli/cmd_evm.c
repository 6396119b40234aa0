/* `ctrecord evm INPUT -a ARTIFACTS -o OUT`: Solidity-level traces from a vmTrace. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctrecord/evm_record.h>

static const char USAGE[] =
    "usage: ctrecord evm INPUT -a ARTIFACTS [-a ARTIFACTS...] -o OUT [options]\n"
    "\n"
    "Write a CodeTracer trace folder for the transaction in INPUT (a trace_replayTransaction\n"
    "result with vmTrace, a file or '-' for stdin, gzip allowed) that steps through the\n"
    "Solidity sources. For a block (trace_replayBlockTransactions) OUT is a folder with one\n"
    "trace folder per transaction, named by its hash.\n"
    "\n"
    "options:\n"
    "  -a, --artifacts PATH    solc standard-JSON output or input, solc --combined-json output,\n"
    "                          a Foundry out/ folder, a Hardhat artifacts/ or build-info/\n"
    "                          folder; repeatable (a transaction may cross many projects)\n"
    "  -o, --output DIR        the trace folder (or the folder of trace folders for a block)\n"
    "  --sources DIR           where relative source paths live (default: the project folder\n"
    "                          of the artifacts, or the current directory)\n"
    "  --git REPO --rev REV    read the sources from a git repository at a revision\n"
    "  --address ADDR=NAME     ADDR runs contract NAME (when its code matches no artifact);\n"
    "                          repeatable\n"
    "  --granularity G         line (default): a step per source line; opcode: a step per op\n"
    "                          with its instruction\n"
    "  --profile P             portable (default), codetracer-25.11 or current\n"
    "  --dialect D             auto (default), erigon, openethereum, nethermind, besu, reth\n"
    "  --workdir DIR           workdir recorded in trace_metadata.json (default: current)\n"
    "  --force                 replace existing trace folders\n"
    "  -q, --quiet             do not print warnings\n"
    "  -h, --help              this text\n";

typedef struct evm_args {
    ct_evm_record_options o;
    const char **artifacts;
    size_t nartifacts;
    ct_evm_address_entry *amap;
    size_t namap;
    bool quiet;
} evm_args;

static int parse_enum(const char *s, const char *const *names, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!strcmp(s, names[i]))
            return (int)i;
    return -1;
}

static int add_address(evm_args *a, char *spec)
{
    char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1])
        return ct_cli_usage_error("evm", "--address needs ADDR=CONTRACT, got '%s'", spec);
    *eq = '\0';
    a->amap[a->namap].address = spec;
    a->amap[a->namap].contract = eq + 1;
    a->namap++;
    return -1;
}

/* One option with a value; returns -1 when handled, else an exit code. */
static int option(evm_args *a, const char *opt, char *val)
{
    static const char *const gran[] = {"line", "opcode"};
    static const char *const prof[] = {"portable", "codetracer-25.11", "current"};
    static const char *const dial[] = {"auto", "erigon", "openethereum", "nethermind", "besu",
                                       "reth"};
    int k;
    if (!strcmp(opt, "-a") || !strcmp(opt, "--artifacts"))
        a->artifacts[a->nartifacts++] = val;
    else if (!strcmp(opt, "-o") || !strcmp(opt, "--output"))
        a->o.output = val;
    else if (!strcmp(opt, "--sources"))
        a->o.sources_dir = val;
    else if (!strcmp(opt, "--git"))
        a->o.git_repo = val;
    else if (!strcmp(opt, "--rev"))
        a->o.git_rev = val;
    else if (!strcmp(opt, "--workdir"))
        a->o.workdir = val;
    else if (!strcmp(opt, "--address"))
        return add_address(a, val);
    else if (!strcmp(opt, "--granularity") && (k = parse_enum(val, gran, 2)) >= 0)
        a->o.granularity = (ct_evm_granularity)k;
    else if (!strcmp(opt, "--profile") && (k = parse_enum(val, prof, 3)) >= 0)
        a->o.profile = (ct_profile)k;
    else if (!strcmp(opt, "--dialect") && (k = parse_enum(val, dial, 6)) >= 0)
        a->o.dialect = (ct_dialect)k;
    else
        return ct_cli_usage_error("evm", "bad value '%s' for %s", val, opt);
    return -1;
}

static bool takes_value(const char *a)
{
    static const char *const opts[] = {"-a", "--artifacts", "-o", "--output", "--sources",
                                       "--git", "--rev", "--workdir", "--address",
                                       "--granularity", "--profile", "--dialect"};
    size_t i;
    for (i = 0; i < sizeof opts / sizeof opts[0]; i++)
        if (!strcmp(a, opts[i]))
            return true;
    return false;
}

static int parse_args(int argc, char **argv, evm_args *a)
{
    int i, rc;
    for (i = 1; i < argc; i++) {
        char *s = argv[i];
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            fputs(USAGE, stdout);
            return CT_EXIT_OK;
        } else if (takes_value(s)) {
            if (i + 1 == argc)
                return ct_cli_usage_error("evm", "%s needs a value", s);
            if ((rc = option(a, s, argv[++i])) >= 0)
                return rc;
        } else if (!strcmp(s, "--force")) {
            a->o.overwrite = true;
        } else if (!strcmp(s, "-q") || !strcmp(s, "--quiet")) {
            a->quiet = true;
        } else if (s[0] == '-' && s[1]) {
            return ct_cli_usage_error("evm", "unknown option '%s'", s);
        } else if (a->o.input) {
            return ct_cli_usage_error("evm", "one input only");
        } else {
            a->o.input = s;
        }
    }
    if (!a->o.input)
        return ct_cli_usage_error("evm", "no input given");
    if (!a->o.output)
        return ct_cli_usage_error("evm", "no output folder given (-o)");
    if (a->o.git_rev && !a->o.git_repo)
        return ct_cli_usage_error("evm", "--rev needs --git");
    return -1;
}

static void print_warning(void *payload, const char *line)
{
    (void)payload;
    ct_cli_print_line("evm", "warning: ", line);
}

int ct_cli_evm(int argc, char **argv)
{
    evm_args a;
    ct_evm_record_report rep;
    ct_error err;
    int rc;
    memset(&a, 0, sizeof a);
    ct_evm_record_options_init(&a.o);
    a.artifacts = calloc((size_t)argc + 1, sizeof *a.artifacts);
    a.amap = calloc((size_t)argc + 1, sizeof *a.amap);
    if (!a.artifacts || !a.amap) {
        free(a.artifacts);
        free(a.amap);
        fprintf(stderr, "ctrecord evm: out of memory\n");
        return CT_EXIT_SYSTEM;
    }
    rc = parse_args(argc, argv, &a);
    if (rc < 0) {
        a.o.artifacts = a.artifacts;
        a.o.nartifacts = a.nartifacts;
        a.o.address_map = a.amap;
        a.o.naddress_map = a.namap;
        a.o.on_warning = a.quiet ? NULL : print_warning;
        if (ct_evm_record(&a.o, &rep, &err) < 0)
            rc = ct_cli_fail("evm", &err);
        else {
            printf("ok: %llu transaction%s, %llu ops, %llu steps, %llu calls, %llu events, "
                   "%llu errors, %llu warnings\n", (unsigned long long)rep.transactions,
                   rep.transactions == 1 ? "" : "s", (unsigned long long)rep.ops,
                   (unsigned long long)rep.steps, (unsigned long long)rep.calls,
                   (unsigned long long)rep.events, (unsigned long long)rep.errors,
                   (unsigned long long)rep.warnings);
            rc = CT_EXIT_OK;
        }
    }
    free(a.artifacts);
    free(a.amap);
    return rc;
}
