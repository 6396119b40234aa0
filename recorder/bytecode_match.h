/*
 * Which artifact a frame runs: its code compared with each contract's runtime code (creation
 * code for CREATE frames and contract-creation transactions), ignoring the CBOR metadata tail,
 * immutable and link-reference ranges, and constructor arguments appended to creation code.
 */
#ifndef CT_RECORDER_BYTECODE_MATCH_H
#define CT_RECORDER_BYTECODE_MATCH_H

#include "artifacts.h"

/**
 * Length of `code` without solc's CBOR metadata tail (whose length is the big-endian u16 in
 * the last two bytes and which starts with a CBOR map byte); `len` when there is none.
 */
size_t ct__code_exec_len(const uint8_t *code, size_t len);

/** True when `code` is `bc` up to masks and metadata (creation: `bc` is a prefix of code). */
bool ct__bytecode_matches(const ct__bytecode *bc, const uint8_t *code, size_t len,
                          bool creation);

typedef struct ct__match {
    const ct__contract *contract;
    const ct__bytecode *bytecode;   /* &contract->runtime or &contract->creation */
    bool creation;
    size_t args_offset;             /* creation: where constructor arguments start in code */
} ct__match;

/**
 * Find the contract running `code`. `creation` selects creation code (CREATE frames,
 * contract-creation transactions). Returns false when nothing matches. When several
 * artifacts match (the same contract in two sets), the first loaded wins.
 */
bool ct__match_code(ct__match *out, const ct__artifacts *t, const uint8_t *code, size_t len,
                    bool creation);

/** The contract named `name` ("Token" or "path/Token.sol:Token"), or NULL (address maps). */
const ct__contract *ct__find_contract(const ct__artifacts *t, const char *name);

#endif
