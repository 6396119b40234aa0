/*
 * ctrecord: replay of a Parity-style vmTrace into full per-step EVM state.
 *
 * Input: a trace_replayTransaction / trace_call result, a trace_replayBlockTransactions /
 * trace_callMany array, a bare vmTrace object, with or without the JSON-RPC envelope (and the
 * erigontech/rpc-tests fixture form [{request, response}]); from a file, stdin ("-") or memory;
 * gzip-compressed or not (detected by magic bytes). The document is read as a stream: it is
 * never held whole and no tree of it is built, and the steps are yielded while reading.
 *
 * Iteration is two-level: ct_replay_next_tx() moves to the next transaction, ct_replay_next()
 * yields its steps in execution order (a calling op, then its child frame's ops, then the next
 * op of the caller), returning CT_DONE after the last step of the transaction.
 *
 * Every pointer reached through a step (the step itself, its frame, stack, memory, storage)
 * is borrowed and valid until the next ct_replay_next()/ct_replay_next_tx()/ct_replay_free()
 * on the same replay; nothing is copied per step. A replay is not thread-safe; distinct replays
 * may be used on distinct threads.
 */
#ifndef CTRECORD_REPLAY_H
#define CTRECORD_REPLAY_H

#include <ctrecord/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_replay ct_replay;

/** Which client wrote the vmTrace (each has its own defects; see docs/vmtrace.md). */
typedef enum ct_dialect {
    CT_DIALECT_AUTO = 0,
    CT_DIALECT_ERIGON,
    CT_DIALECT_OPENETHEREUM,
    CT_DIALECT_NETHERMIND,
    CT_DIALECT_BESU,
    CT_DIALECT_RETH
} ct_dialect;

/** The name of a dialect ("erigon", ...; "unknown" out of range); static storage. */
CT_EXTERN(const char *) ct_dialect_name(ct_dialect d);
/** The dialect named `name` ("auto", "erigon", "openethereum", "nethermind", "besu", "reth")
 * in `*out`; false, `*out` unchanged, when unknown or either argument is NULL. */
CT_EXTERN(bool) ct_dialect_parse(const char *name, ct_dialect *out);

typedef struct ct_replay_options {
    unsigned int version;             /* CT_REPLAY_OPTIONS_VERSION */
    ct_dialect dialect;               /* CT_DIALECT_AUTO: detected from the input */
    /* Memory of one frame may not exceed this many bytes (default 64 MiB, far beyond what any
     * block's gas can buy); an op that would need more is an error, never an allocation. */
    uint64_t max_memory;
    const ct_allocator *allocator;    /* NULL = libc */
    /* Name used in error messages for the input (default: the path, or "<memory>"). */
    const char *input_name;
} ct_replay_options;

#define CT_REPLAY_OPTIONS_VERSION 1
/** Fill `opts` with the defaults, `version` included (NULL: no-op). */
CT_EXTERN(void) ct_replay_options_init(ct_replay_options *opts);

/**
 * Open a file ("-" = stdin). The file stays open until ct_replay_free().
 * @param[out] out  the replay, owned by the caller until ct_replay_free(); NULL on failure
 * @param opts      NULL for the defaults; read during the call only (input_name is copied).
 *                  A `version` other than CT_REPLAY_OPTIONS_VERSION is CT_EINVAL.
 * @param err       optional; filled on failure
 * @return CT_OK; CT_EINVAL (NULL or empty argument, bad options); CT_EIO; CT_ENOMEM;
 *         CT_EPARSE for a malformed document, here or from the first call that reads it
 */
CT_EXTERN(ct_status) ct_replay_open_file(ct_replay **out, const char *path,
                                         const ct_replay_options *opts,
                                         ct_error *err) CT_WARN_UNUSED_RESULT;
/** Replay `len` bytes at `data`, which must outlive the replay (they are not copied); otherwise
 * as ct_replay_open_file(). @return CT_OK; CT_EINVAL (NULL out, NULL data with len > 0, bad
 * options); CT_ENOMEM; CT_EPARSE */
