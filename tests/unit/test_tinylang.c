/*
 * examples/tinylang run for real ($CT_TINYLANG): the traces of the samples are checked fact by
 * fact (steps follow the source, calls carry named arguments, returns carry results, locals
 * follow every step, print becomes Write events), runtime errors end the trace with an Error
 * event, and no input crashes the interpreter. Traces are written under
 * $CT_BINARY_DIR/test-traces/test_tinylang-<name>/ so the schema test validates them too.
 */
#include "ct_test.h"
#include "tinylang_gen.h"

#include <ctrecord/validate.h>

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A sanitizer report must not pass for tinylang's own "error in the program" status 1. */
#define SANITIZED "ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86\" " \
                  "UBSAN_OPTIONS=\"${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86\" "

#define MAX_STEPS 20000
#define MAX_CALLS 4096

typedef struct tstep {
    int64_t line;
    int depth;
    char locals[256];         /* "name=value," for every Value (and Call arg) of the step */
} tstep;

typedef struct tcall {
    char function[32];
    char args[128];           /* "name=value," */
    int64_t first_arg;
    int64_t result;
    int returned;
} tcall;

typedef struct ttrace {
    int status;               /* tinylang's exit status */
    char *out, *err;          /* its stdout and stderr */
    cJSON *events;
    const char *names[256];   /* VariableName by id */
    int nnames;
    const char *functions[64];
    int nfunctions;
    tstep steps[MAX_STEPS];
    int nsteps;
    tcall calls[MAX_CALLS];   /* calls[0] is the toplevel; later ones past MAX_CALLS share */
    tcall extra_call;         /* this slot, so that only the count is right */
    int ncalls, nreturns, nerrors;
    char writes[4096];        /* the Write events' contents, concatenated */
    char write_lines[256];    /* "line," of the step each Write event belongs to */
    int64_t error_line;       /* line of the step the (last) Error event belongs to */
    int open_calls;           /* as counted by ct_validate_dir() */
    const cJSON *last;        /* the last event's payload */
} ttrace;

static const char *tinylang(void)
{
    const char *exe = getenv("CT_TINYLANG");
    return exe && *exe ? exe : NULL;
}

