/*
 * The Solidity contract ABI: types, the entries of an ABI JSON (functions, events, errors,
 * constructor, fallback, receive), and decoding of calldata, return data, logs and revert data
 * into a tree of values. Decoding is bounds-checked everywhere: short data or an offset that
 * points outside the data is CT_EPARSE, never an out-of-range read.
 */
#ifndef CT_RECORDER_ABI_H
#define CT_RECORDER_ABI_H

#include <cjson/cJSON.h>
#include <ctrecord/common.h>

#include "arena.h"

typedef enum ct__abi_kind {
    CT__ABI_UINT, CT__ABI_INT, CT__ABI_ADDRESS, CT__ABI_BOOL, CT__ABI_FIXED_BYTES,
    CT__ABI_BYTES, CT__ABI_STRING, CT__ABI_ARRAY, CT__ABI_DYN_ARRAY, CT__ABI_TUPLE,
    CT__ABI_FUNCTION
} ct__abi_kind;

typedef struct ct__abi_type ct__abi_type;
struct ct__abi_type {
    ct__abi_kind kind;
    unsigned size;               /* bits of uint/int; bytes of bytesN */
    size_t length;               /* ARRAY: element count */
    const ct__abi_type *elem;    /* ARRAY, DYN_ARRAY */
    const ct__abi_type **fields; /* TUPLE */
    const char **names;          /* TUPLE: component names ("" when unnamed) */
    const bool *indexed;         /* TUPLE of event inputs: which are in topics; else NULL */
    size_t nfields;
    const char *canonical;       /* "uint256", "(address,uint256)[]": selectors and type names */
    const char *display;         /* TUPLE from a Solidity struct: "Args.Pair" (internalType);
                                  * else NULL */
};

/** True when the type's head is a 32-byte offset into the tail. */
bool ct__abi_is_dynamic(const ct__abi_type *t);

/**
 * Parse one ABI parameter ({"type", "components", "name", ...}); the result lives in `arena`.
 */
ct_status ct__abi_parse_param(const ct__abi_type **out, ct__arena *arena, const cJSON *param,
                              ct_error *err);

typedef enum ct__abi_entry_kind {
    CT__ABI_ENTRY_FUNCTION, CT__ABI_ENTRY_CONSTRUCTOR, CT__ABI_ENTRY_FALLBACK,
    CT__ABI_ENTRY_RECEIVE, CT__ABI_ENTRY_EVENT, CT__ABI_ENTRY_ERROR
} ct__abi_entry_kind;

typedef struct ct__abi_entry {
    ct__abi_entry_kind kind;
    const char *name;               /* "constructor", "fallback", "receive" for those */
    const char *signature;          /* "transfer(address,uint256)" */
    uint8_t hash[32];               /* keccak256(signature): selector = hash[0..4), topic0 */
    const ct__abi_type *inputs;     /* always a TUPLE (events: `indexed` set) */
    const ct__abi_type *outputs;    /* TUPLE; empty for non-functions */
    bool anonymous;
} ct__abi_entry;

typedef struct ct__abi {
    const ct__abi_entry *entries;
    size_t count;
} ct__abi;

/** Parse an ABI JSON array into `arena`. Entries of unknown kind are skipped. */
ct_status ct__abi_parse(ct__abi *out, ct__arena *arena, const cJSON *abi, ct_error *err);

/** The function / error whose selector is `sel`; NULL when none. */
const ct__abi_entry *ct__abi_find(const ct__abi *abi, ct__abi_entry_kind kind,
                                  const uint8_t sel[4]);
/** The first entry of `kind` (constructor, fallback, receive); NULL when none. */
const ct__abi_entry *ct__abi_first(const ct__abi *abi, ct__abi_entry_kind kind);
/** The non-anonymous event whose topic0 is `topic`. */
const ct__abi_entry *ct__abi_find_event(const ct__abi *abi, const uint8_t topic[32]);

/**
 * The built-in ABI of well-known interfaces (abi_builtin.c: ERC-20/721/1155 events, WETH,
 * Ownable, ERC-1967, Multicall), parsed into `arena`. Entries may share a selector or topic
 * (ERC-20 and ERC-721 Transfer): try each until one decodes.
 */
ct_status ct__abi_builtin(ct__abi *out, ct__arena *arena, ct_error *err);

/* ---- decoded values ---------------------------------------------------------------------- */

typedef struct ct__abi_value ct__abi_value;
struct ct__abi_value {
    const ct__abi_type *type;
    const uint8_t *data;        /* scalars: the 32-byte word; bytes/string: the content */
    size_t len;                 /* 32 for scalars; content length for bytes/string */
    const ct__abi_value *items; /* ARRAY, DYN_ARRAY, TUPLE */
    size_t count;
    bool hashed;                /* an indexed dynamic event argument: data is its keccak */
};

/**
 * Decode `data[0..len)` as the ABI encoding of `tuple` (a TUPLE type). The values point into
 * `data` and `arena`; both must outlive them. CT_EPARSE with a message naming the component
 * and byte offset when the data is short or an offset is out of range.
 */
ct_status ct__abi_decode(ct__abi_value *out, ct__arena *arena, const ct__abi_type *tuple,
                         const uint8_t *data, size_t len, ct_error *err);

/**
 * Decode an event's inputs from its topics (topics[0] is the signature unless anonymous) and
 * data. Indexed dynamic arguments become `hashed` values.
 */
ct_status ct__abi_decode_event(ct__abi_value *out, ct__arena *arena, const ct__abi_entry *ev,
                               const uint8_t (*topics)[32], size_t ntopics,
                               const uint8_t *data, size_t len, ct_error *err);

/**
 * Human-readable rendering ("0x..", decimal integers, "true", quoted strings, "[a, b]",
 * "(a, b)"), truncated to fit `cap` (always NUL-terminated when cap > 0). Returns the length
 * written.
 */
size_t ct__abi_format(char *buf, size_t cap, const ct__abi_value *v);

/** "name=value, ..." for a decoded TUPLE, using the tuple's component names. */
size_t ct__abi_format_named(char *buf, size_t cap, const ct__abi_value *tuple);

/** Decimal rendering of a 32-byte big-endian word (optionally two's complement signed). */
size_t ct__u256_decimal(char *buf, size_t cap, const uint8_t word[32], bool is_signed);

/* ---- revert data ------------------------------------------------------------------------- */

/** Meaning of a Panic(uint256) code ("arithmetic overflow or underflow"), or NULL. */
const char *ct__abi_panic_meaning(uint64_t code);

/**
 * Describe revert data: "Error(string): msg", "Panic(0x11): arithmetic overflow or underflow",
 * "Name(a=1, b=2)" for a custom error found in `abis` (any of `nabis`, may be 0), "reverted
 * without reason" for empty data, "revert data 0x..." when nothing decodes. Writes into
 * `buf`; `metadata` gets the short kind ("Revert", "Panic", "Error name", "RevertRaw").
 */
void ct__abi_describe_revert(char *buf, size_t cap, char *metadata, size_t mcap,
                             const ct__abi *const *abis, size_t nabis, const uint8_t *data,
                             size_t len, ct__arena *arena);

#endif
