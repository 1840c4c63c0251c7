/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image sources: where the files of an OCI image layout come from. A
 * source is a table of operations (libarchive's format idea): read a
 * small file at the layout root, read a blob into memory, or check a blob
 * by streaming it through its digest. Every blob a source returns or
 * checks is verified against its digest and size here, in one place.
 * Implementations: a directory (oci_dir.c); archives come later.
 */
#ifndef OV_SOURCE_H
#define OV_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "decomp.h"
#include "digest.h"
#include "err.h"

struct ov_source;
struct ov_spool;

struct ov_source_ops {
	const char *kind; /* "oci-layout" ... */
	/* Read root file `name` ("oci-layout", "index.json") into out,
	 * bounded by out->max. OV_E_NOTFOUND when absent. */
	enum ov_code (*read_file)(struct ov_source *src, const char *name,
	    struct ov_buf *out, struct ov_err *err);
	/* Read blob d of the given size into out (bounded by out->max),
	 * verified. OV_E_NOTFOUND when absent, OV_E_DIGEST on mismatch. */
	enum ov_code (*read_blob)(struct ov_source *src,
	    const struct ov_digest *d, int64_t size, struct ov_buf *out,
	    struct ov_err *err);
	/* Check blob d: present, regular, of the given size and hashing to
	 * d, without keeping it in memory. */
	enum ov_code (*check_blob)(struct ov_source *src,
	    const struct ov_digest *d, int64_t size, struct ov_err *err);
	/* SHA-256 of blob d's content after decompression (gzip or zstd,
	 * as expect says and the content confirms; the blob itself when it
	 * is uncompressed): a layer's diff_id, for --deep. */
	enum ov_code (*content_digest)(struct ov_source *src,
	    const struct ov_digest *d, int64_t size, enum ov_compression expect,
	    struct ov_digest *out, struct ov_err *err);
	/* Optional: check_blob and content_digest in one pass over the
	 * blob (ov_decomp_check_fd says how the results are split). */
	enum ov_code (*check_blob_content)(struct ov_source *src,
	    const struct ov_digest *d, int64_t size, enum ov_compression expect,
	    struct ov_digest *content, enum ov_code *content_code,
	    struct ov_err *content_err, struct ov_err *err);
	void (*close)(struct ov_source *src);
	/* check_blob and content_digest may run on several threads at
	 * once (--jobs) */
	int parallel;
};

struct ov_source {
	const struct ov_source_ops *ops;
	char *path; /* as given by the user */
	void *impl;
	/* a content store of a node (containerd): an image index's other
	 * platforms' manifests are absent by design, and layer blobs may
	 * be (discard_unpacked_layers) */
	int store;
	/* blobs read or checked are captured here (spool.h; borrowed, may be
	 * NULL); an archive captures in its one pass instead */
	struct ov_spool *spool;
};

struct ov_archive;
struct ov_archive_opts;

/*
 * Open an input: an OCI image layout directory, an archive of one (tar,
 * any compression), or, when docker is non-NULL, a docker save archive
 * without an OCI layout (then *docker holds it and *out is NULL). opts
 * (may be NULL: defaults) governs archive reading. OV_E_NOTFOUND when
 * path does not exist.
 */
enum ov_code ov_input_open(const char *path,
    const struct ov_archive_opts *opts, struct ov_source **out,
    struct ov_archive **docker, struct ov_err *err);

/* ov_input_open() with default archive limits and no docker save. */
enum ov_code ov_source_open(const char *path, struct ov_source **out,
    struct ov_err *err);

enum ov_code ov_dir_source_open(const char *path, struct ov_source **out,
    struct ov_err *err);

/*
 * The subdirectories of directory path that hold an oci-layout file, as
 * "path/name", sorted, in *names (malloc'd; ov_strv_free()), for the
 * message about a directory of layouts that is not one itself.
 */
enum ov_code ov_dir_sublayouts(const char *path, char ***names, size_t *n,
    struct ov_err *err);

/* Close and free; src may be NULL. */
void ov_source_close(struct ov_source *src);

/*
 * A SOURCE argument: "PATH", "PATH:TAG" or "PATH@DIGEST". PATH is the
 * longest prefix that exists on disk (so paths containing ':' work, and a
 * tag may itself contain ':' as in "localhost:5000/app:v1"). Or
 * containerd's image store: "containerd:[ROOT][#NAMESPACE][:NAME|@DIGEST]"
 * (ROOT /var/lib/containerd and NAMESPACE k8s.io by default; without
 * '#', ROOT is again the longest existing prefix).
 */
struct ov_source_spec {
	char *path;               /* containerd: ROOT */
	char *tag;                /* NULL when absent; containerd: NAME */
	int has_digest;
	struct ov_digest digest;
	int containerd;           /* a containerd image store */
	char *ns;                 /* containerd: the namespace */
};

/*
 * Split spec. exists(path, ctx) tells whether a candidate path exists
 * (the CLI passes a stat() wrapper; fuzzers a fake). OV_E_NOTFOUND when
 * no prefix exists, OV_E_USAGE for a malformed tag or digest.
 */
enum ov_code ov_source_spec_parse(const char *spec,
    int (*exists)(const char *path, void *ctx), void *ctx,
    struct ov_source_spec *out, struct ov_err *err);

void ov_source_spec_clear(struct ov_source_spec *s);

/*
 * Open what a parsed SOURCE names: ov_input_open(s->path, ...) or, for a
 * containerd image store, ov_containerd_open().
 */
enum ov_code ov_spec_open(const struct ov_source_spec *s,
    const struct ov_archive_opts *opts, struct ov_source **out,
    struct ov_archive **docker, struct ov_err *err);

#endif
