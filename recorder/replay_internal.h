/* The replay handle and its per-depth frame state, shared by the replay_*.c files. */
#ifndef CT_RECORDER_REPLAY_INTERNAL_H
#define CT_RECORDER_REPLAY_INTERNAL_H

#include <ctrecord/replay.h>

#include "evm_memory.h"
#include "evm_storage.h"
#include "util/error.h"
#include "vmtrace_reader.h"

/** The EVM's stack limit; the replay refuses to go beyond it. */
#define CT__STACK_LIMIT 1024

/* Kinds of client-defect warnings; each is reported once per replay (first occurrence). */
enum {
    CT__W_PUSH0,
    CT__W_NM_DUP,
    CT__W_RETH_MEM,
    CT__W_MCOPY_LOCAL,
    CT__W_PC_GAP,
    CT__W_CREATE_GAS,
    CT__W_GAS_UNKNOWN,
    CT__W_RETURNDATA,
    CT__W_NAME,
    CT__W_FRAME_CUT,
    CT__W_SLOAD_FAILED,
    CT__W_STOP_DROPPED,
    CT__W_COUNT
};

/* One call depth: reused by every frame that runs at this depth. */
typedef struct ct__frame {
    ct_evm_frame pub;
    ct_u256 *stack;
    size_t stack_len, stack_cap;
    ct__memory mem;
    uint8_t *ret;              /* return data of this frame's last call */
    size_t ret_len, ret_cap;
    bool ret_known;
    uint64_t ret_size;         /* RETURNDATASIZE seen while ret_known is false */
    bool ret_size_known;
    uint64_t prev_used;        /* `used` of the previous op of this frame */
    bool have_prev;
    uint64_t ops;
    uint64_t next_pc;          /* where the previous op said execution continues */
    bool next_pc_known;
    bool last_jump;            /* the previous op was JUMP/JUMPI */
    bool jump_taken;           /* ... and it jumped */
    bool ended;                /* the previous op halted the frame or failed */
    bool failed;               /* ... by failing (ex null, INVALID, REVERT) */
    bool reverted;
    uint8_t cur_opcode;        /* opcode of the op yielded last at this depth */
    uint64_t cur_pc;
    uint64_t cur_index;        /* its step index in the transaction */
    size_t storage_pos;
    bool storage_pos_valid;
    size_t storage_seen;       /* accounts in the storage view when last looked up */
} ct__frame;

struct ct_replay {
    ct_allocator alloc;
    ct_replay_options opts;
    char *name;
    ct__input *in;
    ct__vt_reader *reader;
    ct__frame **frames;
    uint32_t frames_alloc;     /* frames allocated (kept for reuse) */
    uint32_t frames_cap;       /* pointer slots in `frames` */
    uint32_t depth;            /* active frames */
    ct__storage storage;
    ct_evm_step step;
    ct_evm_tx tx;
    ct_error err;
    int phase;
    bool pending_apply;        /* the last yielded op's effects are still to be applied */
    uint32_t pending_level;
    bool pending_frame_end;    /* a synthetic STOP was yielded before finishing a frame */
    uint32_t pending_end_level;
    ct__vt_event la_ev[2];     /* lookahead events (CREATE gas) */
    uint32_t la_level[2];
    unsigned la_len, la_head;
    ct_dialect dialect;
    bool dialect_known;
    char *warnings[CT__W_COUNT];
    uint32_t warn_order[CT__W_COUNT];
    size_t warn_len;
    uint64_t root_first_gas;
    bool root_first_gas_known;
    uint64_t root_last_used;
    bool root_last_used_known;
    bool root_ret_known;       /* frames[0]->ret holds the root's RETURN/REVERT data */
    uint64_t txs_seen;
    bool first_in_list;
    bool root_seen;            /* frames[0] belongs to the current transaction */
};

enum { CT__PHASE_IDLE, CT__PHASE_TX, CT__PHASE_TX_DONE, CT__PHASE_EOF, CT__PHASE_FAILED };

/* replay_error.c */
ct_status ct__replay_fail(ct_replay *r, ct_status code, uint32_t level, const char *fmt, ...)
    CT__PRINTF(4, 5);
void ct__replay_warn(ct_replay *r, int kind, uint32_t level, const char *fmt, ...)
    CT__PRINTF(4, 5);
void ct__replay_warnings_free(ct_replay *r);

/* replay_frame.c */
ct_status ct__frame_get(ct_replay *r, uint32_t level, ct__frame **out);
ct_status ct__frame_begin(ct_replay *r, uint32_t level);
ct_status ct__frame_set_ret(ct_replay *r, ct__frame *f, const uint8_t *data, size_t len);
void ct__frames_free(ct_replay *r);

/* replay_step.c */
ct_status ct__step_build(ct_replay *r, uint32_t level);
ct_status ct__step_synthetic_stop(ct_replay *r, uint32_t level, bool *yielded);

/* replay_apply.c */
ct_status ct__op_apply(ct_replay *r, uint32_t level);

/* dialect.c */
void ct__dialect_observe(ct_replay *r, const ct__vt_op *op);

#endif
