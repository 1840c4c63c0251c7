/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Detached signature bundles (ocivet-bundle(5)): an OCI image layout
 * (image-spec image-layout.md) that holds the signed manifests of images,
 * with the child manifests of image indexes, and their Notary signature
 * manifests, envelopes and signature configs (spec digest A.7), but no
 * image config or layer. Written as a directory or as a deterministic
 * tar; `ocivet verify --signatures` reads it.
 */
#ifndef OV_BUNDLE_H
#define OV_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "err.h"

enum ov_bundle_format {
	OV_BUNDLE_DIR,     /* a layout directory */
	OV_BUNDLE_TAR,     /* a tar of one: pax, sorted, mtime 0, owner 0 */
	OV_BUNDLE_TAR_GZ,  /* that tar, gzip-compressed (no name, no time) */
	OV_BUNDLE_TAR_ZST, /* that tar, zstd-compressed */
};

/* An image the bundle will hold. */
struct ov_bundle_image {
	char *reference;         /* "PATH:TAG", else "PATH@DIGEST" */
	struct ov_digest digest; /* of its manifest or index */
	size_t nsignatures;      /* of it and of its child manifests */
};

struct ov_bundle;

/* An empty bundle plan. Free with ov_bundle_free(). */
enum ov_code ov_bundle_new(struct ov_bundle **out, struct ov_err *err);

/* Free b and close its sources; b may be NULL. */
void ov_bundle_free(struct ov_bundle *b);

/*
 * Plan the export of the images spec ("PATH", "PATH:TAG", "PATH@DIGEST")
 * names: open the layout (kept open until ov_bundle_free()), find each
 * image's signatures and the manifests and blobs to copy. An image with
 * no signature is left out with a warning; an image, child manifest or
 * signature manifest that is corrupt fails, naming it; b may then only
 * be freed.
 */
enum ov_code ov_bundle_add_source(struct ov_bundle *b, const char *spec,
				  struct ov_err *err);

/* The images planned so far, and the warnings (one line each) about what
 * was left out. Borrowed from b. */
size_t ov_bundle_nimages(const struct ov_bundle *b);
const struct ov_bundle_image *ov_bundle_image(const struct ov_bundle *b,
					      size_t i);
size_t ov_bundle_nwarnings(const struct ov_bundle *b);
const char *ov_bundle_warning(const struct ov_bundle *b, size_t i);

/*
 * Fail early, before any source is read, when out cannot be written:
 * OV_E_USAGE when it exists (a non-empty directory, or anything but a
 * directory, or, for a tar, anything at all) or its parent directory is
 * missing.
 */
enum ov_code ov_bundle_check_output(const char *out,
				    enum ov_bundle_format format,
				    struct ov_err *err);

/*
 * Write the planned bundle to out: every blob is read from its source,
 * checked against its digest and copied byte for byte into a temporary
 * directory or file beside out, renamed to out at the end; on failure
 * nothing is left behind. OV_E_NOTFOUND when no image is planned,
 * OV_E_USAGE when out exists (see above) or lies inside a source layout,
 * OV_E_LIMIT when a tar would hold more than an archive reader accepts.
 */
enum ov_code ov_bundle_write(struct ov_bundle *b, const char *out,
			     enum ov_bundle_format format, struct ov_err *err);

/* ---- writing a layout atomically (bundle_write.c) ---------------------- */

struct ov_bundle_out;

/*
 * Start writing a layout to out: check it as ov_bundle_check_output()
 * does, refuse (OV_E_USAGE) an out inside one of the n directories
 * keep_out (the source layouts), and create a temporary directory or file
 * beside out. Free with ov_bundle_out_free().
 */
enum ov_code ov_bundle_out_open(const char *out, enum ov_bundle_format format,
				const char *const *keep_out, size_t n,
				struct ov_bundle_out **res, struct ov_err *err);

/* The modification time of a tar's entries from now on, in seconds
 * since the epoch (0 unless set: SOURCE_DATE_EPOCH for export). */
void ov_bundle_out_set_mtime(struct ov_bundle_out *w, int64_t mtime);

/* Add directory name ("blobs/sha256") or file name to the layout. A tar
 * gets the entries in the order given: give them sorted by name. */
enum ov_code ov_bundle_out_dir(struct ov_bundle_out *w, const char *name,
			       struct ov_err *err);
enum ov_code ov_bundle_out_file(struct ov_bundle_out *w, const char *name,
				const void *data, size_t len,
				struct ov_err *err);

/* A tar's file entry of size bytes, whose data follows in
 * ov_bundle_out_data() calls, size bytes in all (not for a directory). */
enum ov_code ov_bundle_out_file_begin(struct ov_bundle_out *w,
				      const char *name, int64_t size,
				      struct ov_err *err);
enum ov_code ov_bundle_out_data(struct ov_bundle_out *w, const void *data,
				size_t len, struct ov_err *err);

/* Finish and rename the temporary to out (never over an existing file or a
 * non-empty directory). */
enum ov_code ov_bundle_out_commit(struct ov_bundle_out *w, struct ov_err *err);

/* Free w; without a successful commit, remove what was written. w may be
 * NULL. */
void ov_bundle_out_free(struct ov_bundle_out *w);

/*
 * ov_bundle_new(), ov_bundle_add_source() for each of the n sources,
 * ov_bundle_write() and ov_bundle_free(), for callers that need neither
 * the image list nor the warnings.
 */
enum ov_code ov_bundle_export(const char *const *sources, size_t n,
			      const char *out, enum ov_bundle_format format,
			      struct ov_err *err);

#endif
