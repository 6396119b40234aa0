/*
 * tinylang tree-walking evaluator. Recording goes through the helper API only and touches a few
 * places: a statement's Step with the frame's locals (record_step), a call's arguments and Call
 * and its Return followed by a Step back in the caller (call_function), print's Write event and
 * a runtime error's Error event. Without a tracer those places cost one NULL test each.
 */
#include "eval.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of C stack the evaluator may use before refusing to recurse further. */
#define STACK_BUDGET ((uintptr_t)2 << 20)

typedef struct eval {
    const tl_program *prog;
    const tl_eval_options *opts;
    ct_tracer *tracer;
    ct_function_id *function_ids;   /* interned once per function when recording */
    uint64_t steps;
    uint64_t depth;                 /* calls in progress */
    uintptr_t stack_base;
    char *line;                     /* print's output line, reused */
    size_t line_len, line_cap;
    char *msg;
    size_t msg_size;
} eval;

typedef struct frame {
    const tl_function *fn;
    int64_t *values;                /* one per local slot */
    unsigned char *defined;
} frame;

typedef enum flow { FLOW_NEXT, FLOW_RETURN, FLOW_ERROR } flow;

#if defined(__GNUC__)
static int runtime_error(eval *ev, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#endif

static int runtime_error(eval *ev, int line, int col, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(ev->msg, ev->msg_size, "%s:%d:%d: ", ev->opts->display_path, line, col);
    if (n >= 0 && (size_t)n < ev->msg_size) {
        va_start(ap, fmt);
        vsnprintf(ev->msg + n, ev->msg_size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    if (ev->tracer)   /* the last event: CodeTracer shows "end of program: error: ..." */
        ct_tracer_event(ev->tracer, CT_EVENT_ERROR, NULL, ev->msg);
    return -1;
}

static int stack_exhausted(const eval *ev)
{
    char here;
    uintptr_t sp = (uintptr_t)&here;
    return (sp < ev->stack_base ? ev->stack_base - sp : sp - ev->stack_base) > STACK_BUDGET;
}

/* ---- recording ------------------------------------------------------------------------------- */

/* A Step at `line` of frame `fr`, followed by every variable assigned so far in that frame. */
static void record_step(eval *ev, const frame *fr, int line)
{
    size_t i;
    ct_tracer_step(ev->tracer, ev->opts->trace_path, line);
    for (i = 0; i < fr->fn->nlocals; i++) {
        if (fr->defined[i]) {
            ct_value v = ct_tracer_int_value(ev->tracer, fr->values[i]);
            ct_tracer_variable(ev->tracer, fr->fn->locals[i], &v);
        }
    }
}

static int trace_step(eval *ev, const frame *fr, int line)
{
    if (ev->opts->max_steps && ++ev->steps > ev->opts->max_steps)
        return runtime_error(ev, line, 1, "step limit of %llu reached",
                             (unsigned long long)ev->opts->max_steps);
    if (ev->tracer)
        record_step(ev, fr, line);
    return 0;
}

static void trace_call(eval *ev, const frame *callee, size_t function)
{
    size_t i;
    for (i = 0; i < callee->fn->nparams; i++) {
        ct_value v = ct_tracer_int_value(ev->tracer, callee->values[i]);
        ct_tracer_arg(ev->tracer, callee->fn->locals[i], &v);
    }
    ct_tracer_call_id(ev->tracer, ev->function_ids[function]);
}

static void trace_return(eval *ev, int64_t result)
{
    ct_value v = ct_tracer_int_value(ev->tracer, result);
    ct_tracer_return(ev->tracer, &v);
}

/* ---- expressions ----------------------------------------------------------------------------- */

static int eval_expr(eval *ev, frame *fr, const tl_expr *e, int64_t *out);
static flow exec_block(eval *ev, frame *fr, const tl_block *b, int64_t *ret);

static int arithmetic(eval *ev, const tl_expr *e, int64_t a, int64_t b, int64_t *out)
{
    int overflow = 0;
    switch (e->op) {
    case TOK_PLUS: overflow = __builtin_add_overflow(a, b, out); break;
    case TOK_MINUS: overflow = __builtin_sub_overflow(a, b, out); break;
    case TOK_STAR: overflow = __builtin_mul_overflow(a, b, out); break;
    case TOK_SLASH: case TOK_PERCENT:
        if (b == 0)
            return runtime_error(ev, e->line, e->col, "division by zero");
        if (a == INT64_MIN && b == -1)
            overflow = 1;
        else
            *out = e->op == TOK_SLASH ? a / b : a % b;
        break;
    case TOK_EQ: *out = a == b; break;
    case TOK_NE: *out = a != b; break;
    case TOK_LT: *out = a < b; break;
    case TOK_LE: *out = a <= b; break;
    case TOK_GT: *out = a > b; break;
    case TOK_GE: *out = a >= b; break;
    default: return runtime_error(ev, e->line, e->col, "unknown operator");
    }
    return overflow ? runtime_error(ev, e->line, e->col, "integer overflow") : 0;
}

static int eval_binary(eval *ev, frame *fr, const tl_expr *e, int64_t *out)
{
    int64_t a, b;
    if (eval_expr(ev, fr, e->lhs, &a) < 0)
        return -1;
    if ((e->op == TOK_AND && !a) || (e->op == TOK_OR && a)) {   /* short-circuit */
        *out = e->op == TOK_OR;
        return 0;
    }
    if (eval_expr(ev, fr, e->rhs, &b) < 0)
        return -1;
    if (e->op == TOK_AND || e->op == TOK_OR) {
        *out = b != 0;
        return 0;
    }
    return arithmetic(ev, e, a, b, out);
}

static int eval_unary(eval *ev, frame *fr, const tl_expr *e, int64_t *out)
{
    int64_t a;
    if (eval_expr(ev, fr, e->lhs, &a) < 0)
        return -1;
    if (e->op == TOK_NOT) {
        *out = !a;
        return 0;
    }
    if (a == INT64_MIN)
        return runtime_error(ev, e->line, e->col, "integer overflow");
    *out = -a;
    return 0;
}

static int new_frame(frame *fr, const tl_function *fn)
{
    fr->fn = fn;
    fr->values = calloc(fn->nlocals ? fn->nlocals : 1, sizeof *fr->values);
    fr->defined = calloc(fn->nlocals ? fn->nlocals : 1, 1);
    return fr->values && fr->defined ? 0 : -1;
}

static void free_frame(frame *fr)
{
    free(fr->values);
    free(fr->defined);
}

/* Arguments are evaluated in the caller's frame straight into the callee's parameter slots. */
static int bind_args(eval *ev, frame *caller, frame *callee, const tl_expr *e)
{
    size_t i;
    if (e->nargs != callee->fn->nparams)
        return runtime_error(ev, e->line, e->col, "function '%s' takes %zu argument%s, %zu given",
                             e->name, callee->fn->nparams, callee->fn->nparams == 1 ? "" : "s",
                             e->nargs);
    for (i = 0; i < e->nargs; i++) {
        if (eval_expr(ev, caller, e->args[i], &callee->values[i]) < 0)
            return -1;
        callee->defined[i] = 1;
    }
    return 0;
}

static int call_function(eval *ev, frame *caller, const tl_expr *e, int64_t *out)
{
    frame callee;
    int64_t result = 0;
    flow f;
    if (new_frame(&callee, ev->prog->functions[e->function]) < 0) {
        free_frame(&callee);
        return runtime_error(ev, e->line, e->col, "out of memory");
    }
    if (bind_args(ev, caller, &callee, e) < 0) {
        free_frame(&callee);
        return -1;
    }
    if (ev->tracer)
        trace_call(ev, &callee, e->function);
    ev->depth++;
    f = exec_block(ev, &callee, &callee.fn->body, &result);
    ev->depth--;
    free_frame(&callee);
    if (f == FLOW_ERROR)
        return -1;
    if (ev->tracer) {
        trace_return(ev, result);
        record_step(ev, caller, e->line);   /* back in the caller, so that what follows (a
                                             * print, an error) is shown on the caller's line */
    }
    *out = result;
    return 0;
}

static int eval_expr(eval *ev, frame *fr, const tl_expr *e, int64_t *out)
{
    if (stack_exhausted(ev))
        return runtime_error(ev, e->line, e->col, "recursion too deep (%llu calls in progress)",
                             (unsigned long long)ev->depth);
    switch (e->kind) {
    case EX_INT:
        *out = e->value;
        return 0;
    case EX_VAR:
        if (!fr->defined[e->slot])
            return runtime_error(ev, e->line, e->col, "undefined variable '%s'", e->name);
        *out = fr->values[e->slot];
        return 0;
    case EX_UNARY:
        return eval_unary(ev, fr, e, out);
    case EX_BINARY:
        return eval_binary(ev, fr, e, out);
    case EX_CALL:
        return call_function(ev, fr, e, out);
    }
    return runtime_error(ev, e->line, e->col, "unknown expression");
}

/* ---- statements ------------------------------------------------------------------------------ */

static int append(eval *ev, const char *s, size_t n)
{
    if (ev->line_len + n + 1 > ev->line_cap) {
        size_t cap = (ev->line_len + n + 1) * 2;
        char *grown = realloc(ev->line, cap);
        if (!grown)
            return -1;
        ev->line = grown;
        ev->line_cap = cap;
    }
    memcpy(ev->line + ev->line_len, s, n);
    ev->line_len += n;
    ev->line[ev->line_len] = '\0';
    return 0;
}

static flow exec_print(eval *ev, frame *fr, const tl_stmt *s)
{
    char num[32];
    size_t i;
    int64_t v;
    ev->line_len = 0;
    for (i = 0; i < s->nitems; i++) {
        const char *text = s->items[i].text;
        if (!text) {
            if (eval_expr(ev, fr, s->items[i].expr, &v) < 0)
                return FLOW_ERROR;
            snprintf(num, sizeof num, "%lld", (long long)v);
            text = num;
        }
        if ((i && append(ev, " ", 1) < 0) || append(ev, text, strlen(text)) < 0)
            return runtime_error(ev, s->line, s->col, "out of memory"), FLOW_ERROR;
    }
    if (append(ev, "\n", 1) < 0)
        return runtime_error(ev, s->line, s->col, "out of memory"), FLOW_ERROR;
    fputs(ev->line, ev->opts->out);
    if (ev->tracer)
        ct_tracer_event(ev->tracer, CT_EVENT_WRITE, NULL, ev->line);
    return FLOW_NEXT;
}

static flow exec_while(eval *ev, frame *fr, const tl_stmt *s, int64_t *ret)
{
    int64_t cond;
    flow f;
    for (;;) {   /* the condition line is a step at every test, as in a debugger */
        if (trace_step(ev, fr, s->line) < 0 || eval_expr(ev, fr, s->expr, &cond) < 0)
            return FLOW_ERROR;
        if (!cond)
            return FLOW_NEXT;
        if ((f = exec_block(ev, fr, &s->body, ret)) != FLOW_NEXT)
            return f;
    }
}

static flow exec_stmt(eval *ev, frame *fr, const tl_stmt *s, int64_t *ret)
{
    int64_t v = 0;
    if (s->kind == ST_WHILE)
        return exec_while(ev, fr, s, ret);
    if (trace_step(ev, fr, s->line) < 0)
        return FLOW_ERROR;
    switch (s->kind) {
    case ST_ASSIGN:
        if (eval_expr(ev, fr, s->expr, &v) < 0)
            return FLOW_ERROR;
        fr->values[s->slot] = v;
        fr->defined[s->slot] = 1;
        return FLOW_NEXT;
    case ST_IF:
        if (eval_expr(ev, fr, s->expr, &v) < 0)
            return FLOW_ERROR;
        return exec_block(ev, fr, v ? &s->body : &s->else_body, ret);
    case ST_RETURN:
        if (s->expr && eval_expr(ev, fr, s->expr, &v) < 0)
            return FLOW_ERROR;
        *ret = v;
        return FLOW_RETURN;
    case ST_PRINT:
        return exec_print(ev, fr, s);
    default:
        return eval_expr(ev, fr, s->expr, &v) < 0 ? FLOW_ERROR : FLOW_NEXT;
    }
}

static flow exec_block(eval *ev, frame *fr, const tl_block *b, int64_t *ret)
{
    size_t i;
    flow f;
    for (i = 0; i < b->count; i++)
        if ((f = exec_stmt(ev, fr, b->items[i], ret)) != FLOW_NEXT)
            return f;
    return FLOW_NEXT;
}

/* ---- the program ----------------------------------------------------------------------------- */

static int start_recording(eval *ev)
{
    size_t i, n = ev->prog->nfunctions;
    const char *path = ev->opts->trace_path;
    ct_tracer_start(ev->tracer, path, 1);
    if (ev->prog->toplevel->body.count == 0)   /* CodeTracer opens a trace at its first Step */
        ct_tracer_step(ev->tracer, path, 1);
    if (!(ev->function_ids = calloc(n ? n : 1, sizeof *ev->function_ids)))
        return -1;
    for (i = 0; i < n; i++)
        ct_tracer_function_id(&ev->function_ids[i], ev->tracer, ev->prog->functions[i]->name,
                              path, ev->prog->functions[i]->line);
    return 0;
}

int tl_run(const tl_program *prog, const tl_eval_options *opts, char *msg, size_t msg_size)
{
    eval ev;
    frame top;
    int64_t ignored = 0;
    int rc = -1;
    memset(&ev, 0, sizeof ev);
    ev.prog = prog;
    ev.opts = opts;
    ev.tracer = opts->tracer;
    ev.msg = msg;
    ev.msg_size = msg_size;
    ev.stack_base = (uintptr_t)&ev;
    msg[0] = '\0';
    if (new_frame(&top, prog->toplevel) < 0 || (ev.tracer && start_recording(&ev) < 0))
        snprintf(msg, msg_size, "%s: out of memory", opts->display_path);
    else if (exec_block(&ev, &top, &prog->toplevel->body, &ignored) != FLOW_ERROR)
        rc = 0;
    free_frame(&top);
    free(ev.function_ids);
    free(ev.line);
    return rc;
}
