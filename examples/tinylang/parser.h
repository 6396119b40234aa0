/*
 * tinylang parser: tokens to a resolved syntax tree (ast.h).
 *
 *   program  := (function | stmt)*
 *   function := 'fn' NAME '(' [NAME (',' NAME)*] ')' block      (top level only)
 *   block    := '{' stmt* '}'
 *   stmt     := NAME '=' expr | 'if' expr block ['else' (block | if-stmt)]
 *             | 'while' expr block | 'return' [expr] | 'print' item (',' item)* | call
 *   item     := STRING | expr
 *   expr     := binary operators by precedence: || then && then == != < <= > >= then + -
 *               then * / %; unary - and !; INT, NAME, call, '(' expr ')'
 *   call     := NAME '(' [expr (',' expr)*] ')'
 * `return`'s value is optional and must start on the same line.
 */
#ifndef TINYLANG_PARSER_H
#define TINYLANG_PARSER_H

#include "ast.h"

typedef struct tl_parse_error {
    int line, col;
    char message[256];
} tl_parse_error;

/** Parse `len` bytes. On failure returns -1, fills `err` and leaves nothing to free. */
int tl_parse(tl_program *out, const char *src, size_t len, tl_parse_error *err);
void tl_program_free(tl_program *prog);

#endif
