/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing OCI image layout directories: blobs, index.json entries and
 * Notary signature manifests, as `notation sign --oci-layout` writes them
 * (spec digest A.7). Used by signing and bundle export, never by verify:
 * verification opens its inputs read-only.
 */
#ifndef OV_LAYOUT_WRITE_H
#define OV_LAYOUT_WRITE_H

#include <stddef.h>

#include "digest.h"
#include "err.h"
#include "manifest.h"

/* Write data to path through a temporary beside it, fsync(2) and
 * rename(2): readers see the old file or the whole new one. */
enum ov_code ov_file_write_atomic(const char *path, const void *data,
    size_t len, struct ov_err *err);

/* Create dir (if needed) with oci-layout, an empty index.json and
 * blobs/; existing files are kept. */
enum ov_code ov_layout_dir_init(const char *dir, struct ov_err *err);

/* Store data as blobs/sha256/<hex> (atomically); *out gets its digest. */
enum ov_code ov_layout_dir_put_blob(const char *dir, const void *data,
    size_t len, struct ov_digest *out, struct ov_err *err);

/* Append d to index.json's manifests (rewritten atomically). */
enum ov_code ov_layout_dir_add_entry(const char *dir,
    const struct ov_descriptor *d, struct ov_err *err);

/*
 * Append the n descriptors d to index.json's manifests in one atomic
 * rewrite: a temporary file, written and fsync'd, renamed over
 * index.json, then the directory fsync'd. A reader sees the old
 * index.json or the new one, never a mix.
 */
enum ov_code ov_layout_dir_add_entries(const char *dir,
    const struct ov_descriptor *d, size_t n, struct ov_err *err);

/* How a signature manifest is shaped (spec digest A.7). */
enum ov_sig_shape {
	OV_SHAPE_ARTIFACT_TYPE, /* notation v2: artifactType + empty config */
	OV_SHAPE_CONFIG_TYPE,   /* notation 1.x: config.mediaType is the type */
	OV_SHAPE_OCI_ARTIFACT,  /* legacy OCI artifact manifest */
	OV_SHAPE_ARTIFACT_TYPE_DATA, /* OV_SHAPE_ARTIFACT_TYPE with the
					config's "data": "e30=", byte for
					byte what notation v2 writes */
};

/*
 * Build a signature manifest for envelope (its descriptor) signing
 * subject, with the thumbprint and creation annotations notation adds.
 * thumbprints is the JSON array text of the chain's SHA-256 fingerprints
 * (may be NULL); created an RFC 3339 time (may be NULL). The manifest
 * JSON goes to out (malloc'd text).
 */
enum ov_code ov_signature_manifest_json(enum ov_sig_shape shape,
    const struct ov_descriptor *subject, const struct ov_descriptor *envelope,
    const char *thumbprints, const char *created, char **out,
    struct ov_err *err);

/* A descriptor as a JSON object text (malloc'd). */
enum ov_code ov_descriptor_json(const struct ov_descriptor *d, char **out,
    struct ov_err *err);

#endif
