/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Archives: one streaming pass over a tar archive (plain, gzip, zstd, or
 * whatever compression libarchive detects by content) that hashes every
 * entry as it goes by and keeps only small metadata files in memory, with
 * the safety rules for untrusted archives (spec digest A.2, A.8). The
 * result backs an OCI layout source (archive_source.c) and the docker save
 * reader (docker.c). Nothing is extracted to disk.
 */
#ifndef OV_ARCHIVE_H
#define OV_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "err.h"

struct ov_archive_opts {
	uint64_t max_bytes;      /* total uncompressed bytes; 0: default */
	unsigned max_ratio;      /* uncompressed / compressed; 0: default */
	size_t max_kept;         /* bytes of small files kept in memory; 0: default */
	int deep;                /* also hash the decompressed content of
				  * gzip and zstd entries */
	/* called now and then during the pass; may be NULL */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
};

struct ov_archive_entry {
	char *name;                   /* normalised: no "./", no trailing "/" */
	int64_t size;
	struct ov_digest sha256;      /* of the entry's bytes */
	int has_named;                /* entry is blobs/<alg>/<hex> ... */
	struct ov_digest named;       /* ... and hashes to this with <alg> */
	int has_decompressed;         /* deep: gzip/zstd content ... */
	struct ov_digest decompressed; /* ... hashes to this (sha256) */
	unsigned char *data;          /* kept content, NULL when not kept */
	char *link;                   /* symlink target (docker save only), else NULL */
};

struct ov_archive;
struct ov_source;

/*
 * Read the archive at path in one pass. Rejects, with the entry named:
 * absolute names or ".." components, duplicate names, links, devices and
 * FIFOs (except symlinks docker save writes between layer.tar files),
 * entries whose data is shorter than their header says, truncated
 * archives, unknown formats, and more than max_bytes of data or a
 * decompression ratio above max_ratio.
 */
enum ov_code ov_archive_read(const char *path,
    const struct ov_archive_opts *opts, struct ov_archive **out,
    struct ov_err *err);

void ov_archive_free(struct ov_archive *a);

const char *ov_archive_path(const struct ov_archive *a);
size_t ov_archive_count(const struct ov_archive *a);
const struct ov_archive_entry *ov_archive_entry(const struct ov_archive *a,
    size_t i);
const struct ov_archive_entry *ov_archive_find(const struct ov_archive *a,
    const char *name);

/* An OCI image layout view of an archive that holds one ("oci-layout"
 * at its root). Takes ownership of a. */
enum ov_code ov_archive_source(struct ov_archive *a, struct ov_source **out,
    struct ov_err *err);

#endif
