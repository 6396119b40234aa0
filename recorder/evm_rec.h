/*
 * State of one ct_evm_record() run, shared by the evm_*.c files of the pipeline:
 * evm_record.c (transactions and the op loop), evm_code.c (which code a frame runs and where
 * its ops are), evm_frames.c (external and internal calls), evm_values.c (typed values),
 * evm_events.c (logs, reverts, failures, KECCAK256 preimages).
 */
#ifndef CT_RECORDER_EVM_REC_H
#define CT_RECORDER_EVM_REC_H

#include <ctrecord/evm_record.h>

#include "abi.h"
#include "arena.h"
#include "artifacts.h"
#include "bytecode_match.h"
#include "source_map.h"
#include "storage_layout.h"

#define CT__EVM_MAX_ARGS 8

/** What a code (by keccak) is: an artifact's runtime/creation code, or a disassembly. */
typedef struct ct__code_info {
    uint8_t hash[32];
    size_t len;
    bool creation;
    ct__match match;                 /* contract NULL for a disassembly */
    const ct__locmap *locs;
    const char *disasm_path;         /* absolute path of the listing, or NULL */
    const char *disasm_text;
    size_t disasm_len;
    const ct__storage_layout *layout;
    const char *home_path;           /* where a call with no better location is attributed */
    uint32_t home_line;
    int32_t home_file;
} ct__code_info;

/** An internal call opened by a jump marker 'i'. */
typedef struct ct__internal {
    bool visible;                    /* a Call was written */
    const ct__ast_function *fn;
    size_t nargs;
    size_t stack_base;               /* stack height after the jump: where the legacy code
                                      * generator keeps the named return variables */
    uint64_t jump_op;                /* index of the entry jump (its stack has the target) */
    /* the arguments' stack items in declaration order (two for a dynamic calldata one) */
    ct_u256 args[2 * CT__EVM_MAX_ARGS];
} ct__internal;

/** An SSTORE of a frame, undone when the frame (or a caller of it) reverts. */
typedef struct ct__journal_entry {
    uint8_t key[52];
    uint8_t old_state;
    ct_u256 old;
} ct__journal_entry;

/** A value kept for re-emission at every step of a frame (arena-backed). */
typedef struct ct__named_value {
    ct_variable_id var;
    ct_value value;
} ct__named_value;

typedef struct ct__frame_state {
    const ct__code_info *code;
    const ct__abi_entry *entry;      /* the external function (or constructor) */
    const ct__ast_function *entry_fn;/* its definition, or NULL (getters, unknown code) */
    const ct__abi *abi;
    char name[160];                  /* "Token.transfer" */
    int32_t last_file;               /* last Step of this frame; -1 = none yet */
    uint32_t last_line;
    bool failed;                     /* ended with REVERT, INVALID or an error */
    char failure[256];               /* why (the Error event's content), for the Return */
    bool absorbed;                   /* the dispatcher's jump into the entry was absorbed */
    size_t absorbed_at;              /* its entry in `internal` */
    bool creation;
    ct_u256 address;                 /* the frame's account (a creation: the new contract) */
    bool address_known;
    ct__internal *internal;          /* open internal calls (a stack) */
    size_t ninternal, capinternal;
    size_t nvisible;                 /* visible entries in `internal` */
    ct__journal_entry *journal;      /* this frame's SSTOREs and those of its returned calls */
    size_t njournal, capjournal;
    ct__arena arena;                 /* args of the external call; reset on frame entry */
    ct__named_value *args;
    size_t nargs;
    bool args_decoded;               /* `args` are the ABI inputs (not raw calldata) */
} ct__frame_state;

/** A storage slot's name and type, resolved once per (address, slot). */
#define CT__EVM_SLOT_VARS 16

/** One variable of a slot (several when packed), resolved once. */
typedef struct ct__slot_var {
    ct_variable_id var;
    ct_type_id type;
    ct__slot_kind kind;
    uint8_t offset, nbytes;          /* its bytes in the slot, counted from the low end */
} ct__slot_var;

/* What the recorder knows of a slot's current value beyond the replay's Geth-style map,
 * which keeps the writes of reverted frames (evm_journal.c). */
typedef enum ct__shadow_state {
    CT__SHADOW_NONE = 0,             /* never read or written: show the replay's value */
    CT__SHADOW_KNOWN,                /* `shadow` is current and equals the replay's value */
    CT__SHADOW_REVERTED,             /* a revert restored `shadow`: show it instead */
    CT__SHADOW_REVERTED_UNKNOWN      /* a revert restored a value the trace never showed */
} ct__shadow_state;