CT_EXTERN(ct_status) ct_replay_open_memory(ct_replay **out, const void *data, size_t len,
                                           const ct_replay_options *opts,
                                           ct_error *err) CT_WARN_UNUSED_RESULT;
/** Close the input and free `r` and everything borrowed from it (steps, transactions,
 * warnings). NULL is a no-op. */
CT_EXTERN(void) ct_replay_free(ct_replay *r);
/** Detail of the last failure (code CT_OK while there is none); borrowed, valid until the
 * replay is freed. NULL for a NULL `r`. */
CT_EXTERN(const ct_error *) ct_replay_error(const ct_replay *r);

/** How a frame was entered. */
typedef enum ct_frame_kind {
    CT_FRAME_ROOT_CALL,      /* the transaction's call */
    CT_FRAME_ROOT_CREATE,    /* a contract-creation transaction */
    CT_FRAME_CALL,
    CT_FRAME_CALLCODE,
    CT_FRAME_DELEGATECALL,
    CT_FRAME_STATICCALL,
    CT_FRAME_CREATE,
    CT_FRAME_CREATE2,
    CT_FRAME_SELFDESTRUCT    /* Erigon gives SELFDESTRUCT an empty sub frame */
} ct_frame_kind;

/** A call frame. Borrowed (see the file comment). */
typedef struct ct_evm_frame {
    uint32_t depth;                   /* 1 = the transaction's frame */
    ct_frame_kind kind;
    ct_u256 address;                  /* storage context (low 20 bytes); see address_known */
    ct_u256 code_address;             /* whose code runs (differs for DELEGATECALL/CALLCODE) */
    bool address_known;               /* false only for a root whose `trace` part was absent */
    ct_u256 value;                    /* call value when known (CALL, CALLCODE, CREATE, CREATE2, root) */
    bool value_known;
    const uint8_t *code;              /* runtime code, or init code for CREATE frames */
    size_t code_len;
    const uint8_t *input;             /* calldata (init code for CREATE frames) */
    size_t input_len;
    bool input_known;                 /* root calldata needs the `trace` part of the input */
    const struct ct_evm_frame *parent;
} ct_evm_frame;

/** One storage slot of the Geth-style cumulative storage map. */
typedef struct ct_storage_slot {
    ct_u256 key;
    ct_u256 value;
} ct_storage_slot;

/**
 * The EVM state at one op, exactly as Geth's struct logger sees it: before the op executes,
 * memory before any expansion by this op.
 */
typedef struct ct_evm_step {
    uint64_t index;                   /* 0-based position in the transaction's flattened ops */
    uint64_t pc;
    uint8_t opcode;
    const char *op;                   /* Geth mnemonic ("KECCAK256", "opcode 0xef not defined") */
    uint64_t gas;                     /* gas before the op */
    uint64_t gas_cost;                /* Geth gasCost (CREATE: without the forwarded gas) */
    bool gas_known;
    uint32_t depth;
    const ct_evm_frame *frame;
    const ct_u256 *stack;             /* bottom -> top */
    size_t stack_len;
    const uint8_t *memory;
    size_t memory_len;
    /* Geth semantics: every slot SLOADed/SSTOREd so far in this transaction by the frame's
     * storage address, including this op's own SLOAD/SSTORE. Any order. */
    const ct_storage_slot *storage;
    size_t storage_len;
    const uint8_t *return_data;       /* return buffer of the last call made by this frame */
    size_t return_data_len;
    /* false when the last call went to a precompile: its output is not in the vmTrace */
    bool return_data_known;
    const char *error;                /* NULL unless the op failed (Geth-style text) */
    bool synthetic;                   /* not in the input: e.g. the implicit STOP */
    /* What the op produced (the vmTrace `ex`), when it completed: */
    bool executed;
    const ct_u256 *push;              /* items pushed, bottom -> top */
    size_t push_len;
} ct_evm_step;

