/*
 * ctrecord: Solidity-level CodeTracer traces from replayed EVM transactions.
 *
 * ct_evm_record() replays a vmTrace input (ctrecord/replay.h) and writes one CodeTracer trace
 * folder per transaction (ctrecord/writer.h) in which the steps are lines of the Solidity
 * sources: each frame's code is matched against the compiler artifacts, pcs go through the
 * source maps to (file, line), external frames and internal functions are calls with decoded
 * arguments and return values, LOGs are EvmEvent events, reverts and failures Error events,
 * and every step carries the storage variables touched so far, the current function's
 * arguments and the raw EVM state. docs/evm.md describes the mapping; docs/cli.md the command.
 *
 * Problems that leave a sensible trace (an artifact that matches nothing, a source map that
 * points outside its source, a missing source, undecodable ABI data) are warnings, reported
 * through the callback; the call fails only when nothing sensible can be written.
 */
#ifndef CTRECORD_EVM_RECORD_H
#define CTRECORD_EVM_RECORD_H

#include <ctrecord/common.h>
#include <ctrecord/replay.h>
#include <ctrecord/writer.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ct_evm_granularity {
    CT_EVM_GRANULARITY_LINE = 0,    /* a Step each time the frame's (file, line) changes */
    CT_EVM_GRANULARITY_OPCODE = 1   /* a Step per op, with an Asm event naming op and pc */
} ct_evm_granularity;

/** "this address runs that contract", for code that matching cannot identify. */
typedef struct ct_evm_address_entry {
    const char *address;            /* "0x" + 40 hex digits */
    const char *contract;           /* "Token" or "src/Token.sol:Token" */
} ct_evm_address_entry;

/** Called once per warning with one line (borrowed for the call). */
typedef void (*ct_evm_warning_fn)(void *payload, const char *line);

typedef struct ct_evm_record_options {
    unsigned int version;           /* CT_EVM_RECORD_OPTIONS_VERSION */
    const char *input;              /* vmTrace file, "-" = stdin (gzip detected) */
    ct_dialect dialect;             /* CT_DIALECT_AUTO */
    const char *const *artifacts;   /* artifact files / folders (see docs/evm.md) */
    size_t nartifacts;
    const ct_evm_address_entry *address_map;
    size_t naddress_map;
    /* Sources: the standard-JSON input's contents first; else `git_repo` at `git_rev`
     * (NULL = HEAD); else files under `sources_dir` (NULL = the artifacts' project folder, or
     * the current directory). Relative source names are made absolute against sources_dir,
     * else git_repo, else that project folder. */
    const char *sources_dir;
    const char *git_repo;
    const char *git_rev;
    /* A single transaction is written to `output`; a block (a list of results) to
     * `output`/<tx hash>/ (tx-<index> when the input names no hash). */
    const char *output;
    bool overwrite;                 /* replace existing trace folders */
    ct_evm_granularity granularity;
    ct_profile profile;             /* writer profile (both CodeTracer profiles are accepted) */
    const char *workdir;            /* trace_metadata.json workdir; NULL = current directory */
    ct_evm_warning_fn on_warning;   /* NULL: warnings are only counted */
    void *warning_payload;
    const ct_allocator *allocator;  /* NULL = libc */
} ct_evm_record_options;

#define CT_EVM_RECORD_OPTIONS_VERSION 1

/** Fill `opts` with the defaults, `version` included (NULL: no-op). */
CT_EXTERN(void) ct_evm_record_options_init(ct_evm_record_options *opts);

/** What was written. */
typedef struct ct_evm_record_report {
    uint64_t transactions;          /* trace folders written */
    uint64_t ops;                   /* EVM ops replayed */
    uint64_t steps;                 /* Step events (excluding those of call entries) */
    uint64_t calls;                 /* Call events (external + internal, not <toplevel>) */
    uint64_t events;                /* EvmEvent events */
    uint64_t errors;                /* Error events */
    uint64_t warnings;
    uint64_t frames_unmatched;      /* frames shown as disassembly */
} ct_evm_record_report;

/**
 * Record every transaction of `opts->input`. `opts` and everything it points to are only read
 * during the call (nothing is kept); the warning callback is called during the call only, with
 * a line valid for that callback.
 * @param[out] report  optional; filled as far as recording got, also on failure
 * @param err          optional; the first fatal problem, one line naming where
 * @return CT_OK; CT_EINVAL (NULL or bad options, a `version` other than
 *         CT_EVM_RECORD_OPTIONS_VERSION, NULL arrays with non-zero counts), CT_EIO, CT_EPARSE (unreadable input or artifacts),
 *         CT_EREPLAY, CT_ENOMEM. A failed transaction leaves no trace folder of its own;
 *         folders of the transactions before it stay.
 */
CT_EXTERN(ct_status) ct_evm_record(const ct_evm_record_options *opts,
                                   ct_evm_record_report *report, ct_error *err);

#ifdef __cplusplus
}
#endif
#endif
