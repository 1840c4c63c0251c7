/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI descriptors, image manifests, image indexes (and their Docker
 * schema 2 equivalents) parsed from JSON into plain structs. Implements
 * the field rules of OCI image-spec descriptor.md, manifest.md and
 * image-index.md, and the Notary Project signature manifest rules
 * (notaryproject specifications, signature-specification.md "Storage").
 */
#ifndef OV_MANIFEST_H
#define OV_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "err.h"

#define OV_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define OV_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define OV_MT_DOCKER_MANIFEST \
	"application/vnd.docker.distribution.manifest.v2+json"
#define OV_MT_DOCKER_LIST \
	"application/vnd.docker.distribution.manifest.list.v2+json"
#define OV_MT_OCI_ARTIFACT "application/vnd.oci.artifact.manifest.v1+json"
#define OV_MT_OCI_EMPTY "application/vnd.oci.empty.v1+json"
#define OV_MT_NOTARY_SIGNATURE "application/vnd.cncf.notary.signature"
#define OV_MT_JWS "application/jose+json"
#define OV_MT_COSE "application/cose"
#define OV_EMPTY_DIGEST \
	"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

#define OV_ANN_REF_NAME "org.opencontainers.image.ref.name"
#define OV_ANN_IMAGE_NAME "io.containerd.image.name"

struct ov_annotation {
	char *key;
	char *value;
};

struct ov_descriptor {
	char *media_type;          /* never NULL after parsing */
	struct ov_digest digest;
	int64_t size;              /* >= 0 */
	char *artifact_type;       /* NULL when absent */
	char *platform;            /* "os/arch[/variant]", NULL when absent */
	struct ov_annotation *annotations;
	size_t nannotations;
};

enum ov_manifest_kind {
	OV_KIND_MANIFEST, /* OCI image manifest or Docker schema 2 manifest */
	OV_KIND_INDEX,    /* OCI image index or Docker manifest list */
	OV_KIND_ARTIFACT, /* legacy OCI artifact manifest (image-spec 1.1 RC) */
};

struct ov_manifest {
	enum ov_manifest_kind kind;
	char *media_type;          /* effective media type, never NULL */
	char *artifact_type;       /* NULL when absent */
	int has_config;
	struct ov_descriptor config;
	/* layers (manifest), manifests (index) or blobs (artifact) */
	struct ov_descriptor *children;
	size_t nchildren;
	int has_subject;
	struct ov_descriptor subject;
	struct ov_annotation *annotations;
	size_t nannotations;
};

/*
 * Parse one descriptor object. what names it in messages
 * ("index.json: manifests[2]").
 */
struct cJSON;
enum ov_code ov_descriptor_parse(const struct cJSON *obj, const char *what,
    struct ov_descriptor *out, struct ov_err *err);

/* Deep copy; free with ov_descriptor_clear(). */
enum ov_code ov_descriptor_copy(struct ov_descriptor *dst,
    const struct ov_descriptor *src, struct ov_err *err);

/* Free the members of d (not d itself) and zero it. */
void ov_descriptor_clear(struct ov_descriptor *d);

/* Value of annotation key, or NULL. */
const char *ov_annotation_get(const struct ov_annotation *a, size_t n,
    const char *key);

/*
 * 1 when a and b identify the same content the way OCI graph tools do:
 * equal media type, digest and size.
 */
int ov_descriptor_same(const struct ov_descriptor *a,
    const struct ov_descriptor *b);

/*
 * Parse a manifest or index document. media_type is the media type of the
 * descriptor that referenced it (NULL when unknown); a document whose own
 * "mediaType" disagrees with it is rejected. Documents with an unknown
 * media type give OV_E_UNSUPPORTED.
 */
enum ov_code ov_manifest_parse(const void *data, size_t len,
    const char *media_type, const char *what, struct ov_manifest **out,
    struct ov_err *err);

void ov_manifest_free(struct ov_manifest *m);

/* 1 when media_type names a manifest or index ov_manifest_parse reads. */
int ov_media_type_is_manifest(const char *media_type);
int ov_media_type_is_index(const char *media_type);

/* artifactType, else config.mediaType, else NULL (OCI referrers rule). */
const char *ov_manifest_artifact_type(const struct ov_manifest *m);

/*
 * 1 when m is a Notary Project signature manifest: artifact type
 * application/vnd.cncf.notary.signature, exactly one envelope blob.
 * *envelope (may be NULL) receives the envelope descriptor.
 */
int ov_manifest_is_signature(const struct ov_manifest *m,
    const struct ov_descriptor **envelope);

/*
 * Notary payload (application/vnd.cncf.notary.payload.v1+json): parse
 * and return its targetArtifact descriptor.
 */
enum ov_code ov_payload_parse(const void *data, size_t len,
    struct ov_descriptor *target, struct ov_err *err);

/*
 * The rootfs.diff_ids of an image config (OCI image-spec config.md;
 * Docker's image JSON): the digests of the uncompressed layer tars, in
 * order. *out is malloc'd.
 */
enum ov_code ov_config_diff_ids(const void *data, size_t len,
    struct ov_digest **out, size_t *n, struct ov_err *err);

#endif
