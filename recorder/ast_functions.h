/*
 * Function definitions from the solc AST (compact JSON form): the names of internal calls
 * found from jump markers, the lines calls are attributed to, and parameter names and types.
 */
#ifndef CT_RECORDER_AST_FUNCTIONS_H
#define CT_RECORDER_AST_FUNCTIONS_H

#include "artifacts.h"

/** Collect the FunctionDefinition / ModifierDefinition nodes of `src->ast` into `set`. */
ct_status ct__ast_collect(ct__artifacts *t, ct__artifact_set *set, const ct__source *src,
                          ct_error *err);

/**
 * How each parameter and return value of every function of `set` is passed (stack items,
 * memory / calldata, the data's type): call once all of the set's ASTs are collected, since a
 * struct may be defined in another source. Types that cannot be decoded get a NULL `abi`.
 */
ct_status ct__ast_shapes(ct__artifacts *t, ct__artifact_set *set, ct_error *err);

/** The function with AST node id `id`, or NULL. */
const ct__ast_function *ct__ast_function_by_id(const ct__artifact_set *set, int64_t id);

/** The innermost function whose definition contains byte `offset` of file `file`, or NULL. */
const ct__ast_function *ct__ast_function_at(const ct__artifact_set *set, int32_t file,
                                            uint32_t offset);

/** The external/public function `name` of `contract` (for naming external calls), or NULL. */
const ct__ast_function *ct__ast_function_named(const ct__artifact_set *set,
                                               const char *contract, const char *name,
                                               size_t nparams);

/**
 * True when [start, start+length) of `file` is exactly a contract definition: what solc maps
 * dispatcher and (via-IR) helper code to, which is no line of the user's.
 */
bool ct__ast_is_contract_range(const ct__artifact_set *set, int32_t file, uint32_t start,
                               uint32_t length);

#define CT__WHOLE_FUNCTION 1
#define CT__WHOLE_VARIABLE 2
/**
 * CT__WHOLE_FUNCTION when [start, start+length) of `file` is exactly a function definition
 * (not a modifier), CT__WHOLE_VARIABLE when it is exactly a state variable declaration, else 0.
 */
uint8_t ct__ast_whole_definition(const ct__artifact_set *set, int32_t file, uint32_t start,
                                 uint32_t length);

/** 1-based line of byte `offset` in `src` (binary search over its line starts). */
uint32_t ct__source_line(const ct__source *src, uint32_t offset);

#endif
