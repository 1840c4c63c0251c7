/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI descriptors, manifests and indexes (image-spec descriptor.md,
 * manifest.md, image-index.md; Docker image manifest v2 schema 2), the
 * Notary signature manifest shape (signature-specification.md "Storage";
 * spec digest A.7) and the Notary payload (spec digest B.1).
 */
#include "config.h"

#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "json.h"
#include "ovlimits.h"

/*
 * Every member the formats define for each object, which Go's decoder
 * reads into a struct field whatever the letter case: a case variant of
 * any of them is refused (ov_json_no_case_variant), whether ocivet reads
 * the member or not, so that an importer never honours a member ocivet
 * did not see. image-spec descriptor.md, manifest.md, image-index.md,
 * the artifact manifest of image-spec 1.1.0-rc, Docker's schema 2
 * manifest and manifest list, and the Notary payload.
 */
static const char *const descriptor_keys[] = {
    "mediaType", "digest",       "size",     "urls", "annotations",
    "data",      "artifactType", "platform", NULL,
};
static const char *const platform_keys[] = {
    "architecture", "os", "os.version", "os.features", "variant",
    "features",     NULL,
};
static const char *const manifest_keys[] = {
    "schemaVersion", "mediaType", "artifactType", "config",      "layers",
    "manifests",     "blobs",     "subject",      "annotations", NULL,
};
static const char *const payload_keys[] = {"targetArtifact", NULL};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

void
ov_descriptor_clear(struct ov_descriptor *d)
{
	size_t i;

	if (d == NULL)
		return;
	free(d->media_type);
	free(d->artifact_type);
	free(d->platform);
	for (i = 0; i < d->nannotations; i++) {
		free(d->annotations[i].key);
		free(d->annotations[i].value);
	}
	free(d->annotations);
	memset(d, 0, sizeof(*d));
}

static enum ov_code
parse_annotations(const cJSON *obj, const char *what,
    struct ov_annotation **out, size_t *nout, struct ov_err *err)
{
	const cJSON *ann = NULL, *m;
	struct ov_annotation *a;
	size_t n = 0, i = 0;
	enum ov_code r;

	*out = NULL;
	*nout = 0;
	if ((r = ov_json_object(obj, "annotations", 0, what, &ann, err)) !=
		OV_OK ||
	    ann == NULL)
		return r;
	for (m = ann->child; m != NULL; m = m->next) {
		if (!cJSON_IsString(m))
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: annotation \"%.64s\" must be a string", what,
			    m->string);
		n++;
	}
	if (n == 0)
		return OV_OK;
	if ((a = calloc(n, sizeof(*a))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (m = ann->child; m != NULL; m = m->next, i++) {
		a[i].key = strdup(m->string);
		a[i].value = strdup(m->valuestring);
		if (a[i].key == NULL || a[i].value == NULL) {
			*out = a;
			*nout = i + 1;
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		}
	}
	*out = a;
	*nout = n;
	return OV_OK;
}

/*
 * descriptor.md "data": the content itself, base64 (RFC 4648 section 4,
 * padded), which MUST match the digest and size. Tools that read it do
 * not fetch the blob, so a descriptor whose data is not its content is
 * refused. The decoded bytes are at most three quarters of the document,
 * which is under its own limit, and the check below is the same bound.
 */
static enum ov_code
check_data(const char *s, const struct ov_descriptor *d, const char *what,
    struct ov_err *err)
{
	unsigned char *p = NULL;
	size_t n = 0, len = strlen(s);
	struct ov_digest got;
	enum ov_code r;

	if (len > OV_MAX_INDEX_JSON)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: data is larger than %zu bytes", what,
		    OV_MAX_INDEX_JSON);
	if ((r = ov_b64_decode(s, len, &p, &n, err)) != OV_OK)
		return ov_err_wrap(err, "%s: data", what);
	if ((uint64_t)n != (uint64_t)d->size) {
		r = ov_err_set(err, OV_E_FORMAT,
		    "%s: data holds %zu bytes, but the descriptor's size is %lld",
		    what, n, (long long)d->size);
		goto out;
	}
	if ((r = ov_digest_of(d->digest.alg, p, n, &got, err)) != OV_OK)
		goto out;
	if (!ov_digest_equal(&got, &d->digest)) {
		r = ov_err_set(err, OV_E_DIGEST,
		    "%s: data does not match the digest (it hashes to %s, not %s)",
		    what, got.str, d->digest.str);
		goto out;
	}
	r = OV_OK;
out:
	free(p);
	return r;
}

