/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Export: the plan (images and signatures), the closure of the blobs they
 * reach, read from the spool's copies of verified bytes, and the canonical
 * archive (export.h; OCI image-spec image-layout.md, Docker's
 * manifest.json as Docker 25 writes it beside index.json).
 */
#include "config.h"

#include "export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "archive.h"
#include "bundle.h"
#include "dmap.h"
#include "manifest.h"
#include "ovlimits.h"
#include "spool.h"

#define ANN_REF_NAME "org.opencontainers.image.ref.name"
#define ANN_CONTAINERD_NAME "io.containerd.image.name"
#define OV_MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define OV_MT_OCI_LAYER_TAR "application/vnd.oci.image.layer.v1.tar"

struct ximage {
	struct ov_digest d;
	char *media_type;
	char *tag;  /* NULL when none */
	char *name; /* NULL when none */
};

struct ov_export {
	struct ov_spool *spool;
	struct ximage *imgs;
	size_t nimgs, capimgs;
	struct ov_digest *sigs;
	size_t nsigs, capsigs;
	struct ov_dmap sigset;
	struct ov_digest *blobs; /* every blob written */
	size_t nblobs, capblobs;
	struct ov_dmap blobset;
	int bundle; /* a signature bundle: no image config or layer */
};

static int
streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* NULL sorts first */
static int
strcmp0(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? 2 * *cap : 16;
	if ((nv = realloc(*v, ncap * size)) == NULL)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

enum ov_code
ov_export_new(struct ov_spool *spool, struct ov_export **out,
    struct ov_err *err)
{
	struct ov_export *x;

	*out = NULL;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	x->spool = spool;
	*out = x;
	return OV_OK;
}

enum ov_code
ov_export_new_bundle(struct ov_spool *spool, struct ov_export **out,
    struct ov_err *err)
{
	enum ov_code r;

	if ((r = ov_export_new(spool, out, err)) == OV_OK)
		(*out)->bundle = 1;
	return r;
}

void
ov_export_free(struct ov_export *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->nimgs; i++) {
		free(x->imgs[i].media_type);
		free(x->imgs[i].tag);
		free(x->imgs[i].name);
	}
	free(x->imgs);
	free(x->sigs);
	ov_dmap_free(&x->sigset);
	free(x->blobs);
	ov_dmap_free(&x->blobset);
	free(x);
}

enum ov_code
ov_export_add_image(struct ov_export *x, const struct ov_digest *d,
    const char *media_type, const char *tag, const char *name,
    struct ov_err *err)
{
	struct ximage *im;
	size_t i;

	for (i = 0; i < x->nimgs; i++)
		if (ov_digest_equal(&x->imgs[i].d, d) &&
		    streq(x->imgs[i].tag, tag) && streq(x->imgs[i].name, name))
			return OV_OK;
	if (grow((void **)&x->imgs, &x->capimgs, x->nimgs, sizeof(*im)) != 0)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	im = &x->imgs[x->nimgs];
	memset(im, 0, sizeof(*im));
	im->d = *d;
	if ((im->media_type = strdup(media_type)) == NULL ||
	    (tag != NULL && (im->tag = strdup(tag)) == NULL) ||
	    (name != NULL && (im->name = strdup(name)) == NULL)) {
		free(im->media_type);
		free(im->tag);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	x->nimgs++;
	return OV_OK;
}

size_t
ov_export_nimages(const struct ov_export *x)
{
	return x->nimgs;
}

enum ov_code
ov_export_add_signature(struct ov_export *x, const struct ov_digest *d,
    struct ov_err *err)
{
	enum ov_code r;

