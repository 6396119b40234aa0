/* Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not SHA3-256's (0x06).
 * Needed for selectors, event topics and mapping slots; nothing else in the project hashes. */
#ifndef CT_RECORDER_KECCAK_H
#define CT_RECORDER_KECCAK_H

#include <stddef.h>
#include <stdint.h>

/** keccak256(data[0..len)) into out. Never allocates. */
void ct__keccak256(const void *data, size_t len, uint8_t out[32]);

#endif
