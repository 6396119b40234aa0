/*
 * Names and types of storage slots from solc's storageLayout. Static variables are named
 * directly; mapping values and dynamic-array elements are named from the KECCAK256 preimages
 * the transaction computed (a mapping value lives at keccak(key . slot), array element i at
 * keccak(slot) + i), which the pipeline records as it replays: `balanceOf[0xabc..]`.
 */
#ifndef CT_RECORDER_STORAGE_LAYOUT_H
#define CT_RECORDER_STORAGE_LAYOUT_H

#include <cjson/cJSON.h>
#include <ctrecord/common.h>

#include "arena.h"

typedef enum ct__slot_kind {
    CT__SLOT_UINT, CT__SLOT_INT, CT__SLOT_ADDRESS, CT__SLOT_BOOL, CT__SLOT_BYTES,
    CT__SLOT_RAW,
    CT__SLOT_STRING, CT__SLOT_DYN_BYTES   /* string / bytes: short ones live in the slot */
} ct__slot_kind;

typedef struct ct__storage_var {
    const char *label;
    const char *type;            /* solc type id, "t_mapping(t_address,t_uint256)" */
    ct_u256 slot;
    uint32_t offset;             /* byte offset inside the slot (packed variables) */
} ct__storage_var;

typedef struct ct__storage_layout {
    const ct__storage_var *vars;
    size_t nvars;
    const cJSON *types;          /* the layout's "types" object (borrowed) */
} ct__storage_layout;

/** Parse a storageLayout object into `arena` (the cJSON must outlive the layout). */
ct_status ct__storage_layout_parse(ct__storage_layout *out, ct__arena *arena,
                                   const cJSON *layout, ct_error *err);

/** KECCAK256 preimages seen so far: hash -> (input words). */
typedef struct ct__preimages ct__preimages;

ct_status ct__preimages_new(ct__preimages **out, const ct_allocator *a, ct_error *err);
void ct__preimages_free(ct__preimages *p);
void ct__preimages_clear(ct__preimages *p);
/** Record keccak(input) == hash for a 32- or 64-byte input (others are ignored). */
ct_status ct__preimages_add(ct__preimages *p, const ct_u256 *hash, const uint8_t *input,
                            size_t len);

/** What a slot holds, as far as the layout and the preimages tell. */
typedef struct ct__slot_info {
    char name[256];              /* "balanceOf[0x..]", "totalSupply", or "" when unknown */
    char type_label[96];         /* "uint256", "address", ... */
    ct__slot_kind kind;
    uint32_t offset, nbytes;     /* the variable's bytes within the slot */
} ct__slot_info;

/**
 * Name the `index`-th variable stored in `slot` (0, 1, ... for variables packed into one slot:
 * `uint8 a; bool b;`, struct members, small array elements). Returns false (and an empty
 * name) when neither the layout nor the preimages explain the slot, or there is no such
 * index. ERC-1967 proxy slots are named without a layout.
 */
bool ct__storage_name_slot(ct__slot_info *out, const ct__storage_layout *layout,
                           const ct__preimages *pre, const ct_u256 *slot, int index);

#endif
