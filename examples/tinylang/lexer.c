/*
 * tinylang lexer. Works on a byte range (the source may hold NUL bytes, which are refused like
 * any other stray byte) and never allocates: tokens point into the source.
 */
#include "lexer.h"

#include <stdio.h>
#include <string.h>

static const struct { const char *word; tl_tok kind; } keywords[] = {
    {"fn", TOK_FN}, {"if", TOK_IF}, {"else", TOK_ELSE}, {"while", TOK_WHILE},
    {"return", TOK_RETURN}, {"print", TOK_PRINT},
};

void tl_lexer_init(tl_lexer *lx, const char *src, size_t len)
{
    lx->p = src;
    lx->end = src + len;
    lx->line_start = src;
    lx->line = 1;
}

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static void skip_space_and_comments(tl_lexer *lx)
{
    while (lx->p < lx->end) {
        char c = *lx->p;
        if (c == '\n') {
            lx->line++;
            lx->line_start = ++lx->p;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            lx->p++;
        } else if (c == '#') {
            while (lx->p < lx->end && *lx->p != '\n')
                lx->p++;
        } else {
            return;
        }
    }
}

static int lex_number(tl_lexer *lx, tl_token *t, char *msg, size_t msg_size)
{
    uint64_t v = 0;
    while (lx->p < lx->end && is_digit(*lx->p)) {
        v = v * 10 + (uint64_t)(*lx->p++ - '0');
        if (v > (uint64_t)INT64_MAX) {
            snprintf(msg, msg_size, "integer literal too large");
            return -1;
        }
    }
    if (lx->p < lx->end && is_alpha(*lx->p)) {
        snprintf(msg, msg_size, "invalid character '%c' in number", *lx->p);
        return -1;
    }
    t->kind = TOK_INT;
    t->value = (int64_t)v;
    return 0;
}

static void lex_word(tl_lexer *lx, tl_token *t)
{
    size_t i, n;
    while (lx->p < lx->end && (is_alpha(*lx->p) || is_digit(*lx->p)))
        lx->p++;
    n = (size_t)(lx->p - t->start);
    t->kind = TOK_IDENT;
    for (i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, t->start, n) == 0)
            t->kind = keywords[i].kind;
}

/* A string stays raw (quotes and escapes included); the parser decodes it. */
static int lex_string(tl_lexer *lx, tl_token *t, char *msg, size_t msg_size)
{
    lx->p++;
    while (lx->p < lx->end && *lx->p != '"' && *lx->p != '\n' && *lx->p != '\0') {
        if (*lx->p == '\\' && lx->p + 1 < lx->end) {
            char e = lx->p[1];
            if (e != 'n' && e != 't' && e != '"' && e != '\\') {
                snprintf(msg, msg_size, "unknown escape '\\%c' in string", e > ' ' ? e : '?');
                return -1;
            }
            lx->p++;
        }
        lx->p++;
    }
    if (lx->p >= lx->end || *lx->p != '"') {
        snprintf(msg, msg_size, "unterminated string");
        return -1;
    }
    lx->p++;
    t->kind = TOK_STRING;
    return 0;
}

/* One- and two-character operators; returns 0 when `c` starts none. */
static tl_tok lex_operator(tl_lexer *lx)
{
    char c = *lx->p, n = lx->p + 1 < lx->end ? lx->p[1] : '\0';
    static const char singles[] = "(){},+-*/%";
    static const tl_tok single_kinds[] = {TOK_LPAREN, TOK_RPAREN, TOK_LBRACE, TOK_RBRACE,
                                          TOK_COMMA, TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_SLASH,
                                          TOK_PERCENT};
    const char *s = c ? strchr(singles, c) : NULL;
    tl_tok kind = TOK_EOF;
    size_t len = 1;
    if (s)
        kind = single_kinds[s - singles];
    else if (c == '=')
        kind = n == '=' ? (len = 2, TOK_EQ) : TOK_ASSIGN;
    else if (c == '!')
        kind = n == '=' ? (len = 2, TOK_NE) : TOK_NOT;
    else if (c == '<')
        kind = n == '=' ? (len = 2, TOK_LE) : TOK_LT;
    else if (c == '>')
        kind = n == '=' ? (len = 2, TOK_GE) : TOK_GT;
    else if (c == '&' && n == '&')
        kind = (len = 2, TOK_AND);
    else if (c == '|' && n == '|')
        kind = (len = 2, TOK_OR);
    if (kind != TOK_EOF)
        lx->p += len;
    return kind;
}

int tl_lex_next(tl_lexer *lx, tl_token *t, char *msg, size_t msg_size)
{
    skip_space_and_comments(lx);
    t->start = lx->p;
    t->line = lx->line;
    t->col = (int)(lx->p - lx->line_start) + 1;
    t->value = 0;
    t->len = 0;
    if (lx->p >= lx->end) {
        t->kind = TOK_EOF;
        return 0;
    }
    if (is_digit(*lx->p)) {
        if (lex_number(lx, t, msg, msg_size) < 0)
            return -1;
    } else if (is_alpha(*lx->p)) {
        lex_word(lx, t);
    } else if (*lx->p == '"') {
        if (lex_string(lx, t, msg, msg_size) < 0)
            return -1;
    } else if ((t->kind = lex_operator(lx)) == TOK_EOF) {
        unsigned char c = (unsigned char)*lx->p;
        if (c > ' ' && c < 0x7f)
            snprintf(msg, msg_size, "unexpected character '%c'", c);
        else
            snprintf(msg, msg_size, "unexpected byte 0x%02x", c);
        return -1;
    }
    t->len = (size_t)(lx->p - t->start);
    return 0;
}

const char *tl_tok_name(tl_tok kind)
{
    static const char *const names[] = {
        "end of file", "integer", "name", "string", "'fn'", "'if'", "'else'", "'while'",
        "'return'", "'print'", "'('", "')'", "'{'", "'}'", "','", "'='", "'+'", "'-'", "'*'",
        "'/'", "'%'", "'=='", "'!='", "'<'", "'<='", "'>'", "'>='", "'!'", "'&&'", "'||'",
    };
    return (size_t)kind < sizeof names / sizeof names[0] ? names[kind] : "token";
}