/* RFC 6838 type "/" subtype, restricted-name characters. */
static int
media_type_valid(const char *s)
{
	const char *p;
	int slash = 0;
	size_t seg = 0;

	for (p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '/') {
			if (slash++ || seg == 0)
				return 0;
			seg = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || strchr("!#$&-^_.+", c)))
			return 0;
		if (++seg > 127)
			return 0;
	}
	return slash == 1 && seg > 0;
}

enum ov_code
ov_descriptor_parse(const struct cJSON *obj, const char *what,
    struct ov_descriptor *out, struct ov_err *err)
{
	const char *mt = NULL, *dg = NULL, *at = NULL, *data = NULL;
	const cJSON *plat = NULL;
	struct ov_descriptor d;
	enum ov_code r;

	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	if (!cJSON_IsObject(obj))
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: descriptor must be an object", what);
	if ((r = ov_json_no_case_variant(obj, descriptor_keys, what, err)) !=
		OV_OK ||
	    (r = ov_json_string(obj, "mediaType", 1, what, &mt, err)) !=
		OV_OK ||
	    (r = ov_json_string(obj, "digest", 1, what, &dg, err)) != OV_OK ||
	    (r = ov_json_int64(obj, "size", 1, what, &d.size, err)) != OV_OK ||
	    (r = ov_json_string(obj, "artifactType", 0, what, &at, err)) !=
		OV_OK ||
	    (r = ov_json_object(obj, "platform", 0, what, &plat, err)) !=
		OV_OK ||
	    (r = ov_json_string(obj, "data", 0, what, &data, err)) != OV_OK)
		return r;
	if (!media_type_valid(mt))
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: invalid mediaType \"%.80s\"", what, mt);
	if (d.size < 0)
		return ov_err_set(err, OV_E_FORMAT, "%s: negative size %lld",
		    what, (long long)d.size);
	if ((r = ov_digest_parse(dg, &d.digest, err)) != OV_OK)
		return ov_err_wrap(err, "%s", what);
	if (data != NULL && (r = check_data(data, &d, what, err)) != OV_OK)
		return r;
	if ((d.media_type = strdup(mt)) == NULL ||
	    (at != NULL && (d.artifact_type = strdup(at)) == NULL)) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if (plat != NULL) {
		const char *os = NULL, *arch = NULL, *var = NULL;
		char buf[256];

		if ((r = ov_json_no_case_variant(plat, platform_keys, what,
			 err)) != OV_OK ||
		    (r = ov_json_string(plat, "os", 1, what, &os, err)) !=
			OV_OK ||
		    (r = ov_json_string(plat, "architecture", 1, what, &arch,
			 err)) != OV_OK ||
		    (r = ov_json_string(plat, "variant", 0, what, &var, err)) !=
			OV_OK)
			goto out;
		(void)snprintf(buf, sizeof(buf), "%.80s/%.80s%s%.80s", os, arch,
		    var ? "/" : "", var ? var : "");
		if ((d.platform = strdup(buf)) == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
	}
	if ((r = parse_annotations(obj, what, &d.annotations, &d.nannotations,
		 err)) != OV_OK)
		goto out;
	*out = d;
	memset(&d, 0, sizeof(d)); /* transferred */
	r = OV_OK;
out:
	ov_descriptor_clear(&d);
	return r;
}

enum ov_code
ov_descriptor_copy(struct ov_descriptor *dst, const struct ov_descriptor *src,
    struct ov_err *err)
{
	struct ov_descriptor d;
	size_t i;

