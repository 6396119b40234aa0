/*
 * trace.json read as a stream: the tokenizer walks the top-level array, each element is
 * captured as bytes, parsed alone with cJSON, checked, and freed before the next one. Memory is
 * bounded by the largest single event, never by the trace.
 */
#include "validate_impl.h"

#include <sys/stat.h>

#include "util/json_reader.h"

static ct_status one_event(ct__vstate *st, ct__json_reader *r, const ct__json_token *first)
{
    const char *data;
    size_t len;
    cJSON *event;
    ct_status rc;
    st->offset = first->offset;
    CT_TRY(ct__json_capture(r, first, &data, &len, st->err));
    event = cJSON_ParseWithLength(data, len);
    if (!event)   /* the tokenizer accepted these bytes, so cJSON can only have run out */
        return ct__error_set_at(st->err, CT_ENOMEM, st->offset, "trace.json: event %llu: "
                                "out of memory or nested deeper than cJSON allows",
                                (unsigned long long)st->index);
    rc = ct__vnums_index(st, data, len, event);
    if (rc == CT_OK)
        rc = ct__vevent(st, event);
    cJSON_Delete(event);
    return rc;
}

static ct_status events(ct__vstate *st, ct__json_reader *r)
{
    ct__json_token tok;
    CT_TRY(ct__json_next(r, &tok, st->err));
    if (tok.type != CT__JSON_ARRAY_BEGIN)
        return ct__error_set_at(st->err, CT_EPARSE, tok.offset, "trace.json: byte %llu: "
                                "expected a JSON array of events",
                                (unsigned long long)tok.offset);
    for (;;) {
        CT_TRY(ct__json_next(r, &tok, st->err));
        if (tok.type == CT__JSON_ARRAY_END)
            break;
        CT_TRY(one_event(st, r, &tok));
        st->index++;
        st->report->events++;
    }
    CT_TRY(ct__json_next(r, &tok, st->err));
    if (tok.type != CT__JSON_EOF)
        return ct__error_set_at(st->err, CT_EPARSE, tok.offset, "trace.json: byte %llu: data "
                                "after the array", (unsigned long long)tok.offset);
    return CT_OK;
}

ct_status ct__vstream(ct__vstate *st, const char *path)
{
    ct__input *in = NULL;
    ct__json_reader *r = NULL;
    struct stat sb;
    ct_status rc;
    if (stat(path, &sb) != 0)
        return ct__error_set(st->err, CT_EPARSE, "trace.json: missing");
    if (!S_ISREG(sb.st_mode))   /* a FIFO would block the open forever */
        return ct__error_set(st->err, CT_EPARSE, "trace.json: not a regular file");
    CT_TRY(ct__input_open_file(&in, path, st->opts.allocator, st->err));
    rc = ct__json_reader_new(&r, in, "trace.json", st->opts.allocator, st->err);
    if (rc == CT_OK)
        rc = events(st, r);
    ct__json_reader_free(r);
    ct__input_free(in);
    return rc;
}
