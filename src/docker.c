/* SPDX-License-Identifier: Apache-2.0 */
/*
 * docker save archives (spec digest A.8): manifest.json, the image
 * configs and their rootfs.diff_ids, and the layer tars they must hash
 * to, read from an archive ov_archive_read() has already hashed. Also the
 * repository a RepoTags entry names, normalised the way docker does
 * (distribution/reference ParseNormalizedNamed).
 */
#include "config.h"

#include "docker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "json.h"
#include "manifest.h"
#include "ovlimits.h"
#include "policy.h"

int
ov_docker_is_save(const struct ov_archive *a)
{
	const struct ov_archive_entry *e = ov_archive_find(a, "manifest.json");

	return e != NULL && e->link == NULL;
}

static void
image_clear(struct ov_docker_image *img)
{
	size_t i;

	for (i = 0; i < img->ntags; i++)
		free(img->repo_tags[i]);
	free(img->repo_tags);
	for (i = 0; i < img->nlayers; i++)
		free(img->layer_names[i]);
	free(img->layer_names);
	free(img->diff_ids);
	free(img->config_name);
	memset(img, 0, sizeof(*img));
}

void
ov_docker_images_free(struct ov_docker_image *imgs, size_t n)
{
	size_t i;

	if (imgs == NULL)
		return;
	for (i = 0; i < n; i++)
		image_clear(&imgs[i]);
	free(imgs);
}

/* An array member of strings (a JSON null is an empty array). */
static enum ov_code
strings(const cJSON *obj, const char *key, int required, const char *what,
	char ***out, size_t *n, struct ov_err *err)
{
	const cJSON *arr = ov_json_get(obj, key), *v;
	char **list = NULL;
	size_t cnt, i = 0;
	enum ov_code r;

	*out = NULL;
	*n = 0;
	if (arr == NULL || cJSON_IsNull(arr)) {
		if (required)
			return ov_err_set(err, OV_E_FORMAT, "%s: no \"%s\"",
					  what, key);
		return OV_OK;
	}
	if (!cJSON_IsArray(arr))
		return ov_err_set(err, OV_E_FORMAT,
				  "%s: \"%s\" is not an array", what, key);
	cnt = (size_t)cJSON_GetArraySize(arr);
	if (cnt > OV_MAX_DESCRIPTORS)
		return ov_err_set(err, OV_E_LIMIT,
				  "%s: more than %d entries in \"%s\"", what,
				  OV_MAX_DESCRIPTORS, key);
	if (cnt > 0 && (list = calloc(cnt, sizeof(*list))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	cJSON_ArrayForEach(v, arr)
	{
		if (!cJSON_IsString(v)) {
			r = ov_err_set(err, OV_E_FORMAT,
				       "%s: %s[%zu] is not a string", what, key,
				       i);
			goto fail;
		}
		if ((list[i] = strdup(v->valuestring)) == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto fail;
		}
		i++;
	}
	*out = list;
	*n = cnt;
	return OV_OK;
fail:
	while (i-- > 0)
		free(list[i]);
	free(list);
	return r;
}

/* A kept JSON entry of the archive; what names the referrer, kind the
 * entry ("config " or ""). */
static enum ov_code
kept_json(const struct ov_archive *a, const char *kind, const char *name,
	  const char *what, const struct ov_archive_entry **ep, cJSON **root,
	  struct ov_err *err)
{
	const struct ov_archive_entry *e;
	char jw[512];

	*root = NULL;
	(void)snprintf(jw, sizeof(jw), "%s: %s", what, name);
	if ((e = ov_archive_find(a, name)) == NULL)
		return ov_err_set(err, OV_E_NOTFOUND,
				  "%s: %s%s is missing from the archive", what,
				  kind, name);
	if (e->link != NULL)
		return ov_err_set(err, OV_E_FORMAT,
				  "%s: %s%s is a symbolic link", what, kind,
				  name);
	if (e->data == NULL && e->over_limit)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "%s: %s%s is too large to be read into memory", what, kind,
		    name);
	if (e->data == NULL)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    "%s: %s%s is no JSON file at the root or under blobs/, the only places configs are read from",
		    what, kind, name);
	*ep = e;
	return ov_json_parse(e->data, (size_t)e->size, jw, root, err);
}

