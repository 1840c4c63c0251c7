/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Archives: one streaming pass over a tar archive (plain, gzip, zstd, or
 * whatever compression libarchive detects by content) that hashes every
 * entry as it goes by and keeps only small metadata files in memory, with
 * the safety rules for untrusted archives (spec digest A.2, A.8). The
 * result backs an OCI layout source (archive_source.c) and the docker save
 * reader (docker.c). Nothing is extracted to disk.
 *
 * This header shares its name with libarchive's: project headers are
 * found with -iquote, so "archive.h" is this one and <archive.h> is
 * libarchive's.
 */

#ifndef OV_ARCHIVE_H
#define OV_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "err.h"

/*
 * Archive limits (to move to ovlimits.h). The DEFAULT ones apply when the
 * matching ov_archive_opts field is 0.
 */
/* tar data in all, and again deep-decompressed data in all: 64 GiB */
#define OV_ARCHIVE_DEFAULT_MAX_BYTES ((uint64_t)64 << 30)
/* uncompressed / compressed, checked past OV_ARCHIVE_RATIO_GRACE bytes */
#define OV_ARCHIVE_DEFAULT_MAX_RATIO 200
#define OV_ARCHIVE_RATIO_GRACE ((uint64_t)16 << 20)
/* bytes of kept files in all */
#define OV_ARCHIVE_DEFAULT_MAX_KEPT (32 * 1024 * 1024)
/* one kept file (index.json: OV_MAX_INDEX_JSON) */
#define OV_ARCHIVE_MAX_KEEP_FILE (4 * 1024 * 1024)
/* files, links and directories in one archive */
#define OV_ARCHIVE_MAX_ENTRIES 16384
/* bytes in one entry name */
#define OV_ARCHIVE_MAX_NAME 1024
/* deep zstd: frames needing a window over 8 MiB are refused */
#define OV_ARCHIVE_ZSTD_WINDOW_LOG 23
/* bytes read from the file before libarchive knows its compression */
#define OV_ARCHIVE_MAX_HEAD (8 * 1024 * 1024)
/* progress callback every 4 MiB read from the file */
#define OV_ARCHIVE_PROGRESS_STEP ((uint64_t)4 << 20)

struct ov_spool;

struct ov_archive_opts {
	/* 0 for each limit: the default */
	uint64_t max_bytes; /* total uncompressed bytes */
	unsigned max_ratio; /* uncompressed / compressed */
	size_t max_kept;    /* bytes of small files kept in memory */
	int deep; /* also hash the decompressed content of gzip and zstd */
	/* keep every regular file (up to OV_ARCHIVE_MAX_KEEP_FILE each,
	 * max_kept in all), not only layout metadata: trust bundles */
	int keep_all;
	/* 2 or more: decompress on a thread of its own (0: one thread) */
	int jobs;
	/* called now and then during the pass; may be NULL */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
	/* when set, every blob read (blobs/<alg>/<hex> of an archive, each
	 * blob a directory source reads or checks) is captured here from
	 * the bytes hashed, and committed when it matches its digest; so
	 * are a classic docker save's configs (*.json at the root) and
	 * layer tars (*.tar), under the SHA-256 they hash to (spool.h;
	 * borrowed) */
	struct ov_spool *spool;
};

struct ov_archive_entry {
	char *name; /* normalised: no "./", no trailing "/" */
	int64_t size;
	struct ov_digest sha256;       /* of the entry's bytes */
	int has_named;                 /* entry is blobs/<alg>/<hex> ... */
	struct ov_digest named;        /* ... and hashes to this with <alg> */
	int has_decompressed;          /* deep: gzip/zstd content ... */
	struct ov_digest decompressed; /* ... hashes to this (sha256) */
	/* deep: zstd content whose frame asks for a window over
	 * OV_ARCHIVE_ZSTD_WINDOW_LOG: not decompressed, refused as a layer */
	int window_over;
	/* deep: why gzip content did not decompress (gzip.c's message),
	 * refused as a layer as a directory's layer would be; else NULL */
	char *deep_err;
	unsigned char *data;           /* kept content, NULL when not kept */
	/* symlink (docker save's <id>/layer.tar only): the target's name,
	 * resolved from the link's directory in the archive, else NULL */
	char *link;
	/* not kept though wanted: over OV_ARCHIVE_MAX_KEEP_FILE or max_kept */
	int over_limit;
};