/* Run tinylang with the arguments (and redirections) `fmt`; returns its exit status. */
#if defined(__GNUC__)
static int tinylang_status(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
#endif

static int tinylang_status(const char *fmt, ...)
{
    char args[6000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    return ct_test_system(SANITIZED "'%s' %s", tinylang(), args);
}

/* $CT_BINARY_DIR/test-traces/test_tinylang-<name> (or under /tmp); static-free: caller buffer. */
static void trace_dir(char *out, size_t size, const char *name)
{
    const char *bin = getenv("CT_BINARY_DIR");
    snprintf(out, size, "%s/test-traces/test_tinylang-%s", bin && *bin ? bin : "/tmp", name);
}

static void append_value(char *dst, size_t size, const char *name, const cJSON *value)
{
    size_t n = strlen(dst);
    const cJSON *i = cJSON_GetObjectItem(value, "i");
    snprintf(dst + n, size - n, "%s=%lld,", name ? name : "?",
             i ? (long long)i->valuedouble : -999999LL);
}

static void on_call(ttrace *t, const cJSON *p, int after_step, int depth)
{
    const cJSON *args = cJSON_GetObjectItem(p, "args"), *a;
    int fid = cJSON_GetObjectItem(p, "function_id")->valueint;
    tcall *c = t->ncalls < MAX_CALLS ? &t->calls[t->ncalls] : &t->extra_call;
    t->ncalls++;
    memset(c, 0, sizeof *c);
    assert_true(fid < t->nfunctions);
    snprintf(c->function, sizeof c->function, "%s", t->functions[fid]);
    cJSON_ArrayForEach(a, args) {
        const cJSON *value = cJSON_GetObjectItem(a, "value");
        const char *name = t->names[cJSON_GetObjectItem(a, "variable_id")->valueint];
        if (a == args->child)
            c->first_arg = (int64_t)cJSON_GetObjectItem(value, "i")->valuedouble;
        append_value(c->args, sizeof c->args, name, value);
        if (after_step)   /* the Step at the function's line shows the arguments as locals */
            append_value(t->steps[t->nsteps - 1].locals, sizeof t->steps[0].locals, name, value);
    }
    if (after_step)
        t->steps[t->nsteps - 1].depth = depth;
}

static void on_return(ttrace *t, const cJSON *p, int depth)
{
    int i, open = 0;
    /* the innermost open call is the depth-th one still open, counting from the start */
    for (i = 0; i < t->ncalls && i < MAX_CALLS; i++) {
        if (!t->calls[i].returned && ++open == depth) {
            t->calls[i].returned = 1;
            t->calls[i].result =
                (int64_t)cJSON_GetObjectItem(cJSON_GetObjectItem(p, "return_value"), "i")
                    ->valuedouble;
            break;
        }
    }
    t->nreturns++;
}

static void analyze(ttrace *t)
{
    const cJSON *e, *prev = NULL;
    int depth = 0;
    cJSON_ArrayForEach(e, t->events) {
        const cJSON *p = e->child;
        const char *kind = p->string;
        if (!strcmp(kind, "VariableName")) {
            assert_true(t->nnames < 256);
            t->names[t->nnames++] = p->valuestring;
        } else if (!strcmp(kind, "Function")) {
            t->functions[t->nfunctions++] = cJSON_GetObjectItem(p, "name")->valuestring;
        } else if (!strcmp(kind, "Step")) {   /* past MAX_STEPS the last slot is reused */
            tstep *s = &t->steps[t->nsteps < MAX_STEPS ? t->nsteps++ : MAX_STEPS - 1];
            s->line = cJSON_GetObjectItem(p, "line")->valueint;
            s->depth = depth;
            s->locals[0] = '\0';
        } else if (!strcmp(kind, "Value") && t->nsteps) {
            append_value(t->steps[t->nsteps - 1].locals, sizeof t->steps[0].locals,
                         t->names[cJSON_GetObjectItem(p, "variable_id")->valueint],
                         cJSON_GetObjectItem(p, "value"));
        } else if (!strcmp(kind, "Call")) {
            depth++;
            on_call(t, p, prev && !strcmp(prev->child->string, "Step"), depth);
        } else if (!strcmp(kind, "Return")) {
            on_return(t, p, depth--);
        } else if (!strcmp(kind, "Event")) {
            int k = cJSON_GetObjectItem(p, "kind")->valueint;
            int64_t line = t->nsteps ? t->steps[t->nsteps - 1].line : 0;
            size_t n = strlen(t->write_lines);
            if (k == 0) {
                strncat(t->writes, cJSON_GetObjectItem(p, "content")->valuestring,
                        sizeof t->writes - strlen(t->writes) - 1);
                snprintf(t->write_lines + n, sizeof t->write_lines - n, "%lld,",
                         (long long)line);
            }
            if (k == 11) {
                t->nerrors++;
                t->error_line = line;
            }
        }
        t->last = p;
        prev = e;
    }
}

static char *read_or_empty(const char *path)
{
    char *s = ct_test_read_file(path, NULL);
    return s ? s : calloc(1, 1);
}

/* Run tinylang on `program` recording into `dir`; `t` must be zeroed. */
static void run_in(ttrace *t, const char *dir, const char *program, const char *flags)
{
    char path[4200], *tmp = ct_test_tmpdir("tinylang-out"), *text;
    assert_non_null(tmp);
    ct_test_rmrf(dir);
    assert_int_equal(ct_test_system("mkdir -p \"$(dirname '%s')\"", dir), 0);
    t->status = tinylang_status("'%s' -o '%s' %s > '%s/out' 2> '%s/err'", program, dir,
                                flags ? flags : "", tmp, tmp);
    snprintf(path, sizeof path, "%s/out", tmp);
    t->out = read_or_empty(path);
    snprintf(path, sizeof path, "%s/err", tmp);
    t->err = read_or_empty(path);
    ct_test_rmrf(tmp);
    free(tmp);
    snprintf(path, sizeof path, "%s/trace.json", dir);
    if ((text = ct_test_read_file(path, NULL))) {
        ct_validate_report report;
        ct_error err;
        if (ct_validate_dir(&report, dir, NULL, &err) != CT_OK)   /* CodeTracer's loader rules */
            fail_msg("%s: %s", dir, err.message);
        t->open_calls = (int)report.open_calls;
        t->events = cJSON_Parse(text);
        free(text);
        assert_true(cJSON_IsArray(t->events));
        analyze(t);
    }
}

/* Same, into trace_dir(name), where the schema test finds it. */
static void run(ttrace *t, const char *name, const char *program, const char *flags)
{
    char dir[4096];
    trace_dir(dir, sizeof dir, name);
    run_in(t, dir, program, flags);
}

static void done(ttrace *t)
{
    cJSON_Delete(t->events);
    free(t->out);
    free(t->err);
    free(t);
}

static ttrace *run_sample(const char *sample)
{
    char *program = ct_test_env_path("CT_SOURCE_DIR", "examples/tinylang/samples/");
    char path[4096], name[64];
    ttrace *t = calloc(1, sizeof *t);
    assert_non_null(t);
    assert_non_null(program);
    snprintf(path, sizeof path, "%s%s.tl", program, sample);
    snprintf(name, sizeof name, "sample-%s", sample);
    run(t, name, path, NULL);
    free(program);
    assert_int_equal(t->status, 0);
    assert_non_null(t->events);
    return t;
}

static int64_t fib(int64_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static void test_tinylang__fib_steps_calls_returns_and_output(void **state)
{
    static const int64_t first_lines[] = {9, 10, 2, 3, 6, 2, 3, 6, 2, 3, 6, 2, 3, 6, 2, 3, 4};
    ttrace *t;
    int i, fib_calls = 0;
    (void)state;
    if (!tinylang())
        skip();
    t = run_sample("fib");
    for (i = 0; i < (int)(sizeof first_lines / sizeof first_lines[0]); i++)
        assert_int_equal(t->steps[i].line, first_lines[i]);
    assert_string_equal(t->calls[0].function, "<toplevel>");
    assert_string_equal(t->calls[1].function, "fib");
    assert_string_equal(t->calls[1].args, "n=5,");
    for (i = 1; i < t->ncalls; i++) {
        assert_string_equal(t->calls[i].function, "fib");
        assert_true(t->calls[i].returned);
        assert_int_equal(t->calls[i].result, fib(t->calls[i].first_arg));
        fib_calls++;
    }
    assert_int_equal(fib_calls, 15);               /* fib(5) makes 15 calls */
    assert_int_equal(t->calls[5].first_arg, 1);    /* fib(5) > 4 > 3 > 2 > 1 ... */
    assert_int_equal(t->calls[5].result, 1);       /* ... and fib(1) returns 1 */
    assert_int_equal(t->nreturns, t->ncalls - 1);  /* the toplevel stays open */
    assert_int_equal(t->open_calls, 1);
    assert_string_equal(t->out, "fib 5 = 5\n0\n1\n1\n2\n3\n");
    assert_string_equal(t->writes, t->out);
    /* the print of fib(5) is back on its own line 10 after the calls, then the loop's line 15 */
    assert_string_equal(t->write_lines, "10,15,15,15,15,15,");
    assert_int_equal(t->nerrors, 0);
    assert_string_equal(t->err, "");
    done(t);
}

/* Every variable of the frame, with its value at the start of the line, after every Step. */
static void test_tinylang__fib_locals_follow_every_step(void **state)
{
    static const struct { int64_t line; const char *defines; } assigns[] = {
        {9, "n"}, {11, "a"}, {12, "b"}, {13, "i"}, {16, "next"}, {17, "a"}, {18, "b"}, {19, "i"},
    };
    const char *defined[8];
    int ndefined = 0, i, j, k, while_tests = 0;
    char want[32];
    ttrace *t;
    (void)state;
    if (!tinylang())
        skip();
    t = run_sample("fib");
    for (i = 0; i < t->nsteps; i++) {
        const tstep *s = &t->steps[i];
        if (s->depth > 1) {                          /* inside fib: the frame is just n */
            assert_non_null(strstr(s->locals, "n="));
            continue;
        }
        for (j = 0; j < ndefined; j++) {
            snprintf(want, sizeof want, "%s=", defined[j]);
            assert_non_null(strstr(s->locals, want));
        }
        if (s->line == 14) {                         /* the loop test sees i = 0, 1, ... 5 */
            snprintf(want, sizeof want, "i=%d,", while_tests++);
            assert_non_null(strstr(s->locals, want));
        }
        for (k = 0; k < (int)(sizeof assigns / sizeof assigns[0]); k++) {
            if (assigns[k].line != s->line)
                continue;
            for (j = 0; j < ndefined && strcmp(defined[j], assigns[k].defines); j++)
                ;
            if (j == ndefined)
                defined[ndefined++] = assigns[k].defines;
        }
    }
    assert_int_equal(while_tests, 6);
    assert_int_equal(ndefined, 5);
    done(t);
}

/* The expected output is the sample's "# Output:" comment block. */
static void expected_output(char *out, size_t size, const char *sample_path)
{
    char *src = ct_test_read_file(sample_path, NULL), *p, *line;
    size_t n = 0;
    assert_non_null(src);
    p = strstr(src, "# Output:\n");
    assert_non_null(p);
    for (line = strtok(p + strlen("# Output:\n"), "\n"); line; line = strtok(NULL, "\n")) {
        assert_true(strncmp(line, "# ", 2) == 0);
        n += (size_t)snprintf(out + n, size - n, "%s\n", line + 2);
    }
    free(src);
}

static const tcall *find_call(const ttrace *t, const char *function)
{
    int i;
    for (i = 0; i < t->ncalls; i++)
        if (!strcmp(t->calls[i].function, function))
            return &t->calls[i];
    return NULL;
}

static void test_tinylang__features_sample(void **state)
{
    static const char *const functions[] = {"max", "fact", "sign", "report", "gcd", "no_return"};
    char expected[1024], *path;
    int64_t factorial = 1;
    ttrace *t;
    int i;
    (void)state;
    if (!tinylang())
        skip();
    t = run_sample("features");
    path = ct_test_env_path("CT_SOURCE_DIR", "examples/tinylang/samples/features.tl");
    expected_output(expected, sizeof expected, path);
    free(path);
    assert_string_equal(t->out, expected);
    assert_string_equal(t->writes, expected);
    for (i = 0; i < 6; i++)
        assert_non_null(find_call(t, functions[i]));
    assert_string_equal(find_call(t, "report")->args, "label=1,value=7,");
    assert_int_equal(find_call(t, "report")->result, 0);      /* bare return */
    assert_string_equal(find_call(t, "gcd")->args, "a=1071,b=462,");
    assert_int_equal(find_call(t, "gcd")->result, 21);
    assert_string_equal(find_call(t, "max")->args, "a=7,b=-3,");
    for (i = 0; i < t->ncalls; i++) {
        if (!strcmp(t->calls[i].function, "fact")) {
            int64_t k;
            for (k = 2, factorial = 1; k <= t->calls[i].first_arg; k++)
                factorial *= k;
            assert_int_equal(t->calls[i].result, factorial);
        }
    }
    assert_int_equal(t->nreturns, t->ncalls - 1);
    assert_int_equal(t->nerrors, 0);
    done(t);
}

static char *write_program(const char *dir, const char *name, const char *text)
{
    char *path = malloc(strlen(dir) + strlen(name) + 8);
    assert_non_null(path);
    sprintf(path, "%s/%s.tl", dir, name);
    assert_int_equal(ct_test_write_file(path, text, strlen(text)), 0);
    return path;
}

typedef struct error_case {
    const char *name, *program, *flags;
    const char *where;     /* ":LINE:COL: " (or a prefix of it) after the program's path */
    const char *message;
    const char *output;    /* what the program printed before failing */
} error_case;

/* One line on stderr, exit 1, and the same text in an Error event, the trace's last. */
static void check_error_case(const error_case *c, const ttrace *t, const char *path)
{
    char line[600];
    assert_int_equal(t->status, 1);
    snprintf(line, sizeof line, "tinylang: %s%s", path, c->where);
    if (strncmp(t->err, line, strlen(line)) != 0 || !strstr(t->err, c->message))
        fail_msg("%s: stderr is \"%s\", expected \"%s...%s\"", c->name, t->err, line, c->message);
    assert_ptr_equal(strchr(t->err, '\n'), t->err + strlen(t->err) - 1);
    assert_non_null(t->events);
    assert_string_equal(t->last->string, "Event");
    assert_int_equal(cJSON_GetObjectItem(t->last, "kind")->valueint, 11);
    snprintf(line, sizeof line, "%s", t->err + strlen("tinylang: "));
    line[strlen(line) - 1] = '\0';
    assert_string_equal(cJSON_GetObjectItem(t->last, "content")->valuestring, line);
    assert_int_equal(t->nerrors, 1);
    assert_int_equal(t->error_line, atoi(c->where + 1));   /* on the step of the failing line */
    assert_true(t->nreturns < t->ncalls);
    assert_string_equal(t->out, c->output);
    assert_string_equal(t->writes, c->output);
}

static void test_tinylang__runtime_errors_end_the_trace_with_an_error_event(void **state)
{
    static const error_case cases[] = {
        {"div", "fn f(a) {\n  return 10 / a\n}\nx = 3\nprint f(x)\nprint f(0)\n", NULL,
         ":2:13: ", "division by zero", "3\n"},
        {"undefined", "x = 1\nif x { print y }\n", NULL, ":2:14: ", "undefined variable 'y'", ""},
        {"arity", "fn f(a) { return a }\nprint f(1, 2)\n", NULL, ":2:7: ",
         "function 'f' takes 1 argument, 2 given", ""},
        /* which expression of line 2 meets the stack limit depends on the build */
        {"recursion", "fn f(a) {\n  return f(a + 1)\n}\nprint f(0)\n", NULL, ":2:",
         "recursion too deep", ""},
        {"steps", "print 1\nwhile 1 { }\n", "--max-steps 50", ":2:1: ",
         "step limit of 50 reached", "1\n"},
        {"overflow", "x = 9223372036854775807\nx = x + 1\n", NULL, ":2:7: ", "integer overflow",
         ""},
        /* after a call returned: the error belongs to the caller's line, not the callee's */
        {"after-call", "fn f(a) {\n  return a\n}\nx = f(1) / 0\n", NULL, ":4:10: ",
         "division by zero", ""},
    };
    char *tmp = ct_test_tmpdir("tinylang-err"), *path, name[64], dir[4200];
    size_t i;
    (void)state;
    if (!tinylang())
        skip();
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ttrace *t = calloc(1, sizeof *t);
        assert_non_null(t);
        path = write_program(tmp, cases[i].name, cases[i].program);
        if (strcmp(cases[i].name, "recursion") == 0) {   /* megabytes: kept out of test-traces */
            snprintf(dir, sizeof dir, "%s/trace", tmp);
            run_in(t, dir, path, cases[i].flags);
        } else {
            snprintf(name, sizeof name, "error-%s", cases[i].name);
            run(t, name, path, cases[i].flags);
        }
        check_error_case(&cases[i], t, path);
        free(path);
        done(t);
    }
    ct_test_rmrf(tmp);
    free(tmp);
}

static void test_tinylang__parse_errors_name_line_and_column(void **state)
{
    static const struct { const char *program, *message; } cases[] = {
        {"x = 1 +\n", ":2:1: expected an expression, found end of file"},
        {"x = \"abc\n", ":1:5: unterminated string"},
        {"if 1 {\n  fn g() {}\n}\n", ":2:3: functions can only be defined at the top level"},
        {"x = g(1)\n", ":1:5: undefined function 'g'"},
        {"return 1\n", ":1:1: 'return' outside a function"},
        {"fn f(a, a) {}\n", ":1:9: duplicate parameter 'a'"},
        {"x = 99999999999999999999\n", ":1:5: integer literal too large"},
        {"x == 1\n", ":1:1: expected a statement"},
        {"x = 1 $\n", ":1:7: unexpected character '$'"},
    };
    char *tmp = ct_test_tmpdir("tinylang-parse"), *path, want[600], dir[4096];
    size_t i;
    (void)state;
    if (!tinylang())
        skip();
    trace_dir(dir, sizeof dir, "parse-error");
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ttrace *t = calloc(1, sizeof *t);
        assert_non_null(t);
        path = write_program(tmp, "bad", cases[i].program);
        run(t, "parse-error", path, NULL);
        assert_int_equal(t->status, 1);
        snprintf(want, sizeof want, "tinylang: %s%s", path, cases[i].message);
        if (strncmp(t->err, want, strlen(want)) != 0)
            fail_msg("stderr is \"%s\", expected \"%s...\"", t->err, want);
        assert_false(ct_test_exists(dir));          /* nothing ran, nothing recorded */
        free(path);
        done(t);
    }
    ct_test_rmrf(tmp);
    free(tmp);
}

/* Nesting beyond every bound: a clean error (or result), never a crash. */
static void test_tinylang__hostile_nesting(void **state)
{
    char *tmp = ct_test_tmpdir("tinylang-deep"), *path, *text;
    size_t i, len;
    int status;
    (void)state;
    if (!tinylang())
        skip();
    assert_non_null(text = malloc(500000));
    memcpy(text, "x = ", 4);                         /* 100000 open parentheses */
    memset(text + 4, '(', 100000);
    text[100004] = '\0';
    path = write_program(tmp, "parens", text);
    assert_int_equal(tinylang_status("'%s' 2>/dev/null", path), 1);
    free(path);
    strcpy(text, "x = 1");                           /* a 100000-deep left-leaning tree */
    for (len = 5, i = 0; i < 100000; i++, len += 4)
        memcpy(text + len, " + 1", 5);
    path = write_program(tmp, "chain", text);
    status = tinylang_status("'%s' -o '%s/chain-trace' 2>/dev/null", path, tmp);
    assert_true(status == 0 || status == 1);
    free(path);
    free(text);
    ct_test_rmrf(tmp);
    free(tmp);
}

/* Every random program ends with status 0 or 1 and, once it ran, a trace CodeTracer loads. */
static void test_tinylang__random_programs_leave_valid_traces(void **state)
{
    char *tmp = ct_test_tmpdir("tinylang-gen"), *path, dir[4200];
    gen g = {0x2545f4914f6cdd1du, NULL, 0, 20000, "", 0};
    int i, status, ok = 0, traces = 0;
    ct_error err;
    (void)state;
    if (!tinylang())
        skip();
    assert_non_null(g.text = malloc(g.cap));
    snprintf(dir, sizeof dir, "%s/trace", tmp);
    for (i = 0; i < 100; i++) {
        gen_program(&g);
        path = write_program(tmp, "gen", g.text);
        ct_test_rmrf(dir);
        status = tinylang_status("'%s' --max-steps 5000 -o '%s' >/dev/null 2>&1", path, dir);
        if (status != 0 && status != 1)
            fail_msg("exit status %d on:\n%s", status, g.text);
        if (!ct_test_exists(dir))
            fail_msg("no trace of:\n%s", g.text);
        if (ct_validate_dir(NULL, dir, NULL, &err) != CT_OK)
            fail_msg("invalid trace (%s) of:\n%s", err.message, g.text);
        ok += status == 0;
        traces++;
        free(path);
    }
    print_message("%d random programs recorded, %d ran to the end\n", traces, ok);
    assert_true(ok > 50);             /* most generated programs run to their end */
    free(g.text);
    ct_test_rmrf(tmp);
    free(tmp);
}

/* Token soup: mostly parse errors; the interpreter must answer every one cleanly. */
static void test_tinylang__random_token_soup(void **state)
{
    static const char *const pieces[] = {
        "fn ", "f", "g", "(", ")", "{", "}", "x", " = ", "1", "0", " + ", " - ", " * ", " / ",
        " % ", "if ", "else ", "while ", "return ", "print ", "\"s\"", ", ", " < ", " == ",
        "!", " && ", " || ", "\n", "-", "x = x + 1\n", "f(x)", "fn f(x) { return f(x) }\n",
        "\"", "\\", "#", "@", "99999999999999999999",
    };
    char *tmp = ct_test_tmpdir("tinylang-soup"), *path, text[2048], dir[4200];
    gen g = {0x9e3779b97f4a7c15u, NULL, 0, 0, "", 0};
    size_t i, len;
    int run_index, status;
    ct_error err;
    (void)state;
    if (!tinylang())
        skip();
    snprintf(dir, sizeof dir, "%s/trace", tmp);
    for (run_index = 0; run_index < 100; run_index++) {
        for (len = 0, i = 0; i < 40; i++) {
            const char *piece = pieces[pick(&g, sizeof pieces / sizeof pieces[0])];
            memcpy(text + len, piece, strlen(piece) + 1);
            len += strlen(piece);
        }
        path = write_program(tmp, "soup", text);
        ct_test_rmrf(dir);
        status = tinylang_status("'%s' --max-steps 2000 -o '%s' >/dev/null 2>&1", path, dir);
        if (status != 0 && status != 1)
            fail_msg("exit status %d on:\n%s", status, text);
        if (ct_test_exists(dir) && ct_validate_dir(NULL, dir, NULL, &err) != CT_OK)
            fail_msg("invalid trace (%s) of:\n%s", err.message, text);
        free(path);
    }
    ct_test_rmrf(tmp);
    free(tmp);
}

static void test_tinylang__usage(void **state)
{
    (void)state;
    if (!tinylang())
        skip();
    assert_int_equal(tinylang_status("> /dev/null 2>&1"), 2);
    assert_int_equal(tinylang_status("--bogus x.tl > /dev/null 2>&1"), 2);
    assert_int_equal(tinylang_status("--help > /dev/null"), 0);
    assert_int_equal(tinylang_status("/nonexistent/x.tl 2> /dev/null"), 3);
}

/* A program without statements still gives a trace CodeTracer can open (it needs a Step). */
static void test_tinylang__empty_program_has_a_step(void **state)
{
    char *tmp = ct_test_tmpdir("tinylang-empty"), *program;
    ttrace *t = calloc(1, sizeof *t);
    (void)state;
    if (!tinylang())
        skip();
    assert_non_null(t);
    program = write_program(tmp, "empty", "# nothing to run\nfn f() { return 1 }\n");
    run(t, "empty", program, NULL);
    assert_int_equal(t->status, 0);
    assert_int_equal(t->nsteps, 1);
    assert_int_equal(t->steps[0].line, 1);
    free(program);
    done(t);
    ct_test_rmrf(tmp);
    free(tmp);
}

/* -o replaces an earlier trace but refuses to replace any other folder. */
static void test_tinylang__output_folder_is_replaced_only_if_a_trace(void **state)
{
    char *tmp = ct_test_tmpdir("tinylang-o"), *program, keep[4200];
    (void)state;
    if (!tinylang())
        skip();
    program = write_program(tmp, "p", "print 1\n");
    assert_int_equal(tinylang_status("'%s' -o '%s/t' > /dev/null", program, tmp), 0);
    assert_int_equal(tinylang_status("'%s' -o '%s/t' > /dev/null", program, tmp), 0);
    snprintf(keep, sizeof keep, "%s/precious", tmp);
    assert_int_equal(ct_test_write_file(keep, "x", 1), 0);
    assert_int_equal(tinylang_status("'%s' -o '%s' > /dev/null 2>&1", program, tmp), 3);
    assert_true(ct_test_exists(keep));
    free(program);
    ct_test_rmrf(tmp);
    free(tmp);
}

/* Every C block the README quotes is a verbatim piece of the interpreter's sources. */
static void test_tinylang__readme_quotes_the_sources(void **state)
{
    static const char *const files[] = {"README.md", "eval.c", "main.c"};
    char *text[3], *path, *block, *end;
    int i, quotes = 0;
    (void)state;
    for (i = 0; i < 3; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "examples/tinylang/%s", files[i]);
        if (!(path = ct_test_env_path("CT_SOURCE_DIR", rel)))
            skip();
        assert_non_null(text[i] = ct_test_read_file(path, NULL));
        free(path);
    }
    for (block = text[0]; (block = strstr(block, "```c\n")); block = end + 1) {
        block += strlen("```c\n");
        assert_non_null(end = strstr(block, "```\n"));
        *end = '\0';
        if (!strstr(text[1], block) && !strstr(text[2], block))
            fail_msg("README quote not found in eval.c or main.c:\n%s", block);
        quotes++;
    }
    assert_true(quotes >= 6);
    for (i = 0; i < 3; i++)
        free(text[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tinylang__fib_steps_calls_returns_and_output),
        cmocka_unit_test(test_tinylang__fib_locals_follow_every_step),
        cmocka_unit_test(test_tinylang__features_sample),
        cmocka_unit_test(test_tinylang__runtime_errors_end_the_trace_with_an_error_event),
        cmocka_unit_test(test_tinylang__parse_errors_name_line_and_column),
        cmocka_unit_test(test_tinylang__hostile_nesting),
        cmocka_unit_test(test_tinylang__random_programs_leave_valid_traces),
        cmocka_unit_test(test_tinylang__random_token_soup),
        cmocka_unit_test(test_tinylang__usage),
        cmocka_unit_test(test_tinylang__empty_program_has_a_step),
        cmocka_unit_test(test_tinylang__output_folder_is_replaced_only_if_a_trace),
        cmocka_unit_test(test_tinylang__readme_quotes_the_sources),
    };
    return cmocka_run_group_tests_name("tinylang", tests, NULL, NULL);
}
