/*
 * libFuzzer target for the vmTrace reader, the replay and the struct-log writer over arbitrary
 * bytes. Besides "no crash, no leak, no UB" it checks what must hold for every input:
 *  - every failure is a negative status with a one-line message that names the input, and
 *    iteration stays failed after it;
 *  - a step never shows more than the EVM allows (stack <= 1024 items, memory a multiple of
 *    32 bytes and within max_memory, depth >= 1) and step indexes count up from 0;
 *  - the struct-log writer fails exactly when the plain iteration fails.
 */
#include <ctrecord/replay.h>
#include <ctrecord/structlogs.h>

#include "structlogs_write.h"
#include "util/sink.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_MEMORY ((uint64_t)1 << 20)

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_vmtrace: property violated: %s\n", what);
        abort();
    }
}

static void check_step(const ct_evm_step *s, uint64_t expect_index)
{
    check(s->index == expect_index, "step index");
    check(s->stack_len <= 1024, "stack limit");
    check(s->memory_len % 32 == 0, "memory is whole words");
    check(s->memory_len <= MAX_MEMORY, "memory bound");
    check(s->depth >= 1 && s->frame && s->frame->depth == s->depth, "depth");
    check(s->op && s->op[0], "op name");
    check(!s->storage_len || s->storage, "storage view");
}

static void check_error(const ct_error *e, ct_status rc)
{
    check(rc < 0 && e->code == rc, "error code recorded");
    check(strchr(e->message, '\n') == NULL, "one-line message");
    /* the reader names the input "<fuzz>"; the gzip layer below it names the buffer */
    check(strncmp(e->message, "<fuzz>", 6) == 0 || strncmp(e->message, "<memory>", 8) == 0,
          "message names the input");
}

static ct_status iterate(const uint8_t *data, size_t size)
{
    ct_replay_options o;
    ct_replay *r = NULL;
    ct_error err;
    const ct_evm_tx *tx;
    const ct_evm_step *s;
    ct_status rc;
    ct_replay_options_init(&o);
    o.max_memory = MAX_MEMORY;
    o.input_name = "<fuzz>";
    rc = ct_replay_open_memory(&r, data, size, &o, &err);
    if (rc < 0)
        return rc;
    while ((rc = ct_replay_next_tx(&tx, r)) == CT_OK) {
        uint64_t n = 0;
        while ((rc = ct_replay_next(&s, r)) == CT_OK)
            check_step(s, n++);
        if (rc < 0)
            break;
        check(tx->steps == n, "tx step count");
    }
    if (rc < 0) {
        check_error(ct_replay_error(r), rc);
        check(ct_replay_next_tx(&tx, r) == rc, "failure is sticky");
    }
    ct_replay_free(r);
    return rc < 0 ? rc : CT_OK;
}

static ct_status write_logs(const uint8_t *data, size_t size)
{
    ct_replay_options o;
    ct_structlogs_options so;
    ct_replay *r = NULL;
    ct__sink *s = NULL;
    ct_error err;
    ct_status rc;
    ct_replay_options_init(&o);
    o.max_memory = MAX_MEMORY;
    o.input_name = "<fuzz>";
    ct_structlogs_options_init(&so);
    so.enable_memory = so.enable_return_data = true;
    if (ct_replay_open_memory(&r, data, size, &o, &err) < 0)
        return err.code;
    if (ct__sink_open_memory(&s, NULL, &err) < 0) {
        ct_replay_free(r);
        return CT_ENOMEM;
    }
    rc = ct__structlogs_write(r, s, &so, &err);
    ct__sink_free(s);
    ct_replay_free(r);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_status a = iterate(data, size);
    ct_status b = write_logs(data, size);
    /* The writer also refuses inputs without a transaction or with a null vmTrace. */
    check(a >= 0 || b < 0, "writer fails when the replay fails");
    return 0;
}
