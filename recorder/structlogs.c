/*
 * Geth struct logs from replayed steps. Every step is formatted straight into the sink's
 * buffer; nothing is kept per step, so output size does not affect memory use.
 */
#include "structlogs_write.h"

#include "replay_internal.h"
#include "structlogs_hex.h"
#include "structlogs_stack.h"

#include "util/error.h"

#include <string.h>

void ct_structlogs_options_init(ct_structlogs_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = CT_STRUCTLOGS_OPTIONS_VERSION;
    opts->calldata_nonzero_gas = 16;
}

uint64_t ct_structlogs_tx_gas(const ct_evm_tx *tx, uint32_t nonzero_gas)
{
    uint64_t gas;
    size_t i;
    if (!tx)
        return 0;
    gas = 21000 + (tx->is_create ? 32000 : 0);
    for (i = 0; tx->input_known && tx->input && i < tx->input_len; i++)
        gas += tx->input[i] ? nonzero_gas : 4;
    return gas + (tx->exec_gas_used_known ? tx->exec_gas_used : 0);
}

/* Quoted "0x" + 64 hex digits of 32 bytes (legacy: no 0x) at p; returns the length. */
static size_t fmt_word(char *p, const uint8_t *b, bool legacy)
{
    size_t n = 0;
    p[n++] = '"';
    if (!legacy) {
        p[n++] = '0';
        p[n++] = 'x';
    }
    ct__hex32(p + n, b);
    n += 64;
    p[n++] = '"';
    return n;
}

/* Decimal of v; single digits (most depths and gas costs) without a call. */
static inline size_t fmt_num(char *p, uint64_t v)
{
    if (v < 10) {
        *p = (char)('0' + v);
        return 1;
    }
    return ct__fmt_u64(p, v);
}

static size_t put(char *p, const char *lit, size_t n)
{
    memcpy(p, lit, n);
    return n;
}

/* Items go in batches under one reservation each (a reservation is at most 4 KiB). */
#define ITEM_MAX 70
#define BATCH (4096 / ITEM_MAX)

static void write_stack(ct__sink *s, const ct_evm_step *st, ct__stack_text *cache)
{
    size_t i = 0, len;
    const char *text = ct__stack_text_get(cache, st->stack, st->stack_len, &len);
    ct__sink_write(s, ",\"stack\":[", 10);
    if (text) {
        ct__sink_write(s, text, len);
        ct__sink_putc(s, ']');
        return;
    }
    while (i < st->stack_len) {   /* beyond the EVM's limit: formatted directly */
        size_t stop = st->stack_len - i > BATCH ? i + BATCH : st->stack_len, n = 0;
        char *p = ct__sink_reserve(s, BATCH * ITEM_MAX);
        if (!p)
            return;
        for (; i < stop; i++) {
            if (i)
                p[n++] = ',';
            n += ct__hex_quoted_quantity(p + n, st->stack[i].bytes);
        }
        ct__sink_advance(s, n);
    }
    ct__sink_putc(s, ']');
}

static void write_memory(ct__sink *s, const ct_evm_step *st, bool legacy)
{
    size_t i = 0, words = st->memory_len / 32;
    ct__sink_write(s, ",\"memory\":[", 11);
    while (i < words) {
        size_t stop = words - i > BATCH ? i + BATCH : words, n = 0;
        char *p = ct__sink_reserve(s, BATCH * ITEM_MAX);
        if (!p)
            return;
        for (; i < stop; i++) {
            if (i)
                p[n++] = ',';
            n += fmt_word(p + n, st->memory + 32 * i, legacy);
        }
        ct__sink_advance(s, n);
    }
    ct__sink_putc(s, ']');
}

