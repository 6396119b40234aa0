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

/* Every mnemonic (and the legacy aliases SHA3, PREVRANDAO, SUICIDE, KECCAK) sorted bytewise,
 * so a name is found by binary search: the replay looks a name up once per op. */
static const struct named { const char *name; uint8_t len; uint8_t byte; } by_name[] = {
    {"ADD", 3, 0x01}, {"ADDMOD", 6, 0x08}, {"ADDRESS", 7, 0x30}, {"AND", 3, 0x16},
    {"BALANCE", 7, 0x31}, {"BASEFEE", 7, 0x48}, {"BLOBBASEFEE", 11, 0x4a},
    {"BLOBHASH", 8, 0x49}, {"BLOCKHASH", 9, 0x40}, {"BYTE", 4, 0x1a}, {"CALL", 4, 0xf1},
    {"CALLCODE", 8, 0xf2}, {"CALLDATACOPY", 12, 0x37}, {"CALLDATALOAD", 12, 0x35},
    {"CALLDATASIZE", 12, 0x36}, {"CALLER", 6, 0x33}, {"CALLVALUE", 9, 0x34},
    {"CHAINID", 7, 0x46}, {"CLZ", 3, 0x1e}, {"CODECOPY", 8, 0x39}, {"CODESIZE", 8, 0x38},
    {"COINBASE", 8, 0x41}, {"CREATE", 6, 0xf0}, {"CREATE2", 7, 0xf5},
    {"DELEGATECALL", 12, 0xf4}, {"DIFFICULTY", 10, 0x44}, {"DIV", 3, 0x04}, {"DUP1", 4, 0x80},
    {"DUP10", 5, 0x89}, {"DUP11", 5, 0x8a}, {"DUP12", 5, 0x8b}, {"DUP13", 5, 0x8c},
    {"DUP14", 5, 0x8d}, {"DUP15", 5, 0x8e}, {"DUP16", 5, 0x8f}, {"DUP2", 4, 0x81},
    {"DUP3", 4, 0x82}, {"DUP4", 4, 0x83}, {"DUP5", 4, 0x84}, {"DUP6", 4, 0x85},
    {"DUP7", 4, 0x86}, {"DUP8", 4, 0x87}, {"DUP9", 4, 0x88}, {"EQ", 2, 0x14}, {"EXP", 3, 0x0a},
    {"EXTCODECOPY", 11, 0x3c}, {"EXTCODEHASH", 11, 0x3f}, {"EXTCODESIZE", 11, 0x3b},
    {"GAS", 3, 0x5a}, {"GASLIMIT", 8, 0x45}, {"GASPRICE", 8, 0x3a}, {"GT", 2, 0x11},
    {"INVALID", 7, 0xfe}, {"ISZERO", 6, 0x15}, {"JUMP", 4, 0x56}, {"JUMPDEST", 8, 0x5b},
    {"JUMPI", 5, 0x57}, {"KECCAK", 6, 0x20}, {"KECCAK256", 9, 0x20}, {"LOG0", 4, 0xa0},
    {"LOG1", 4, 0xa1}, {"LOG2", 4, 0xa2}, {"LOG3", 4, 0xa3}, {"LOG4", 4, 0xa4}, {"LT", 2, 0x10},
    {"MCOPY", 5, 0x5e}, {"MLOAD", 5, 0x51}, {"MOD", 3, 0x06}, {"MSIZE", 5, 0x59},
    {"MSTORE", 6, 0x52}, {"MSTORE8", 7, 0x53}, {"MUL", 3, 0x02}, {"MULMOD", 6, 0x09},
    {"NOT", 3, 0x19}, {"NUMBER", 6, 0x43}, {"OR", 2, 0x17}, {"ORIGIN", 6, 0x32},
    {"PC", 2, 0x58}, {"POP", 3, 0x50}, {"PREVRANDAO", 10, 0x44}, {"PUSH0", 5, 0x5f},
    {"PUSH1", 5, 0x60}, {"PUSH10", 6, 0x69}, {"PUSH11", 6, 0x6a}, {"PUSH12", 6, 0x6b},
    {"PUSH13", 6, 0x6c}, {"PUSH14", 6, 0x6d}, {"PUSH15", 6, 0x6e}, {"PUSH16", 6, 0x6f},
    {"PUSH17", 6, 0x70}, {"PUSH18", 6, 0x71}, {"PUSH19", 6, 0x72}, {"PUSH2", 5, 0x61},
    {"PUSH20", 6, 0x73}, {"PUSH21", 6, 0x74}, {"PUSH22", 6, 0x75}, {"PUSH23", 6, 0x76},
    {"PUSH24", 6, 0x77}, {"PUSH25", 6, 0x78}, {"PUSH26", 6, 0x79}, {"PUSH27", 6, 0x7a},
    {"PUSH28", 6, 0x7b}, {"PUSH29", 6, 0x7c}, {"PUSH3", 5, 0x62}, {"PUSH30", 6, 0x7d},
    {"PUSH31", 6, 0x7e}, {"PUSH32", 6, 0x7f}, {"PUSH4", 5, 0x63}, {"PUSH5", 5, 0x64},
    {"PUSH6", 5, 0x65}, {"PUSH7", 5, 0x66}, {"PUSH8", 5, 0x67}, {"PUSH9", 5, 0x68},
    {"RETURN", 6, 0xf3}, {"RETURNDATACOPY", 14, 0x3e}, {"RETURNDATASIZE", 14, 0x3d},
    {"REVERT", 6, 0xfd}, {"SAR", 3, 0x1d}, {"SDIV", 4, 0x05}, {"SELFBALANCE", 11, 0x47},
    {"SELFDESTRUCT", 12, 0xff}, {"SGT", 3, 0x13}, {"SHA3", 4, 0x20}, {"SHL", 3, 0x1b},
    {"SHR", 3, 0x1c}, {"SIGNEXTEND", 10, 0x0b}, {"SLOAD", 5, 0x54}, {"SLOTNUM", 7, 0x4b},
    {"SLT", 3, 0x12}, {"SMOD", 4, 0x07}, {"SSTORE", 6, 0x55}, {"STATICCALL", 10, 0xfa},
    {"STOP", 4, 0x00}, {"SUB", 3, 0x03}, {"SUICIDE", 7, 0xff}, {"SWAP1", 5, 0x90},
    {"SWAP10", 6, 0x99}, {"SWAP11", 6, 0x9a}, {"SWAP12", 6, 0x9b}, {"SWAP13", 6, 0x9c},
    {"SWAP14", 6, 0x9d}, {"SWAP15", 6, 0x9e}, {"SWAP16", 6, 0x9f}, {"SWAP2", 5, 0x91},
    {"SWAP3", 5, 0x92}, {"SWAP4", 5, 0x93}, {"SWAP5", 5, 0x94}, {"SWAP6", 5, 0x95},
    {"SWAP7", 5, 0x96}, {"SWAP8", 5, 0x97}, {"SWAP9", 5, 0x98}, {"TIMESTAMP", 9, 0x42},
    {"TLOAD", 5, 0x5c}, {"TSTORE", 6, 0x5d}, {"XOR", 3, 0x18},
};

static int compare_name(const char *name, size_t len, const struct named *e)
{
    size_t n = len < e->len ? len : e->len;
    int c = memcmp(name, e->name, n);
    if (c != 0)
        return c;
    return len < e->len ? -1 : (len > e->len ? 1 : 0);
}

int ct__opcode_from_name(const char *name, size_t len)
{
    size_t lo = 0, hi = sizeof by_name / sizeof by_name[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_name(name, len, &by_name[mid]);
        if (c == 0)
            return by_name[mid].byte;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}
