/*
 * Streaming reader of vmTrace documents: walks the JSON tokens once and reports, in execution
 * order, where transactions, call frames and ops begin and end. It understands every shape the
 * replay accepts (bare vmTrace, result object, JSON-RPC envelope, block/callMany arrays and the
 * rpc-tests fixture form [{request, response}]) and keeps only per-depth state: one op record
 * and one code buffer per call depth, reused by later frames at that depth.
 *
 * Records are owned by the reader. The op record of a level stays valid until the next op of
 * that level begins, so a calling op's `ex` survives its child frame's ops.
 */
#ifndef CT_RECORDER_VMTRACE_READER_H
#define CT_RECORDER_VMTRACE_READER_H

#include <ctrecord/replay.h>

#include "util/input.h"
#include "util/json_reader.h"

/** Deepest call nesting accepted (the EVM's 1024 calls below the root are 1025 levels). */
#define CT__VT_MAX_LEVELS 1100
/** Longest `push` list accepted (DUP16/SWAP16 push 17). */
#define CT__VT_MAX_PUSH 64

typedef enum ct__vt_event {
    CT__VT_TX_BEGIN,     /* a transaction: tx fields before the vmTrace are set */
    CT__VT_FRAME_BEGIN,  /* level `level` starts a frame (its code is set) */
    CT__VT_OP,           /* the op record of `level` is ready (has_sub: its frame follows) */
    CT__VT_FRAME_END,    /* the frame of `level` ended */
    CT__VT_OP_END,       /* the op of `level` that had a sub is complete */
    CT__VT_TX_END,       /* the transaction ended: every tx field is set */
    CT__VT_EOF
} ct__vt_event;

typedef struct ct__vt_op {
    uint64_t offset;            /* byte offset of the op object */
    uint64_t pc, cost, used;
    bool has_pc, has_cost, has_ex_key, has_ex, has_sub;
    int named_opcode;           /* from the "op" field, -1 when absent, -2 when unknown name */
    bool has_idx;
    ct_u256 push[CT__VT_MAX_PUSH];
    size_t push_len;
    bool has_mem;
    uint64_t mem_off;
    uint8_t *mem_data;          /* reader-owned, grows to the largest */
    size_t mem_len, mem_cap;
    bool has_store;
    ct_u256 store_key, store_val;
} ct__vt_op;

typedef struct ct__vt_level {
    int state;
    bool frame_begun;
    bool has_code;
    uint8_t *code;
    size_t code_len, code_cap;
    uint64_t ops;               /* ops begun in this frame */
    ct__vt_op op;
} ct__vt_level;

/** What the input says about a transaction outside its vmTrace. */
typedef struct ct__vt_tx {
    uint64_t index;
    char hash[80];
    bool has_hash;
    bool has_vmtrace;
    bool bare;                  /* the document is a bare vmTrace object */
    uint8_t *output;
    size_t output_len, output_cap;
    bool has_output;
    /* trace[0] (the root call), when the `trace` part is present */
    bool has_trace;
    bool root_create;
    ct_u256 from, to, value, created;
    bool has_to, has_value, has_created;
    uint64_t gas, gas_used;
    bool has_gas, has_gas_used;
    uint8_t *input;
    size_t input_len, input_cap;
    bool has_input;
    char error[160];
    bool has_error;
    char call_type[16];
    bool in_list;               /* an element of a result array (block replay, callMany) */
} ct__vt_tx;

typedef struct ct__vt_reader ct__vt_reader;

ct_status ct__vt_reader_new(ct__vt_reader **out, ct__input *in, const char *name,
                            const ct_allocator *a, ct_error *err);
void ct__vt_reader_free(ct__vt_reader *r);

/** Next event; *level is the level it concerns (FRAME/OP events). */
ct_status ct__vt_next(ct__vt_reader *r, ct__vt_event *ev, uint32_t *level, ct_error *err);

ct__vt_level *ct__vt_level_at(ct__vt_reader *r, uint32_t level);
const ct__vt_tx *ct__vt_tx_info(const ct__vt_reader *r);
/** "a-b-c": the position of the op being read in each level (Erigon's idx without the tx). */
void ct__vt_path(const ct__vt_reader *r, uint32_t levels, char *buf, size_t cap);
const char *ct__vt_name(const ct__vt_reader *r);
uint64_t ct__vt_offset(const ct__vt_reader *r);
/** True once an array of results was seen (so an empty block is still a list). */
bool ct__vt_saw_list(const ct__vt_reader *r);

/** Ops that were parsed straight from the window (the rest went token by token). */
uint64_t ct__vt_fast_ops(const ct__vt_reader *r);

/** "PUSH1", "KECCAK256", "SHA3", "opcode 0xef not defined" -> byte; -2 when unknown. */
int ct__vt_opcode_of_name(const char *s, size_t n);

/**
 * The byte an op's `op` name stands for (ct__vt_opcode_of_name's result), found with one
 * compare when it names the byte of the frame's code at the op's pc, as it nearly always does.
 */
int ct__vt_op_name(const ct__vt_level *l, const ct__vt_op *op, const char *s, size_t n);

/**
 * vmtrace_fastop.c: parse the op object at b[0] ('{'; `avail` bytes present, padded like the
 * JSON reader's window) into `op` (already reset) when it has the common shape: no sub frame,
 * only the known keys, once each, plain values. Returns its length, or 0 when the token path
 * must read it (which then also reports any error); `op` may be partly written then.
 */
size_t ct__vt_fast_op(const unsigned char *b, size_t avail, const ct__vt_level *l,
                      ct__vt_op *op);

#endif