static void write_storage(ct__sink *s, const ct_evm_step *st, bool legacy)
{
    size_t i;
    ct__sink_write(s, ",\"storage\":{", 12);
    for (i = 0; i < st->storage_len; i++) {
        char *p = ct__sink_reserve(s, 144);
        size_t n = 0;
        if (!p)
            return;
        if (i)
            p[n++] = ',';
        n += fmt_word(p + n, st->storage[i].key.bytes, legacy);
        p[n++] = ':';
        n += fmt_word(p + n, st->storage[i].value.bytes, legacy);
        ct__sink_advance(s, n);
    }
    ct__sink_putc(s, '}');
}

/* {"pc":N,"op":"NAME","gas":N,"gasCost":N,"depth":N in one reservation. */
static void write_head(ct__sink *s, const ct_evm_step *st, bool first)
{
    char *p = ct__sink_reserve(s, 192);
    size_t n = 0;
    if (!p)
        return;
    if (!first)
        p[n++] = ',';
    n += put(p + n, "{\"pc\":", 6);
    n += fmt_num(p + n, st->pc);
    n += put(p + n, ",\"op\":\"", 7);
    n += put(p + n, st->op, strlen(st->op));   /* Geth names: no escaping needed */
    n += put(p + n, "\",\"gas\":", 8);
    n += fmt_num(p + n, st->gas);
    n += put(p + n, ",\"gasCost\":", 11);
    n += fmt_num(p + n, st->gas_cost);
    n += put(p + n, ",\"depth\":", 9);
    n += fmt_num(p + n, st->depth);
    ct__sink_advance(s, n);
}

static void write_step(ct__sink *s, const ct_evm_step *st, const ct_structlogs_options *o,
                       ct__stack_text *cache, bool first)
{
    write_head(s, st, first);
    if (st->error) {
        ct__sink_write(s, ",\"error\":", 9);
        ct__sink_json_string(s, st->error, strlen(st->error));
    }
    if (!o->disable_stack)
        write_stack(s, st, cache);
    if (o->enable_return_data && st->return_data_len) {
        ct__sink_write(s, ",\"returnData\":\"", 15);
        ct__sink_hex(s, st->return_data, st->return_data_len);
        ct__sink_putc(s, '"');
    }
    if (o->enable_memory && st->memory_len)
        write_memory(s, st, o->legacy_encoding);
    if (!o->disable_storage && st->storage_len &&
        (o->storage_every_step || st->opcode == 0x54 || st->opcode == 0x55))
        write_storage(s, st, o->legacy_encoding);
    ct__sink_putc(s, '}');
}

/* One transaction's result object; the replay is positioned at its first step. */
static ct_status write_result(ct_replay *r, ct__sink *s, const ct_evm_tx *tx,
                              const ct_structlogs_options *o, ct__stack_text *cache,
                              ct_error *err)
{
    const ct_evm_step *st;
    ct_status rc;
    bool first = true;
    if (!tx->has_vmtrace)
        return ct__error_set(err, CT_EREPLAY,
                             "transaction %llu has no vmTrace (request [\"vmTrace\"])",
                             (unsigned long long)tx->index);
    ct__sink_write(s, "{\"structLogs\":[", 15);
    while ((rc = ct_replay_next(&st, r)) == CT_OK) {
        write_step(s, st, o, cache, first);
        first = false;
    }
    if (rc < 0)
        return ct__error_copy(err, ct_replay_error(r));
    ct__sink_write(s, "],\"gas\":", 8);
    ct__sink_u64(s, ct_structlogs_receipt_gas(tx, o));
    ct__sink_puts(s, tx->failed ? ",\"failed\":true" : ",\"failed\":false");
    ct__sink_write(s, ",\"returnValue\":\"", 16);
    ct__sink_hex(s, tx->output, tx->failed && !tx->reverted ? 0 : tx->output_len);
    ct__sink_write(s, "\"}", 2);
    return CT_OK;
}

static ct_status write_list_item(ct_replay *r, ct__sink *s, const ct_evm_tx *tx, bool first,
                                 const ct_structlogs_options *o, ct__stack_text *cache,
                                 ct_error *err)
{
    ct__sink_write(s, first ? "{\"result\":" : ",{\"result\":", first ? 10 : 11);
    CT_TRY(write_result(r, s, tx, o, cache, err));
    ct__sink_write(s, ",\"txHash\":", 10);
    if (tx->hash)
        ct__sink_json_string(s, tx->hash, strlen(tx->hash));
    else
        ct__sink_puts(s, "null");
    ct__sink_putc(s, '}');
    return CT_OK;
}

