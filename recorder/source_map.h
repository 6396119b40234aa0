/*
 * solc source maps: decompression of `s:l:f:j:m` entries, the pc -> instruction index walk
 * (PUSH data skipped, the metadata tail excluded), and the per-pc location table the pipeline
 * reads on every op (file id, 1-based line, byte offset, jump marker).
 */
#ifndef CT_RECORDER_SOURCE_MAP_H
#define CT_RECORDER_SOURCE_MAP_H

#include "artifacts.h"

typedef struct ct__srcmap_entry {
    int32_t s, l, f, m;
    char j;                       /* 'i', 'o' or '-' */
} ct__srcmap_entry;

/**
 * Decompress `map` (empty fields inherit from the previous entry). *out is allocated with `a`
 * (free with ct__free(a, *out, *n * sizeof **out)). CT_EPARSE naming the entry for malformed
 * numbers.
 */
ct_status ct__srcmap_parse(ct__srcmap_entry **out, size_t *n, const char *map,
                           const ct_allocator *a, ct_error *err);

/** Where an op is in the sources; file -1 means nowhere (compiler-generated, data, unmapped). */
typedef struct ct__loc {
    int32_t file;
    uint32_t line;
    uint32_t offset;
    char jump;
    /* the range is exactly a whole definition (ct__ast_whole_definition): optimized code
     * shares such blocks between functions, so the pipeline shows it only in that function */
    uint8_t whole;
} ct__loc;

typedef struct ct__locmap {
    const ct__loc *by_pc;         /* one per code byte */
    size_t len;
    size_t out_of_range;          /* entries whose s/l/f pointed outside a known source */
    size_t mapped;                /* instructions with a location */
} ct__locmap;

/**
 * Build the location table of `code[0..exec_len)` from `srcmap` and `set`'s sources, in
 * `arena`. Instructions past the map's end, PUSH data and the metadata tail get file -1.
 */
ct_status ct__locmap_build(ct__locmap **out, ct__arena *arena, const uint8_t *code,
                           size_t code_len, size_t exec_len, const char *srcmap,
                           const ct__artifact_set *set, const ct_allocator *a, ct_error *err);

/** Location of `pc`; a file -1 location when pc is outside the table. */
static inline ct__loc ct__locmap_at(const ct__locmap *m, uint64_t pc)
{
    ct__loc none = {-1, 0, 0, '-', 0};
    return m && pc < m->len ? m->by_pc[pc] : none;
}

#endif