	if (ov_dmap_get(&x->sigset, d, NULL))
		return OV_OK;
	if ((r = ov_dmap_put(&x->sigset, d, 0, err)) != OV_OK)
		return r;
	if (grow((void **)&x->sigs, &x->capsigs, x->nsigs, sizeof(*d)) != 0)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	x->sigs[x->nsigs++] = *d;
	return OV_OK;
}

/*
 * Add blob d to the archive. It must have been captured, but for the
 * empty JSON object of signature manifests, which verification never
 * reads: its digest defines its two bytes (checked by ov_spool_put).
 */
static enum ov_code
add_blob(struct ov_export *x, const struct ov_digest *d, struct ov_err *err)
{
	struct ov_digest empty;
	enum ov_code r;

	if (ov_dmap_get(&x->blobset, d, NULL))
		return OV_OK;
	if (!ov_spool_has(x->spool, d)) {
		if (ov_digest_parse(OV_EMPTY_DIGEST, &empty, err) != OV_OK)
			return OV_E_INTERNAL;
		if (!ov_digest_equal(d, &empty))
			return ov_err_set(err, OV_E_NOTFOUND,
			    "blob %s was not read while verifying: nothing unverified is exported",
			    d->str);
		if ((r = ov_spool_put(x->spool, d, "{}", 2, err)) != OV_OK)
			return r;
	}
	if ((r = ov_dmap_put(&x->blobset, d, 0, err)) != OV_OK)
		return r;
	if (grow((void **)&x->blobs, &x->capblobs, x->nblobs, sizeof(*d)) != 0)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	x->blobs[x->nblobs++] = *d;
	return OV_OK;
}

/* Manifest or index d, parsed from its captured bytes. */
static enum ov_code
load_manifest(struct ov_export *x, const struct ov_digest *d,
    const char *media_type, struct ov_manifest **m, struct ov_err *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	enum ov_code r;

	*m = NULL;
	if ((r = ov_spool_read(x->spool, d, OV_MAX_MANIFEST, &data, &len,
		 err)) != OV_OK)
		return r;
	r = ov_manifest_parse(data, len, media_type, d->str, m, err);
	free(data);
	return r;
}

/*
 * Image d verified through the signatures of another manifest, signed
 * (see export.h): a content store's index by its platform's manifest, or
 * a docker save manifest by its config.
 */
enum ov_code
ov_export_add_bound_image(struct ov_export *x, struct ov_export *b,
    const struct ov_digest *d, const char *media_type, const char *tag,
    const char *name, const struct ov_digest *signed_d, int *sigs_here,
    struct ov_err *err)
{
	struct ov_manifest *m = NULL, *sm = NULL;
	const struct ov_descriptor *c = NULL;
	size_t i;
	enum ov_code r;

	*sigs_here = 0;
	if ((r = load_manifest(x, d, media_type, &m, err)) != OV_OK)
		goto out;
	if (m->kind == OV_KIND_INDEX) {
		for (i = 0; i < m->nchildren && c == NULL; i++)
			if (ov_digest_equal(&m->children[i].digest, signed_d) &&
			    ov_media_type_is_manifest(
				m->children[i].media_type))
				c = &m->children[i];
		if (c == NULL) {
			r = ov_err_set(err, OV_E_UNSUPPORTED,
			    "image %s: its signatures cover %s, which it does not list",
			    d->str, signed_d->str);
			goto out;
		}
		/* the platform manifest that verified is the image */
		*sigs_here = 1;
		r = ov_export_add_image(x, &c->digest, c->media_type, tag, name,
		    err);
		goto out;
	}
	/* docker save: the signed manifest (and the indexes of it that
	 * were signed) go to the bundle, without their blobs; its config
	 * is the image's, as verification required */
	if ((r = load_manifest(x, signed_d, NULL, &sm, err)) != OV_OK)
		goto out;
	if (!m->has_config ||
	    (sm->kind == OV_KIND_MANIFEST &&
		(!sm->has_config ||
		    !ov_digest_equal(&sm->config.digest, &m->config.digest)))) {
		r = ov_err_set(err, OV_E_UNSUPPORTED,
		    "image %s: the signed manifest %s has another config",
		    d->str, signed_d->str);
		goto out;
	}
	if (b == NULL) {
		r = ov_err_set(err, OV_E_INTERNAL,
		    "image %s: no signature bundle to bind it", d->str);
		goto out;
	}
	if ((r = ov_export_add_image(x, d, media_type, tag, name, err)) !=
		OV_OK ||
	    (r = ov_export_add_image(b, signed_d, sm->media_type, NULL, NULL,
		 err)) != OV_OK)
		goto out;
	r = OV_OK;
out:
	ov_manifest_free(sm);
	ov_manifest_free(m);
	return r;
}

/*
 * d and every blob it reaches: children of indexes, configs, layers. Not
 * full (a signed manifest in a signature bundle): d and the child
 * manifests of an index that were read, no config, no layer.
 */
static enum ov_code
add_tree(struct ov_export *x, const struct ov_digest *d, const char *media_type,
    int depth, int full, struct ov_err *err)
{
	struct ov_manifest *m = NULL;
	size_t i;
	enum ov_code r;

	if (ov_dmap_get(&x->blobset, d, NULL))
		return OV_OK;
	if (depth > OV_MAX_INDEX_DEPTH)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: indexes nested deeper than %d", d->str,
		    OV_MAX_INDEX_DEPTH);
	if ((r = add_blob(x, d, err)) != OV_OK ||
	    (r = load_manifest(x, d, media_type, &m, err)) != OV_OK)
		goto out;
	if (!full && m->kind != OV_KIND_INDEX) {
		r = OV_OK;
		goto out;
	}
	if (m->has_config && (r = add_blob(x, &m->config.digest, err)) != OV_OK)
		goto out;
	for (i = 0; i < m->nchildren; i++) {
		const struct ov_descriptor *c = &m->children[i];
		if (!full && (!ov_media_type_is_manifest(c->media_type) ||
				 !ov_spool_has(x->spool, &c->digest)))
			continue; /* a platform the bundle did not hold */
		r = m->kind == OV_KIND_INDEX
		    ? add_tree(x, &c->digest, c->media_type, depth + 1, full,
			  err)
		    : add_blob(x, &c->digest, err);
		if (r != OV_OK)
			goto out;
	}
	r = OV_OK;
out:
	ov_manifest_free(m);
	return r;
}

