/*
 * Header test: the public headers compile as a strict C99 consumer would build them (-std=c99
 * -pedantic -Werror, see tests.cmake), each also alone and twice (include guards), and the
 * declarations link against the library. Compiled as C++11 too (headertest.cpp includes this
 * file), which checks the extern "C" blocks and that the inline value constructors are valid
 * C++. What it deliberately does not check: behaviour (tests/unit/ does that).
 */
#include <ctrecord/ctrecord.h>

/* Each header again, alone and in an order different from the umbrella's: guards must hold. */
#include <ctrecord/evm_record.h>
#include <ctrecord/structlogs.h>
#include <ctrecord/replay.h>
#include <ctrecord/bundle.h>
#include <ctrecord/validate.h>
#include <ctrecord/tracer.h>
#include <ctrecord/writer.h>
#include <ctrecord/value.h>
#include <ctrecord/common.h>

#include <stdio.h>
#include <string.h>

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "headertest: %s\n", what);
        failures++;
    }
}

/* The inline constructors give the kind and type id they are asked for. */
static void check_value_constructors(void)
{
    static const char text[] = "abc";
    static const uint8_t be[2] = {1, 2};
    ct_value none = ct_value_none();
    ct_value i = ct_value_int(7, -3);
    ct_value f = ct_value_float(8, 0.5);
    ct_value b = ct_value_bool(9, true);
    ct_value s = ct_value_text(CT_VALUE_STRING, 10, text, 3);
    ct_value seq = ct_value_items(CT_VALUE_SEQUENCE, 11, &i, 1, false);
    ct_value big = ct_value_bigint(12, be, sizeof be, true);

    check(none.kind == CT_VALUE_NONE && none.type_id == CT_NONE_TYPE_ID, "ct_value_none");
    check(i.kind == CT_VALUE_INT && i.type_id == 7 && i.as.i == -3, "ct_value_int");
    check(f.kind == CT_VALUE_FLOAT && f.as.f == 0.5, "ct_value_float");
    check(b.kind == CT_VALUE_BOOL && b.as.b, "ct_value_bool");
    check(s.as.text.ptr == text && s.as.text.len == 3, "ct_value_text");
    check(seq.as.seq.items == &i && seq.as.seq.count == 1, "ct_value_items");
    check(big.as.bigint.len == 2 && big.as.bigint.negative, "ct_value_bigint");
}

/* A few calls across both libraries, so that a declaration without C linkage fails to link. */
static void check_linkage(void)
{
    ct_writer_options wo;
    ct_validate_options vo;
    ct_replay_options ro;
    ct_structlogs_options so;
    ct_evm_record_options eo;
    ct_dialect d = CT_DIALECT_AUTO;

    ct_writer_options_init(&wo);
    ct_validate_options_init(&vo);
    ct_replay_options_init(&ro);
    ct_structlogs_options_init(&so);
    ct_evm_record_options_init(&eo);
    check(wo.version == CT_WRITER_OPTIONS_VERSION, "writer options version");
    check(vo.version == CT_VALIDATE_OPTIONS_VERSION, "validate options version");
    check(ro.version == CT_REPLAY_OPTIONS_VERSION, "replay options version");
    check(so.version == CT_STRUCTLOGS_OPTIONS_VERSION, "structlogs options version");
    check(eo.version == CT_EVM_RECORD_OPTIONS_VERSION, "evm record options version");
    check(ct_version() != NULL && ct_version()[0] != '\0', "ct_version");
    check(strcmp(ct_strerror(CT_EINVAL), ct_strerror(CT_OK)) != 0, "ct_strerror");
    check(strcmp(ct_event_type_name(CT_EV_STEP), "Step") == 0, "ct_event_type_name");
    check(ct_dialect_parse("erigon", &d) && d == CT_DIALECT_ERIGON, "ct_dialect_parse");
    check(strcmp(ct_opcode_name(0x00), "STOP") == 0, "ct_opcode_name");
}

int main(void)
{
    check_value_constructors();
    check_linkage();
    return failures == 0 ? 0 : 1;
}
