/*
 * ctrecord: a trace folder as one file, for sharing.
 *
 * A bundle is a gzip-compressed POSIX ustar archive (pax extended headers for names longer than
 * ustar's 155+100 split and for files of 8 GiB or more) whose members are the folder's contents
 * with names relative to the folder ("trace.json", "files/", "files/tmp/a.sol", ...). Any tar
 * tool reads it (`tar -xzf bundle.tar.gz -C dir`). docs/trace-folder.md has the details.
 */
#ifndef CTRECORD_BUNDLE_H
#define CTRECORD_BUNDLE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Pack the folder `dir` (regular files and folders only; a symlink, device or FIFO inside it is
 * CT_EINVAL) into `out_tar_gz`. The archive is written to "<out_tar_gz>.tmp-XXXXXX" and renamed
 * over `out_tar_gz` only when complete, so a failure leaves no partial archive. `out_tar_gz`
 * inside `dir` is CT_EINVAL. Members are sorted by name (byte order), so the same folder gives
 * the same member order.
 * @return CT_OK, CT_EINVAL, CT_EIO (message names the path), CT_ENOMEM
 */
CT_EXTERN(ct_status) ct_bundle_pack(const char *dir, const char *out_tar_gz,
                                    ct_error *err) CT_WARN_UNUSED_RESULT;

/**
 * Restore a bundle into the new folder `dest_dir` (which must not exist; its parent must).
 * Members are written into "<dest_dir>.tmp-XXXXXX", renamed to `dest_dir` at the end.
 * Refused with CT_EPARSE, leaving nothing behind: absolute member names, names with a ".."
 * component, symlinks, hard links, devices and FIFOs, bad header checksums, corrupt or
 * truncated gzip data, and an archive that ends without the end-of-archive blocks. Only
 * regular files and folders are created; file permission bits are kept (owner read/write
 * always set), owners and times are not restored.
 * @return CT_OK, CT_EPARSE (bad archive; the message names the member or byte offset),
 *         CT_EINVAL (dest_dir exists), CT_EIO, CT_ENOMEM
 */
CT_EXTERN(ct_status) ct_bundle_unpack(const char *tar_gz, const char *dest_dir,
                                      ct_error *err) CT_WARN_UNUSED_RESULT;

#ifdef __cplusplus
}
#endif
#endif
