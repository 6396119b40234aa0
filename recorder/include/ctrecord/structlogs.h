/*
 * ctrecord: Geth's default struct logger output (debug_traceTransaction without a tracer)
 * reproduced from a replayed vmTrace.
 *
 * Output: {"structLogs":[...],"gas":N,"failed":B,"returnValue":"0x.."} for a single result,
 * [{"result":{...},"txHash":"0x.."}, ...] for a block (debug_traceBlockByNumber) or
 * trace_callMany input. Keys that depend on the end of the input come after the struct logs;
 * JSON-equal to Geth, not byte-equal. Each StructLog is {pc, op, gas, gasCost, depth, error?,
 * stack?, returnData?, memory?, storage?}; `refund` is never written (the vmTrace does not
 * carry the refund counter). Output is streamed: memory use does not depend on its size.
 */
#ifndef CTRECORD_STRUCTLOGS_H
#define CTRECORD_STRUCTLOGS_H

#include <ctrecord/replay.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_structlogs_options {
    unsigned int version;           /* CT_STRUCTLOGS_OPTIONS_VERSION */
    bool disable_stack;             /* Geth disableStack */
    bool disable_storage;           /* Geth disableStorage */
    bool enable_memory;             /* Geth enableMemory */
    bool enable_return_data;        /* Geth enableReturnData */
    /* Geth before v1.17.3: memory words and storage keys/values without "0x". */
    bool legacy_encoding;
    /* Geth before v1.10.5 (and Besu): `storage` on every step once the frame's storage
     * address has slots, not only at SLOAD/SSTORE. */
    bool storage_every_step;
    /* Intrinsic gas per non-zero calldata byte used for the top-level `gas`: 16 (EIP-2028,
     * Istanbul and later; the default) or 68 (before Istanbul). */
    uint32_t calldata_nonzero_gas;
    /* Further fork rules for the top-level `gas` (a vmTrace does not name its fork; default
     * off, as before Shanghai): EIP-3860 (Shanghai+) charges a creation 2 gas per 32-byte
     * word of its init code; EIP-7623 (Prague+) makes gasUsed at least 21000 + 10 per
     * calldata token (a zero byte 1 token, any other 4). */
    bool initcode_word_gas;
    bool calldata_floor;
} ct_structlogs_options;

#define CT_STRUCTLOGS_OPTIONS_VERSION 1
/** Fill `opts` with the defaults (Geth's, Istanbul gas), `version` included (NULL: no-op). */
CT_EXTERN(void) ct_structlogs_options_init(ct_structlogs_options *opts);

/**
 * Replay every transaction of `r` and write the struct logs to `path`, through a temporary
 * file renamed into place only when everything succeeded (on failure no file appears).
 * "-" writes to stdout (then a failure leaves partial output; the status says so), and so is
 * an existing device or FIFO written in place (/dev/stdout, /dev/null, a pipe; write errors
 * such as ENOSPC on /dev/full are CT_EIO), never replaced by a file.
 * `r` is consumed (iterated to its end); the caller still frees it. `opts` (NULL = defaults)
 * is read during the call only.
 * @return CT_OK; CT_EINVAL (NULL r, NULL or empty path, options.version other than
 *         CT_STRUCTLOGS_OPTIONS_VERSION; nothing written); the replay's error; CT_EIO; CT_ENOMEM
 */
CT_EXTERN(ct_status) ct_structlogs_write_file(ct_replay *r, const char *path,
                                              const ct_structlogs_options *opts,
                                              ct_error *err) CT_WARN_UNUSED_RESULT;

/** Same, to an open descriptor (not closed; the caller owns it). A negative `fd` is CT_EINVAL. */
CT_EXTERN(ct_status) ct_structlogs_write_fd(ct_replay *r, int fd,
                                            const ct_structlogs_options *opts,
                                            ct_error *err) CT_WARN_UNUSED_RESULT;

/**
 * The top-level `gas` of a finished transaction (its receipt gasUsed as far as the vmTrace
 * tells): intrinsic gas (21000, +32000 for a creation, calldata bytes at 4 / `nonzero_gas`)
 * plus tx->exec_gas_used. Refunds and access-list gas are not in a vmTrace, so this is the
 * receipt value only for transactions without either (docs/structlogs.md). 0 for a NULL `tx`.
 */
CT_EXTERN(uint64_t) ct_structlogs_tx_gas(const ct_evm_tx *tx, uint32_t nonzero_gas);

/**
 * The top-level `gas` the writer outputs: ct_structlogs_tx_gas() with opts' calldata price,
 * plus EIP-3860's initcode words and at least EIP-7623's floor when those options are set.
 * Still without refunds (not in a vmTrace), so the receipt value only without them.
 * NULL `opts` = the defaults; 0 for a NULL `tx`.
 */
CT_EXTERN(uint64_t) ct_structlogs_receipt_gas(const ct_evm_tx *tx,
                                              const ct_structlogs_options *opts);

/**
 * Set the gas options of `opts` (calldata_nonzero_gas, initcode_word_gas, calldata_floor)
 * for the named fork: "frontier" … "petersburg" (68 per non-zero byte), "istanbul", "berlin",
 * "london", "paris" (16), "shanghai", "cancun" (+ EIP-3860), "prague", "osaka" (+ EIP-7623).
 * False, `opts` unchanged, for an unknown name or a NULL argument.
 */
CT_EXTERN(bool) ct_structlogs_set_fork(ct_structlogs_options *opts, const char *fork);

#ifdef __cplusplus
}
#endif
#endif
