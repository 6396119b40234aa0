/*
 * Disassembly listing for frames whose code matches no artifact (unverified contracts,
 * precompiles, hand-written code): written as a source file so steps still point somewhere.
 */
#ifndef CT_RECORDER_DISASM_H
#define CT_RECORDER_DISASM_H

#include "arena.h"
#include "source_map.h"

/**
 * List `code`: a header line `title`, then one instruction per line, "0x002a  PUSH1 0x80"
 * (truncated PUSH data is shown as far as it goes). *text (NUL-terminated, *len bytes) and
 * *locs (file 0, line = listing line of the instruction; PUSH data bytes point at their
 * instruction) live in `arena`.
 */
ct_status ct__disasm(char **text, size_t *len, ct__locmap **locs, ct__arena *arena,
                     const uint8_t *code, size_t code_len, const char *title, ct_error *err);

#endif
