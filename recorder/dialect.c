/* Which client wrote the trace. The first op decides unless the caller forced a dialect:
 * `idx` is Erigon's alone, `op` without `idx` is reth (Erigon with --trace.compat drops
 * both); neither means OpenEthereum, Besu or Nethermind, which the replay handles with the
 * same rules (Nethermind's DUPn push list of n items is recognised when it occurs). */
#include "replay_internal.h"

#include <stddef.h>
#include <string.h>

const char *ct_dialect_name(ct_dialect d)
{
    switch (d) {
    case CT_DIALECT_AUTO: return "auto";
    case CT_DIALECT_ERIGON: return "erigon";
    case CT_DIALECT_OPENETHEREUM: return "openethereum";
    case CT_DIALECT_NETHERMIND: return "nethermind";
    case CT_DIALECT_BESU: return "besu";
    case CT_DIALECT_RETH: return "reth";
    }
    return "unknown";
}

void ct__dialect_observe(ct_replay *r, const ct__vt_op *op)
{
    if (r->dialect_known)
        return;
    r->dialect_known = true;
    if (r->opts.dialect != CT_DIALECT_AUTO)
        r->dialect = r->opts.dialect;
    else if (op->has_idx)
        r->dialect = CT_DIALECT_ERIGON;
    else if (op->named_opcode != -1)
        r->dialect = CT_DIALECT_RETH;
    else
        r->dialect = CT_DIALECT_OPENETHEREUM;
    r->tx.dialect = r->dialect;
}

bool ct_dialect_parse(const char *name, ct_dialect *out)
{
    int d;
    for (d = CT_DIALECT_AUTO; d <= CT_DIALECT_RETH; d++) {
        if (name && out && !strcmp(name, ct_dialect_name((ct_dialect)d))) {
            *out = (ct_dialect)d;
            return true;
        }
    }
    return false;
}
