/*
 * tinylang syntax tree. Every node lives in one arena owned by the tl_program, freed at once.
 * Variables are resolved at parse time to slots of their function's frame, calls to function
 * indices, so the evaluator never looks a name up.
 */
#ifndef TINYLANG_AST_H
#define TINYLANG_AST_H

#include <stddef.h>
#include <stdint.h>

#include "lexer.h"

typedef struct tl_arena_block tl_arena_block;
typedef struct tl_arena {
    tl_arena_block *blocks;
} tl_arena;

/** Zeroed memory from the arena; NULL when out of memory. */
void *tl_arena_alloc(tl_arena *a, size_t size);
/** A new copy of `old` (old_count items of `item` bytes) with room for new_count items. */
void *tl_arena_grow(tl_arena *a, const void *old, size_t old_count, size_t new_count,
                    size_t item);
void tl_arena_free(tl_arena *a);

typedef enum tl_expr_kind { EX_INT, EX_VAR, EX_UNARY, EX_BINARY, EX_CALL } tl_expr_kind;

typedef struct tl_expr tl_expr;
struct tl_expr {
    tl_expr_kind kind;
    int line, col;
    tl_tok op;              /* UNARY, BINARY */
    int64_t value;          /* INT */
    size_t slot;            /* VAR: index into the frame */
    const char *name;       /* VAR, CALL (NUL-terminated, in the arena) */
    tl_expr *lhs, *rhs;     /* BINARY; UNARY uses lhs */
    tl_expr **args;         /* CALL */
    size_t nargs;
    size_t function;        /* CALL: index into tl_program.functions */
};

typedef struct tl_stmt tl_stmt;
typedef struct tl_block {
    tl_stmt **items;
    size_t count;
} tl_block;

typedef struct tl_print_item {
    const char *text;       /* a string literal (decoded, NUL-terminated), or NULL */
    tl_expr *expr;          /* otherwise */
} tl_print_item;

typedef enum tl_stmt_kind { ST_ASSIGN, ST_IF, ST_WHILE, ST_RETURN, ST_PRINT, ST_EXPR } tl_stmt_kind;

struct tl_stmt {
    tl_stmt_kind kind;
    int line, col;
    size_t slot;            /* ASSIGN target */
    tl_expr *expr;          /* ASSIGN value, IF/WHILE condition, RETURN value (NULL = 0), EXPR */
    tl_block body;          /* IF then-branch, WHILE body */
    tl_block else_body;     /* IF */
    tl_print_item *items;   /* PRINT */
    size_t nitems;
};

typedef struct tl_function {
    const char *name;
    int line;               /* of `fn`; the toplevel's is 1 */
    size_t nparams;         /* the parameters are locals[0..nparams) */
    const char **locals;    /* every variable of the frame, in order of first appearance */
    size_t nlocals;
    tl_block body;
} tl_function;

typedef struct tl_program {
    tl_arena arena;
    tl_function **functions;
    size_t nfunctions;
    tl_function *toplevel;  /* the statements outside any function */
} tl_program;

#endif
