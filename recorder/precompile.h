/* What a vmTrace tells about the output of a call to a precompiled contract (it has no ops). */
#ifndef CT_RECORDER_PRECOMPILE_H
#define CT_RECORDER_PRECOMPILE_H

#include <ctrecord/replay.h>

#include "vmtrace_reader.h"

/** True for the precompile addresses (0x01..0x11 and 0x100). */
bool ct__is_precompile(const ct_u256 *address);

/**
 * The return data of the precompile call `call` (the calling op, its operands still on the
 * caller's stack `stack`, `stack_len`) to `callee`: sets `out` and `len` and returns true
 * when the trace determines it exactly, false when it does not (e.g. an ecrecover window
 * that did not change but is not zero, or a return window shorter than the output). `mem`,
 * `mem_len`: the caller's memory before the call's return window was written (already
 * expanded over the windows). `out` is borrowed from `call` or the caller's memory.
 */
bool ct__precompile_output(uint8_t opcode, const ct_u256 *stack, size_t stack_len,
                           const ct__vt_op *call, const ct_evm_frame *callee,
                           const uint8_t *mem, size_t mem_len, const uint8_t **out, size_t *len);

#endif
