/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Layer decompression for --deep checks: the SHA-256 of a layer's
 * uncompressed content (its diff_id, OCI image-spec config.md
 * "rootfs"), streamed through ocivet's own gzip reader (gzip.c) and zstd
 * decoder so memory stays bounded, with the compression confirmed
 * against what the media type says.
 */
#ifndef OV_DECOMP_H
#define OV_DECOMP_H

#include <stdint.h>

#include "digest.h"
#include "err.h"

struct ov_spool_writer;

enum ov_compression {
	OV_COMP_NONE,
	OV_COMP_GZIP,
	OV_COMP_ZSTD,
	OV_COMP_UNKNOWN, /* a media type that does not say */
};

/* The compression a layer media type declares ("...tar+gzip" -> gzip,
 * "...tar" -> none, Docker's rootfs.diff.tar.gzip -> gzip). */
enum ov_compression ov_compression_of(const char *media_type);

const char *ov_compression_name(enum ov_compression c);

/*
 * Hash the decompressed content of the open file fd (read from its
 * current offset to the end). expect is what the media type says
 * (OV_COMP_UNKNOWN accepts any); content compressed otherwise is
 * OV_E_FORMAT. More than max_bytes of output is OV_E_LIMIT. what names
 * the blob in messages.
 */
enum ov_code ov_decomp_digest_fd(int fd, enum ov_compression expect,
    uint64_t max_bytes, const char *what, struct ov_digest *out,
    struct ov_err *err);

/*
 * One pass over a blob of the given size and digest d (issue 9, --deep):
 * returns what checking it gives (as the source's check_blob: size,
 * digest), and when that is OV_OK, *content_code with *content or
 * *content_err is what ov_decomp_digest_fd would have given. An
 * uncompressed SHA-256 blob is hashed once: its digest is its content's.
 * cap (may be NULL) gets every block read, as hashed (spool.h); the
 * caller commits it when this returns OV_OK.
 */
enum ov_code ov_decomp_check_fd(int fd, const struct ov_digest *d,
    int64_t size, enum ov_compression expect, uint64_t max_bytes,
    const char *what, struct ov_digest *content, enum ov_code *content_code,
    struct ov_err *content_err, struct ov_spool_writer *cap,
    struct ov_err *err);

#endif
