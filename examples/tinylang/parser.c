/*
 * tinylang recursive-descent parser with two tokens of lookahead (`x = ...` versus a call).
 * The first error stops the parse. Nesting (blocks, parentheses, unary operators) is bounded so
 * that hostile input cannot exhaust the C stack; calls are resolved once the whole file is read,
 * so functions may be used before their definition.
 */
#include "parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_NESTING 100

typedef struct parser {
    tl_lexer lx;
    tl_token tok, next;
    char next_error[200];      /* a lexical error at `next`, raised when it becomes current */
    tl_program *prog;
    tl_function *fn;           /* the function being parsed */
    size_t locals_cap, functions_cap, calls_cap;
    tl_expr **calls;           /* every call, resolved at the end */
    size_t ncalls;
    int depth;
    tl_parse_error *err;
    int failed;
} parser;

#if defined(__GNUC__)
static void error_at(parser *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#endif

static void error_at(parser *p, int line, int col, const char *fmt, ...)
{
    va_list ap;
    if (p->failed)
        return;
    p->failed = 1;
    p->err->line = line;
    p->err->col = col;
    va_start(ap, fmt);
    vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
    va_end(ap);
}

static void advance(parser *p)
{
    if (p->next_error[0]) {
        error_at(p, p->next.line, p->next.col, "%s", p->next_error);
        p->tok.kind = TOK_EOF;
        return;
    }
    p->tok = p->next;
    if (p->tok.kind != TOK_EOF &&
        tl_lex_next(&p->lx, &p->next, p->next_error, sizeof p->next_error) < 0)
        p->next.kind = TOK_EOF;
}

static int expect(parser *p, tl_tok kind)
{
    if (p->tok.kind != kind) {
        error_at(p, p->tok.line, p->tok.col, "expected %s, found %s", tl_tok_name(kind),
                 tl_tok_name(p->tok.kind));
        return -1;
    }
    advance(p);
    return 0;
}

static void *alloc(parser *p, size_t size)
{
    void *ptr = tl_arena_alloc(&p->prog->arena, size);
    if (!ptr)
        error_at(p, p->tok.line, p->tok.col, "out of memory");
    return ptr;
}

/* `items` with room for one more item: grows (doubling) when count == *cap. */
static void *room(parser *p, void *items, size_t count, size_t *cap, size_t item)
{
    void *grown;
    if (count < *cap)
        return items;
    grown = tl_arena_grow(&p->prog->arena, items, count, *cap ? *cap * 2 : 4, item);
    if (!grown)
        error_at(p, p->tok.line, p->tok.col, "out of memory");
    else
        *cap = *cap ? *cap * 2 : 4;
    return grown;
}

static const char *copy_name(parser *p, const tl_token *t)
{
    char *s = alloc(p, t->len + 1);
    if (s)
        memcpy(s, t->start, t->len);
    return s;
}

static int enter(parser *p)
{
    if (++p->depth > MAX_NESTING) {
        error_at(p, p->tok.line, p->tok.col, "nesting deeper than %d", MAX_NESTING);
        return -1;
    }
    return 0;
}

/* ---- names ---------------------------------------------------------------------------------- */

static int slot_of(parser *p, const tl_token *name, size_t *slot)
{
    tl_function *fn = p->fn;
    size_t i;
    for (i = 0; i < fn->nlocals; i++) {
        if (strlen(fn->locals[i]) == name->len && !memcmp(fn->locals[i], name->start, name->len)) {
            *slot = i;
            return 0;
        }
    }
    if (!(fn->locals = room(p, fn->locals, fn->nlocals, &p->locals_cap, sizeof *fn->locals)) ||
        !(fn->locals[fn->nlocals] = copy_name(p, name)))
        return -1;
    *slot = fn->nlocals++;
    return 0;
}

static tl_function *find_function(const tl_program *prog, const char *name, size_t *index)
{
    size_t i;
    for (i = 0; i < prog->nfunctions; i++) {
        if (strcmp(prog->functions[i]->name, name) == 0) {
            if (index)
                *index = i;
            return prog->functions[i];
        }
    }
    return NULL;
}

/* ---- expressions ---------------------------------------------------------------------------- */

static tl_expr *parse_expr(parser *p);

static tl_expr *new_expr(parser *p, tl_expr_kind kind, const tl_token *at)
{
    tl_expr *e = alloc(p, sizeof *e);
    if (e) {
        e->kind = kind;
        e->line = at->line;
        e->col = at->col;
    }
    return e;
}

static tl_expr *parse_call(parser *p, tl_expr *call)
{
    size_t cap = 0;
    if (enter(p) < 0)
        return NULL;
    advance(p);   /* '(' */
    while (!p->failed && p->tok.kind != TOK_RPAREN) {
        if (call->nargs && expect(p, TOK_COMMA) < 0)
            return NULL;
        if (!(call->args = room(p, call->args, call->nargs, &cap, sizeof *call->args)) ||
            !(call->args[call->nargs++] = parse_expr(p)))
            return NULL;
    }
    p->depth--;
    if (expect(p, TOK_RPAREN) < 0 ||
        !(p->calls = room(p, p->calls, p->ncalls, &p->calls_cap, sizeof *p->calls)))
        return NULL;
    p->calls[p->ncalls++] = call;
    return call;
}

static tl_expr *parse_name(parser *p)
{
    tl_token name = p->tok;
    tl_expr *e;
    advance(p);
    if (p->tok.kind == TOK_LPAREN) {
        if (!(e = new_expr(p, EX_CALL, &name)) || !(e->name = copy_name(p, &name)))
            return NULL;
        return parse_call(p, e);
    }
    if (!(e = new_expr(p, EX_VAR, &name)) || !(e->name = copy_name(p, &name)) ||
        slot_of(p, &name, &e->slot) < 0)
        return NULL;
    return e;
}

static tl_expr *parse_primary(parser *p)
{
    tl_expr *e;
    switch (p->tok.kind) {
    case TOK_INT:
        if ((e = new_expr(p, EX_INT, &p->tok)))
            e->value = p->tok.value;
        advance(p);
        return e;
    case TOK_IDENT:
        return parse_name(p);
    case TOK_LPAREN:
        if (enter(p) < 0)
            return NULL;
        advance(p);
        e = parse_expr(p);
        p->depth--;
        return e && expect(p, TOK_RPAREN) == 0 ? e : NULL;
    default:
        error_at(p, p->tok.line, p->tok.col, "expected an expression, found %s",
                 tl_tok_name(p->tok.kind));
        return NULL;
    }
}

static tl_expr *parse_unary(parser *p)
{
    tl_token op = p->tok;
    tl_expr *e;
    if (op.kind != TOK_MINUS && op.kind != TOK_NOT)
        return parse_primary(p);
    if (enter(p) < 0 || !(e = new_expr(p, EX_UNARY, &op)))
        return NULL;
    advance(p);
    e->op = op.kind;
    e->lhs = parse_unary(p);
    p->depth--;
    return e->lhs ? e : NULL;
}

static int precedence(tl_tok kind)
{
    switch (kind) {
    case TOK_OR: return 1;
    case TOK_AND: return 2;
    case TOK_EQ: case TOK_NE: case TOK_LT: case TOK_LE: case TOK_GT: case TOK_GE: return 3;
    case TOK_PLUS: case TOK_MINUS: return 4;
    case TOK_STAR: case TOK_SLASH: case TOK_PERCENT: return 5;
    default: return 0;
    }
}

/* Precedence climbing: operators of one level associate to the left. */
static tl_expr *parse_binary(parser *p, int min_prec)
{
    tl_expr *lhs = parse_unary(p), *e;
    while (lhs && precedence(p->tok.kind) >= min_prec) {
        tl_token op = p->tok;
        if (!(e = new_expr(p, EX_BINARY, &op)))
            return NULL;
        advance(p);
        e->op = op.kind;
        e->lhs = lhs;
        if (!(e->rhs = parse_binary(p, precedence(op.kind) + 1)))
            return NULL;
        lhs = e;
    }
    return lhs;
}

static tl_expr *parse_expr(parser *p)
{
    return parse_binary(p, 1);
}

/* ---- statements ----------------------------------------------------------------------------- */

static tl_stmt *parse_stmt(parser *p);

static tl_stmt *new_stmt(parser *p, tl_stmt_kind kind)
{
    tl_stmt *s = alloc(p, sizeof *s);
    if (s) {
        s->kind = kind;
        s->line = p->tok.line;
        s->col = p->tok.col;
    }
    return s;
}

static int parse_block(parser *p, tl_block *b)
{
    size_t cap = 0;
    tl_stmt *s;
    if (expect(p, TOK_LBRACE) < 0 || enter(p) < 0)
        return -1;
    while (!p->failed && p->tok.kind != TOK_RBRACE) {
        if (p->tok.kind == TOK_EOF) {
            error_at(p, p->tok.line, p->tok.col, "expected '}' before end of file");
            return -1;
        }
        if (!(b->items = room(p, b->items, b->count, &cap, sizeof *b->items)) ||
            !(s = parse_stmt(p)))
            return -1;
        b->items[b->count++] = s;
    }
    p->depth--;
    return expect(p, TOK_RBRACE);
}

static tl_stmt *parse_if(parser *p)
{
    tl_stmt *s = new_stmt(p, ST_IF);
    if (!s)
        return NULL;
    advance(p);
    if (!(s->expr = parse_expr(p)) || parse_block(p, &s->body) < 0)
        return NULL;
    if (p->tok.kind != TOK_ELSE)
        return s;
    advance(p);
    if (p->tok.kind != TOK_IF)
        return parse_block(p, &s->else_body) < 0 ? NULL : s;
    /* `else if`: an else-block holding just that if */
    if (enter(p) < 0 || !(s->else_body.items = alloc(p, sizeof *s->else_body.items)) ||
        !(s->else_body.items[0] = parse_if(p)))
        return NULL;
    s->else_body.count = 1;
    p->depth--;
    return s;
}

static tl_stmt *parse_while(parser *p)
{
    tl_stmt *s = new_stmt(p, ST_WHILE);
    if (!s)
        return NULL;
    advance(p);
    if (!(s->expr = parse_expr(p)) || parse_block(p, &s->body) < 0)
        return NULL;
    return s;
}

static tl_stmt *parse_return(parser *p)
{
    tl_stmt *s = new_stmt(p, ST_RETURN);
    if (!s)
        return NULL;
    if (p->fn == p->prog->toplevel) {
        error_at(p, s->line, s->col, "'return' outside a function");
        return NULL;
    }
    advance(p);
    if (p->tok.kind != TOK_RBRACE && p->tok.kind != TOK_EOF && p->tok.line == s->line &&
        !(s->expr = parse_expr(p)))
        return NULL;
    return s;
}

/* The literal without its quotes, escapes decoded (the lexer accepted only known ones). */
static const char *decode_string(parser *p, const tl_token *t)
{
    const char *in = t->start + 1, *end = t->start + t->len - 1;
    char *out = alloc(p, t->len), *o = out;
    if (!out)
        return NULL;
    for (; in < end; in++) {
        if (*in != '\\') {
            *o++ = *in;
            continue;
        }
        in++;
        *o++ = *in == 'n' ? '\n' : *in == 't' ? '\t' : *in;
    }
    return out;
}

static tl_stmt *parse_print(parser *p)
{
    tl_stmt *s = new_stmt(p, ST_PRINT);
    size_t cap = 0;
    tl_print_item *item;
    if (!s)
        return NULL;
    advance(p);
    for (;;) {
        if (!(s->items = room(p, s->items, s->nitems, &cap, sizeof *s->items)))
            return NULL;
        item = &s->items[s->nitems++];
        if (p->tok.kind == TOK_STRING) {
            if (!(item->text = decode_string(p, &p->tok)))
                return NULL;
            advance(p);
        } else if (!(item->expr = parse_expr(p))) {
            return NULL;
        }
        if (p->tok.kind != TOK_COMMA)
            return s;
        advance(p);
    }
}

static tl_stmt *parse_assign(parser *p)
{
    tl_stmt *s = new_stmt(p, ST_ASSIGN);
    if (!s || slot_of(p, &p->tok, &s->slot) < 0)
        return NULL;
    advance(p);   /* the name */
    advance(p);   /* '=' */
    return (s->expr = parse_expr(p)) ? s : NULL;
}

static tl_stmt *parse_stmt(parser *p)
{
    tl_stmt *s;
    switch (p->tok.kind) {
    case TOK_IF: return parse_if(p);
    case TOK_WHILE: return parse_while(p);
    case TOK_RETURN: return parse_return(p);
    case TOK_PRINT: return parse_print(p);
    case TOK_FN:
        error_at(p, p->tok.line, p->tok.col, "functions can only be defined at the top level");
        return NULL;
    case TOK_IDENT:
        if (p->next.kind == TOK_ASSIGN)
            return parse_assign(p);
        break;
    default:
        break;
    }
    if (!(s = new_stmt(p, ST_EXPR)) || !(s->expr = parse_expr(p)))
        return NULL;
    if (s->expr->kind != EX_CALL) {
        error_at(p, s->line, s->col, "expected a statement (assignment, call, if, while, "
                 "return or print)");
        return NULL;
    }
    return s;
}

/* ---- functions and the program ------------------------------------------------------------ */

static int parse_params(parser *p, tl_function *fn)
{
    size_t slot;
    if (expect(p, TOK_LPAREN) < 0)
        return -1;
    while (!p->failed && p->tok.kind != TOK_RPAREN) {
        if (fn->nparams && expect(p, TOK_COMMA) < 0)
            return -1;
        if (p->tok.kind != TOK_IDENT)
            return expect(p, TOK_IDENT);
        if (slot_of(p, &p->tok, &slot) < 0)
            return -1;
        if (slot < fn->nparams) {
            error_at(p, p->tok.line, p->tok.col, "duplicate parameter '%s'", fn->locals[slot]);
            return -1;
        }
        fn->nparams++;
        advance(p);
    }
    return expect(p, TOK_RPAREN);
}

static int parse_function(parser *p)
{
    tl_program *prog = p->prog;
    size_t toplevel_cap = p->locals_cap;
    tl_function *fn = alloc(p, sizeof *fn);
    if (!fn)
        return -1;
    fn->line = p->tok.line;
    advance(p);
    if (p->tok.kind != TOK_IDENT)
        return expect(p, TOK_IDENT);
    if (!(fn->name = copy_name(p, &p->tok)))
        return -1;
    if (find_function(prog, fn->name, NULL)) {
        error_at(p, p->tok.line, p->tok.col, "function '%s' is already defined", fn->name);
        return -1;
    }
    advance(p);
    if (!(prog->functions = room(p, prog->functions, prog->nfunctions, &p->functions_cap,
                                 sizeof *prog->functions)))
        return -1;
    prog->functions[prog->nfunctions++] = fn;
    p->fn = fn;
    p->locals_cap = 0;
    if (parse_params(p, fn) < 0 || parse_block(p, &fn->body) < 0)
        return -1;
    p->fn = prog->toplevel;
    p->locals_cap = toplevel_cap;
    return 0;
}

static int parse_program(parser *p)
{
    tl_block *body = &p->prog->toplevel->body;
    size_t cap = 0;
    tl_stmt *s;
    while (!p->failed && p->tok.kind != TOK_EOF) {
        if (p->tok.kind == TOK_FN) {
            if (parse_function(p) < 0)
                return -1;
            continue;
        }
        if (!(body->items = room(p, body->items, body->count, &cap, sizeof *body->items)) ||
            !(s = parse_stmt(p)))
            return -1;
        body->items[body->count++] = s;
    }
    return p->failed ? -1 : 0;
}

static int resolve_calls(parser *p)
{
    size_t i;
    for (i = 0; i < p->ncalls; i++) {
        tl_expr *call = p->calls[i];
        if (!find_function(p->prog, call->name, &call->function)) {
            error_at(p, call->line, call->col, "undefined function '%s'", call->name);
            return -1;
        }
    }
    return 0;
}

int tl_parse(tl_program *out, const char *src, size_t len, tl_parse_error *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    p.prog = out;
    p.err = err;
    tl_lexer_init(&p.lx, src, len);
    if (tl_lex_next(&p.lx, &p.next, p.next_error, sizeof p.next_error) < 0)
        p.next.kind = TOK_EOF;
    advance(&p);
    if ((out->toplevel = alloc(&p, sizeof *out->toplevel))) {
        out->toplevel->name = "<toplevel>";
        out->toplevel->line = 1;
        p.fn = out->toplevel;
    }
    if (p.failed || parse_program(&p) < 0 || resolve_calls(&p) < 0) {
        tl_program_free(out);
        return -1;
    }
    return 0;
}

void tl_program_free(tl_program *prog)
{
    tl_arena_free(&prog->arena);
    memset(prog, 0, sizeof *prog);
}
