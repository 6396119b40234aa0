/*
 * The top-level `gas` of Geth's result is the receipt's gasUsed. The vmTrace gives the
 * execution gas and the calldata; the price of the calldata and two later surcharges depend on
 * the fork, which the caller names (ct_structlogs_set_fork). Refunds stay out: the vmTrace
 * has no refund counter (docs/structlogs.md, "Top-level fields").
 */
#include <ctrecord/structlogs.h>

#include <string.h>

uint64_t ct_structlogs_receipt_gas(const ct_evm_tx *tx, const ct_structlogs_options *o)
{
    ct_structlogs_options def;
    uint64_t gas, tokens = 0, floor;
    size_t i;
    if (!tx)
        return 0;
    if (!o) {
        ct_structlogs_options_init(&def);
        o = &def;
    }
    gas = ct_structlogs_tx_gas(tx, o->calldata_nonzero_gas);
    if (!tx->input && tx->input_len)   /* inconsistent: counted as no calldata, as tx_gas does */
        return gas;
    if (o->initcode_word_gas && tx->is_create && tx->input_known)
        gas += 2 * (((uint64_t)tx->input_len + 31) / 32);
    if (!o->calldata_floor || !tx->input_known)
        return gas;
    for (i = 0; i < tx->input_len; i++)
        tokens += tx->input[i] ? 4 : 1;
    floor = 21000 + 10 * tokens;
    return gas > floor ? gas : floor;
}

bool ct_structlogs_set_fork(ct_structlogs_options *o, const char *fork)
{
    static const struct { const char *name; uint32_t nonzero; bool initcode, floor; } forks[] = {
        {"frontier", 68, false, false},   {"homestead", 68, false, false},
        {"byzantium", 68, false, false},  {"constantinople", 68, false, false},
        {"petersburg", 68, false, false}, {"istanbul", 16, false, false},
        {"berlin", 16, false, false},     {"london", 16, false, false},
        {"paris", 16, false, false},      {"shanghai", 16, true, false},
        {"cancun", 16, true, false},      {"prague", 16, true, true},
        {"osaka", 16, true, true},
    };
    size_t i;
    for (i = 0; o && fork && i < sizeof forks / sizeof forks[0]; i++) {
        if (!strcmp(fork, forks[i].name)) {
            o->calldata_nonzero_gas = forks[i].nonzero;
            o->initcode_word_gas = forks[i].initcode;
            o->calldata_floor = forks[i].floor;
            return true;
        }
    }
    return false;
}