static ct_status write_doc(ct_replay *r, ct__sink *s, const ct_structlogs_options *opts,
                           ct__stack_text *cache, ct_error *err)
{
    const ct_evm_tx *tx;
    ct_status rc;
    uint64_t n = 0;
    bool list;
    rc = ct_replay_next_tx(&tx, r);
    if (rc < 0)
        return ct__error_copy(err, ct_replay_error(r));
    list = ct_replay_input_is_list(r);
    if (!list) {
        if (rc == CT_DONE)
            return ct__error_set(err, CT_EPARSE, "%s: byte 0: the input holds no transaction "
                                 "result (no vmTrace, trace or output)", r->name);
        CT_TRY(write_result(r, s, tx, opts, cache, err));
        rc = ct_replay_next_tx(&tx, r);
        if (rc == CT_OK)
            return ct__error_set(err, CT_EUNSUPPORTED,
                                 "the input holds several separate results; give them as one "
                                 "array (block form) or one at a time");
    } else {
        ct__sink_putc(s, '[');
        for (; rc == CT_OK; rc = ct_replay_next_tx(&tx, r), n++)
            CT_TRY(write_list_item(r, s, tx, n == 0, opts, cache, err));
        ct__sink_putc(s, ']');
    }
    if (rc < 0)
        return ct__error_copy(err, ct_replay_error(r));
    ct__sink_putc(s, '\n');
    return ct__sink_status(s, err);
}

ct_status ct__structlogs_write(ct_replay *r, ct__sink *s, const ct_structlogs_options *opts,
                               ct_error *err)
{
    ct_structlogs_options def;
    ct__stack_text cache;
    ct_status rc;
    if (!opts) {
        ct_structlogs_options_init(&def);
        opts = &def;
    } else if (opts->version != CT_STRUCTLOGS_OPTIONS_VERSION) {
        /* before any output, and before reading fields an older caller's struct lacks */
        return ct__error_set(err, CT_EINVAL, "structlogs: options.version is %u, expected %u "
                             "(call ct_structlogs_options_init)", opts->version,
                             CT_STRUCTLOGS_OPTIONS_VERSION);
    }
    CT_TRY(ct__stack_text_init(&cache, &r->alloc, err));
    rc = write_doc(r, s, opts, &cache, err);
    ct__stack_text_free(&cache, &r->alloc);
    return rc;
}

static ct_status finish(ct__sink *s, ct_status rc, ct_error *err)
{
    if (rc >= 0)
        rc = ct__sink_commit(s, err);
    ct__sink_free(s);
    return rc < 0 ? rc : CT_OK;
}

ct_status ct_structlogs_write_file(ct_replay *r, const char *path,
                                   const ct_structlogs_options *opts, ct_error *err)
{
    ct__sink *s = NULL;
    if (!r || !path || !*path)
        return ct__error_set(err, CT_EINVAL, "structlogs: no replay or output path");
    if (!strcmp(path, "-"))
        return ct_structlogs_write_fd(r, 1, opts, err);
    CT_TRY(ct__sink_open_file(&s, path, &r->alloc, err));
    return finish(s, ct__structlogs_write(r, s, opts, err), err);
}

ct_status ct_structlogs_write_fd(ct_replay *r, int fd, const ct_structlogs_options *opts,
                                 ct_error *err)
{
    ct__sink *s = NULL;
    if (!r)
        return ct__error_set(err, CT_EINVAL, "structlogs: no replay");
    CT_TRY(ct__sink_open_fd(&s, fd, fd == 1 ? "<stdout>" : "<output>", &r->alloc, err));
    return finish(s, ct__structlogs_write(r, s, opts, err), err);
}
