/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI image layout graph (image-spec image-layout.md, image-index.md;
 * referrers tag schema from distribution-spec; spec digest A.1, A.5-A.7).
 */
#include "config.h"

#include "layout.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmap.h"
#include "json.h"
#include "ovlimits.h"

/* ---- the graph ---------------------------------------------------------- */

struct node {
	struct ov_descriptor desc;  /* first descriptor that referenced it */
	struct ov_manifest *m;      /* NULL when unreadable */
	int depth;                  /* 0 for index.json entries */
	int code;                   /* why m is NULL */
	char *error;
	size_t *refs;               /* nodes whose subject is this node */
	size_t nrefs;
	size_t caprefs;
};

struct ov_layout {
	struct ov_source *src;
	struct ov_manifest *index; /* index.json */
	struct node *nodes;
	size_t n;
	size_t cap;
	struct ov_dmap bydigest;   /* digest -> node */
	struct ov_dmap checked;    /* blobs already verified */
};

struct ov_source *
ov_layout_source(const struct ov_layout *l)
{
	return l->src;
}

const struct ov_manifest *
ov_layout_index(const struct ov_layout *l)
{
	return l->index;
}

static enum ov_code
add_node(struct ov_layout *l, const struct ov_descriptor *d, int depth,
    struct ov_err *err)
{
	struct node *nn;
	enum ov_code r;

	if (ov_dmap_get(&l->bydigest, &d->digest, NULL))
		return OV_OK;
	if (l->n >= OV_MAX_GRAPH_NODES)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: more than %d manifests in the layout", l->src->path,
		    OV_MAX_GRAPH_NODES);
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		if ((nn = realloc(l->nodes, ncap * sizeof(*nn))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		l->nodes = nn;
		l->cap = ncap;
	}
	memset(&l->nodes[l->n], 0, sizeof(l->nodes[l->n]));
	if ((r = ov_descriptor_copy(&l->nodes[l->n].desc, d, err)) != OV_OK)
		return r;
	l->nodes[l->n].depth = depth;
	if ((r = ov_dmap_put(&l->bydigest, &d->digest, l->n, err)) != OV_OK) {
		ov_descriptor_clear(&l->nodes[l->n].desc);
		return r;
	}
	l->n++;
	return OV_OK;
}

