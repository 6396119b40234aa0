/* `ctrecord bundle DIR -o FILE.tar.gz` and `ctrecord unbundle FILE.tar.gz -o DIR`. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include <ctrecord/bundle.h>

static const char BUNDLE_USAGE[] =
    "usage: ctrecord bundle DIR -o FILE.tar.gz\n"
    "\n"
    "Pack the trace folder DIR (regular files and folders, files/ included) into one\n"
    "gzip-compressed POSIX tar archive that any tar reads. FILE.tar.gz appears only when\n"
    "complete; an existing FILE.tar.gz is replaced.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE   the archive to write (required)\n"
    "  -h, --help          this text\n";

static const char UNBUNDLE_USAGE[] =
    "usage: ctrecord unbundle FILE.tar.gz -o DIR\n"
    "\n"
    "Restore a bundle into the new folder DIR (it must not exist). Archives with absolute or\n"
    "'..' member names, links, devices, bad checksums or truncated/corrupt data are refused\n"
    "and leave nothing behind.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR    the folder to create (required)\n"
    "  -h, --help          this text\n";

/* Returns -1 when parsing went fine, else the exit code to return. */
static int parse_args(int argc, char **argv, const char *usage, const char **in,
                      const char **out)
{
    const char *cmd = argv[0];
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return CT_EXIT_OK;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i == argc)
                return ct_cli_usage_error(cmd, "%s needs a value", a);
            *out = argv[i];
        } else if (a[0] == '-' && a[1]) {
            return ct_cli_usage_error(cmd, "unknown option '%s'", a);
        } else if (*in) {
            return ct_cli_usage_error(cmd, "one input only ('%s' and '%s' given)", *in, a);
        } else {
            *in = a;
        }
    }
    if (!*in)
        return ct_cli_usage_error(cmd, "no input given");
    if (!*out)
        return ct_cli_usage_error(cmd, "no output given (-o)");
    return -1;
}

int ct_cli_bundle(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL;
    ct_error err;
    int rc = parse_args(argc, argv, BUNDLE_USAGE, &dir, &out);
    if (rc >= 0)
        return rc;
    if (ct_bundle_pack(dir, out, &err) < 0)
        return ct_cli_fail("bundle", &err);
    return CT_EXIT_OK;
}

int ct_cli_unbundle(int argc, char **argv)
{
    const char *archive = NULL, *out = NULL;
    ct_error err;
    int rc = parse_args(argc, argv, UNBUNDLE_USAGE, &archive, &out);
    if (rc >= 0)
        return rc;
    if (ct_bundle_unpack(archive, out, &err) < 0)
        return ct_cli_fail("unbundle", &err);
    return CT_EXIT_OK;
}
