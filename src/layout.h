/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The content graph of an OCI image layout (image-spec image-layout.md),
 * read from any image source: the oci-layout version, index.json, every
 * manifest and index reachable from it (read, digest-checked and parsed
 * once), the images it holds, tag and digest resolution, the integrity
 * check of everything an image reaches, and Notary signature discovery
 * through subjects and referrers-tag-schema indexes (spec digest A.1,
 * A.5-A.7).
 */
#ifndef OV_LAYOUT_H
#define OV_LAYOUT_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "manifest.h"
#include "source.h"

struct ov_layout;
struct ov_pool;

/* An image a SOURCE names. */
struct ov_target {
	struct ov_descriptor desc; /* as referenced (index.json or parent) */
	char *tag;                 /* org.opencontainers.image.ref.name */
	char *name;                /* io.containerd.image.name */
	int error_code;            /* nonzero: the manifest is unusable */
	char *error;               /* why, when error_code != 0 */
};

/* A signature manifest found for an image. */
struct ov_sigref {
	struct ov_descriptor desc;    /* descriptor of the signature manifest */
	const struct ov_manifest *m;  /* borrowed from the layout; NULL on error */
	int error_code;               /* nonzero: manifest unreadable */
	char *error;
};

/*
 * Read the layout from src (borrowed; it must outlive the layout):
 * oci-layout must say imageLayoutVersion 1.0.0, index.json must parse,
 * and every manifest or index reachable from index.json is loaded.
 * Manifests that are missing or corrupt do not fail the open; they fail
 * the images that reach them.
 */
enum ov_code ov_layout_open(struct ov_source *src, struct ov_layout **out,
    struct ov_err *err);

void ov_layout_free(struct ov_layout *l);

struct ov_source *ov_layout_source(const struct ov_layout *l);

/* index.json as parsed (borrowed): every descriptor with its annotations,
 * for listing all the tags of an image. */
const struct ov_manifest *ov_layout_index(const struct ov_layout *l);

/*
 * The images listed in index.json, one per distinct digest, excluding
 * signatures and other referrer artifacts (manifests with a subject) and
 * referrers-tag-schema indexes. Free with ov_targets_free().
 */
enum ov_code ov_layout_images(const struct ov_layout *l,
    struct ov_target **out, size_t *n, struct ov_err *err);

/*
 * Resolve a tag: an exact org.opencontainers.image.ref.name in index.json,
 * else an exact io.containerd.image.name, else (for a full reference) its
 * tag part. OV_E_NOTFOUND when nothing matches, OV_E_USAGE when the tag
 * names different manifests.
 */
enum ov_code ov_layout_resolve_tag(const struct ov_layout *l,
    const char *tag, struct ov_target *out, struct ov_err *err);

/* Resolve a digest anywhere in the manifest graph. */
enum ov_code ov_layout_resolve_digest(const struct ov_layout *l,
    const struct ov_digest *d, struct ov_target *out, struct ov_err *err);

void ov_target_clear(struct ov_target *t);
void ov_targets_free(struct ov_target *t, size_t n);

/*
 * Check every blob the target reaches: its manifest, config and layers,
 * and for an index every child manifest and their blobs, for existence,
 * size and digest (streaming). Stops at the first problem.
 */
enum ov_code ov_layout_check_tree(struct ov_layout *l,
    const struct ov_descriptor *target, struct ov_err *err);

/*
 * ov_layout_check_tree() with flags. A content store (src->store) holds
 * an index's manifest for the node's platform only: the children of
 * another platform than platform ("os/arch[/variant]"; NULL: any) are
 * passed over, and so are absent ones, as long as one is present. An
 * absent layer fails with a reason, or with OV_TREE_LAYERS_OPTIONAL is
 * passed over and counted in *skipped (may be NULL).
 */
#define OV_TREE_LAYERS_OPTIONAL 0x1
enum ov_code ov_layout_check_tree_flags(struct ov_layout *l,
    const struct ov_descriptor *target, int flags, const char *platform,
    size_t *skipped, struct ov_err *err);

/* Does a descriptor's platform have (NULL: none) match want (NULL: any)?
 * A want without a variant matches every variant. */
int ov_platform_matches(const char *want, const char *have);

/*
 * Check ahead, on the pool's threads and largest first, every blob that
 * ov_layout_check_tree(l, target) will read, keeping each result for it;
 * the messages and the first error stay those of the sequential walk.
 * With deep, each layer ov_layout_check_diff_ids() decompresses is also
 * decompressed in the same pass (--deep reads each byte once), whatever
 * the pool. Does nothing for a source that cannot be read by several
 * threads, nor without deep for a pool of one job. ov_layout_prefetch_clear() drops what is kept.
 */
enum ov_code ov_layout_prefetch(struct ov_layout *l,
    const struct ov_descriptor *target, int deep, struct ov_pool *pool,
    struct ov_err *err);
void ov_layout_prefetch_clear(struct ov_layout *l);

/* The bytes of the distinct blobs checked so far (for progress lines). */
uint64_t ov_layout_checked_bytes(const struct ov_layout *l);

/*
 * --deep: after ov_layout_check_tree(), decompress every layer of every
 * image manifest the target reaches (gzip, zstd or none, by media type,
 * confirmed by content) and compare it with the config's diff_ids.
 */
enum ov_code ov_layout_check_diff_ids(struct ov_layout *l,
    const struct ov_descriptor *target, struct ov_err *err);

/*
 * Notary signature manifests whose subject is target (same media type,
 * digest and size), and the unreadable entries of its referrers tag
 * schema index, each once, ordered by digest. Only the first max are
 * copied to *out (max 0: all), after discovery that takes time linear
 * in the layout; *ntotal (when not NULL) is how many there are. Free
 * with ov_sigrefs_free().
 */
enum ov_code ov_layout_signatures(const struct ov_layout *l,
    const struct ov_descriptor *target, size_t max, struct ov_sigref **out,
    size_t *n, size_t *ntotal, struct ov_err *err);

void ov_sigrefs_free(struct ov_sigref *s, size_t n);

/* Read blob d into out (bounded by out->max), digest-checked. */
enum ov_code ov_layout_read_blob(struct ov_layout *l,
    const struct ov_descriptor *d, struct ov_buf *out, struct ov_err *err);

/* Check blob d (streaming). */
enum ov_code ov_layout_check_blob(struct ov_layout *l,
    const struct ov_descriptor *d, struct ov_err *err);

/* The parsed manifest or index with digest d, borrowed; NULL if absent. */
const struct ov_manifest *ov_layout_manifest(const struct ov_layout *l,
    const struct ov_digest *d);

/*
 * Image manifests whose config has digest config (the docker image ID),
 * signature manifests excluded; for binding a `docker save` image to the
 * signed registry manifest in a signature bundle. *out is malloc'd (free
 * each with ov_descriptor_clear()).
 */
enum ov_code ov_layout_find_by_config(const struct ov_layout *l,
    const struct ov_digest *config, struct ov_descriptor **out, size_t *n,
    struct ov_err *err);

/* The image indexes that list digest d among their manifests. */
enum ov_code ov_layout_parents(const struct ov_layout *l,
    const struct ov_digest *d, struct ov_descriptor **out, size_t *n,
    struct ov_err *err);

#endif