	memset(dst, 0, sizeof(*dst));
	memset(&d, 0, sizeof(d));
	d.digest = src->digest;
	d.size = src->size;
	if ((d.media_type = dup_or_null(src->media_type)) == NULL)
		goto nomem;
	if (src->artifact_type != NULL &&
	    (d.artifact_type = strdup(src->artifact_type)) == NULL)
		goto nomem;
	if (src->platform != NULL &&
	    (d.platform = strdup(src->platform)) == NULL)
		goto nomem;
	if (src->nannotations > 0) {
		d.annotations = calloc(src->nannotations,
		    sizeof(*d.annotations));
		if (d.annotations == NULL)
			goto nomem;
		for (i = 0; i < src->nannotations; i++) {
			d.nannotations = i + 1;
			d.annotations[i].key = strdup(src->annotations[i].key);
			d.annotations[i].value =
			    strdup(src->annotations[i].value);
			if (d.annotations[i].key == NULL ||
			    d.annotations[i].value == NULL)
				goto nomem;
		}
	}
	*dst = d;
	return OV_OK;
nomem:
	ov_descriptor_clear(&d);
	return ov_err_set(err, OV_E_NOMEM, "out of memory");
}

const char *
ov_annotation_get(const struct ov_annotation *a, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(a[i].key, key) == 0)
			return a[i].value;
	return NULL;
}

int
ov_descriptor_same(const struct ov_descriptor *a,
    const struct ov_descriptor *b)
{
	return a->size == b->size && ov_digest_equal(&a->digest, &b->digest) &&
	    a->media_type != NULL && b->media_type != NULL &&
	    strcmp(a->media_type, b->media_type) == 0;
}

int
ov_media_type_is_index(const char *mt)
{
	return mt != NULL && (strcmp(mt, OV_MT_OCI_INDEX) == 0 ||
				 strcmp(mt, OV_MT_DOCKER_LIST) == 0);
}

int
ov_media_type_is_manifest(const char *mt)
{
	return mt != NULL && (strcmp(mt, OV_MT_OCI_MANIFEST) == 0 ||
				 strcmp(mt, OV_MT_DOCKER_MANIFEST) == 0 ||
				 strcmp(mt, OV_MT_OCI_ARTIFACT) == 0 ||
				 ov_media_type_is_index(mt));
}

void
ov_manifest_free(struct ov_manifest *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->media_type);
	free(m->artifact_type);
	ov_descriptor_clear(&m->config);
	for (i = 0; i < m->nchildren; i++)
		ov_descriptor_clear(&m->children[i]);
	free(m->children);
	ov_descriptor_clear(&m->subject);
	for (i = 0; i < m->nannotations; i++) {
		free(m->annotations[i].key);
		free(m->annotations[i].value);
	}
	free(m->annotations);
	free(m);
}

static enum ov_code
parse_children(const cJSON *arr, const char *key, const char *what,
    struct ov_manifest *m, struct ov_err *err)
{
	const cJSON *e;
	char w[256];
	size_t n = 0, i = 0;
	enum ov_code r;

