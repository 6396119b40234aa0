/* The struct-log writer over any sink (files, descriptors, memory in tests). */
#ifndef CT_RECORDER_STRUCTLOGS_WRITE_H
#define CT_RECORDER_STRUCTLOGS_WRITE_H

#include <ctrecord/structlogs.h>

#include "util/sink.h"

/** Write the whole document; does not commit the sink. */
ct_status ct__structlogs_write(ct_replay *r, ct__sink *s, const ct_structlogs_options *opts,
                               ct_error *err);

#endif