static enum ov_code
node_fail(struct node *nd, const struct ov_err *e, struct ov_err *err)
{
	nd->code = e->code;
	if ((nd->error = strdup(e->msg)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

/* Read and parse node i; enqueue the children of an index. */
static enum ov_code
load_node(struct ov_layout *l, size_t i, struct ov_err *err)
{
	struct ov_buf b;
	struct ov_err e;
	struct ov_manifest *m = NULL;
	char what[200];
	size_t k;
	enum ov_code r;
	const struct ov_descriptor *d = &l->nodes[i].desc;
	int depth = l->nodes[i].depth;

	ov_buf_init(&b, OV_MAX_MANIFEST);
	(void)snprintf(what, sizeof(what), "manifest %s", d->digest.str);
	if (depth > OV_MAX_INDEX_DEPTH) {
		ov_err_set(&e, OV_E_LIMIT,
		    "%s: image indexes nested deeper than %d levels", what,
		    OV_MAX_INDEX_DEPTH);
		r = node_fail(&l->nodes[i], &e, err);
		goto out;
	}
	if (l->src->ops->read_blob(l->src, &d->digest, d->size, &b, &e) !=
		OV_OK ||
	    ov_manifest_parse(b.data, b.len, d->media_type, what, &m, &e) !=
		OV_OK) {
		if (e.code == OV_E_NOMEM)
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		else
			r = node_fail(&l->nodes[i], &e, err);
		goto out;
	}
	l->nodes[i].m = m;
	if (m->kind == OV_KIND_INDEX) {
		for (k = 0; k < m->nchildren; k++) {
			if (!ov_media_type_is_manifest(
				m->children[k].media_type))
				continue;
			/* add_node may move l->nodes; m stays valid. */
			if ((r = add_node(l, &m->children[k], depth + 1,
				 err)) != OV_OK)
				goto out;
		}
	}
	r = OV_OK;
out:
	ov_buf_free(&b);
	return r;
}

static enum ov_code
add_ref(struct node *nd, size_t from, struct ov_err *err)
{
	size_t *nr;

	if (nd->nrefs == nd->caprefs) {
		size_t ncap = nd->caprefs ? nd->caprefs * 2 : 4;
		if ((nr = realloc(nd->refs, ncap * sizeof(*nr))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		nd->refs = nr;
		nd->caprefs = ncap;
	}
	nd->refs[nd->nrefs++] = from;
	return OV_OK;
}

static enum ov_code
check_layout_header(struct ov_source *src, struct ov_err *err)
{
	struct ov_buf b;
	cJSON *root = NULL;
	const char *v = NULL;
	char what[300];
	enum ov_code r;

	(void)snprintf(what, sizeof(what), "%s/oci-layout", src->path);
	ov_buf_init(&b, OV_MAX_LAYOUT_HEADER);
	if ((r = src->ops->read_file(src, "oci-layout", &b, err)) != OV_OK) {
		if (r == OV_E_NOTFOUND)
			ov_err_set(err, r,
			    "%s: not an OCI image layout (no oci-layout file)",
			    src->path);
		goto out;
	}
	if ((r = ov_json_parse(b.data, b.len, what, &root, err)) != OV_OK ||
	    (r = ov_json_string(root, "imageLayoutVersion", 1, what, &v,
		 err)) != OV_OK)
		goto out;
	if (strcmp(v, "1.0.0") != 0) {
		r = ov_err_set(err, OV_E_UNSUPPORTED,
		    "%s: unsupported imageLayoutVersion \"%.32s\" (want 1.0.0)",
		    what, v);
		goto out;
	}
	r = OV_OK;
out:
	cJSON_Delete(root);
	ov_buf_free(&b);
	return r;
}

enum ov_code
ov_layout_open(struct ov_source *src, struct ov_layout **out,
    struct ov_err *err)
{
	struct ov_layout *l = NULL;
	struct ov_buf b;
	char what[300];
	size_t i, k;
	enum ov_code r;

	*out = NULL;
	ov_buf_init(&b, OV_MAX_INDEX_JSON);
	if ((r = check_layout_header(src, err)) != OV_OK)
		goto out;
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	l->src = src;
	(void)snprintf(what, sizeof(what), "%s/index.json", src->path);
	if ((r = src->ops->read_file(src, "index.json", &b, err)) != OV_OK)
		goto out;
	if ((r = ov_manifest_parse(b.data, b.len, NULL, what, &l->index,
		 err)) != OV_OK)
		goto out;
	if (l->index->kind != OV_KIND_INDEX) {
		r = ov_err_set(err, OV_E_FORMAT, "%s: not an image index",
		    what);
		goto out;
	}
	for (i = 0; i < l->index->nchildren; i++)
		if (ov_media_type_is_manifest(l->index->children[i].media_type) &&
		    (r = add_node(l, &l->index->children[i], 0, err)) != OV_OK)
			goto out;
	/* Breadth first: load_node appends children as it goes. */
	for (i = 0; i < l->n; i++)
		if ((r = load_node(l, i, err)) != OV_OK)
			goto out;
	for (i = 0; i < l->n; i++) {
		const struct ov_manifest *m = l->nodes[i].m;
		if (m != NULL && m->has_subject &&
		    ov_dmap_get(&l->bydigest, &m->subject.digest, &k) &&
		    (r = add_ref(&l->nodes[k], i, err)) != OV_OK)
			goto out;
	}
	*out = l;
	l = NULL; /* transferred */
	r = OV_OK;
out:
	ov_buf_free(&b);
	ov_layout_free(l);
	return r;
}

void
ov_layout_free(struct ov_layout *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		ov_descriptor_clear(&l->nodes[i].desc);
		ov_manifest_free(l->nodes[i].m);
		free(l->nodes[i].error);
		free(l->nodes[i].refs);
	}
	free(l->nodes);
	ov_manifest_free(l->index);
	ov_dmap_free(&l->bydigest);
	ov_dmap_free(&l->checked);
	free(l);
}

/* ---- images and resolution ---------------------------------------------- */

void
ov_target_clear(struct ov_target *t)
{
	if (t == NULL)
		return;
	ov_descriptor_clear(&t->desc);
	free(t->tag);
	free(t->name);
	free(t->error);
	memset(t, 0, sizeof(*t));
}

void
ov_targets_free(struct ov_target *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ov_target_clear(&t[i]);
	free(t);
}

static const struct node *
find_node(const struct ov_layout *l, const struct ov_digest *d)
{
	size_t i;

	return ov_dmap_get(&l->bydigest, d, &i) ? &l->nodes[i] : NULL;
}

static enum ov_code
make_target(const struct ov_layout *l, const struct ov_descriptor *d,
    struct ov_target *t, struct ov_err *err)
{
	const struct node *nd = find_node(l, &d->digest);
	const char *tag, *name;

	memset(t, 0, sizeof(*t));
	if (ov_descriptor_copy(&t->desc, d, err) != OV_OK)
		return OV_E_NOMEM;
	tag = ov_annotation_get(d->annotations, d->nannotations,
	    OV_ANN_REF_NAME);
	name = ov_annotation_get(d->annotations, d->nannotations,
	    OV_ANN_IMAGE_NAME);
	if ((tag != NULL && (t->tag = strdup(tag)) == NULL) ||
	    (name != NULL && (t->name = strdup(name)) == NULL))
		goto nomem;
	if (nd == NULL || nd->m == NULL) {
		t->error_code = nd != NULL ? nd->code : OV_E_NOTFOUND;
		t->error = strdup(nd != NULL && nd->error != NULL
			? nd->error
			: "manifest is not in the layout");
		if (t->error == NULL)
			goto nomem;
	}
	return OV_OK;
nomem:
	ov_target_clear(t);
	return ov_err_set(err, OV_E_NOMEM, "out of memory");
}

static int is_image_config(const char *mt);

/*
 * Whether the manifest or index dg is something an importer (containerd,
 * docker load) would take as a runnable image. Decided by content only:
 * an index.json entry's own artifactType and tag are written by whoever
 * made the layout, so an unsigned image that calls itself a signature, or
 * hides in an index tagged like the referrers tag schema, is still an
 * image. Not images: Notary signatures and other artifacts that refer to
 * a manifest (have a subject), unless they carry an image config, and
 * indexes of nothing but those. A blob that is missing or unreadable
 * counts as an image (it is then verified, and fails), unless its
 * descriptor says it is a signature: nothing of it could be imported.
 */
static int
is_runnable(const struct ov_layout *l, const struct ov_descriptor *d,
    int depth)
{
	const struct node *nd = find_node(l, &d->digest);
	const struct ov_manifest *m;
	size_t i;

	if (nd == NULL || (m = nd->m) == NULL || depth > OV_MAX_INDEX_DEPTH)
		return d->artifact_type == NULL ||
		    strcmp(d->artifact_type, OV_MT_NOTARY_SIGNATURE) != 0;
	if (m->kind == OV_KIND_INDEX) {
		if (m->nchildren == 0)
			return !m->has_subject;
		for (i = 0; i < m->nchildren; i++)
			if (!ov_media_type_is_manifest(m->children[i].media_type) ||
			    is_runnable(l, &m->children[i], depth + 1))
				return 1;
		return 0;
	}
	if (m->has_config && is_image_config(m->config.media_type))
		return 1;
	return !m->has_subject && !ov_manifest_is_signature(m, NULL);
}

enum ov_code
ov_layout_images(const struct ov_layout *l, struct ov_target **out,
    size_t *nout, struct ov_err *err)
{
	struct ov_target *t = NULL;
	struct ov_dmap seen = {0};
	size_t i, n = 0;
	enum ov_code r;

	*out = NULL;
	*nout = 0;
	if (l->index->nchildren > 0 &&
	    (t = calloc(l->index->nchildren, sizeof(*t))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (i = 0; i < l->index->nchildren; i++) {
		const struct ov_descriptor *d = &l->index->children[i];
		if (!ov_media_type_is_manifest(d->media_type) ||
		    !is_runnable(l, d, 0) ||
		    ov_dmap_get(&seen, &d->digest, NULL))
			continue;
		if ((r = ov_dmap_put(&seen, &d->digest, i, err)) != OV_OK ||
		    (r = make_target(l, d, &t[n], err)) != OV_OK)
			goto out;
		n++;
	}
	*out = t;
	*nout = n;
	t = NULL;
	n = 0;
	r = OV_OK;
out:
	ov_targets_free(t, n);
	ov_dmap_free(&seen);
	return r;
}

/* Pick the index.json entries for which match() holds; all must agree. */
static enum ov_code
resolve_by(const struct ov_layout *l, const char *key, const char *value,
    int tail, struct ov_target *out, int *found, struct ov_err *err)
{
	const struct ov_descriptor *hit = NULL;
	size_t i;

	*found = 0;
	for (i = 0; i < l->index->nchildren; i++) {
		const struct ov_descriptor *d = &l->index->children[i];
		const char *v = ov_annotation_get(d->annotations,
		    d->nannotations, key);
		if (v == NULL || !ov_media_type_is_manifest(d->media_type))
			continue;
		if (tail) {
			/* the tag part of a full reference */
			const char *c = strrchr(value, ':');
			if (c == NULL || strchr(c, '/') != NULL ||
			    strcmp(v, c + 1) != 0)
				continue;
		} else if (strcmp(v, value) != 0) {
			continue;
		}
		if (hit != NULL && !ov_digest_equal(&hit->digest, &d->digest))
			return ov_err_set(err, OV_E_USAGE,
			    "tag \"%.200s\" is ambiguous: it names both %s and %s",
			    value, hit->digest.str, d->digest.str);
		hit = d;
	}
	if (hit == NULL)
		return OV_OK;
	*found = 1;
	return make_target(l, hit, out, err);
}

enum ov_code
ov_layout_resolve_tag(const struct ov_layout *l, const char *tag,
    struct ov_target *out, struct ov_err *err)
{
	int found = 0;
	enum ov_code r;

	memset(out, 0, sizeof(*out));
	if ((r = resolve_by(l, OV_ANN_REF_NAME, tag, 0, out, &found, err)) !=
		OV_OK ||
	    found)
		return r;
	if ((r = resolve_by(l, OV_ANN_IMAGE_NAME, tag, 0, out, &found, err)) !=
		OV_OK ||
	    found)
		return r;
	if (strchr(tag, '/') != NULL &&
	    ((r = resolve_by(l, OV_ANN_REF_NAME, tag, 1, out, &found, err)) !=
		    OV_OK ||
		found))
		return r;
	return ov_err_set(err, OV_E_NOTFOUND,
	    "%s: no image tagged \"%.200s\" in index.json", l->src->path, tag);
}

enum ov_code
ov_layout_resolve_digest(const struct ov_layout *l, const struct ov_digest *d,
    struct ov_target *out, struct ov_err *err)
{
	const struct node *nd = find_node(l, d);
	size_t i;

	memset(out, 0, sizeof(*out));
	if (nd == NULL)
		return ov_err_set(err, OV_E_NOTFOUND,
		    "%s: no manifest or index with digest %s in the layout",
		    l->src->path, d->str);
	/* Prefer the index.json entry: it carries the tag annotations. */
	for (i = 0; i < l->index->nchildren; i++)
		if (ov_digest_equal(&l->index->children[i].digest, d))
			return make_target(l, &l->index->children[i], out, err);
	return make_target(l, &nd->desc, out, err);
}

/* ---- integrity of an image ---------------------------------------------- */

enum ov_code
ov_layout_check_blob(struct ov_layout *l, const struct ov_descriptor *d,
    struct ov_err *err)
{
	enum ov_code r;

	size_t size;

	/* Checked blobs are remembered: images in a mirror share layers.
	 * The size is remembered too, so a second descriptor of the same
	 * digest with another size still fails. (Not thread-safe: guard
	 * this map when images verify in parallel.) */
	if (ov_dmap_get(&l->checked, &d->digest, &size)) {
		if ((int64_t)size != d->size)
			return ov_err_set(err, OV_E_DIGEST,
			    "blob %s: size %zu does not match the descriptor size %jd",
			    d->digest.str, size, (intmax_t)d->size);
		return OV_OK;
	}
	if ((r = l->src->ops->check_blob(l->src, &d->digest, d->size, err)) !=
	    OV_OK)
		return r;
	return ov_dmap_put(&l->checked, &d->digest, (size_t)d->size, err);
}

enum ov_code
ov_layout_read_blob(struct ov_layout *l, const struct ov_descriptor *d,
    struct ov_buf *out, struct ov_err *err)
{
	return l->src->ops->read_blob(l->src, &d->digest, d->size, out, err);
}

static enum ov_code
check_tree(struct ov_layout *l, const struct ov_descriptor *d, int depth,
    struct ov_err *err)
{
	const struct node *nd = find_node(l, &d->digest);
	const struct ov_manifest *m;
	size_t i;
	enum ov_code r;

	if (depth > OV_MAX_INDEX_DEPTH)
		return ov_err_set(err, OV_E_LIMIT,
		    "image indexes nested deeper than %d levels",
		    OV_MAX_INDEX_DEPTH);
	if (nd == NULL)
		return ov_err_set(err, OV_E_NOTFOUND,
		    "manifest %s is not in the layout", d->digest.str);
	if (nd->m == NULL)
		return ov_err_set(err, nd->code, "%s", nd->error);
	if (nd->desc.size != d->size)
		return ov_err_set(err, OV_E_DIGEST,
		    "manifest %s: size %jd does not match the descriptor size %jd",
		    d->digest.str, (intmax_t)nd->desc.size, (intmax_t)d->size);
	m = nd->m;
	if (m->has_config &&
	    (r = ov_layout_check_blob(l, &m->config, err)) != OV_OK)
		return ov_err_wrap(err, "manifest %s: config", d->digest.str);
	for (i = 0; i < m->nchildren; i++) {
		const struct ov_descriptor *c = &m->children[i];
		if (m->kind == OV_KIND_INDEX &&
		    ov_media_type_is_manifest(c->media_type))
			r = check_tree(l, c, depth + 1, err);
		else
			r = ov_layout_check_blob(l, c, err);
		if (r != OV_OK)
			return ov_err_wrap(err, "manifest %s: %s[%zu]",
			    d->digest.str,
			    m->kind == OV_KIND_INDEX ? "manifests" : "layers",
			    i);
	}
	return OV_OK;
}

enum ov_code
ov_layout_check_tree(struct ov_layout *l, const struct ov_descriptor *target,
    struct ov_err *err)
{
	return check_tree(l, target, 0, err);
}

/* ---- signatures --------------------------------------------------------- */

void
ov_sigrefs_free(struct ov_sigref *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ov_descriptor_clear(&s[i].desc);
		free(s[i].error);
	}
	free(s);
}

static int
sigref_cmp(const void *a, const void *b)
{
	const struct ov_sigref *x = a, *y = b;

	return strcmp(x->desc.digest.str, y->desc.digest.str);
}

static int
has_sigref(const struct ov_sigref *s, size_t n, const struct ov_digest *d)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ov_digest_equal(&s[i].desc.digest, d))
			return 1;
	return 0;
}

static enum ov_code
push_sigref(struct ov_sigref **s, size_t *n, size_t *cap,
    const struct node *nd, struct ov_err *err)
{
	struct ov_sigref *ns, *e;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		if ((ns = realloc(*s, ncap * sizeof(*ns))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		*s = ns;
		*cap = ncap;
	}
	e = &(*s)[*n];
	memset(e, 0, sizeof(*e));
	if (ov_descriptor_copy(&e->desc, &nd->desc, err) != OV_OK)
		return OV_E_NOMEM;
	e->m = nd->m;
	if (nd->m == NULL) {
		e->error_code = nd->code;
		if ((e->error = strdup(nd->error ? nd->error : "unreadable")) ==
		    NULL) {
			ov_descriptor_clear(&e->desc);
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		}
	}
	(*n)++;
	return OV_OK;
}

enum ov_code
ov_layout_signatures(const struct ov_layout *l,
    const struct ov_descriptor *target, struct ov_sigref **out, size_t *nout,
    struct ov_err *err)
{
	const struct node *tn = find_node(l, &target->digest), *nd;
	struct ov_sigref *s = NULL;
	char tag[OV_DIGEST_MAX_STR];
	size_t n = 0, cap = 0, i, k;
	enum ov_code r;

	*out = NULL;
	*nout = 0;
	/* 1. manifests whose subject is the target */
	for (i = 0; tn != NULL && i < tn->nrefs; i++) {
		nd = &l->nodes[tn->refs[i]];
		if (!ov_manifest_is_signature(nd->m, NULL) ||
		    !ov_descriptor_same(&nd->m->subject, target) ||
		    has_sigref(s, n, &nd->desc.digest))
			continue;
		if ((r = push_sigref(&s, &n, &cap, nd, err)) != OV_OK)
			goto out;
	}
	/*
	 * 2. the referrers-tag-schema index "<alg>-<hex>": its entries are
	 * meant to be referrers of the target, so an entry that cannot be
	 * read is reported as a broken signature rather than ignored.
	 */
	(void)snprintf(tag, sizeof(tag), "%s-%s",
	    ov_digest_alg_name(target->digest.alg),
	    ov_digest_hex(&target->digest));
	for (i = 0; i < l->index->nchildren; i++) {
		const struct ov_descriptor *d = &l->index->children[i];
		const char *t = ov_annotation_get(d->annotations,
		    d->nannotations, OV_ANN_REF_NAME);
		const struct node *ti;
		if (t == NULL || strcmp(t, tag) != 0 ||
		    (ti = find_node(l, &d->digest)) == NULL || ti->m == NULL ||
		    ti->m->kind != OV_KIND_INDEX)
			continue;
		for (k = 0; k < ti->m->nchildren; k++) {
			const struct ov_descriptor *c = &ti->m->children[k];
			if (c->artifact_type == NULL ||
			    strcmp(c->artifact_type, OV_MT_NOTARY_SIGNATURE) !=
				0 ||
			    (nd = find_node(l, &c->digest)) == NULL ||
			    nd->m != NULL || has_sigref(s, n, &c->digest))
				continue;
			if ((r = push_sigref(&s, &n, &cap, nd, err)) != OV_OK)
				goto out;
		}
	}
	if (n > 1)
		qsort(s, n, sizeof(*s), sigref_cmp);
	*out = s;
	*nout = n;
	s = NULL;
	n = 0;
	r = OV_OK;
out:
	ov_sigrefs_free(s, n);
	return r;
}

/* ---- lookups for detached signature bundles ----------------------------- */

const struct ov_manifest *
ov_layout_manifest(const struct ov_layout *l, const struct ov_digest *d)
{
	const struct node *nd = find_node(l, d);

	return nd != NULL ? nd->m : NULL;
}

static enum ov_code
push_desc(struct ov_descriptor **v, size_t *n, const struct ov_descriptor *d,
    struct ov_err *err)
{
	struct ov_descriptor *nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if (ov_digest_equal(&(*v)[i].digest, &d->digest))
			return OV_OK;
	if ((nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	*v = nv;
	if (ov_descriptor_copy(&nv[*n], d, err) != OV_OK)
		return OV_E_NOMEM;
	(*n)++;
	return OV_OK;
}

enum ov_code
ov_layout_find_by_config(const struct ov_layout *l,
    const struct ov_digest *config, struct ov_descriptor **out, size_t *nout,
    struct ov_err *err)
{
	struct ov_descriptor *v = NULL;
	size_t i, n = 0, k;
	enum ov_code r;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < l->n; i++) {
		const struct ov_manifest *m = l->nodes[i].m;
		if (m == NULL || m->kind != OV_KIND_MANIFEST || !m->has_config ||
		    !ov_digest_equal(&m->config.digest, config) ||
		    ov_manifest_is_signature(m, NULL))
			continue;
		if ((r = push_desc(&v, &n, &l->nodes[i].desc, err)) != OV_OK)
			goto fail;
	}
	*out = v;
	*nout = n;
	return OV_OK;
fail:
	for (k = 0; k < n; k++)
		ov_descriptor_clear(&v[k]);
	free(v);
	return r;
}

enum ov_code
ov_layout_parents(const struct ov_layout *l, const struct ov_digest *d,
    struct ov_descriptor **out, size_t *nout, struct ov_err *err)
{
	struct ov_descriptor *v = NULL;
	size_t i, k, n = 0;
	enum ov_code r;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < l->n; i++) {
		const struct ov_manifest *m = l->nodes[i].m;
		if (m == NULL || m->kind != OV_KIND_INDEX)
			continue;
		for (k = 0; k < m->nchildren; k++)
			if (ov_digest_equal(&m->children[k].digest, d) &&
			    (r = push_desc(&v, &n, &l->nodes[i].desc, err)) !=
				OV_OK)
				goto fail;
	}
	*out = v;
	*nout = n;
	return OV_OK;
fail:
	for (k = 0; k < n; k++)
		ov_descriptor_clear(&v[k]);
	free(v);
	return r;
}

/* ---- deep checks: layers against the config's diff_ids ------------------- */

static int
is_image_config(const char *mt)
{
	return mt != NULL &&
	    (strcmp(mt, "application/vnd.oci.image.config.v1+json") == 0 ||
		strcmp(mt, "application/vnd.docker.container.image.v1+json") ==
		    0);
}

static enum ov_code
check_manifest_diff_ids(struct ov_layout *l, const struct ov_manifest *m,
    const char *what, struct ov_err *err)
{
	struct ov_digest *ids = NULL, got;
	struct ov_buf b;
	size_t n = 0, i;
	enum ov_code r;

	ov_buf_init(&b, OV_MAX_MANIFEST);
	if ((r = ov_layout_read_blob(l, &m->config, &b, err)) != OV_OK ||
	    (r = ov_config_diff_ids(b.data, b.len, &ids, &n, err)) != OV_OK) {
		ov_err_wrap(err, "%s: config", what);
		goto out;
	}
	if (n != m->nchildren) {
		r = ov_err_set(err, OV_E_DIGEST,
		    "%s: the config lists %zu diff_ids but the manifest has %zu layers",
		    what, n, m->nchildren);
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct ov_descriptor *d = &m->children[i];
		enum ov_compression c = ov_compression_of(d->media_type);

		/* even an "uncompressed" layer is read, to confirm it is */
		if ((r = l->src->ops->content_digest(l->src, &d->digest,
			 d->size, c, &got, err)) != OV_OK) {
			ov_err_wrap(err, "%s: layers[%zu]", what, i);
			goto out;
		}
		if (!ov_digest_equal(&got, &ids[i])) {
			r = ov_err_set(err, OV_E_DIGEST,
			    "%s: layers[%zu] %s decompresses to %s, but the config's diff_ids[%zu] is %s",
			    what, i, d->digest.str, got.str, i, ids[i].str);
			goto out;
		}
	}
	r = OV_OK;
out:
	free(ids);
	ov_buf_free(&b);
	return r;
}

static enum ov_code
check_diff_ids(struct ov_layout *l, const struct ov_descriptor *d, int depth,
    struct ov_err *err)
{
	const struct node *nd = find_node(l, &d->digest);
	char what[OV_DIGEST_MAX_STR + 16];
	size_t i;
	enum ov_code r;

	if (depth > OV_MAX_INDEX_DEPTH || nd == NULL || nd->m == NULL)
		return ov_err_set(err, OV_E_INTERNAL,
		    "manifest %s: not checked before the deep check",
		    d->digest.str);
	(void)snprintf(what, sizeof(what), "manifest %s", d->digest.str);
	if (nd->m->kind == OV_KIND_INDEX) {
		for (i = 0; i < nd->m->nchildren; i++)
			if (ov_media_type_is_manifest(
				nd->m->children[i].media_type) &&
			    (r = check_diff_ids(l, &nd->m->children[i], depth + 1,
				 err)) != OV_OK)
				return r;
		return OV_OK;
	}
	if (nd->m->kind != OV_KIND_MANIFEST || !nd->m->has_config ||
	    !is_image_config(nd->m->config.media_type))
		return OV_OK; /* an artifact: no layers to decompress */
	return check_manifest_diff_ids(l, nd->m, what, err);
}

enum ov_code
ov_layout_check_diff_ids(struct ov_layout *l,
    const struct ov_descriptor *target, struct ov_err *err)
{
	if (l->src->ops->content_digest == NULL)
		return ov_err_set(err, OV_E_UNSUPPORTED,
		    "%s: deep checks are not supported for this source",
		    l->src->path);
	return check_diff_ids(l, target, 0, err);
}
