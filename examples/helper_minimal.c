/*
 * The helper API on one page (quoted by docs/helper-api.md). The program traces itself: each
 * Step names a line of this file, so CodeTracer opens the trace on this very source.
 * Usage: helper_minimal TRACE_DIR
 */
#include <ctrecord/tracer.h>
#include <stdio.h>

static void local(ct_tracer *t, const char *name, int64_t value)
{
    ct_value v = ct_tracer_int_value(t, value);   /* registers type "Int" on first use */
    ct_tracer_variable(t, name, &v);              /* VariableName on first use, then Value */
}

static const int64_t square_line = __LINE__ + 1;
static int64_t square(ct_tracer *t, int64_t n)
{
    ct_value arg = ct_tracer_int_value(t, n), result = ct_tracer_int_value(t, n * n);
    ct_tracer_arg(t, "n", &arg);                          /* staged for the next call */
    ct_tracer_call(t, "square", __FILE__, square_line);   /* Value n, Step, Call square(n) */
    ct_tracer_step(t, __FILE__, __LINE__ + 3);            /* the line about to run */
    local(t, "n", n);                                     /* every step lists its locals */
    ct_tracer_return(t, &result);
    return n * n;
}

int main(int argc, char **argv)
{
    ct_tracer *t;
    ct_error err;
    char out[64];
    int64_t total = 0;
    if (argc != 2)
        return fprintf(stderr, "usage: helper_minimal TRACE_DIR\n"), 2;
    if (ct_tracer_open(&t, argv[1], argv[0], NULL, 0, NULL, &err) < 0)
        return fprintf(stderr, "helper_minimal: %s\n", err.message), 1;
    ct_tracer_start(t, __FILE__, __LINE__);
    for (int64_t i = 1; i <= 3; i++) {
        ct_tracer_step(t, __FILE__, __LINE__ + 3);
        local(t, "i", i);
        local(t, "total", total);
        total += square(t, i);
    }
    ct_tracer_step(t, __FILE__, __LINE__ + 2);
    local(t, "total", total);
    snprintf(out, sizeof out, "total %lld\n", (long long)total);
    fputs(out, stdout);
    ct_tracer_event(t, CT_EVENT_WRITE, NULL, out);        /* program output */
    if (ct_tracer_finish(t, &err) < 0)    /* errors are sticky: this is the check that counts */
        return fprintf(stderr, "helper_minimal: %s\n", err.message), 1;
    return 0;
}
