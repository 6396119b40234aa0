/*
 * UUIDv7 (RFC 9562) for trace_metadata.json "recording_id": a 48-bit Unix time in milliseconds,
 * version 7, variant 0b10, and 74 random bits from getrandom(2). Sortable by creation time.
 */
#ifndef CT_UUID_H
#define CT_UUID_H

#include <ctrecord/common.h>

#define CT__UUID_STR_LEN 36

/** Build the 16 bytes of a UUIDv7 for `unix_ms` (only the low 48 bits are used). */
ct_status ct__uuid_v7_bytes(uint8_t out[16], uint64_t unix_ms, ct_error *err);

/** Lowercase hyphenated text of `bytes` into `out` (37 bytes with the NUL). */
void ct__uuid_format(char out[CT__UUID_STR_LEN + 1], const uint8_t bytes[16]);

/** A UUIDv7 for now, as text. */
ct_status ct__uuid_v7(char out[CT__UUID_STR_LEN + 1], ct_error *err);

#endif
