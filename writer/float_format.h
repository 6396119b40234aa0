/*
 * The two Float encodings CodeTracer has used (docs/writer.md, reference §3):
 *  - runtime_tracing <= 0.16.1 (CodeTracer 25.11): a JSON number exactly as serde_json writes
 *    it through ryu: shortest round-trip digits, "1.0", "1e21", "1e-7", "-0.0";
 *  - trace types >= 0.16.2 (current CodeTracer): a string in Rust's `Display` form: the same
 *    digits, never an exponent, no trailing ".0": "1", "1000000000000000000000", "-0", "inf",
 *    "NaN".
 */
#ifndef CT_FLOAT_FORMAT_H
#define CT_FLOAT_FORMAT_H

#include <stddef.h>

/** Enough for any double in either form (Display of 5e-324 is 326 characters). */
#define CT__FLOAT_BUF 352

/** serde_json form of a finite `x` into `out` (not NUL-terminated); returns the length. */
size_t ct__float_json(double x, char out[CT__FLOAT_BUF]);

/** Rust Display form of any `x` into `out` (not NUL-terminated); returns the length. */
size_t ct__float_display(double x, char out[CT__FLOAT_BUF]);

#endif