	n = (size_t)cJSON_GetArraySize(arr);
	if (n > OV_MAX_DESCRIPTORS)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: more than %d entries in %s", what,
		    OV_MAX_DESCRIPTORS, key);
	if (n == 0)
		return OV_OK;
	if ((m->children = calloc(n, sizeof(*m->children))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	cJSON_ArrayForEach(e, arr)
	{
		(void)snprintf(w, sizeof(w), "%s: %s[%zu]", what, key, i);
		if ((r = ov_descriptor_parse(e, w, &m->children[i], err)) !=
		    OV_OK)
			return r;
		m->nchildren = ++i;
	}
	return OV_OK;
}

static enum ov_code
parse_optional_descriptor(const cJSON *root, const char *key,
    const char *what, int *has, struct ov_descriptor *d, struct ov_err *err)
{
	const cJSON *o = NULL;
	char w[256];
	enum ov_code r;

	if ((r = ov_json_object(root, key, 0, what, &o, err)) != OV_OK ||
	    o == NULL)
		return r;
	(void)snprintf(w, sizeof(w), "%s: %s", what, key);
	if ((r = ov_descriptor_parse(o, w, d, err)) != OV_OK)
		return r;
	*has = 1;
	return OV_OK;
}

/* Decide the kind from the declared media types, or from the shape. */
static enum ov_code
classify(const cJSON *root, const char *declared, const char *doc_mt,
    const char *what, const char **mt, struct ov_err *err)
{
	if (declared != NULL && doc_mt != NULL && strcmp(declared, doc_mt) != 0)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: mediaType \"%.80s\" differs from the descriptor's \"%.80s\"",
		    what, doc_mt, declared);
	*mt = doc_mt != NULL ? doc_mt : declared;
	if (*mt == NULL) {
		/* image-spec: mediaType SHOULD be present; infer it. */
		if (ov_json_get(root, "manifests") != NULL)
			*mt = OV_MT_OCI_INDEX;
		else if (ov_json_get(root, "config") != NULL)
			*mt = OV_MT_OCI_MANIFEST;
		else
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: neither a manifest nor an index", what);
	}
	if (!ov_media_type_is_manifest(*mt))
		return ov_err_set(err, OV_E_UNSUPPORTED,
		    "%s: unsupported media type \"%.80s\"", what, *mt);
	return OV_OK;
}

enum ov_code
ov_manifest_parse(const void *data, size_t len, const char *media_type,
    const char *what, struct ov_manifest **out, struct ov_err *err)
{
	struct ov_manifest *m = NULL;
	cJSON *root = NULL;
	const cJSON *arr = NULL, *cfg = NULL;
	const char *doc_mt = NULL, *mt = NULL, *at = NULL;
	const char *key;
	int64_t sv = 0;
	char w[256];
	enum ov_code r;

	*out = NULL;
	if ((r = ov_json_parse(data, len, what, &root, err)) != OV_OK)
		return r;
	if (!cJSON_IsObject(root)) {
		r = ov_err_set(err, OV_E_FORMAT, "%s: not a JSON object", what);
		goto out;
	}
	if ((r = ov_json_no_case_variant(root, manifest_keys, what, err)) !=
		OV_OK ||
	    (r = ov_json_string(root, "mediaType", 0, what, &doc_mt, err)) !=
		OV_OK ||
	    (r = classify(root, media_type, doc_mt, what, &mt, err)) != OV_OK ||
	    (r = ov_json_string(root, "artifactType", 0, what, &at, err)) !=
		OV_OK)
		goto out;
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->media_type = strdup(mt)) == NULL ||
	    (at != NULL && (m->artifact_type = strdup(at)) == NULL)) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if (strcmp(mt, OV_MT_OCI_ARTIFACT) == 0) {
		m->kind = OV_KIND_ARTIFACT;
		key = "blobs";
	} else if (ov_media_type_is_index(mt)) {
		m->kind = OV_KIND_INDEX;
		key = "manifests";
	} else {
		m->kind = OV_KIND_MANIFEST;
		key = "layers";
	}
	if (m->kind != OV_KIND_ARTIFACT) {
		if ((r = ov_json_int64(root, "schemaVersion", 1, what, &sv,
			 err)) != OV_OK)
			goto out;
		if (sv != 2) {
			r = ov_err_set(err, OV_E_UNSUPPORTED,
			    "%s: unsupported schemaVersion %lld", what,
			    (long long)sv);
			goto out;
		}
	}
	if (m->kind == OV_KIND_MANIFEST) {
		if ((r = ov_json_object(root, "config", 1, what, &cfg, err)) !=
		    OV_OK)
			goto out;
		(void)snprintf(w, sizeof(w), "%s: config", what);
		if ((r = ov_descriptor_parse(cfg, w, &m->config, err)) != OV_OK)
			goto out;
		m->has_config = 1;
	}
	if ((r = ov_json_array(root, key, m->kind == OV_KIND_INDEX, what, &arr,
		 err)) != OV_OK)
		goto out;
	if (arr != NULL && (r = parse_children(arr, key, what, m, err)) != OV_OK)
		goto out;
	if ((r = parse_optional_descriptor(root, "subject", what,
		 &m->has_subject, &m->subject, err)) != OV_OK)
		goto out;
	if ((r = parse_annotations(root, what, &m->annotations,
		 &m->nannotations, err)) != OV_OK)
		goto out;
	*out = m;
	m = NULL; /* transferred */
	r = OV_OK;
