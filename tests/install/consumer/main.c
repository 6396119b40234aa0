/*
 * Consumer of an installed ctrecord: writes a small real trace with the public writer API,
 * then checks that the folder has what CodeTracer loads. Usage: ct_consumer OUT_DIR
 */
#include <ctrecord/bundle.h>
#include <ctrecord/writer.h>
#include <stdio.h>
#include <string.h>

static int fail(const char *what, const ct_error *err)
{
    fprintf(stderr, "ct_consumer: %s: %s\n", what, err->message);
    return 1;
}

static int file_starts_with(const char *dir, const char *name, const char *prefix)
{
    char path[4096], buf[64] = {0};
    FILE *f;
    size_t n;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "ct_consumer: %s missing\n", path);
        return 0;
    }
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    if (n < strlen(prefix) || memcmp(buf, prefix, strlen(prefix)) != 0) {
        fprintf(stderr, "ct_consumer: %s does not start with %s\n", path, prefix);
        return 0;
    }
    return 1;
}

static ct_status record(ct_writer *w)
{
    ct_path_id path;
    ct_type_id int_type;
    ct_variable_id x;
    ct_value v;
    ct_status rc = ct_writer_start(w, "/consumer/main.tl", 1);
    if (rc == CT_OK)
        rc = ct_writer_path_id(&path, w, "/consumer/main.tl");
    if (rc == CT_OK)
        rc = ct_writer_source(w, path, "x = 1\nx = x + 41\n", 17);
    if (rc == CT_OK)
        rc = ct_writer_type_id(&int_type, w, CT_TYPE_INT, "int");
    if (rc == CT_OK)
        rc = ct_writer_variable_id(&x, w, "x");
    if (rc == CT_OK)
        rc = ct_writer_step(w, path, 2);
    v = ct_value_int(int_type, 42);
    if (rc == CT_OK)
        rc = ct_writer_value(w, x, &v);
    return rc;
}

int main(int argc, char **argv)
{
    ct_writer_options opts;
    ct_writer *w;
    ct_error err;
    char bundle[4096];
    if (argc != 2) {
        fprintf(stderr, "usage: ct_consumer OUT_DIR\n");
        return 2;
    }
    ct_writer_options_init(&opts);
    opts.program = "ct_consumer";
    opts.args = (const char *const *)argv;
    opts.nargs = (size_t)argc;
    if (ct_writer_open(&w, argv[1], &opts, &err) < 0)
        return fail("open", &err);
    if (record(w) < 0) {
        fail("record", ct_writer_error(w));
        ct_writer_abort(w);
        return 1;
    }
    if (ct_writer_close(w, &err) < 0)
        return fail("close", &err);
    if (!file_starts_with(argv[1], "trace.json", "[") ||
        !file_starts_with(argv[1], "trace_metadata.json", "{\"recording_id\":") ||
        !file_starts_with(argv[1], "trace_paths.json", "[\"/consumer/main.tl\"]") ||
        !file_starts_with(argv[1], "files/consumer/main.tl", "x = 1"))
        return 1;
    snprintf(bundle, sizeof bundle, "%s.tar.gz", argv[1]);
    if (ct_bundle_pack(argv[1], bundle, &err) < 0)
        return fail("bundle", &err);
    printf("ctrecord %s: wrote %s and %s\n", ct_version(), argv[1], bundle);
    return 0;
}
