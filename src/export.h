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

/*
 * An empty signature bundle (ocivet-bundle(5)) to write next to an
 * export: its images are signed manifests, written without their
 * configs and layers (with the child manifests of an index that were
 * read), and their signatures; never the docker format.
 */
enum ov_code ov_export_new_bundle(struct ov_spool *spool,
    struct ov_export **out, struct ov_err *err);

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

/*
 * Export image d whose verification bound it to the signatures of
 * another manifest, signed_d (the report's signed_digest):
 * - d an index (a containerd store, whose index holds the node's
 *   platform only): the platform manifest signed_d, which d lists, is
 *   exported in its place, and its signatures go to x (*sigs_here 1);
 * - d a manifest (docker save by Docker 25 or later, bound to a signed
 *   registry manifest through its config): d goes to x as it is, and
 *   signed_d, which must have d's config, to bundle b (*sigs_here 0),
 *   with its signatures: the signed manifest's layers are not in x, so
 *   it is no image of x, and `verify --signatures B` binds d to it again.
 * Anything else is OV_E_UNSUPPORTED.
 */
enum ov_code ov_export_add_bound_image(struct ov_export *x,
    struct ov_export *b, const struct ov_digest *d, const char *media_type,
    const char *tag, const char *name, const struct ov_digest *signed_d,
    int *sigs_here, struct ov_err *err);

/*
 * Export an image of a classic docker save (made before Docker 25: no
 * manifest, its layers files named by path), verified by its config
 * config_d and bound to the signatures of signed_d, as Docker 25 saves
 * it: an OCI image manifest generated here, naming the captured config
 * and, as uncompressed layers, the blobs of the config's rootfs.diff_ids
 * (captured from the archive under the SHA-256 they hash to), goes to x
 * under name (a RepoTags entry, may be NULL; its tag part is the
 * org.opencontainers.image.ref.name); signed_d and its signatures go to
 * b as for ov_export_add_bound_image(), which binds the generated
 * manifest to it again through its config. OV_E_UNSUPPORTED when a
 * layer was not captured under its diff_id (a compressed layer tar).
 */
enum ov_code ov_export_add_docker_image(struct ov_export *x,
    struct ov_export *b, const struct ov_digest *config_d, const char *name,
    const struct ov_digest *signed_d, struct ov_err *err);

/* How many images were added to x. */
size_t ov_export_nimages(const struct ov_export *x);

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