typedef struct ct__slot_cache_entry {
    uint8_t key[52];                 /* 20-byte address + 32-byte slot */
    bool used;
    uint8_t nvars;
    uint8_t shadow_state;            /* ct__shadow_state */
    uint32_t first;                  /* its variables: slot_vars[first .. first + nvars) */
    ct_u256 shadow;
} ct__slot_cache_entry;


typedef struct ct__path_entry {
    const void *key;                 /* ct__source* or ct__code_info* (disassembly) */
    ct_path_id id;
} ct__path_entry;

typedef struct ct__evm_rec {
    const ct_evm_record_options *opts;
    ct_allocator alloc;
    ct_evm_record_report *report;
    ct__artifacts art;
    ct__abi builtin;                 /* well-known interfaces (abi_builtin.c), in `arena` */
    ct__arena arena;                 /* run-long: code infos, disassemblies */
    ct__arena scratch;               /* reset per decode */
    ct_replay *replay;
    const ct_evm_tx *tx;
    ct_writer *w;
    ct_error *err;
    char workdir[4096];
    char *block_tmp;                 /* the output while it is written (evm_output.c) */
    char *block_final;               /* where it goes once the whole input is read */
    struct ct__addr_map { uint8_t addr[20]; const ct__contract *contract; } *amap;
    size_t namap;
    /* code cache (run-long) */
    ct__code_info **codes;
    size_t ncodes, capcodes;
    /* per transaction */
    ct__frame_state *frames;         /* frames[depth] for depth 1..; index 0 unused */
    size_t capframes;
    uint32_t depth;                  /* current frame depth; 0 before the first op */
    ct__path_entry *paths;
    size_t npaths, cappaths;
    ct__slot_cache_entry *slots;
    size_t nslots, capslots;
    ct__slot_var *slot_vars;         /* the variables of all cached slots, in slot order */
    size_t nslot_vars, capslot_vars;
    ct__preimages *pre;
    bool started;
    size_t replay_warnings;          /* replay warnings already forwarded */
    bool hash_at_open;               /* the folder and program already name the hash */
    char dir[4200];                  /* the transaction's trace folder (maybe provisional) */
    char program_tail[600];          /* "Token at 0x..": the program text after the hash */
    /* registered types and variables (per transaction) */
    ct_type_id t_int, t_string, t_raw_word, t_stack, t_address, t_bool, t_uint256, t_error;
    ct_variable_id v_pc, v_op, v_gas, v_stack, v_memsize;
    /* a CALL-family op waiting to see whether it entered a frame (evm_codeless.c) */
    struct {
        bool active;
        uint32_t depth;
        uint8_t addr[20];
        ct_u256 value;
        uint8_t *input;
        size_t input_len, cap;
        uint64_t ret_off, ret_len;
    } pending;
    /* per-step scratch, allocated once */
    char (*hexbuf)[67];
    ct_value *stackvals;
    size_t capstack;
    uint8_t *membuf;
    size_t capmem;
    ct_u256 bigscratch[CT__EVM_MAX_ARGS + 1];
    ct_u256 cleaned[CT__EVM_MAX_ARGS + 1];    /* stack words cut to their type */
    char wordhex[CT__EVM_MAX_ARGS + 1][67];
} ct__evm_rec;

