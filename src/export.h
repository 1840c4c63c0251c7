/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Export (issue 15): the verified images, with their signatures, as a
 * canonical OCI layout archive written from the bytes captured while
 * they were verified (spool.h), never read from the source again. The
 * archive holds exactly the manifests, indexes, configs and layers the
 * images reach, their signature manifests, signature configs and
 * envelopes, an index.json naming them and, for docker, a manifest.json:
 * sorted names, regular files and directories only, mtime 0, owner 0,
 * modes 0644 and 0755 (ocivet-export(1)).
 */
#ifndef OV_EXPORT_H
#define OV_EXPORT_H

#include <stdint.h>

#include "digest.h"
#include "err.h"

struct ov_bundle_out;
struct ov_spool;

enum ov_export_format {
	OV_EXPORT_OCI,    /* an OCI image layout archive */
	OV_EXPORT_DOCKER, /* and a manifest.json for docker load */
};

struct ov_export;

/* An empty export reading blobs from spool (borrowed). */
enum ov_code ov_export_new(struct ov_spool *spool, struct ov_export **out,
    struct ov_err *err);

void ov_export_free(struct ov_export *x);

/*
 * Export image d (a manifest or index of media type media_type) under
 * tag (org.opencontainers.image.ref.name) and name
 * (io.containerd.image.name), each may be NULL. Adding the same entry
 * twice adds it once.
 */
enum ov_code ov_export_add_image(struct ov_export *x, const struct ov_digest *d,
    const char *media_type, const char *tag, const char *name,
    struct ov_err *err);

/* Export signature manifest d (its subject is an exported image). */
enum ov_code ov_export_add_signature(struct ov_export *x,
    const struct ov_digest *d, struct ov_err *err);

/*
 * Write the archive to w (a tar opened with ov_bundle_out_open(), which
 * the caller commits): every blob the images and signatures reach, read
 * from the spool and hashed again on the way. OV_E_NOTFOUND when a blob
 * was not captured (it was never verified), OV_E_UNSUPPORTED for a
 * multi-manifest index in the docker format, OV_E_LIMIT past the entries
 * an archive reader accepts.
 */
enum ov_code ov_export_write(struct ov_export *x, enum ov_export_format format,
    struct ov_bundle_out *w, struct ov_err *err);

#endif
