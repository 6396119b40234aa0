/*
 * Compiler artifacts: one in-memory table of contracts and sources built from any number of
 * artifact sets (solc standard-JSON output + input, `solc --combined-json`, Foundry out/,
 * Hardhat artifacts/build-info). A set is one compilation: its source ids are the file indexes
 * of its source maps. Everything lives in the table's arena until ct__artifacts_free().
 * Problems that leave part of a set usable are warnings (ct__artifacts_warn), not errors.
 */
#ifndef CT_RECORDER_ARTIFACTS_H
#define CT_RECORDER_ARTIFACTS_H

#include <cjson/cJSON.h>
#include <ctrecord/common.h>

#include "abi.h"
#include "arena.h"

typedef struct ct__range {
    uint32_t start;
    uint32_t length;
} ct__range;

typedef struct ct__source {
    int32_t id;                 /* file index in this set's source maps */
    const char *name;           /* source unit name as the compiler saw it */
    const char *path;           /* absolute path used in the trace */
    const char *content;        /* NULL when not found (then no step points into it) */
    size_t len;
    const uint32_t *line_starts;/* byte offset of each line's first byte */
    size_t nlines;
    const cJSON *ast;           /* the source unit's AST, or NULL */
} ct__source;

/** Where a parameter's data lives, which decides how many stack items it takes. */
typedef enum ct__param_loc {
    CT__PARAM_VALUE,            /* a value type: the stack word is the value */
    CT__PARAM_MEMORY,           /* a memory pointer */
    CT__PARAM_CALLDATA,         /* a static calldata reference: one offset */
    CT__PARAM_CALLDATA_DYN,     /* bytes/string/T[] calldata: offset and length */
    CT__PARAM_OTHER             /* storage pointers, function pointers: shown as words */
} ct__param_loc;

/** How an internal function's parameter or return value is passed (ast_types.c). */
typedef struct ct__param_shape {
    ct__param_loc loc;
    uint8_t slots;              /* stack items: 2 for CALLDATA_DYN and external functions */
    const ct__abi_type *abi;    /* the data's type (structs as tuples); NULL: not decodable */
} ct__param_shape;

/** A struct definition from an AST: what a struct-typed parameter holds. */
typedef struct ct__ast_struct {
    const char *name;           /* canonicalName, "Args.Order" */
    const char **members;       /* member names */
    const char **types;         /* their typeDescriptions.typeString */
    size_t nmembers;
} ct__ast_struct;

/** A function definition found in an AST (see ast_functions.c). */
typedef struct ct__ast_function {
    int64_t ast_id;
    const char *name;           /* "transfer", "constructor", "fallback", "receive", modifiers */
    const char *contract;       /* enclosing contract, "" for free functions */
    const char *visibility;     /* "external", "public", "internal", "private" */
    int32_t file;               /* source id */
    uint32_t start, length;     /* byte range of the definition */
    uint32_t line;              /* 1-based line of `start` */
    const char *const *params;  /* parameter names ("" when unnamed) */
    const char *const *param_types; /* typeDescriptions.typeString, e.g. "uint256" */
    size_t nparams;
    const char *const *return_types; /* of returnParameters */
    const char *const *return_names; /* "" when unnamed */
    size_t nreturns;
    bool is_modifier;
    /* per parameter / return value; set once every AST of the set is read (NULL before) */
    const ct__param_shape *param_shapes;
    const ct__param_shape *return_shapes;
} ct__ast_function;

/** functionDebugData entry: the pc where an internal function's code starts. */
typedef struct ct__entry_point {
    uint32_t pc;
    int64_t ast_id;
} ct__entry_point;

struct ct__locmap;
struct ct__storage_layout;
struct ct__artifact_set;

typedef struct ct__bytecode {
    const uint8_t *code;        /* placeholders of unlinked libraries decoded as zeros */
    size_t len;
    size_t exec_len;            /* without the CBOR metadata tail */
    const ct__range *masks;     /* immutables and link references, sorted, not overlapping */
    size_t nmasks;
    const char *srcmap;         /* compressed source map, or NULL */
    const ct__entry_point *entries;
    size_t nentries;
    struct ct__locmap *locs;    /* built on first use by the pipeline; owned by the table */
} ct__bytecode;

typedef struct ct__contract {
    const char *name;
    const char *unit;           /* source unit that defines it */
    ct__abi abi;
    ct__bytecode creation;
    ct__bytecode runtime;
    const cJSON *storage_layout;/* solc storageLayout, or NULL */
    bool via_ir;                /* compiled through Yul (metadata settings.viaIR): internal
                                 * calls take their arguments in reverse stack order */
    struct ct__storage_layout *layout; /* parsed on first use; owned by the table */
    const struct ct__artifact_set *set;
} ct__contract;