/* evm_record.c */
void ct__evm_warn(ct__evm_rec *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Bytes [off, off+len) of the step's memory (zeros past its end) in r->membuf. */
ct_status ct__evm_mem(ct__evm_rec *r, const ct_evm_step *s, uint64_t off, uint64_t len,
                      const uint8_t **out);
/** Writer failure as the run's error. */
ct_status ct__evm_writer_failed(ct__evm_rec *r);

/* evm_output.c */
ct_status ct__evm_tx_dir(ct__evm_rec *r, char *out, size_t cap);
ct_status ct__evm_tx_finalize(ct__evm_rec *r, const char *dir, bool hash_at_open);
/** The input is read to its end: the trace folder, or a block's folder of trace folders (an
 * empty block included), moves from its temporary sibling into place. */
ct_status ct__evm_output_finish(ct__evm_rec *r);
/** Remove an unfinished output's temporary folder; free the names. */
void ct__evm_output_cleanup(ct__evm_rec *r);

/* evm_code.c */
ct_status ct__evm_code_info(const ct__code_info **out, ct__evm_rec *r,
                            const ct_evm_frame *f);
/** Path id of file `file` of the code (source id, or 0 for a disassembly). */
ct_status ct__evm_path(ct_path_id *out, ct__evm_rec *r, const ct__code_info *ci, int32_t file);
/** The path (absolute; borrowed from the run) and line a frame's function is attributed to. */
void ct__evm_entry_location(const char **path, int32_t *file, int64_t *line,
                            const ct__code_info *ci, const ct__ast_function *fn);

/* evm_frames.c */
/** The ABI entry (NULL when unknown) and AST definition (NULL) of the function a frame runs. */
void ct__evm_frame_function(const ct__abi_entry **entry, const ct__ast_function **fn,
                            const ct__code_info *ci, const ct_evm_frame *f,
                            const ct__abi *builtin);
ct_status ct__evm_enter_frame(ct__evm_rec *r, const ct_evm_step *s);
ct_status ct__evm_leave_frame(ct__evm_rec *r, const ct_evm_step *caller_step,
                              const uint8_t *ret, size_t ret_len);
ct_status ct__evm_jump(ct__evm_rec *r, const ct_evm_step *s, char jump);
/** False for a location that is a whole definition (ct__loc.whole) of a function that is not
 * running in the frame: code the optimizer shares between functions. */
bool ct__evm_location_shown(const ct__frame_state *fs, ct__loc loc);
ct_status ct__evm_frames_reset(ct__evm_rec *r);

/** Item `k` from the top of the step's stack (0 = top); the caller checks stack_len. */
static inline const ct_u256 *ct__evm_stack_item(const ct_evm_step *s, size_t k)
{
    return &s->stack[s->stack_len - 1 - k];
}

/* evm_values.c */
ct_status ct__evm_types(ct__evm_rec *r);
/** A Raw "0x.." value of `n` bytes at `p`, its text in arena `a` (lives as long as the arena). */
ct_status ct__evm_raw_hex(ct_value *out, ct__evm_rec *r, ct__arena *a, ct_type_id t,
                          const uint8_t *p, size_t n);
ct_status ct__evm_abi_value(ct_value *out, ct__evm_rec *r, ct__arena *a,
                            const ct__abi_value *v);
ct_status ct__evm_step_values(ct__evm_rec *r, const ct_evm_step *s);
/** A stack word typed by a Solidity type string ("uint256", "address", ...); `slot` picks
 * the scratch buffers (0..CT__EVM_MAX_ARGS-1) the value may point into. */
ct_status ct__evm_word_value(ct_value *out, ct__evm_rec *r, const char *type,
                             const ct_u256 *word, int slot);

/* evm_refs.c */
/** Stack items taken by `n` parameters of these shapes (1 each when `shapes` is NULL). */
size_t ct__evm_shape_slots(const ct__param_shape *shapes, size_t n);
/**
 * The value of an internal call's parameter or return value whose stack items are
 * `words[0..sh->slots)`: memory and calldata references are decoded from the step's memory or
 * the frame's calldata into `a` (the value points into `a`, the step's memory and calldata);
 * value types are typed stack words (scratch `slot`, see ct__evm_word_value). A reference that
 * does not decode is an Error value and `why` says why (else `why` is empty); only running out
 * of memory fails.
 */
ct_status ct__evm_param_value(ct_value *out, ct__evm_rec *r, ct__arena *a,
                              const ct__param_shape *sh, const char *type,
                              const ct_u256 *words, int slot, const ct_evm_step *s,
                              char *why, size_t whycap);
ct_status ct__evm_ref_value(ct_value *out, ct__evm_rec *r, ct__arena *a,
                            const ct__param_shape *sh, const ct_u256 *words,
                            const ct_evm_step *s, char *why, size_t whycap);

/** The cache entry of (the step's storage address, slot), resolving its names on first
 * sight (evm_values.c). */
ct_status ct__evm_slot_entry(ct__slot_cache_entry **out, ct__evm_rec *r, const ct_evm_step *s,
                             const ct_u256 *slot);
/** The cache entry of a 52-byte (address, slot) key, or NULL. */
ct__slot_cache_entry *ct__evm_slot_lookup(ct__evm_rec *r, const uint8_t key[52]);

/* evm_journal.c */
/** Follow SLOAD / SSTORE ops into the slot cache's shadow values and the frame's journal. */
ct_status ct__evm_journal_op(ct__evm_rec *r, const ct_evm_step *s);
/** The frame at r->depth ends: a failed one undoes its journal, a successful one hands it to
 * its caller. */
ct_status ct__evm_journal_leave(ct__evm_rec *r, bool failed);

/* evm_codeless.c */
ct_status ct__evm_note_call(ct__evm_rec *r, const ct_evm_step *s);
ct_status ct__evm_codeless_call(ct__evm_rec *r, const ct_evm_step *next);

/* evm_events.c */
ct_status ct__evm_op_events(ct__evm_rec *r, const ct_evm_step *s);
/** At the end of a failed transaction whose root frame no op reported as failing (the client
 * put the error only in the `trace` part, e.g. a bad jump): that error text is the root
 * frame's Error event and Return. */
ct_status ct__evm_root_failure(ct__evm_rec *r);

#endif
