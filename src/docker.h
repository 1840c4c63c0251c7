/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `docker save` archives (spec digest A.8): manifest.json, the image
 * configs and the layer tars, in the classic format (<id>/layer.tar) and
 * the Docker 25+ one (blobs/sha256/...). Such an archive does not hold the
 * registry manifest that was signed, so an image is bound to a signed
 * manifest through digests: manifest -> config (the config entry hashes
 * to the manifest's config digest) -> rootfs.diff_ids -> the sha256 of
 * each uncompressed layer tar.
 */
#ifndef OV_DOCKER_H
#define OV_DOCKER_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "err.h"

struct ov_archive;

struct ov_docker_image {
	char **repo_tags; /* RepoTags, may be empty */
	size_t ntags;
	char *config_name;       /* entry name of the config */
	struct ov_digest config; /* sha256 of the config entry */
	int64_t config_size;
	char **layer_names;         /* entry names of the layer tars */
	struct ov_digest *diff_ids; /* config rootfs.diff_ids */
	size_t nlayers;
};

/* 1 when the archive is a docker save archive (has manifest.json). */
int ov_docker_is_save(const struct ov_archive *a);

/*
 * The images of manifest.json (strict JSON, Go's case-insensitive member
 * names refused), with their configs parsed: rootfs.diff_ids, sha256
 * only, as many as Layers. Entry names are normalised. Every symbolic link
 * of the archive must point at a file some Layers entry names (skopeo's
 * and podman's <id>/layer.tar -> ../<diffid>.tar, docker's repeated
 * layers), else OV_E_FORMAT. OV_E_NOTFOUND when
 * manifest.json or a config is missing, OV_E_LIMIT when one was too large
 * to keep, else OV_E_FORMAT / OV_E_UNSUPPORTED. Free with
 * ov_docker_images_free().
 */
enum ov_code ov_docker_images(const struct ov_archive *a,
			      struct ov_docker_image **out, size_t *n,
			      struct ov_err *err);

void ov_docker_images_free(struct ov_docker_image *imgs, size_t n);

/*
 * Check the digest chain below the config: every layer tar (following
 * docker's layer.tar symlinks inside the archive) hashes to its diff_id,
 * or, read with deep, decompresses to it (docker load takes compressed
 * layer tars too). OV_E_NOTFOUND for a missing layer; OV_E_DIGEST names
 * the layer and both digests.
 */
enum ov_code ov_docker_check_layers(const struct ov_archive *a,
				    const struct ov_docker_image *img,
				    struct ov_err *err);

struct ov_descriptor;

/*
 * 1 when img's Layers are exactly the blobs of layers[] (a signed
 * manifest's layers): as many, in order, each "blobs/<alg>/<hex>" of the
 * descriptor's digest, a regular entry of the descriptor's size that
 * hashes to that digest. ctr export and nerdctl save write such a
 * manifest.json, with the compressed blobs: those are bound to the
 * signature by digest, and need no diff_id check (which would fail
 * without --deep). Else 0.
 */
int ov_docker_layers_are_blobs(const struct ov_archive *a,
			       const struct ov_docker_image *img,
			       const struct ov_descriptor *layers, size_t n);

/*
 * The repository of a RepoTags entry, normalised as docker does, without
 * tag or digest: "alpine:3.20" -> "docker.io/library/alpine",
 * "user/app:1" -> "docker.io/user/app", "localhost:5000/a:v" ->
 * "localhost:5000/a", "reg.io/a/b@sha256:..." -> "reg.io/a/b". malloc'd;
 * NULL when ov_scope_validate() refuses the result (or out of memory).
 */
char *ov_docker_repository(const char *repo_tag);

#endif