/* Config: rootfs.diff_ids, all sha256 digests. */
static enum ov_code
read_config(const struct ov_archive *a, struct ov_docker_image *img,
	    const char *what, struct ov_err *err)
{
	const struct ov_archive_entry *e = NULL;
	const cJSON *rootfs = NULL, *ids = NULL, *v;
	cJSON *root = NULL;
	char cw[600];
	size_t i = 0;
	enum ov_code r;

	(void)snprintf(cw, sizeof(cw), "%.350s: config %.200s", what,
		       img->config_name);
	if ((r = kept_json(a, "config ", img->config_name, what, &e, &root,
			   err)) != OV_OK)
		goto out;
	img->config = e->sha256;
	img->config_size = e->size;
	if (!cJSON_IsObject(root)) {
		r = ov_err_set(err, OV_E_FORMAT, "%s: not a JSON object", cw);
		goto out;
	}
	if ((r = ov_json_object(root, "rootfs", 1, cw, &rootfs, err)) !=
		OV_OK ||
	    (r = ov_json_array(rootfs, "diff_ids", 1, cw, &ids, err)) != OV_OK)
		goto out;
	if ((size_t)cJSON_GetArraySize(ids) != img->nlayers) {
		r = ov_err_set(
		    err, OV_E_FORMAT,
		    "%s: %d rootfs.diff_ids for %zu layers in manifest.json",
		    cw, cJSON_GetArraySize(ids), img->nlayers);
		goto out;
	}
	if (img->nlayers > 0 &&
	    (img->diff_ids = calloc(img->nlayers, sizeof(*img->diff_ids))) ==
		NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	cJSON_ArrayForEach(v, ids)
	{
		if (!cJSON_IsString(v)) {
			r = ov_err_set(
			    err, OV_E_FORMAT,
			    "%s: rootfs.diff_ids[%zu] is not a string", cw, i);
			goto out;
		}
		if ((r = ov_digest_parse(v->valuestring, &img->diff_ids[i],
					 err)) != OV_OK) {
			ov_err_wrap(err, "%s: rootfs.diff_ids[%zu]", cw, i);
			goto out;
		}
		if (img->diff_ids[i].alg != OV_DIGEST_SHA256) {
			r = ov_err_set(
			    err, OV_E_UNSUPPORTED,
			    "%s: rootfs.diff_ids[%zu] is not a sha256 digest",
			    cw, i);
			goto out;
		}
		i++;
	}
	r = OV_OK;
out:
	cJSON_Delete(root);
	return r;
}

static enum ov_code
read_image(const struct ov_archive *a, const cJSON *item, const char *what,
	   struct ov_docker_image *img, struct ov_err *err)
{
	static const char *const known[] = {"Config", "RepoTags",     "Layers",
					    "Parent", "LayerSources", NULL};
	const char *cfg = NULL;
	char **layers = NULL;
	size_t nlayers = 0, i;
	enum ov_code r;

	if (!cJSON_IsObject(item))
		return ov_err_set(err, OV_E_FORMAT, "%s: not an object", what);
	/* Go's decoder reads "config" as Config: refuse the ambiguity */
	if ((r = ov_json_no_case_variant(item, known, what, err)) != OV_OK)
		return r;
	if ((r = ov_json_string(item, "Config", 1, what, &cfg, err)) != OV_OK ||
	    (r = strings(item, "RepoTags", 0, what, &img->repo_tags,
			 &img->ntags, err)) != OV_OK ||
	    (r = strings(item, "Layers", 1, what, &layers, &nlayers, err)) !=
		OV_OK)
		goto out;
	if ((r = ov_archive_clean_name(cfg, &img->config_name, err)) != OV_OK) {
		ov_err_wrap(err, "%s: Config", what);
		goto out;
	}
	for (i = 0; i < nlayers; i++) {
		char *clean = NULL;

		if ((r = ov_archive_clean_name(layers[i], &clean, err)) !=
		    OV_OK) {
			ov_err_wrap(err, "%s: Layers[%zu]", what, i);
			goto out;
		}
		free(layers[i]);
		layers[i] = clean;
	}
	img->layer_names = layers;
	img->nlayers = nlayers;
	layers = NULL; /* transferred */
	r = read_config(a, img, what, err);
out:
	if (layers != NULL) {
		for (i = 0; i < nlayers; i++)
			free(layers[i]);
		free(layers);
	}
	return r;
}

/*
 * Every symbolic link of the archive (archive.c allows only
 * <id>/layer.tar ones, to a regular entry) must point at a file that
 * manifest.json names as a layer: skopeo and podman store each layer once
 * as <diffid>.tar, named in Layers, and link <id>/layer.tar to it; docker
 * save links a repeated layer to the layer.tar it already wrote. Any
 * other link is refused, though no importer reading manifest.json would
 * follow it: what ocivet does not check, the archive may not hold.
 */
static enum ov_code
check_links(const struct ov_archive *a, const struct ov_docker_image *imgs,
	    size_t n, const char *what, struct ov_err *err)
{
	const struct ov_archive_entry *first = ov_archive_entry(a, 0), *e, *t;
	size_t count = ov_archive_count(a), i, k;
	unsigned char *named = NULL;
	enum ov_code r = OV_OK;

	for (i = 0; i < count; i++)
		if (ov_archive_entry(a, i)->link != NULL)
			break;
	if (i == count)
		return OV_OK;
	if ((named = calloc(count, 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++)
		for (k = 0; k < imgs[i].nlayers; k++)
			if ((e = ov_archive_find(a, imgs[i].layer_names[k])) !=
			    NULL)
				named[e - first] = 1;
	for (i = 0; i < count; i++) {
		e = ov_archive_entry(a, i);
		if (e->link == NULL)
			continue;
		t = ov_archive_resolve(a, e);
		if (t == NULL || !named[t - first]) {
			r = ov_err_set(
			    err, OV_E_FORMAT,
			    "%s: symbolic link %s -> %s: its target is not a layer named in Layers, the only files a link may point at",
			    what, e->name, e->link);
			break;
		}
	}
	free(named);
	return r;
}

enum ov_code
ov_docker_images(const struct ov_archive *a, struct ov_docker_image **out,
		 size_t *n, struct ov_err *err)
{
	const struct ov_archive_entry *e = NULL;
	struct ov_docker_image *imgs = NULL;
	const cJSON *item;
	cJSON *root = NULL;
	char what[300];
	size_t cnt = 0, i = 0;
	enum ov_code r;

	*out = NULL;
	*n = 0;
	(void)snprintf(what, sizeof(what), "%.280s: manifest.json",
		       ov_archive_path(a));
	if ((r = kept_json(a, "", "manifest.json", ov_archive_path(a), &e,
			   &root, err)) != OV_OK)
		goto out;
	if (!cJSON_IsArray(root)) {
		r = ov_err_set(err, OV_E_FORMAT, "%s: not a JSON array", what);
		goto out;
	}
	cnt = (size_t)cJSON_GetArraySize(root);
	if (cnt == 0) {
		r = ov_err_set(err, OV_E_FORMAT, "%s: no images", what);
		goto out;
	}
	if (cnt > OV_MAX_GRAPH_NODES) {
		r = ov_err_set(err, OV_E_LIMIT, "%s: more than %d images", what,
			       OV_MAX_GRAPH_NODES);
		goto out;
	}
	if ((imgs = calloc(cnt, sizeof(*imgs))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	cJSON_ArrayForEach(item, root)
	{
		char iw[350];

		(void)snprintf(iw, sizeof(iw), "%.300s: [%zu]", what, i);
		if ((r = read_image(a, item, iw, &imgs[i], err)) != OV_OK)
			goto out;
		i++;
	}
	if ((r = check_links(a, imgs, cnt, what, err)) != OV_OK)
		goto out;
	*out = imgs;
	*n = cnt;
	imgs = NULL; /* transferred */
	r = OV_OK;
out:
	ov_docker_images_free(imgs, cnt);
	cJSON_Delete(root);
	return r;
}

enum ov_code
ov_docker_check_layers(const struct ov_archive *a,
		       const struct ov_docker_image *img, struct ov_err *err)
{
	const struct ov_archive_entry *e, *t;
	size_t i;

	for (i = 0; i < img->nlayers; i++) {
		if ((e = ov_archive_find(a, img->layer_names[i])) == NULL)
			return ov_err_set(
			    err, OV_E_NOTFOUND,
			    "%s: layer %zu (%s) is missing from the archive",
			    ov_archive_path(a), i, img->layer_names[i]);
		if ((t = ov_archive_resolve(a, e)) == NULL)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    "%s: layer %zu (%s) is a symbolic link to nothing",
			    ov_archive_path(a), i, img->layer_names[i]);
		if (ov_digest_equal(&t->sha256, &img->diff_ids[i]))
			continue;
		/* docker load also accepts compressed layer tars */
		if (t->has_decompressed &&
		    ov_digest_equal(&t->decompressed, &img->diff_ids[i]))
			continue;
		return ov_err_set(
		    err, OV_E_DIGEST,
		    "%s: layer %zu (%s) hashes to %s, but the config's rootfs.diff_ids[%zu] is %s",
		    ov_archive_path(a), i, img->layer_names[i], t->sha256.str,
		    i, img->diff_ids[i].str);
	}
	return OV_OK;
}

int
ov_docker_layers_are_blobs(const struct ov_archive *a,
			   const struct ov_docker_image *img,
			   const struct ov_descriptor *layers, size_t n)
{
	const struct ov_archive_entry *e;
	char name[6 + 7 + OV_DIGEST_MAX_STR];
	size_t i;
	int len;

	if (img->nlayers != n)
		return 0;
	for (i = 0; i < n; i++) {
		len = snprintf(name, sizeof(name), "blobs/%s/%s",
			       ov_digest_alg_name(layers[i].digest.alg),
			       ov_digest_hex(&layers[i].digest));
		if (len < 0 || (size_t)len >= sizeof(name) ||
		    strcmp(img->layer_names[i], name) != 0)
			return 0;
		e = ov_archive_find(a, name);
		if (e == NULL || e->link != NULL || !e->has_named ||
		    !ov_digest_equal(&e->named, &layers[i].digest) ||
		    e->size != layers[i].size)
			return 0;
	}
	return 1;
}

char *
ov_docker_repository(const char *repo_tag)
{
	struct ov_err err;
	const char *domain = "docker.io", *rest, *slash;
	char *s = NULL, *p, *out = NULL;
	size_t dlen = 9, need;
	int lib = 0, n;

	if ((s = strdup(repo_tag)) == NULL)
		return NULL;
	if ((p = strchr(s, '@')) != NULL)
		*p = '\0';
	slash = strrchr(s, '/');
	if ((p = strrchr(slash != NULL ? slash : s, ':')) != NULL)
		*p = '\0';
	rest = s;
	slash = strchr(s, '/');
	if (slash != NULL) {
		size_t i, fl = (size_t)(slash - s);
		int is_domain = fl == 9 && strncmp(s, "localhost", 9) == 0;

		for (i = 0; i < fl; i++)
			if (s[i] == '.' || s[i] == ':' ||
			    (s[i] >= 'A' && s[i] <= 'Z'))
				is_domain = 1;
		if (is_domain) {
			domain = s;
			dlen = fl;
			rest = slash + 1;
		}
	}
	if (dlen == 15 && strncmp(domain, "index.docker.io", 15) == 0) {
		domain = "docker.io";
		dlen = 9;
	}
	if (dlen == 9 && strncmp(domain, "docker.io", 9) == 0 &&
	    strchr(rest, '/') == NULL)
		lib = 1;
	need = dlen + strlen(rest) + 10;
	if ((out = malloc(need)) == NULL)
		goto fail;
	n = snprintf(out, need, "%.*s/%s%s", (int)dlen, domain,
		     lib ? "library/" : "", rest);
	if (n < 0 || (size_t)n >= need || ov_scope_validate(out, &err) != OV_OK)
		goto fail;
	free(s);
	return out;
fail:
	free(out);
	free(s);
	return NULL;
}