typedef struct ct__artifact_set {
    const char *origin;         /* the file or folder it came from (messages) */
    ct__source *sources;        /* indexed by position; see ct__artifacts_source */
    size_t nsources, capsources;
    const ct__source **by_id;   /* by_id[id] or NULL; size max_id + 1 */
    size_t nids;
    ct__ast_function *functions;
    size_t nfunctions, capfunctions;
    ct__ast_struct *structs;    /* every StructDefinition of the set's ASTs */
    size_t nstructs, capstructs;
    ct__ast_struct *udvts;      /* UserDefinedValueTypeDefinitions: one member, the
                                 * underlying type ("Price" -> "uint128") */
    size_t nudvts, capudvts;
    ct__range *contracts_src;   /* source ranges of ContractDefinitions, by file (see below) */
    int32_t *contracts_file;
    size_t ncontracts_src, capcontracts_src;
    ct__range *vars_src;        /* source ranges of state variable declarations, by file */
    int32_t *vars_file;
    size_t nvars_src, capvars_src;
    const char *root;           /* project folder guessed from the artifact location, or NULL */
} ct__artifact_set;

typedef struct ct__artifact_options {
    const char *sources_dir;    /* where relative source names live (absolute paths come from it) */
    const char *git_repo;       /* read sources from this repository ... */
    const char *git_rev;        /* ... at this revision (NULL = HEAD) */
} ct__artifact_options;

typedef struct ct__artifacts {
    ct_allocator alloc;
    ct__arena arena;
    ct__artifact_set **sets;
    size_t nsets, capsets;
    ct__contract **contracts;
    size_t ncontracts, capcontracts;
    cJSON **docs;               /* parsed documents kept alive (ASTs and layouts point in) */
    size_t ndocs, capdocs;
    const char **warnings;
    size_t nwarnings, capwarnings;
    cJSON *inputs;              /* standard-JSON inputs seen: {"sources":{name:{content}}} */
    ct__artifact_options opts;
} ct__artifacts;

/** Start an empty table; `a` NULL = libc; `opts` copied (strings borrowed, must outlive it). */
void ct__artifacts_init(ct__artifacts *t, const ct__artifact_options *opts,
                        const ct_allocator *a);
void ct__artifacts_free(ct__artifacts *t);

/**
 * Load an artifact file or folder, detecting its kind. A standard-JSON input only supplies
 * source contents to the sets (loaded before or after it). CT_EPARSE when the path is none of
 * the known kinds; the message names the path.
 */
ct_status ct__artifacts_load(ct__artifacts *t, const char *path, ct_error *err);

/**
 * Read the sources of every set (standard-JSON input contents, then the git revision, then
 * the disk), index their lines and collect AST functions. Call once after the loads.
 */
ct_status ct__artifacts_finish(ct__artifacts *t, ct_error *err);

/** The source with file index `id` in `set`, or NULL. */
const ct__source *ct__artifacts_source(const ct__artifact_set *set, int64_t id);

/** Record a warning (printf-style); kept until free. Out of memory drops it silently. */
void ct__artifacts_warn(ct__artifacts *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Internal steps shared by the format loaders (artifacts_*.c). */
ct_status ct__artifacts_new_set(ct__artifact_set **out, ct__artifacts *t, const char *origin);
ct_status ct__artifacts_add_source(ct__artifacts *t, ct__artifact_set *set, int64_t id,
                                   const char *name, const cJSON *ast);
ct_status ct__artifacts_add_contract(ct__contract **out, ct__artifacts *t,
                                     ct__artifact_set *set, const char *unit,
                                     const char *name);
/** Fill `bc` from hex code (with or without 0x; link placeholders allowed) and its extras. */
ct_status ct__artifacts_bytecode(ct__artifacts *t, ct__bytecode *bc, const char *hex,
                                 const char *srcmap, const cJSON *link_refs,
                                 const cJSON *immutable_refs, const cJSON *debug_data,
                                 ct_error *err);
/** Set c->via_ir from a contract's metadata (a JSON string or object; NULL is fine). */
void ct__artifacts_metadata(ct__contract *c, const cJSON *metadata);
/** Keep `doc` alive until free (takes ownership, also on failure). */
ct_status ct__artifacts_keep(ct__artifacts *t, cJSON *doc);
/** Parse a file into cJSON (owned by the caller); CT_EIO/CT_EPARSE naming the path. */
ct_status ct__json_file(cJSON **out, const char *path, const ct_allocator *a, ct_error *err);

/** Loaders by format (artifacts_solc.c, artifacts_foundry.c). */
ct_status ct__artifacts_load_standard(ct__artifacts *t, const char *origin, const cJSON *output,
                                      ct_error *err);
ct_status ct__artifacts_load_combined(ct__artifacts *t, const char *origin, const cJSON *doc,
                                      ct_error *err);
ct_status ct__artifacts_load_foundry(ct__artifacts *t, const char *dir, ct_error *err);

#endif