static int
image_cmp(const void *a, const void *b)
{
	const struct ximage *x = a, *y = b;
	int c;

	if ((c = strcmp(x->d.str, y->d.str)) != 0 ||
	    (c = strcmp0(x->tag, y->tag)) != 0)
		return c;
	return strcmp0(x->name, y->name);
}

static int
digest_cmp(const void *a, const void *b)
{
	const struct ov_digest *x = a, *y = b;

	return strcmp(x->str, y->str);
}

static cJSON *
descriptor(const char *media_type, const struct ov_digest *d, int64_t size,
    const char *artifact_type)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || cJSON_AddStringToObject(o, "mediaType", media_type) ==
		NULL ||
	    cJSON_AddStringToObject(o, "digest", d->str) == NULL ||
	    cJSON_AddNumberToObject(o, "size", (double)size) == NULL ||
	    (artifact_type != NULL &&
		cJSON_AddStringToObject(o, "artifactType", artifact_type) ==
		    NULL)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/*
 * The image manifest Docker 25 writes for an image it saves: the config
 * as an OCI config, each layer uncompressed under its diff_id. Members in
 * the order Docker writes them, so that the same image saved by either
 * Docker exports to the same bytes.
 */
static enum ov_code
docker_manifest(struct ov_export *x, const struct ov_digest *config_d,
    char **out, struct ov_err *err)
{
	cJSON *root = NULL, *layers, *o;
	unsigned char *cfg = NULL;
	struct ov_digest *ids = NULL;
	int64_t size;
	size_t len = 0, n = 0, i;
	enum ov_code r;

	*out = NULL;
	if ((r = ov_spool_read(x->spool, config_d, OV_MAX_MANIFEST, &cfg, &len,
		 err)) != OV_OK ||
	    (r = ov_config_diff_ids(cfg, len, &ids, &n, err)) != OV_OK) {
		ov_err_wrap(err, "config %s", config_d->str);
		goto out;
	}
	r = OV_E_NOMEM;
	if ((root = cJSON_CreateObject()) == NULL ||
	    cJSON_AddNumberToObject(root, "schemaVersion", 2) == NULL ||
	    cJSON_AddStringToObject(root, "mediaType", OV_MT_OCI_MANIFEST) ==
		NULL ||
	    (o = descriptor(OV_MT_OCI_CONFIG, config_d, (int64_t)len,
		 NULL)) == NULL ||
	    !cJSON_AddItemToObject(root, "config", o) ||
	    (layers = cJSON_AddArrayToObject(root, "layers")) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		if (ov_spool_size(x->spool, &ids[i], &size, err) != OV_OK) {
			r = ov_err_set(err, OV_E_UNSUPPORTED,
			    "config %s: no layer tar of the archive hashes to rootfs.diff_ids[%zu] %s (a compressed layer tar is not exported: save the image with Docker 25 or later and export that)",
			    config_d->str, i, ids[i].str);
			goto out;
		}
		if ((o = descriptor(OV_MT_OCI_LAYER_TAR, &ids[i], size,
			 NULL)) == NULL ||
		    !cJSON_AddItemToArray(layers, o))
			goto nomem;
	}
	if ((*out = cJSON_PrintUnformatted(root)) == NULL)
		goto nomem;
	r = OV_OK;
	goto out;
nomem:
	r = ov_err_set(err, OV_E_NOMEM, "out of memory");
out:
	cJSON_Delete(root);
	free(ids);
	free(cfg);
	return r;
}