struct ov_archive;
struct ov_source;

/*
 * Read the archive at path (a regular file; opts may be NULL) in one
 * pass. Rejects, naming the archive and the entry: absolute names or ".."
 * components, duplicate names (also "./x" after "x"), hard links,
 * devices, FIFOs, sockets and symlinks (except docker save's
 * <id>/layer.tar links whose target, resolved lexically inside the
 * archive, is a regular entry: whether manifest.json names that target as
 * a layer is for docker.c to check), sparse entries, data shorter or longer
 * than the header says, truncated archives (also those cut at an entry
 * boundary), nested compression, formats other than tar, more than max_bytes of
 * data, a ratio above max_ratio, and with deep gzip/zstd entries that do not
 * decompress or decompress past those limits.
 *
 * Kept in memory (entry.data): oci-layout, repositories and *.json at the
 * root, and files under blobs/ that start with '{' (JSON) or a COSE_Sign1
 * header, each up to OV_ARCHIVE_MAX_KEEP_FILE bytes, max_kept in all; the
 * same one directory down, for a layout archived with its top directory.
 * OV_E_UNSUPPORTED for formats other than tar, OV_E_FORMAT for unsafe or
 * damaged archives, OV_E_LIMIT for limits, OV_E_NOTFOUND/OV_E_IO for the
 * file itself.
 */
enum ov_code ov_archive_read(const char *path,
			     const struct ov_archive_opts *opts,
			     struct ov_archive **out, struct ov_err *err);

void ov_archive_free(struct ov_archive *a);

const char *ov_archive_path(const struct ov_archive *a);
/* Compression libarchive detected: "none", "gzip", "zstd", ... */
const char *ov_archive_compression(const struct ov_archive *a);
/* Regular files and symlinks, in archive order (no directories). */
size_t ov_archive_count(const struct ov_archive *a);
const struct ov_archive_entry *ov_archive_entry(const struct ov_archive *a,
						size_t i);
/* The entry named name (any spelling: "./x" finds "x"), or NULL. */
const struct ov_archive_entry *ov_archive_find(const struct ov_archive *a,
					       const char *name);

/* e itself, or for a docker save layer.tar symlink the regular entry it
 * points to (the link is followed once); NULL when that is missing. */
const struct ov_archive_entry *
ov_archive_resolve(const struct ov_archive *a,
		   const struct ov_archive_entry *e);

/*
 * Normalise an archive member name: drop "." components, empty
 * components and a trailing "/". OV_E_FORMAT for absolute names, ".."
 * components, empty or overlong names. *out is the caller's.
 */
enum ov_code ov_archive_clean_name(const char *name, char **out,
				   struct ov_err *err);

/*
 * An OCI image layout view of an archive that holds one: "oci-layout" at
 * its root, or in the one top-level directory every file of the archive
 * is under (`tar cf images.tar images/`; not with a manifest.json there).
 * A symbolic link is allowed only in a docker save whose manifest.json
 * names its target as a layer. Takes ownership of a, also on failure. Its
 * kind is "oci-archive".
 */
enum ov_code ov_archive_source(struct ov_archive *a, struct ov_source **out,
			       struct ov_err *err);

/* 1 when ov_archive_source() would find a layout in a (where, not
 * whether it is valid). */
int ov_archive_has_layout(const struct ov_archive *a);

/*
 * ov_archive_read() then ov_archive_source(): the source ov_source_open()
 * gives for a regular file. opts may be NULL (defaults).
 */
enum ov_code ov_archive_open_source(const char *path,
				    const struct ov_archive_opts *opts,
				    struct ov_source **out, struct ov_err *err);

/* The archive behind an "oci-archive" source (borrowed), else NULL. */
const struct ov_archive *ov_archive_of_source(const struct ov_source *src);

/* 1 when the archive was read with opts->deep (decompressed digests). */
int ov_archive_deep(const struct ov_archive *a);

#endif
