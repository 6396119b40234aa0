/*
 * tinylang evaluator: walks the syntax tree. Every value is a 64-bit integer (comparisons give
 * 1 or 0); overflow, division by zero, reading an unassigned variable, a call with the wrong
 * number of arguments, too deep a recursion and the step limit are runtime errors.
 */
#ifndef TINYLANG_EVAL_H
#define TINYLANG_EVAL_H

#include <stdint.h>
#include <stdio.h>

#include <ctrecord/tracer.h>

#include "ast.h"

typedef struct tl_eval_options {
    const char *display_path;   /* the program as named by the user, for messages */
    const char *trace_path;     /* the absolute path recorded in the trace */
    ct_tracer *tracer;          /* started by tl_run(); NULL = just run */
    uint64_t max_steps;         /* 0 = no limit */
    FILE *out;                  /* where print writes */
} tl_eval_options;

/**
 * Run `prog`. Returns 0, or -1 after a runtime error: then `msg` holds one line
 * "FILE:LINE:COL: message" and, when recording, the trace's last event is an Error event with
 * the same text. The tracer is left open for the caller to finish.
 */
int tl_run(const tl_program *prog, const tl_eval_options *opts, char *msg, size_t msg_size);

#endif