/* In *tag, "v1" of "registry.example/app:v1"; NULL without a tag. */
static enum ov_code
tag_of(const char *name, char **tag, struct ov_err *err)
{
	const char *slash, *colon;

	*tag = NULL;
	if (name == NULL || strchr(name, '@') != NULL)
		return OV_OK;
	slash = strrchr(name, '/');
	colon = strrchr(slash != NULL ? slash : name, ':');
	if (colon == NULL || colon[1] == '\0')
		return OV_OK;
	if ((*tag = strdup(colon + 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

enum ov_code
ov_export_add_docker_image(struct ov_export *x, struct ov_export *b,
    const struct ov_digest *config_d, const char *name,
    const struct ov_digest *signed_d, struct ov_err *err)
{
	struct ov_digest md;
	char *json = NULL, *tag = NULL;
	int here;
	enum ov_code r;

	if ((r = docker_manifest(x, config_d, &json, err)) != OV_OK)
		goto out;
	/* its digest is what it hashes to: spooled like a captured blob,
	 * it names nothing but the verified config and diff_ids */
	if ((r = ov_digest_of(OV_DIGEST_SHA256, json, strlen(json), &md,
		 err)) != OV_OK ||
	    (r = ov_spool_put(x->spool, &md, json, strlen(json), err)) !=
		OV_OK)
		goto out;
	if ((r = tag_of(name, &tag, err)) != OV_OK)
		goto out;
	r = ov_export_add_bound_image(x, b, &md, OV_MT_OCI_MANIFEST, tag, name,
	    signed_d, &here, err);
	if (r == OV_OK && here)
		r = ov_err_set(err, OV_E_INTERNAL,
		    "config %s: a generated manifest bound as an index",
		    config_d->str);
out:
	free(tag);
	free(json);
	return r;
}

/* index.json: the images (with their names), then the signatures. */
static enum ov_code
index_json(struct ov_export *x, char **out, struct ov_err *err)
{
	cJSON *root = cJSON_CreateObject(), *arr, *o, *ann;
	struct ov_manifest *m = NULL;
	int64_t size;
	size_t i;
	enum ov_code r = OV_E_NOMEM;

	*out = NULL;
	if (root == NULL ||
	    cJSON_AddNumberToObject(root, "schemaVersion", 2) == NULL ||
	    cJSON_AddStringToObject(root, "mediaType", OV_MT_OCI_INDEX) ==
		NULL ||
	    (arr = cJSON_AddArrayToObject(root, "manifests")) == NULL)
		goto nomem;
	for (i = 0; i < x->nimgs; i++) {
		const struct ximage *im = &x->imgs[i];
		if ((r = ov_spool_size(x->spool, &im->d, &size, err)) != OV_OK)
			goto out;
		if ((o = descriptor(im->media_type, &im->d, size, NULL)) ==
			NULL ||
		    !cJSON_AddItemToArray(arr, o))
			goto nomem;
		if (im->tag == NULL && im->name == NULL)
			continue;
		if ((ann = cJSON_AddObjectToObject(o, "annotations")) == NULL ||
		    (im->name != NULL &&
			cJSON_AddStringToObject(ann, ANN_CONTAINERD_NAME,
			    im->name) == NULL) ||
		    (im->tag != NULL &&
			cJSON_AddStringToObject(ann, ANN_REF_NAME, im->tag) ==
			    NULL))
			goto nomem;
	}
	for (i = 0; i < x->nsigs; i++) {
		if ((r = ov_spool_size(x->spool, &x->sigs[i], &size, err)) !=
			OV_OK ||
		    (r = load_manifest(x, &x->sigs[i], NULL, &m, err)) != OV_OK)
			goto out;
		o = descriptor(m->media_type, &x->sigs[i], size,
		    ov_manifest_artifact_type(m));
		ov_manifest_free(m);
		m = NULL;
		if (o == NULL || !cJSON_AddItemToArray(arr, o))
			goto nomem;
	}
	if ((*out = cJSON_PrintUnformatted(root)) == NULL)
		goto nomem;
	r = OV_OK;
	goto out;
nomem:
	r = ov_err_set(err, OV_E_NOMEM, "out of memory");
out:
	cJSON_Delete(root);
	return r;
}

static enum ov_code
blob_path(const struct ov_digest *d, char *buf, size_t sz, struct ov_err *err)
{
	if ((size_t)snprintf(buf, sz, "blobs/%s/%s", ov_digest_alg_name(d->alg),
		ov_digest_hex(d)) >= sz)
		return ov_err_set(err, OV_E_INTERNAL, "blob path too long");
	return OV_OK;
}

/* The name docker load tags the image with: its full name, else a tag
 * that is a reference itself ("app:v1"), else none. */
static const char *
repo_tag(const struct ximage *im)
{
	if (im->name != NULL)
		return im->name;
	if (im->tag != NULL && strchr(im->tag, ':') != NULL)
		return im->tag;
	return NULL;
}

/*
 * manifest.json, as Docker 25 writes it beside index.json: per image
 * manifest its config, its tags and its layer blobs (docker load
 * decompresses them and checks them against the config's diff_ids).
 */
static enum ov_code
manifest_json(struct ov_export *x, char **out, struct ov_err *err)
{
	cJSON *root = cJSON_CreateArray(), *o = NULL, *tags = NULL, *layers;
	struct ov_manifest *m = NULL, *child = NULL;
	const struct ov_manifest *use;
	const struct ximage *prev = NULL;
	char path[OV_DIGEST_MAX_STR + 16];
	size_t i, k;
	enum ov_code r = OV_E_NOMEM;

	*out = NULL;
	if (root == NULL)
		goto nomem;
	for (i = 0; i < x->nimgs; i++) {
		const struct ximage *im = &x->imgs[i];
		/* images are sorted: one entry per manifest, all its tags */
		if (prev != NULL && ov_digest_equal(&prev->d, &im->d)) {
			if (repo_tag(im) != NULL &&
			    !cJSON_AddItemToArray(tags,
				cJSON_CreateString(repo_tag(im))))
				goto nomem;
			continue;
		}
		prev = im;
		if ((r = load_manifest(x, &im->d, im->media_type, &m, err)) !=
			OV_OK)
			goto out;
		use = m;
		if (m->kind == OV_KIND_INDEX) {
			if (m->nchildren != 1) {
				r = ov_err_set(err, OV_E_UNSUPPORTED,
				    "image %s is an index of %zu manifests: docker load takes one platform (export it with --format oci, or name the platform's manifest by digest)",
				    im->d.str, m->nchildren);
				goto out;
			}
			if ((r = load_manifest(x, &m->children[0].digest,
				 m->children[0].media_type, &child, err)) !=
			    OV_OK)
				goto out;
			use = child;
		}
		if (use->kind != OV_KIND_MANIFEST || !use->has_config) {
			r = ov_err_set(err, OV_E_UNSUPPORTED,
			    "image %s: docker load needs an image manifest with a config",
			    im->d.str);
			goto out;
		}
		if ((o = cJSON_CreateObject()) == NULL ||
		    !cJSON_AddItemToArray(root, o))
			goto nomem;
		if ((r = blob_path(&use->config.digest, path, sizeof(path),
			 err)) != OV_OK)
			goto out;
		r = OV_E_NOMEM;
		if (cJSON_AddStringToObject(o, "Config", path) == NULL ||
		    (tags = cJSON_AddArrayToObject(o, "RepoTags")) == NULL ||
		    (repo_tag(im) != NULL &&
			!cJSON_AddItemToArray(tags,
			    cJSON_CreateString(repo_tag(im)))) ||
		    (layers = cJSON_AddArrayToObject(o, "Layers")) == NULL)
			goto nomem;
		for (k = 0; k < use->nchildren; k++) {
			if ((r = blob_path(&use->children[k].digest, path,
				 sizeof(path), err)) != OV_OK)
				goto out;
			if (!cJSON_AddItemToArray(layers,
				cJSON_CreateString(path)))
				goto nomem;
		}
		ov_manifest_free(child);
		ov_manifest_free(m);
		child = m = NULL;
	}
	if ((*out = cJSON_PrintUnformatted(root)) == NULL)
		goto nomem;
	r = OV_OK;
	goto out;
nomem:
	r = ov_err_set(err, OV_E_NOMEM, "out of memory");
out:
	ov_manifest_free(child);
	ov_manifest_free(m);
	cJSON_Delete(root);
	return r;
}

static enum ov_code
to_out(void *ctx, const void *p, size_t n, struct ov_err *err)
{
	return ov_bundle_out_data(ctx, p, n, err);
}

/* The directories and blobs, in name order. */
static enum ov_code
write_blobs(struct ov_export *x, struct ov_bundle_out *w, struct ov_err *err)
{
	char path[OV_DIGEST_MAX_STR + 16], dir[32];
	int have_dir[2] = {0, 0};
	int64_t size;
	size_t i;
	enum ov_code r;

	if ((r = ov_bundle_out_dir(w, "blobs", err)) != OV_OK)
		return r;
	for (i = 0; i < x->nblobs; i++) {
		const struct ov_digest *d = &x->blobs[i];
		if (!have_dir[d->alg]) {
			(void)snprintf(dir, sizeof(dir), "blobs/%s",
			    ov_digest_alg_name(d->alg));
			if ((r = ov_bundle_out_dir(w, dir, err)) != OV_OK)
				return r;
			have_dir[d->alg] = 1;
		}
		if ((r = blob_path(d, path, sizeof(path), err)) != OV_OK ||
		    (r = ov_spool_size(x->spool, d, &size, err)) != OV_OK ||
		    (r = ov_bundle_out_file_begin(w, path, size, err)) !=
			OV_OK ||
		    (r = ov_spool_copy(x->spool, d, to_out, w, err)) != OV_OK)
			return r;
	}
	return OV_OK;
}

enum ov_code
ov_export_write(struct ov_export *x, enum ov_export_format format,
    struct ov_bundle_out *w, struct ov_err *err)
{
	static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
	char *index = NULL, *docker = NULL;
	size_t i;
	enum ov_code r;

	if (x->nimgs == 0)
		return ov_err_set(err, OV_E_NOTFOUND, "no image to export");
	if (x->nimgs > 1)
		qsort(x->imgs, x->nimgs, sizeof(*x->imgs), image_cmp);
	if (x->nsigs > 1)
		qsort(x->sigs, x->nsigs, sizeof(*x->sigs), digest_cmp);
	for (i = 0; i < x->nimgs; i++)
		if ((r = add_tree(x, &x->imgs[i].d, x->imgs[i].media_type, 0,
			 !x->bundle, err)) != OV_OK)
			goto out;
	for (i = 0; i < x->nsigs; i++) {
		/* a signature manifest is a manifest: its config, its
		 * envelope (never a subject, which is an exported image) */
		if ((r = add_tree(x, &x->sigs[i], NULL, 0, 1, err)) != OV_OK)
			goto out;
	}
	if (x->nblobs + 6 > OV_ARCHIVE_MAX_ENTRIES) {
		r = ov_err_set(err, OV_E_LIMIT,
		    "the export would hold %zu blobs, more than an archive may (%d entries)",
		    x->nblobs, OV_ARCHIVE_MAX_ENTRIES);
		goto out;
	}
	qsort(x->blobs, x->nblobs, sizeof(*x->blobs), digest_cmp);
	if ((r = index_json(x, &index, err)) != OV_OK ||
	    (format == OV_EXPORT_DOCKER && !x->bundle &&
		(r = manifest_json(x, &docker, err)) != OV_OK))
		goto out;
	/* names in order: blobs/..., index.json, manifest.json, oci-layout */
	if ((r = write_blobs(x, w, err)) != OV_OK ||
	    (r = ov_bundle_out_file(w, "index.json", index, strlen(index),
		 err)) != OV_OK ||
	    (docker != NULL &&
		(r = ov_bundle_out_file(w, "manifest.json", docker,
		     strlen(docker), err)) != OV_OK) ||
	    (r = ov_bundle_out_file(w, "oci-layout", layout,
		 sizeof(layout) - 1, err)) != OV_OK)
		goto out;
	r = OV_OK;
out:
	free(docker);
	free(index);
	return r;
}
