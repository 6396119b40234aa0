/* The EVM instruction table (opcodes.def), shared by the replay, the disassembler and the
 * source-map code. */
#ifndef CT_RECORDER_OPCODES_H
#define CT_RECORDER_OPCODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ct__opcode_info {
    const char *name;     /* Geth mnemonic; NULL for an undefined byte */
    uint8_t pops;
    uint8_t pushes;
    uint8_t immediate;    /* PUSHn: n bytes of data follow the opcode */
} ct__opcode_info;

enum {
#define X(byte, name, pops, pushes, imm) CT_OP_##name = byte,
#include "opcodes.def"
#undef X
};

/** Table entry for every byte value. */
const ct__opcode_info *ct__opcode(uint8_t byte);
/** The byte of a mnemonic (also accepts "SHA3", "PREVRANDAO", "SUICIDE"); -1 when unknown. */
int ct__opcode_from_name(const char *name, size_t len);

#endif
