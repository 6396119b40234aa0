/*
 * Random tinylang programs for tests/unit/test_tinylang.c: a seeded generator of well-formed
 * programs (functions f(a) and g(a, b), assignments, if/else, bounded while loops, print) and
 * the pick() it draws from. Header-only because each test file is its own executable.
 */
#ifndef CT_TINYLANG_GEN_H
#define CT_TINYLANG_GEN_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct gen {
    uint64_t seed;
    char *text;
    size_t len, cap;
    const char *vars;        /* the variable names usable here, one letter each */
    int callable;            /* 0: no calls, 1: f, 2: f and g (so nothing recurses forever) */
} gen;

static inline unsigned pick(gen *g, unsigned n)
{
    g->seed = g->seed * 6364136223846793005u + 1442695040888963407u;
    return (unsigned)(g->seed >> 33) % n;
}

static inline void put(gen *g, const char *s)
{
    size_t n = strlen(s);
    if (g->len + n < g->cap) {
        memcpy(g->text + g->len, s, n + 1);
        g->len += n;
    }
}

static inline void gen_expr(gen *g, int depth)
{
    static const char *const ops[] = {" + ", " - ", " * ", " / ", " % ", " < ", " == ", " != ",
                                      " >= ", " && ", " || "};
    char buf[32];
    unsigned choice = depth > 3 ? pick(g, 2) : pick(g, 6);
    if ((choice == 3 && g->callable < 1) || (choice == 4 && g->callable < 2))
        choice = 0;
    switch (choice) {
    case 0: snprintf(buf, sizeof buf, "%u", pick(g, 10)); put(g, buf); return;
    case 1: snprintf(buf, sizeof buf, "%c", g->vars[pick(g, (unsigned)strlen(g->vars))]);
            put(g, buf); return;
    case 2: put(g, pick(g, 2) ? "-" : "!"); gen_expr(g, depth + 1); return;
    case 3: put(g, "f("); gen_expr(g, depth + 1); put(g, ")"); return;
    case 4: put(g, "g("); gen_expr(g, depth + 1); put(g, ", "); gen_expr(g, depth + 1);
            put(g, ")"); return;
    default: put(g, "("); gen_expr(g, depth + 1); put(g, ops[pick(g, 11)]);
             gen_expr(g, depth + 1); put(g, ")"); return;
    }
}

static inline void gen_block(gen *g, int depth, int in_function);

static inline void gen_stmt(gen *g, int depth, int in_function)
{
    char buf[32];
    unsigned choice = depth > 2 ? pick(g, 2) : pick(g, 6 + in_function);
    if ((choice == 4 && g->callable < 1) || (choice == 5 && g->callable < 2))
        choice = 1;
    switch (choice) {
    case 0: snprintf(buf, sizeof buf, "%c = ", g->vars[pick(g, (unsigned)strlen(g->vars))]);
            put(g, buf); gen_expr(g, 0); put(g, "\n"); return;
    case 1: put(g, "print \"v\", "); gen_expr(g, 0); put(g, "\n"); return;
    case 2: put(g, "if "); gen_expr(g, 0); gen_block(g, depth + 1, in_function);
            if (pick(g, 2)) {
                put(g, " else");
                gen_block(g, depth + 1, in_function);
            }
            put(g, "\n"); return;
    case 3: put(g, "k = 0\nwhile k < 3 {\n  k = k + 1\n"); gen_stmt(g, depth + 1, in_function);
            put(g, "}\n"); return;
    case 4: put(g, "f("); gen_expr(g, 0); put(g, ")\n"); return;
    case 5: snprintf(buf, sizeof buf, "%c = g(%c, ", g->vars[0], g->vars[1]);
            put(g, buf); gen_expr(g, 0); put(g, ")\n"); return;
    default: put(g, "return "); gen_expr(g, 0); put(g, "\n"); return;
    }
}

static inline void gen_block(gen *g, int depth, int in_function)
{
    unsigned i, n = 1 + pick(g, 3);
    put(g, " {\n");
    for (i = 0; i < n; i++)
        gen_stmt(g, depth, in_function);
    put(g, "}");
}

/* A random but well-formed program: functions f(a) and g(a, b) (g may call f), variables
 * mostly assigned before use. */
static inline void gen_program(gen *g)
{
    g->len = 0;
    g->text[0] = '\0';
    g->vars = "ab";
    g->callable = 0;
    put(g, "fn f(a) {\n  b = a\n");
    gen_stmt(g, 1, 1);
    put(g, "  return a\n}\nfn g(a, b) {\n");
    g->callable = 1;
    gen_stmt(g, 1, 1);
    put(g, "  return b\n}\n");
    g->vars = "xyz";
    g->callable = 2;
    put(g, "x = 1\ny = 2\nz = 3\n");
    gen_stmt(g, 0, 0);
    gen_stmt(g, 0, 0);
    gen_stmt(g, 0, 0);
}

#endif
