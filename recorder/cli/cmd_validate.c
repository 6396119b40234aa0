/* `ctrecord validate DIR`: check a trace folder with ct_validate_dir and print the verdict. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include <ctrecord/validate.h>

static const char USAGE[] =
    "usage: ctrecord validate DIR [options]\n"
    "\n"
    "Check the trace folder DIR (trace.json, trace_metadata.json, trace_paths.json, files/)\n"
    "the way CodeTracer loads it. Prints \"ok: ...\" and exits 0, or prints the first problem\n"
    "(file, event index, JSON path) and exits 1.\n"
    "\n"
    "options:\n"
    "  --profile P             portable (default), codetracer-25.11 or current\n"
    "  --lenient-start         the canonical start (Path, Function \"<toplevel>\", Call,\n"
    "                          Type None) is only a warning\n"
    "  --lenient-metadata      trace_metadata.json / trace_paths.json may be missing, and\n"
    "                          recording_id too\n"
    "  --skip-files            do not require files/<path> for every Path\n"
    "  --allow-unknown-fields  ignore unknown keys in event records, as CodeTracer does\n"
    "  --lenient               all four (for traces of other recorders)\n"
    "  -h, --help              this text\n";

static int parse_profile(const char *s, ct_profile *out)
{
    if (!strcmp(s, "portable"))
        *out = CT_PROFILE_PORTABLE;
    else if (!strcmp(s, "codetracer-25.11"))
        *out = CT_PROFILE_CODETRACER_25_11;
    else if (!strcmp(s, "current"))
        *out = CT_PROFILE_CURRENT;
    else
        return -1;
    return 0;
}

static unsigned flag_of(const char *arg)
{
    static const struct { const char *name; unsigned flag; } FLAGS[] = {
        {"--lenient-start", CT_VALIDATE_LENIENT_START},
        {"--lenient-metadata", CT_VALIDATE_LENIENT_METADATA},
        {"--skip-files", CT_VALIDATE_SKIP_FILES},
        {"--allow-unknown-fields", CT_VALIDATE_ALLOW_UNKNOWN_FIELDS},
        {"--lenient", CT_VALIDATE_LENIENT},
    };
    size_t i;
    for (i = 0; i < sizeof FLAGS / sizeof FLAGS[0]; i++)
        if (!strcmp(arg, FLAGS[i].name))
            return FLAGS[i].flag;
    return 0;
}

/* Returns -1 when parsing went fine, else the exit code to return. */
static int parse_args(int argc, char **argv, ct_validate_options *opts, const char **dir)
{
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, stdout);
            return CT_EXIT_OK;
        } else if (!strcmp(a, "--profile")) {
            if (++i == argc || parse_profile(argv[i], &opts->profile) < 0)
                return ct_cli_usage_error("validate", "--profile needs portable, "
                                          "codetracer-25.11 or current");
        } else if (flag_of(a)) {
            opts->flags |= flag_of(a);
        } else if (a[0] == '-' && a[1]) {
            return ct_cli_usage_error("validate", "unknown option '%s'", a);
        } else if (*dir) {
            return ct_cli_usage_error("validate", "one trace folder only");
        } else {
            *dir = a;
        }
    }
    if (!*dir)
        return ct_cli_usage_error("validate", "no trace folder given");
    return -1;
}

static void print_ok(const ct_validate_report *r)
{
    printf("ok: %llu events, %llu steps, %llu calls, %llu returns, %llu values, %llu types, "
           "%llu paths, max depth %llu\n", (unsigned long long)r->events,
           (unsigned long long)r->per_type[CT_EV_STEP],
           (unsigned long long)r->per_type[CT_EV_CALL],
           (unsigned long long)r->per_type[CT_EV_RETURN],
           (unsigned long long)r->per_type[CT_EV_VALUE],
           (unsigned long long)r->per_type[CT_EV_TYPE],
           (unsigned long long)r->per_type[CT_EV_PATH], (unsigned long long)r->max_depth);
    if (r->warnings) {
        char line[sizeof r->first_warning + 40];
        snprintf(line, sizeof line, "%s (%llu warning%s)", r->first_warning,
                 (unsigned long long)r->warnings, r->warnings == 1 ? "" : "s");
        ct_cli_print_line("validate", "warning: ", line);
    }
}

int ct_cli_validate(int argc, char **argv)
{
    ct_validate_options opts;
    ct_validate_report report;
    ct_error err;
    const char *dir = NULL;
    int rc;
    ct_validate_options_init(&opts);
    rc = parse_args(argc, argv, &opts, &dir);
    if (rc >= 0)
        return rc;
    if (ct_validate_dir(&report, dir, &opts, &err) < 0)
        return ct_cli_fail("validate", &err);
    print_ok(&report);
    return CT_EXIT_OK;
}