/** A transaction. Fields that the input gives after the vmTrace are complete at CT_DONE. */
typedef struct ct_evm_tx {
    uint64_t index;                   /* position in the input (0 for a single result) */
    const char *hash;                 /* "0x..." or NULL when the input names none */
    ct_dialect dialect;               /* detected or forced */
    bool has_vmtrace;                 /* false for `"vmTrace": null` */
    const uint8_t *output;            /* the `output` field */
    size_t output_len;
    bool output_known;
    bool failed;                      /* the root frame reverted or failed */
    const char *error;                /* root error text from the `trace` part, or NULL */
    uint64_t steps;                   /* ops yielded so far */
    /* Added by the replay implementation: */
    bool in_list;                     /* an element of a result array (block, callMany) */
    bool is_create;                   /* a contract-creation transaction (needs `trace`) */
    const uint8_t *input;             /* root calldata / init code (needs `trace`) */
    size_t input_len;
    bool input_known;
    /* Gas the root frame consumed, without intrinsic gas and refunds: the `trace` part's
     * result.gasUsed when present, else reconstructed (all of it when the root failed). */
    uint64_t exec_gas_used;
    bool exec_gas_used_known;
    uint64_t exec_gas_limit;          /* gas available to the root frame */
    bool exec_gas_limit_known;
    bool reverted;                    /* the root frame ended with REVERT */
} ct_evm_tx;

/** Move to the next transaction; `*out` is borrowed, valid until the next ct_replay_next_tx()
 * or ct_replay_free(), and its fields are updated by ct_replay_next() (complete at CT_DONE).
 * Steps left in the current transaction are skipped. @return CT_OK, CT_DONE after the last
 * (again on every later call), CT_EINVAL (NULL argument), or the replay's error, which every
 * later call returns again (CT_EPARSE, CT_EREPLAY, CT_EIO, CT_ENOMEM) */
CT_EXTERN(ct_status) ct_replay_next_tx(const ct_evm_tx **out, ct_replay *r);

/**
 * Yield the next step of the current transaction. CT_OK with *out set (borrowed, valid until
 * the next call on `r`; see the file comment), CT_DONE after the last step (then the ct_evm_tx
 * is complete; again on every later call until ct_replay_next_tx()), CT_EINVAL (NULL argument,
 * or no ct_replay_next_tx() yet: the replay is not spoiled), or an error whose message names
 * the op index, the Erigon-style op path, and the byte offset; later calls return it again.
 */
CT_EXTERN(ct_status) ct_replay_next(const ct_evm_step **out, ct_replay *r);

/** Number of warnings about client defects detected so far (0 for a NULL `r`). */
CT_EXTERN(size_t) ct_replay_warning_count(const ct_replay *r);
/** Warning `i` (one line), borrowed, valid until ct_replay_free(); NULL when `i` is out of
 * range. */
CT_EXTERN(const char *) ct_replay_warning(const ct_replay *r, size_t i);

/** Callback of ct_replay_foreach(); `tx` and `step` are borrowed for the call only. */
typedef ct_status (*ct_replay_step_cb)(const ct_evm_tx *tx, const ct_evm_step *step,
                                       void *payload);
/** Callback form: calls `cb` for every remaining step of every remaining transaction.
 * @return CT_OK at the end; the callback's negative status, or CT_EUSER for a positive one,
 *         when it stops early; CT_EINVAL (NULL r or cb); the replay's error */
CT_EXTERN(ct_status) ct_replay_foreach(ct_replay *r, ct_replay_step_cb cb, void *payload);

/** True when the transactions of the input are elements of a result array (block replay,
 * trace_callMany), so that a consumer can shape its output like debug_traceBlock even for an
 * empty block. Meaningful after the first ct_replay_next_tx(). */
CT_EXTERN(bool) ct_replay_input_is_list(const ct_replay *r);

/** Geth mnemonic of an opcode byte; static storage. */
CT_EXTERN(const char *) ct_opcode_name(uint8_t opcode);

#ifdef __cplusplus
}
#endif
#endif
