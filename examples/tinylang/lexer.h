/*
 * tinylang lexer: source bytes to tokens, one at a time. Newlines are whitespace (statements
 * delimit themselves), `#` starts a comment to the end of the line.
 */
#ifndef TINYLANG_LEXER_H
#define TINYLANG_LEXER_H

#include <stddef.h>
#include <stdint.h>

typedef enum tl_tok {
    TOK_EOF, TOK_INT, TOK_IDENT, TOK_STRING,
    TOK_FN, TOK_IF, TOK_ELSE, TOK_WHILE, TOK_RETURN, TOK_PRINT,
    TOK_LPAREN, TOK_RPAREN, TOK_LBRACE, TOK_RBRACE, TOK_COMMA, TOK_ASSIGN,
    TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_SLASH, TOK_PERCENT,
    TOK_EQ, TOK_NE, TOK_LT, TOK_LE, TOK_GT, TOK_GE, TOK_NOT, TOK_AND, TOK_OR
} tl_tok;

typedef struct tl_token {
    tl_tok kind;
    const char *start;   /* the token's bytes in the source (a string's include its quotes) */
    size_t len;
    int64_t value;       /* TOK_INT */
    int line, col;       /* 1-based; col counts bytes */
} tl_token;

typedef struct tl_lexer {
    const char *p, *end;
    const char *line_start;
    int line;
} tl_lexer;

void tl_lexer_init(tl_lexer *lx, const char *src, size_t len);

/**
 * The next token. On a lexical error returns -1, sets `out`'s position to where it is and
 * writes a one-line message (without position) to `msg`.
 */
int tl_lex_next(tl_lexer *lx, tl_token *out, char *msg, size_t msg_size);

/** A printable name of a token kind, for "expected X" messages. */
const char *tl_tok_name(tl_tok kind);

#endif
