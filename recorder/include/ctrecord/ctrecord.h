/*
 * ctrecord: every public header at once, for programs that link ctrecord::ctrecord (writer and
 * recorder). A program that links only the writer (ctrecord::writer) includes the writer
 * headers it needs (<ctrecord/writer.h>, <ctrecord/tracer.h>, ...) instead: this file lives
 * with the recorder because it names recorder headers too.
 *
 * Each public header is also self-contained and may be included alone, in any order, from C99
 * or C++11 (tests/headertest checks both).
 */
#ifndef CTRECORD_CTRECORD_H
#define CTRECORD_CTRECORD_H

#include <ctrecord/common.h>
#include <ctrecord/value.h>
#include <ctrecord/writer.h>
#include <ctrecord/tracer.h>
#include <ctrecord/validate.h>
#include <ctrecord/bundle.h>
#include <ctrecord/replay.h>
#include <ctrecord/structlogs.h>
#include <ctrecord/evm_record.h>

#endif
