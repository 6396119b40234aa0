/* Lookup over opcodes.def: by byte (a dense table) and by Geth or legacy mnemonic. */
#include "opcodes.h"

#include <string.h>

#include <ctrecord/replay.h>

static const ct__opcode_info table[256] = {
#define X(byte, name, pops, pushes, imm) [byte] = {#name, pops, pushes, imm},
#include "opcodes.def"
#undef X
};

/* Geth's name of every byte, undefined ones included, so no buffer is ever needed. */
static const char *const names[256] = {
    "STOP", "ADD", "MUL", "SUB",
    "DIV", "SDIV", "MOD", "SMOD",
    "ADDMOD", "MULMOD", "EXP", "SIGNEXTEND",
    "opcode 0x0c not defined", "opcode 0x0d not defined", "opcode 0x0e not defined", "opcode 0x0f not defined",
    "LT", "GT", "SLT", "SGT",
    "EQ", "ISZERO", "AND", "OR",
    "XOR", "NOT", "BYTE", "SHL",
    "SHR", "SAR", "CLZ", "opcode 0x1f not defined",
    "KECCAK256", "opcode 0x21 not defined", "opcode 0x22 not defined", "opcode 0x23 not defined",
    "opcode 0x24 not defined", "opcode 0x25 not defined", "opcode 0x26 not defined", "opcode 0x27 not defined",
    "opcode 0x28 not defined", "opcode 0x29 not defined", "opcode 0x2a not defined", "opcode 0x2b not defined",
    "opcode 0x2c not defined", "opcode 0x2d not defined", "opcode 0x2e not defined", "opcode 0x2f not defined",
    "ADDRESS", "BALANCE", "ORIGIN", "CALLER",
    "CALLVALUE", "CALLDATALOAD", "CALLDATASIZE", "CALLDATACOPY",
    "CODESIZE", "CODECOPY", "GASPRICE", "EXTCODESIZE",
    "EXTCODECOPY", "RETURNDATASIZE", "RETURNDATACOPY", "EXTCODEHASH",
    "BLOCKHASH", "COINBASE", "TIMESTAMP", "NUMBER",
    "DIFFICULTY", "GASLIMIT", "CHAINID", "SELFBALANCE",
    "BASEFEE", "BLOBHASH", "BLOBBASEFEE", "SLOTNUM",
    "opcode 0x4c not defined", "opcode 0x4d not defined", "opcode 0x4e not defined", "opcode 0x4f not defined",
    "POP", "MLOAD", "MSTORE", "MSTORE8",
    "SLOAD", "SSTORE", "JUMP", "JUMPI",
    "PC", "MSIZE", "GAS", "JUMPDEST",
    "TLOAD", "TSTORE", "MCOPY", "PUSH0",
    "PUSH1", "PUSH2", "PUSH3", "PUSH4",
    "PUSH5", "PUSH6", "PUSH7", "PUSH8",
    "PUSH9", "PUSH10", "PUSH11", "PUSH12",
    "PUSH13", "PUSH14", "PUSH15", "PUSH16",
    "PUSH17", "PUSH18", "PUSH19", "PUSH20",
    "PUSH21", "PUSH22", "PUSH23", "PUSH24",
    "PUSH25", "PUSH26", "PUSH27", "PUSH28",
    "PUSH29", "PUSH30", "PUSH31", "PUSH32",
    "DUP1", "DUP2", "DUP3", "DUP4",
    "DUP5", "DUP6", "DUP7", "DUP8",
    "DUP9", "DUP10", "DUP11", "DUP12",
    "DUP13", "DUP14", "DUP15", "DUP16",
    "SWAP1", "SWAP2", "SWAP3", "SWAP4",
    "SWAP5", "SWAP6", "SWAP7", "SWAP8",
    "SWAP9", "SWAP10", "SWAP11", "SWAP12",
    "SWAP13", "SWAP14", "SWAP15", "SWAP16",
    "LOG0", "LOG1", "LOG2", "LOG3",
    "LOG4", "opcode 0xa5 not defined", "opcode 0xa6 not defined", "opcode 0xa7 not defined",
    "opcode 0xa8 not defined", "opcode 0xa9 not defined", "opcode 0xaa not defined", "opcode 0xab not defined",
    "opcode 0xac not defined", "opcode 0xad not defined", "opcode 0xae not defined", "opcode 0xaf not defined",
    "opcode 0xb0 not defined", "opcode 0xb1 not defined", "opcode 0xb2 not defined", "opcode 0xb3 not defined",
    "opcode 0xb4 not defined", "opcode 0xb5 not defined", "opcode 0xb6 not defined", "opcode 0xb7 not defined",
    "opcode 0xb8 not defined", "opcode 0xb9 not defined", "opcode 0xba not defined", "opcode 0xbb not defined",
    "opcode 0xbc not defined", "opcode 0xbd not defined", "opcode 0xbe not defined", "opcode 0xbf not defined",
    "opcode 0xc0 not defined", "opcode 0xc1 not defined", "opcode 0xc2 not defined", "opcode 0xc3 not defined",
    "opcode 0xc4 not defined", "opcode 0xc5 not defined", "opcode 0xc6 not defined", "opcode 0xc7 not defined",
    "opcode 0xc8 not defined", "opcode 0xc9 not defined", "opcode 0xca not defined", "opcode 0xcb not defined",
    "opcode 0xcc not defined", "opcode 0xcd not defined", "opcode 0xce not defined", "opcode 0xcf not defined",
    "opcode 0xd0 not defined", "opcode 0xd1 not defined", "opcode 0xd2 not defined", "opcode 0xd3 not defined",
    "opcode 0xd4 not defined", "opcode 0xd5 not defined", "opcode 0xd6 not defined", "opcode 0xd7 not defined",
    "opcode 0xd8 not defined", "opcode 0xd9 not defined", "opcode 0xda not defined", "opcode 0xdb not defined",
    "opcode 0xdc not defined", "opcode 0xdd not defined", "opcode 0xde not defined", "opcode 0xdf not defined",
    "opcode 0xe0 not defined", "opcode 0xe1 not defined", "opcode 0xe2 not defined", "opcode 0xe3 not defined",
    "opcode 0xe4 not defined", "opcode 0xe5 not defined", "opcode 0xe6 not defined", "opcode 0xe7 not defined",
    "opcode 0xe8 not defined", "opcode 0xe9 not defined", "opcode 0xea not defined", "opcode 0xeb not defined",
    "opcode 0xec not defined", "opcode 0xed not defined", "opcode 0xee not defined", "opcode 0xef not defined",
    "CREATE", "CALL", "CALLCODE", "RETURN",
    "DELEGATECALL", "CREATE2", "opcode 0xf6 not defined", "opcode 0xf7 not defined",
    "opcode 0xf8 not defined", "opcode 0xf9 not defined", "STATICCALL", "opcode 0xfb not defined",
    "opcode 0xfc not defined", "REVERT", "INVALID", "SELFDESTRUCT",
};

const ct__opcode_info *ct__opcode(uint8_t byte)
{
    return &table[byte];
}

const char *ct_opcode_name(uint8_t opcode)
{
    return names[opcode];
}

int ct__opcode_from_name(const char *name, size_t len)
{
    static const struct { const char *alias; int byte; } aliases[] = {
        {"SHA3", 0x20}, {"PREVRANDAO", 0x44}, {"SUICIDE", 0xff}, {"KECCAK", 0x20}};
    size_t i;
    int b;
    for (b = 0; b < 256; b++) {
        const char *n = table[b].name;
        if (n && strlen(n) == len && memcmp(n, name, len) == 0)
            return b;
    }
    for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strlen(aliases[i].alias) == len && memcmp(aliases[i].alias, name, len) == 0)
            return aliases[i].byte;
    return -1;
}