out:
	ov_manifest_free(m);
	cJSON_Delete(root);
	return r;
}

const char *
ov_manifest_artifact_type(const struct ov_manifest *m)
{
	if (m->artifact_type != NULL)
		return m->artifact_type;
	if (m->has_config)
		return m->config.media_type;
	return NULL;
}

int
ov_manifest_is_signature(const struct ov_manifest *m,
    const struct ov_descriptor **envelope)
{
	const char *at = ov_manifest_artifact_type(m);

	if (envelope != NULL)
		*envelope = NULL;
	if (m->kind == OV_KIND_INDEX || at == NULL ||
	    strcmp(at, OV_MT_NOTARY_SIGNATURE) != 0)
		return 0;
	if (envelope != NULL && m->nchildren == 1)
		*envelope = &m->children[0];
	return 1;
}

enum ov_code
ov_payload_parse(const void *data, size_t len, struct ov_descriptor *target,
    struct ov_err *err)
{
	cJSON *root = NULL;
	const cJSON *ta = NULL;
	enum ov_code r;

	memset(target, 0, sizeof(*target));
	if ((r = ov_json_parse(data, len, "signature payload", &root, err)) !=
	    OV_OK)
		return r;
	if (!cJSON_IsObject(root)) {
		r = ov_err_set(err, OV_E_FORMAT,
		    "signature payload: not a JSON object");
		goto out;
	}
	if ((r = ov_json_no_case_variant(root, payload_keys,
		 "signature payload", err)) != OV_OK ||
	    (r = ov_json_object(root, "targetArtifact", 1, "signature payload",
		 &ta, err)) != OV_OK)
		goto out;
	r = ov_descriptor_parse(ta, "signature payload: targetArtifact", target,
	    err);
out:
	cJSON_Delete(root);
	return r;
}

enum ov_code
ov_config_diff_ids(const void *data, size_t len, struct ov_digest **out,
    size_t *n, struct ov_err *err)
{
	cJSON *root = NULL;
	const cJSON *rootfs = NULL, *ids = NULL, *e;
	struct ov_digest *d = NULL;
	size_t i = 0, cnt;
	char what[64];
	enum ov_code r;

	*out = NULL;
	*n = 0;
	if ((r = ov_json_parse(data, len, "image config", &root, err)) !=
		OV_OK ||
	    (r = ov_json_object(root, "rootfs", 1, "image config", &rootfs,
		 err)) != OV_OK ||
	    (r = ov_json_array(rootfs, "diff_ids", 1, "image config: rootfs",
		 &ids, err)) != OV_OK)
		goto out;
	cnt = (size_t)cJSON_GetArraySize(ids);
	if (cnt > OV_MAX_DESCRIPTORS) {
		r = ov_err_set(err, OV_E_LIMIT,
		    "image config: more than %d diff_ids", OV_MAX_DESCRIPTORS);
		goto out;
	}
	if (cnt > 0 && (d = calloc(cnt, sizeof(*d))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	cJSON_ArrayForEach(e, ids)
	{
		(void)snprintf(what, sizeof(what), "image config: diff_ids[%zu]",
		    i);
		if (!cJSON_IsString(e)) {
			r = ov_err_set(err, OV_E_FORMAT, "%s: not a string",
			    what);
			goto out;
		}
		if ((r = ov_digest_parse(e->valuestring, &d[i], err)) != OV_OK) {
			ov_err_wrap(err, "%s", what);
			goto out;
		}
		i++;
	}
	*out = d;
	*n = cnt;
	d = NULL;
	r = OV_OK;
out:
	free(d);
	cJSON_Delete(root);
	return r;
}
