/* Code comparison with masked ranges; see bytecode_match.h. */
#include "bytecode_match.h"

#include <string.h>

size_t ct__code_exec_len(const uint8_t *code, size_t len)
{
    size_t meta;
    if (len < 2)
        return len;
    meta = ((size_t)code[len - 2] << 8) | code[len - 1];
    if (meta == 0 || meta + 2 > len)
        return len;
    /* A CBOR map of a few entries (0xa1..0xbf); solc writes 0xa2 or 0xa3 / 0xa4. */
    if (code[len - 2 - meta] < 0xa1 || code[len - 2 - meta] > 0xbf)
        return len;
    return len - 2 - meta;
}

/* Compare [0, n) skipping the masked ranges. */
static bool equal_masked(const ct__bytecode *bc, const uint8_t *code, size_t n)
{
    size_t pos = 0, i;
    for (i = 0; i < bc->nmasks && pos < n; i++) {
        size_t ms = bc->masks[i].start, me = ms + bc->masks[i].length;
        if (ms > n)
            ms = n;
        if (ms > pos && memcmp(bc->code + pos, code + pos, ms - pos))
            return false;
        if (me > pos)
            pos = me;
    }
    return pos >= n || !memcmp(bc->code + pos, code + pos, n - pos);
}

bool ct__bytecode_matches(const ct__bytecode *bc, const uint8_t *code, size_t len,
                          bool creation)
{
    if (!bc->code || bc->len == 0)
        return false;
    if (creation) {
        /* The artifact's own metadata may differ (other paths, other settings); what runs is
         * the code before it, followed by the metadata and then the constructor arguments. */
        if (len < bc->len)
            return false;
        return equal_masked(bc, code, bc->exec_len);
    }
    if (ct__code_exec_len(code, len) != bc->exec_len)
        return false;
    return equal_masked(bc, code, bc->exec_len);
}

bool ct__match_code(ct__match *out, const ct__artifacts *t, const uint8_t *code, size_t len,
                    bool creation)
{
    size_t i;
    memset(out, 0, sizeof *out);
    for (i = 0; i < t->ncontracts; i++) {
        const ct__contract *c = t->contracts[i];
        const ct__bytecode *bc = creation ? &c->creation : &c->runtime;
        if (!ct__bytecode_matches(bc, code, len, creation))
            continue;
        out->contract = c;
        out->bytecode = bc;
        out->creation = creation;
        out->args_offset = creation ? bc->len : 0;
        return true;
    }
    return false;
}

const ct__contract *ct__find_contract(const ct__artifacts *t, const char *name)
{
    size_t i;
    const char *colon = strrchr(name, ':');
    for (i = 0; i < t->ncontracts; i++) {
        const ct__contract *c = t->contracts[i];
        if (colon) {
            size_t ul = (size_t)(colon - name);
            if (strlen(c->unit) == ul && !strncmp(c->unit, name, ul) &&
                !strcmp(c->name, colon + 1))
                return c;
        } else if (!strcmp(c->name, name)) {
            return c;
        }
    }
    return NULL;
}
